/** A socket or fetch failure in a few words. */
export function socketReason(error: unknown): string {
  const code = (error as { code?: string }).code;
  const known: Record<string, string> = { ECONNREFUSED: 'connection refused', ENOTFOUND: 'host not found', ETIMEDOUT: 'connection timed out', ECONNRESET: 'connection reset' };
  return (code && known[code]) ?? (error as Error).message;
}
