import { describe, expect, it } from 'vitest';
import { parseSchemaText, type ParsedSchema } from './parse.js';
import { computeSchemaPlan, hasSchemaChanges, versionsToCompare, type ObservedSubject } from './plan.js';
import type { DesiredSubject } from './subjects.js';

function parsed(fields: unknown[]): ParsedSchema {
  const { schema } = parseSchemaText(JSON.stringify({ type: 'record', name: 'R', fields }));
  if (!schema) throw new Error('fixture does not parse');
  return schema;
}

const v1 = parsed([{ name: 'a', type: 'string' }]);
const v2 = parsed([{ name: 'a', type: 'string' }, { name: 'b', type: 'int', default: 0 }]);
const v2NoDefault = parsed([{ name: 'a', type: 'string' }, { name: 'b', type: 'int' }]);

function desired(subject: string, schema: ParsedSchema | undefined, level: DesiredSubject['level'] = 'BACKWARD'): DesiredSubject {
  return { subject, uses: [{ topic: subject, role: 'value' }], file: schema ? `${subject}.avsc` : undefined, schema, level };
}

function observed(partial: Partial<ObservedSubject> = {}): ObservedSubject {
  return { versions: [], level: undefined, registered: undefined, compared: [], ...partial };
}

describe('versionsToCompare', () => {
  it('is the latest version, every version when transitive, none for NONE or a new subject', () => {
    expect(versionsToCompare('BACKWARD', [1, 2, 3])).toEqual([3]);
    expect(versionsToCompare('FULL_TRANSITIVE', [1, 2, 3])).toEqual([1, 2, 3]);
    expect(versionsToCompare('NONE', [1, 2])).toEqual([]);
    expect(versionsToCompare('FORWARD', [])).toEqual([]);
  });
});

describe('computeSchemaPlan', () => {
  it('registers a new subject and sets its level', () => {
    const plan = computeSchemaPlan([desired('s', v1)], new Map([['s', observed()]]), 'topic');
    expect(plan.subjects[0]).toMatchObject({ subject: 's', action: 'register', levelChange: { from: null, to: 'BACKWARD' } });
    expect(plan.summary).toEqual({ register: 1, newVersion: 0, levelChange: 1, unchanged: 0, blocked: 0 });
    expect(hasSchemaChanges(plan)).toBe(true);
  });

  it('leaves a registered schema at the right level alone', () => {
    const plan = computeSchemaPlan([desired('s', v1)], new Map([['s', observed({ versions: [1, 2], level: 'BACKWARD', registered: { version: 1, id: 7 } })]]), 'topic');
    expect(plan.subjects[0]).toEqual({ subject: 's', action: 'unchanged', uses: [{ topic: 's', role: 'value' }], file: 's.avsc', levelChange: undefined, latestVersion: 2, version: 1, id: 7 });
    expect(hasSchemaChanges(plan)).toBe(false);
    expect(plan.summary.unchanged).toBe(1);
  });

  it('changes only the level of a registered schema when the file asks for another', () => {
    const plan = computeSchemaPlan([desired('s', v1, 'FULL')], new Map([['s', observed({ versions: [1], level: 'BACKWARD', registered: { version: 1, id: 7 } })]]), 'topic');
    expect(plan.subjects[0]).toMatchObject({ action: 'unchanged', levelChange: { from: 'BACKWARD', to: 'FULL' } });
    expect(plan.summary).toMatchObject({ levelChange: 1, unchanged: 0 });
  });

  it('adds a compatible version with the offline verdict against the versions the level compares', () => {
    const plan = computeSchemaPlan([desired('s', v2)], new Map([['s', observed({ versions: [1], level: 'BACKWARD', compared: [{ version: 1, schema: v1.schema }] })]]), 'topic');
    expect(plan.subjects[0]).toMatchObject({ action: 'new-version', latestVersion: 1, verdict: { level: 'BACKWARD', compatible: true, against: [1], incompatibilities: [] } });
    expect(plan.appliable).toBe(true);
  });

  it('blocks an incompatible version with the reason and a remedy', () => {
    const plan = computeSchemaPlan([desired('s', v2NoDefault)], new Map([['s', observed({ versions: [1], level: 'BACKWARD', compared: [{ version: 1, schema: v1.schema }] })]]), 'topic');
    const change = plan.subjects[0]!;
    expect(change.action).toBe('new-version');
    expect(change.blocked?.reason).toBe("BACKWARD refuses it against version 1: The field 'b' at path '/fields/1' in the new schema has no default value and is missing in the old schema");
    expect(plan.appliable).toBe(false);
    expect(plan.summary.blocked).toBe(1);
  });

  it('blocks a subject topics.yaml names without a file when the registry lacks it', () => {
    const plan = computeSchemaPlan([desired('ext', undefined, undefined)], new Map([['ext', observed()]]), 'topic');
    expect(plan.subjects[0]).toMatchObject({ action: 'missing', blocked: { reason: 'topics.yaml refers to subject "ext", which the registry does not have' } });
    expect(hasSchemaChanges(plan)).toBe(true);
    const present = computeSchemaPlan([desired('ext', undefined, undefined)], new Map([['ext', observed({ versions: [3] })]]), 'topic');
    expect(present.subjects[0]).toMatchObject({ action: 'unchanged', latestVersion: 3 });
  });
});
