import { describe, expect, it } from 'vitest';
import { parsePs, takenPort } from './project.js';

describe('parsePs', () => {
  const kafka = {
    Name: 'iotmsg-prod-kafka-1-1',
    Service: 'kafka-1',
    State: 'running',
    Health: 'healthy',
    Publishers: [
      { URL: '0.0.0.0', TargetPort: 9092, PublishedPort: 19092, Protocol: 'tcp' },
      { URL: '::', TargetPort: 9092, PublishedPort: 19092, Protocol: 'tcp' },
      { URL: '', TargetPort: 9093, PublishedPort: 0, Protocol: 'tcp' },
    ],
  };
  const registry = { Name: 'iotmsg-prod-schema-registry-1', Service: 'schema-registry', State: 'exited', Health: '', Publishers: null };
  const expected = [
    { service: 'kafka-1', container: 'iotmsg-prod-kafka-1-1', state: 'running', health: 'healthy', ports: [19092] },
    { service: 'schema-registry', container: 'iotmsg-prod-schema-registry-1', state: 'exited', health: '', ports: [] },
  ];

  it('reads one JSON object per line (Compose 2.21 and later)', () => {
    expect(parsePs(`${JSON.stringify(kafka)}\n${JSON.stringify(registry)}\n`)).toEqual(expected);
  });

  it('reads one JSON array (older Compose v2)', () => {
    expect(parsePs(JSON.stringify([kafka, registry]))).toEqual(expected);
  });

  it('reads no output as no containers', () => {
    expect(parsePs('\n')).toEqual([]);
  });
});

describe('takenPort', () => {
  it('finds the port in the engine messages for a port that is taken', () => {
    expect(takenPort('Error response from daemon: driver failed programming external connectivity on endpoint x (ab12): Bind for 0.0.0.0:19092 failed: port is already allocated')).toBe(19092);
    expect(takenPort('Error response from daemon: ports are not available: exposing port TCP 127.0.0.1:8081 -> 0.0.0.0:0: listen tcp4 127.0.0.1:8081: bind: address already in use')).toBe(8081);
    expect(takenPort('Error response from daemon: pull access denied for apache/kafka')).toBeUndefined();
  });
});
