import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkCompatibility, parseSchemaText, registrationForm, type AvroSchema, type CompatibilityLevel } from '../../src/core/schemas/index.js';
import { uniqueName } from '../support/names.js';
import { registerRaw, registryCall } from '../support/schema-registry.js';

/**
 * The evolution table judged twice: by iotmsg's offline checker (which mirrors
 * Confluent) and by the real registry the local runtime starts (Apicurio 2.4.2).
 * For every case the registry is asked the two questions it answers:
 *   - POST /compatibility/subjects/{s}/versions/latest: the candidate against the
 *     latest version only (Confluent does the same, whatever the level), and
 *   - POST /subjects/{s}/versions: registering, which applies the level as it is,
 *     transitive levels included, and adds a version unless the schema is already
 *     one of the subject's (compared as Avro's Schema.toString(), as Confluent does).
 * Where Apicurio does not answer as Confluent would, the case is listed below
 * with the reason from Apicurio's source, and its exact answer is asserted, so
 * this test fails when Apicurio changes.
 */

interface EvolutionCase {
  name: string;
  level: CompatibilityLevel;
  previous: unknown[];
  candidate: unknown;
  compatible: boolean;
}

interface Answer {
  status: number;
  /** is_compatible for the check, error_code for a failure. */
  value: boolean | number | undefined;
}

interface Observed {
  check: Answer;
  register: Answer;
  newVersion: boolean;
}

interface Deviation extends Observed {
  reason: string;
}

const table = JSON.parse(readFileSync(new URL('../fixtures/schemas/evolution.json', import.meta.url), 'utf8')) as EvolutionCase[];

const NONE_DEVIATION: Deviation = {
  reason:
    "Apicurio's ccompat ConfigResourceImpl.updateSubjectCompatibilityLevel stores NONE by deleting the subject's COMPATIBILITY rule, so the global rule (BACKWARD, set by the runtime) applies; GET /config/{subject} then reads NONE",
  check: { status: 200, value: false },
  register: { status: 409, value: 0 },
  newVersion: false,
};

const APICURIO_DEVIATIONS: Record<string, Deviation> = {
  'field-alias-ambiguous': {
    reason:
      "Avro throws on a reader field matching two writer fields; Confluent reports that as an incompatibility (409), Apicurio's AvroCompatibilityChecker turns the AvroRuntimeException into UnprocessableSchemaException (422 \"Could not execute compatibility rule on invalid Avro schema\")",
    check: { status: 422, value: 42201 },
    register: { status: 422, value: 0 },
    newVersion: false,
  },
  'first-version': {
    reason:
      'Confluent answers is_compatible true for "latest" of a subject without versions; Apicurio\'s parseVersionString throws VersionNotFoundException (404, 40402). Registering agrees.',
    check: { status: 404, value: 40402 },
    register: { status: 200, value: undefined },
    newVersion: true,
  },
  'none-anything-goes': NONE_DEVIATION,
  'none-with-history': NONE_DEVIATION,
};

const url = inject('devCluster').schemaRegistryUrl!;
let globalLevel: string;

function parse(json: unknown, validateDefaults: boolean): AvroSchema {
  const { schema, diagnostics } = parseSchemaText(JSON.stringify(json), { validateDefaults });
  if (!schema) throw new Error(`fixture does not parse: ${diagnostics.map((d) => d.message).join('; ')}`);
  return schema.schema;
}

function answer(status: number, body: unknown, ok: (body: Record<string, unknown>) => boolean | undefined): Answer {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  return { status, value: status === 200 ? ok(fields) : (fields.error_code as number | undefined) };
}

/** Registers the previous versions as they are, whatever their compatibility. */
async function registerPrevious(subject: string, previous: unknown[]): Promise<void> {
  if (previous.length === 0) return;
  // Apicurio keeps no NONE per subject (see NONE_DEVIATION): only the global level can let anything in.
  await registryCall(url, 'PUT', '/config', { compatibility: 'NONE' });
  try {
    for (const schema of previous) await registerRaw(url, subject, schema);
  } finally {
    await registryCall(url, 'PUT', '/config', { compatibility: globalLevel });
  }
}

beforeAll(async () => {
  globalLevel = (await registryCall<{ compatibilityLevel: string }>(url, 'GET', '/config')).body.compatibilityLevel;
});

afterAll(async () => {
  await registryCall(url, 'PUT', '/config', { compatibility: globalLevel });
});

describe('the evolution table, offline and in the registry', () => {
  it('has at least 40 cases covering every level', () => {
    expect(table.length).toBeGreaterThanOrEqual(40);
    expect(new Set(table.map((c) => c.level)).size).toBe(7);
    expect(globalLevel).toBe('BACKWARD');
    for (const name of Object.keys(APICURIO_DEVIATIONS)) expect(table.some((c) => c.name === name)).toBe(true);
  });

  it.each(table.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const subject = uniqueName(`evo-${c.name}`);
    const candidate = parse(c.candidate, true);
    const previous = c.previous.map((p) => parse(p, false));
    const offline = checkCompatibility(candidate, previous, c.level).compatible;
    const offlineAgainstLatest = checkCompatibility(candidate, previous.slice(-1), c.level).compatible;
    expect(offline).toBe(c.compatible);

    await registerPrevious(subject, c.previous);
    if (c.previous.length > 0) expect((await registryCall(url, 'PUT', `/config/${subject}`, { compatibility: c.level })).status).toBe(200);
    const schema = { schema: JSON.stringify(c.candidate) };
    const checked = await registryCall(url, 'POST', `/compatibility/subjects/${subject}/versions/latest?verbose=true`, schema);
    const registered = await registryCall(url, 'POST', `/subjects/${subject}/versions`, schema);
    const versions = await registryCall<number[]>(url, 'GET', `/subjects/${subject}/versions`);

    const deviation = APICURIO_DEVIATIONS[c.name];
    const observed: Observed = {
      check: answer(checked.status, checked.body, (b) => b.is_compatible as boolean),
      register: answer(registered.status, registered.body, () => undefined),
      newVersion: versions.body.length > c.previous.length,
    };
    if (deviation) {
      const { reason: _, ...expected } = deviation;
      expect(observed).toEqual(expected);
      if (deviation === NONE_DEVIATION) expect((await registryCall(url, 'GET', `/config/${subject}`)).body).toEqual({ compatibilityLevel: 'NONE' });
    } else {
      const alreadyThere = previous.some((p) => registrationForm(p) === registrationForm(candidate));
      expect(observed).toEqual({
        check: { status: 200, value: offlineAgainstLatest },
        register: offline ? { status: 200, value: undefined } : { status: 409, value: 0 },
        newVersion: offline && !alreadyThere,
      });
    }
  });
});
