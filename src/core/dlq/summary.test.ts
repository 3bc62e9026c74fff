import { describe, expect, it } from 'vitest';
import { holdsMessages, summarizeDlqs, type DlqPartition } from './summary.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const part = (partition: number, low: number, high: number, oldestMs?: number, newestMs?: number): DlqPartition => ({ partition, low, high, oldestMs, newestMs });

describe('summarizeDlqs', () => {
  const siblings = [
    { name: 'a.dlq', parent: 'a' },
    { name: 'a.dlq.poison', parent: 'a' },
    { name: 'b.dlq', parent: 'b' },
    { name: 'b.dlq.poison', parent: 'b' },
  ];
  const logs = new Map([
    ['a.dlq', [part(0, 2, 5, T0 + 1000, T0 + 5000), part(1, 0, 0)]],
    ['b.dlq', [part(0, 0, 4, T0, T0 + 3000), part(1, 10, 14, T0 + 2000, T0 + 9000)]],
    ['b.dlq.poison', [part(0, 7, 7)]],
  ]);

  it('counts high watermark minus log start, takes the oldest and newest record over the partitions, sorts by count then name', () => {
    const rows = summarizeDlqs(siblings, logs, new Map());
    expect(rows.map((r) => [r.name, r.messages])).toEqual([
      ['b.dlq', 8],
      ['a.dlq', 3],
      ['b.dlq.poison', 0],
      ['a.dlq.poison', null],
    ]);
    expect(rows[0]).toEqual({
      name: 'b.dlq',
      parent: 'b',
      status: 'present',
      messages: 8,
      partitions: 2,
      oldest: new Date(T0).toISOString(),
      newest: new Date(T0 + 9000).toISOString(),
      groups: [],
    });
    expect(rows[2]).toMatchObject({ oldest: null, newest: null });
    expect(rows[3]).toEqual({ name: 'a.dlq.poison', parent: 'a', status: 'missing', messages: null, partitions: null, oldest: null, newest: null, groups: [] });
  });

  it('gives the lag of the groups with committed offsets on the topic, most first; partitions without a commit add none', () => {
    const committed = new Map([
      ['replayer', new Map([['b.dlq', new Map([[0, 4], [1, 11]])]])],
      ['late', new Map([['b.dlq', new Map([[1, 10]])]])],
      ['auditor', new Map([['b.dlq', new Map([[0, 1]])], ['a.dlq', new Map([[0, 5]])]])],
      ['elsewhere', new Map([['sensor-data', new Map([[0, 1]])]])],
    ]);
    const rows = summarizeDlqs(siblings, logs, committed);
    // replayer: 0 + 3; auditor: 3 on partition 0 and nothing committed on 1. Ties go by name.
    expect(rows.find((r) => r.name === 'b.dlq')!.groups).toEqual([
      { group: 'late', lag: 4 },
      { group: 'auditor', lag: 3 },
      { group: 'replayer', lag: 3 },
    ]);
    expect(rows.find((r) => r.name === 'a.dlq')!.groups).toEqual([{ group: 'auditor', lag: 0 }]);
    expect(rows.find((r) => r.name === 'b.dlq.poison')!.groups).toEqual([]);
  });

  it('says whether any dead-letter topic holds messages; missing and empty ones do not', () => {
    expect(holdsMessages(summarizeDlqs(siblings, logs, new Map()))).toBe(true);
    expect(holdsMessages(summarizeDlqs(siblings, new Map([['b.dlq.poison', [part(0, 7, 7)]]]), new Map()))).toBe(false);
  });
});
