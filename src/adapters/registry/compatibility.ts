import type { SubjectVerdict } from '../../core/schemas/report.js';
import type { RegistryClient, SchemaPayload } from './client.js';

/**
 * The registry's verdict on registering `schema` in `subject`, as registering would
 * judge it. The "latest" check compares with one version only, so a transitive level
 * asks about every version, newest first, stopping at the first refusal like the
 * registry does. (POST /compatibility/subjects/{s}/versions would do this in one call
 * on Confluent, but Apicurio 2.4 checks every version there whatever the level.)
 */
export async function registryVerdict(client: RegistryClient, subject: string, schema: SchemaPayload): Promise<SubjectVerdict> {
  const [versions, own] = await Promise.all([client.existingVersions(subject), client.compatibility(subject)]);
  const level = own ?? (await client.compatibility());
  if (versions.length === 0) return { compatible: true, reasons: [], level, against: [] };
  if (!level?.endsWith('_TRANSITIVE')) {
    const latest = versions.at(-1)!;
    return { ...(await client.testCompatibility(subject, schema, latest)), level, against: [latest] };
  }
  const against: number[] = [];
  for (const version of [...versions].reverse()) {
    against.push(version);
    const verdict = await client.testCompatibility(subject, schema, version);
    if (!verdict.compatible) return { ...verdict, level, against };
  }
  return { compatible: true, reasons: [], level, against };
}
