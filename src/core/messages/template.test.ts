import { describe, expect, it } from 'vitest';
import { compileTemplate, type TemplateRecord } from './template.js';

const record: TemplateRecord = {
  topic: 'sensor-data',
  partition: 3,
  offset: '42',
  timestampMs: 1714564800000,
  key: 'sensor-0001',
  value: '{"value":21.5}',
  headers: [
    ['source', 'gw-7'],
    ['trace', 'abc'],
  ],
  keySize: 11,
  valueSize: 14,
};

describe('compileTemplate', () => {
  it('fills the kcat fields', () => {
    expect(compileTemplate('%k %v %p %o')(record)).toBe('sensor-0001 {"value":21.5} 3 42');
    expect(compileTemplate('%t/%p@%o %T %h')(record)).toBe('sensor-data/3@42 1714564800000 source=gw-7,trace=abc');
    expect(compileTemplate('%s (%S bytes), key %K bytes')(record)).toBe('{"value":21.5} (14 bytes), key 11 bytes');
  });

  it('reads escapes and a literal percent sign', () => {
    expect(compileTemplate('%k\\t%p\\n')(record)).toBe('sensor-0001\t3\n');
    expect(compileTemplate('100%% %x %')(record)).toBe('100% %x %');
  });

  it('prints nothing for a missing key or value', () => {
    expect(compileTemplate('[%k][%v]')({ ...record, key: null, value: null })).toBe('[][]');
  });
});
