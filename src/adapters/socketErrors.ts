/** A socket or fetch failure in a few words. */
export function socketReason(error: unknown): string {
  const code = (error as { code?: string }).code;
  const known: Record<string, string> = { ECONNREFUSED: 'connection refused', ENOTFOUND: 'host not found', ETIMEDOUT: 'connection timed out', ECONNRESET: 'connection reset' };
  return tlsReason(error) ?? (code && known[code]) ?? (error as Error).message;
}

/** OpenSSL's verdicts on a certificate no trusted CA signed. */
const UNTRUSTED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE']);

/** A TLS handshake failure of an https request in a few words; undefined for any other error. */
export function tlsReason(error: unknown): string | undefined {
  const { code, reason, message } = error as { code?: string; reason?: string; message?: string };
  if (code === undefined) return undefined;
  if (UNTRUSTED.has(code)) return `its TLS certificate is not signed by a trusted CA (${code})`;
  // Node's reason names the host and the certificate's names, e.g. "IP: 127.0.0.2 is not in the cert's list: 127.0.0.1".
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `its TLS certificate does not name the host connected to (${reason ?? 'hostname mismatch'})`;
  if (code === 'CERT_HAS_EXPIRED') return 'its TLS certificate has expired';
  if (code === 'CERT_NOT_YET_VALID') return 'its TLS certificate is not valid yet';
  if (code === 'EPROTO' && /wrong version number|packet length too long/i.test(message ?? '')) return 'it does not speak TLS (use an http:// URL?)';
  return undefined;
}
