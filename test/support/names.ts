import { randomBytes } from 'node:crypto';

/** A topic or subject prefix of its own for every test, so tests never see each other's state. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
