import type { CommandContext } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';

export interface ProjectApplied {
  topics: number;
  schemas: number | 'skipped';
}

/**
 * `deploy --apply`: the project's topics (`topics apply --yes`, never pruning) and then its
 * schemas (`schema register`), against the cluster just deployed. The steps report on stderr
 * so stdout keeps the deploy result alone.
 */
export async function applyProject(
  ctx: CommandContext,
  env: string,
  deployed: { bootstrapServers: string[]; schemaRegistryUrl: string | undefined; security?: { clientProperties: string } },
): Promise<ProjectApplied> {
  // A secured deployment is changed as its admin, through the client properties it wrote.
  const step = ctx.derive(
    { env, bootstrapServer: deployed.bootstrapServers.join(','), schemaRegistry: deployed.schemaRegistryUrl, commandConfig: deployed.security?.clientProperties },
    ctx.out.toStderr(),
  );
  await ctx.requireProject();
  const topicsApply = await import('../topics/apply.js');
  const topics = (await topicsApply.run(step, [], { yes: true })) ?? ExitCode.ok;
  if (deployed.schemaRegistryUrl === undefined) return { topics, schemas: 'skipped' };
  const schemaRegister = await import('../schema/register.js');
  const schemas = (await schemaRegister.run(step, [], {})) ?? ExitCode.ok;
  return { topics, schemas };
}
