import { readFileSync, readlinkSync } from 'node:fs';

const O_ACCMODE = 0o3;
const O_RDWR = 0o2;

/**
 * Whether the shell started us with stdout closed (`>&-`). Node then reopens fd 1 on
 * /dev/null read-write so that writes "succeed"; a user's own `> /dev/null` is write-only.
 * Linux only (/proc); elsewhere a closed stdout is not detected.
 */
export function stdoutClosedAtStart(): boolean {
  try {
    if (readlinkSync('/proc/self/fd/1') !== '/dev/null') return false;
    const flags = /^flags:\s*([0-7]+)$/m.exec(readFileSync('/proc/self/fdinfo/1', 'utf8'))?.[1];
    return flags !== undefined && (Number.parseInt(flags, 8) & O_ACCMODE) === O_RDWR;
  } catch {
    return false;
  }
}

const REASONS: Record<string, string> = { ENOSPC: 'no space left on the device', EBADF: 'stdout is closed', EIO: 'input/output error', EDQUOT: 'disk quota exceeded' };

/** A failed write to stdout in a few words. */
export function writeFailureReason(error: NodeJS.ErrnoException): string {
  return `${(error.code && REASONS[error.code]) ?? error.message}${error.code ? ` (${error.code})` : ''}`;
}
