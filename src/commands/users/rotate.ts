import type { CommandRun } from '../../cli/spec.js';
import { setCredential, type CredentialOptions } from './credential.js';

export const run: CommandRun<CredentialOptions> = (ctx, args, options) => setCredential(ctx, args[0]!, options, 'rotate');
