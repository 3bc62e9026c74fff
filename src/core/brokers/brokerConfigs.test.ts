import { describe, expect, it } from 'vitest';
import { brokerConfigOf, parseAssignment, planBrokerConfigChange, shownConfigs, type BrokerConfig } from './brokerConfigs.js';

// DescribeConfigs' ConfigSource numbers: 2 DYNAMIC_BROKER_CONFIG, 3 DYNAMIC_DEFAULT_BROKER_CONFIG, 4 STATIC_BROKER_CONFIG, 5 DEFAULT_CONFIG.
const threads = brokerConfigOf({ name: 'log.cleaner.threads', value: '2', source: 2, sensitive: false, readOnly: false, synonyms: [{ value: '2', source: 2 }, { value: '3', source: 3 }, { value: '1', source: 5 }] });
const retention = brokerConfigOf({ name: 'log.retention.ms', value: null, source: 5, sensitive: false, readOnly: false, synonyms: [{ value: null, source: 5 }] });
const password = brokerConfigOf({ name: 'ssl.keystore.password', value: 'hunter2', source: 4, sensitive: true, readOnly: false, synonyms: [{ value: 'hunter2', source: 4 }] });
const configs: BrokerConfig[] = [threads, retention, password];

describe('broker configs', () => {
  it('names the sources as kafka-configs does and drops every sensitive value, synonyms included', () => {
    expect(threads).toMatchObject({ source: 'DYNAMIC_BROKER_CONFIG', synonyms: [{ source: 'DYNAMIC_BROKER_CONFIG' }, { source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' }, { source: 'DEFAULT_CONFIG' }] });
    expect(password).toEqual({ name: 'ssl.keystore.password', value: null, source: 'STATIC_BROKER_CONFIG', sensitive: true, readOnly: false, synonyms: [{ value: null, source: 'STATIC_BROKER_CONFIG' }] });
    expect(JSON.stringify(configs)).not.toContain('hunter2');
  });

  it("shows what is set unless --all, which adds Kafka's defaults", () => {
    expect(shownConfigs(configs, false).map((c) => c.name)).toEqual(['log.cleaner.threads', 'ssl.keystore.password']);
    expect(shownConfigs(configs, true)).toHaveLength(3);
  });

  it('plans current → new at the scope asked for, skipping what is already so', () => {
    const plan = planBrokerConfigChange(configs, 'broker', new Map([['log.cleaner.threads', '2'], ['log.retention.ms', '1000']]), []);
    expect(plan.changes).toEqual([
      { op: 'set', name: 'log.retention.ms', from: null, to: '1000', effective: { value: null, source: 'DEFAULT_CONFIG' }, secret: false },
    ]);
    expect(planBrokerConfigChange(configs, 'broker', new Map(), ['log.cleaner.threads']).changes).toEqual([
      { op: 'delete', name: 'log.cleaner.threads', from: '2', to: null, effective: { value: '2', source: 'DYNAMIC_BROKER_CONFIG' }, secret: false },
    ]);
    expect(() => planBrokerConfigChange(configs, 'broker', new Map([['a', '1']]), ['a'])).toThrow('"a" is both set with --set and removed with --delete');
    const defaults = planBrokerConfigChange(configs, 'cluster-default', new Map([['log.cleaner.threads', '4']]), ['log.retention.ms']);
    expect(defaults.changes).toEqual([
      { op: 'set', name: 'log.cleaner.threads', from: '3', to: '4', effective: { value: '2', source: 'DYNAMIC_BROKER_CONFIG' }, secret: false },
    ]);
    expect(defaults.notSet).toEqual(['log.retention.ms']);
  });

  it('never carries a secret in the plan, known to the broker or only by its name', () => {
    const plan = planBrokerConfigChange(configs, 'broker', new Map([['ssl.keystore.password', 'new'], ['listener.name.x.sasl.jaas.config', 'secret']]), []);
    expect(plan.changes.map((c) => [c.name, c.to, c.secret])).toEqual([
      ['ssl.keystore.password', null, true],
      ['listener.name.x.sasl.jaas.config', null, true],
    ]);
  });

  it('splits --set at the first "="', () => {
    expect(parseAssignment('a.b=x=y')).toEqual({ name: 'a.b', value: 'x=y' });
    expect(() => parseAssignment('=1')).toThrow('is not name=value');
  });
});
