import type { CommandRun } from '../../cli/spec.js';
import { applyProject } from '../project/apply.js';

/** `access apply`: `iotmsg apply` for the access section alone. */
export const run: CommandRun = (ctx, _args, options) => applyProject(ctx, { topics: false, schemas: false, access: true }, options);
