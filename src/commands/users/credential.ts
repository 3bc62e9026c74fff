import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readStdin } from '../../adapters/stdin.js';
import type { CommandContext } from '../../cli/context.js';
import type { ParsedOptions } from '../../cli/spec.js';
import { InputError, UsageError } from '../../core/errors.js';
import { renderUserChange } from '../../render/users.js';
import type { CREDENTIAL_OPTIONS } from './commands.js';

export type CredentialOptions = ParsedOptions<typeof CREDENTIAL_OPTIONS>;

/** The new password: from --password-file, else piped stdin, else a prompt. One trailing newline is not part of it. */
async function newPassword(ctx: CommandContext, file: string | undefined): Promise<string> {
  let text: string;
  if (file !== undefined) {
    try {
      text = await readFile(resolve(ctx.cwd, file), 'utf8');
    } catch (error) {
      throw new InputError(`cannot read the password file ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    }
  } else if (process.stdin.isTTY !== true) {
    text = (await readStdin()).toString('utf8');
  } else {
    text = await ctx.askSecret('New password:');
  }
  const password = text.replace(/\r?\n$/, '');
  if (password === '') throw new UsageError('the password is empty', { hint: 'give it with --password-file <path> or on stdin' });
  return password;
}

/**
 * create and rotate: one upsert, after checking that the user has (rotate) or has not
 * (create) a credential of that mechanism, so that a typo cannot silently add a user.
 */
export async function setCredential(ctx: CommandContext, user: string, options: CredentialOptions, mode: 'create' | 'rotate'): Promise<void> {
  const password = await newPassword(ctx, options.passwordFile);
  const { ScramUsers } = await import('../../adapters/kafka/users.js');
  const users = new ScramUsers(await ctx.kafka());
  ctx.onClose(() => users.close());
  const [existing] = await users.describe([user]);
  const has = existing?.credentials.some((c) => c.mechanism === options.mechanism) === true;
  if (mode === 'create' && has) throw new UsageError(`user ${user} already has a ${options.mechanism} credential`, { hint: `change its password with "iotmsg users rotate ${user}"` });
  if (mode === 'rotate' && !has) throw new UsageError(`user ${user} has no ${options.mechanism} credential to rotate`, { hint: `create it with "iotmsg users create ${user}"` });
  await users.alter([], [{ user, mechanism: options.mechanism, iterations: options.iterations, password }]);
  await ctx.out.result({ user, mechanism: options.mechanism, iterations: options.iterations, change: mode === 'create' ? 'created' : 'rotated' }, renderUserChange);
}
