import { describe, expect, it } from 'vitest';
import { chunkByCost, isolateFailures } from './admin.js';

describe('chunkByCost', () => {
  it('keeps every request within the controller record budget, in order', () => {
    expect(chunkByCost([4, 4, 4, 1, 9, 12], (n) => n, 10)).toEqual([[4, 4], [4, 1], [9], [12]]);
    expect(chunkByCost([], (n: number) => n, 10)).toEqual([]);
  });
});

describe('isolateFailures', () => {
  const refused = new Set(['b', 'e']);
  const brokerRefusal = Object.assign(new Error('Configuration is invalid'), { type: 'INVALID_CONFIG' });
  const validate = async (batch: readonly { topic: string }[]) => {
    if (batch.some((item) => refused.has(item.topic))) throw brokerRefusal;
  };

  it('pins each refusal of a batch on its topic', async () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f'].map((topic) => ({ topic }));
    expect(await isolateFailures(items, validate)).toEqual([
      { topic: 'b', type: 'INVALID_CONFIG', reason: 'configuration is invalid' },
      { topic: 'e', type: 'INVALID_CONFIG', reason: 'configuration is invalid' },
    ]);
    expect(await isolateFailures([{ topic: 'a' }], validate)).toEqual([]);
  });

  it('passes on failures that are not a broker refusal', async () => {
    const lost = new Error('Connection closed');
    await expect(isolateFailures([{ topic: 'a' }], () => Promise.reject(lost))).rejects.toBe(lost);
  });
});
