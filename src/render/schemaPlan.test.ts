import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { SchemaPlan } from '../core/schemas/index.js';
import { renderSchemaPlan } from './schemaPlan.js';

const plain = new Chalk({ level: 0 });
const uses = (topic: string) => [{ topic, role: 'value' as const }];

const plan: SchemaPlan = {
  formatVersion: 1,
  strategy: 'topic',
  subjects: [
    { subject: 'a-value', action: 'register', uses: uses('a'), file: 'schemas/a.avsc', levelChange: { from: null, to: 'BACKWARD' } },
    {
      subject: 'b-value',
      action: 'new-version',
      uses: uses('b'),
      file: 'schemas/b.avsc',
      levelChange: undefined,
      latestVersion: 2,
      verdict: { level: 'BACKWARD', compatible: true, against: [2], incompatibilities: [] },
    },
    { subject: 'c-value', action: 'unchanged', uses: uses('c'), file: 'schemas/c.avsc', levelChange: { from: 'BACKWARD', to: 'FULL' }, version: 1, id: 4 },
    { subject: 'd-value', action: 'unchanged', uses: uses('d'), file: 'schemas/d.avsc', levelChange: undefined, version: 3, id: 9 },
    {
      subject: 'e-value',
      action: 'missing',
      uses: uses('e'),
      file: undefined,
      levelChange: undefined,
      blocked: { reason: 'topics.yaml refers to subject "e-value", which the registry does not have', remedy: 'register it' },
    },
  ],
  summary: { register: 1, newVersion: 1, levelChange: 2, unchanged: 1, blocked: 1 },
  appliable: false,
};

describe('renderSchemaPlan', () => {
  it('shows one block per subject and a summary line', () => {
    expect(renderSchemaPlan(plan, plain).split('\n')).toEqual([
      '+ a-value: register from schemas/a.avsc',
      '    compatibility not set → BACKWARD',
      '    for a value',
      '~ b-value: new version after 2 from schemas/b.avsc',
      '    BACKWARD: compatible with version 2',
      '    for b value',
      '~ c-value: schema unchanged',
      '    compatibility BACKWARD → FULL',
      '    for c value',
      '= d-value: unchanged (version 3, id 9)',
      '    for d value',
      '! e-value: missing from the registry',
      '    blocked: topics.yaml refers to subject "e-value", which the registry does not have',
      '    to fix: register it',
      '    for e value',
      '',
      'Schemas: 1 to register, 1 new version(s), 2 level change(s), 1 unchanged, 1 blocked.',
    ]);
  });

  it('says when no topic has a schema', () => {
    expect(renderSchemaPlan({ ...plan, subjects: [] }, plain)).toBe('no schemas: no topic of this environment has keySchema or valueSchema');
  });
});
