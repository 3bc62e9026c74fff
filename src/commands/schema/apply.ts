import type { RegistryClient } from '../../adapters/registry/client.js';
import type { CommandContext } from '../../cli/context.js';
import { InterruptedError } from '../../core/errors.js';
import type { DesiredSubject, RegistrationResult, SchemaPlan, SubjectChange } from '../../core/schemas/index.js';

/**
 * Carries out a schema plan, subject by subject, making only the writes it lists.
 * For an existing subject the level is set first, then the registry checks the
 * schema, then it is registered. A new subject is registered first and given its
 * level after: Apicurio refuses a level for a subject that does not exist yet, and
 * a first version is never checked, so the order changes nothing else.
 */
export async function applySchemaPlan(ctx: CommandContext, registry: RegistryClient, plan: SchemaPlan, desired: readonly DesiredSubject[]): Promise<RegistrationResult[]> {
  const bySubject = new Map(desired.map((d) => [d.subject, d]));
  const results: RegistrationResult[] = [];
  const progress = ctx.out.progress('registering schemas');
  try {
    for (const change of plan.subjects) {
      if (ctx.signal.aborted) {
        const done = results.filter((r) => r.outcome !== 'unchanged').map((r) => r.subject);
        throw new InterruptedError(`interrupted: ${done.length === 0 ? 'nothing was written' : `done: ${done.join(', ')}`}; not done: ${plan.subjects.slice(results.length).map((c) => c.subject).join(', ')}`);
      }
      progress.update(`${change.subject}: ${change.action}`);
      results.push(await applyChange(ctx, registry, change, bySubject.get(change.subject)!));
    }
  } finally {
    progress.done();
  }
  return results;
}

async function applyChange(ctx: CommandContext, registry: RegistryClient, change: SubjectChange, desired: DesiredSubject): Promise<RegistrationResult> {
  const { subject, levelChange } = change;
  const withLevel = levelChange ? { levelChange } : {};
  if (change.action === 'missing') return { subject, outcome: 'missing', reasons: [change.blocked!.reason] };
  if (change.action === 'unchanged') {
    if (levelChange) await registry.setCompatibility(levelChange.to, subject);
    return { subject, outcome: 'unchanged', ...withLevel, ...(change.version === undefined ? {} : { version: change.version, id: change.id! }) };
  }
  const payload = { schema: desired.schema!.registrationForm };
  if (change.action === 'register') {
    const { id } = await registry.register(subject, payload);
    if (levelChange) await registry.setCompatibility(levelChange.to, subject);
    return { subject, outcome: 'registered', id, version: (await registry.lookup(subject, payload))?.version ?? 1, ...withLevel };
  }
  if (levelChange) await registry.setCompatibility(levelChange.to, subject);
  const { registryVerdict } = await import('../../adapters/registry/compatibility.js');
  const verdict = await registryVerdict(registry, subject, payload);
  if (!verdict.compatible) return { subject, outcome: 'refused', reasons: verdict.reasons, ...withLevel };
  if (change.verdict && !change.verdict.compatible) {
    ctx.out.warn(`${subject}: the registry accepts a schema the offline check refuses (${change.verdict.incompatibilities[0]?.message ?? ''})`);
  }
  const { id } = await registry.register(subject, payload);
  const stored = await registry.lookup(subject, payload);
  return { subject, outcome: 'new-version', id, ...(stored ? { version: stored.version } : {}), ...withLevel };
}
