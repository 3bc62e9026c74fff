import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTopicsFile } from '../topics/load.js';
import type { Project } from '../topics/model.js';
import { declaredAccess, describeBinding, foldAccess, type AclBinding } from './index.js';

const topics = `
defaults:
  dlq:
    enabled: false
environments:
  dev:
    brokers: [localhost:9092]
  prod:
    brokers: [localhost:19092]
topics:
  - name: sensor-data
    dlq: true
  - name: device-events
  - name: telemetry.raw
  - name: audit-logs
`;

function load(access: string, environments = ''): { project: Project | undefined; problems: string[] } {
  const text = `${topics}${access}`.replace('  prod:\n    brokers: [localhost:19092]\n', `  prod:\n    brokers: [localhost:19092]\n${environments}`);
  const { project, diagnostics } = loadTopicsFile(text, 'topics.yaml');
  return { project, problems: diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}${d.hint ? ` (${d.hint})` : ''}`) };
}

function bindings(access: string, env?: string, environments = ''): string[] {
  const { project, problems } = load(access, environments);
  expect(problems).toEqual([]);
  if (project === undefined) throw new Error('no project');
  return declaredAccess(project, env).map((b) => `${describeBinding(b)} [${b.origin}]`);
}

describe('the access section: roles expand to the smallest ACL set', () => {
  it('produces is WRITE on the topic (DESCRIBE is implied; idempotence needs no cluster right since Kafka 2.8)', () => {
    expect(bindings(`access:\n  User:gw:\n    produces: [sensor-data, telemetry.*]\n`)).toEqual([
      'ALLOW User:gw WRITE topic sensor-data [produces sensor-data]',
      'ALLOW User:gw WRITE topic prefix telemetry. [produces telemetry.*]',
    ]);
  });

  it('consumes is READ on topics and groups, dlq adds WRITE on the <topic>.dlq prefix', () => {
    const access = `access:\n  User:in:\n    consumes:\n      topics: [sensor-data]\n      groups: [ingest, ingest-*]\n      dlq: true\n`;
    expect(bindings(access)).toEqual([
      'ALLOW User:in READ topic sensor-data [consumes sensor-data]',
      'ALLOW User:in READ group ingest [consumes in group ingest]',
      'ALLOW User:in READ group prefix ingest- [consumes in group ingest-*]',
      'ALLOW User:in WRITE topic prefix sensor-data.dlq [writes the dlq of sensor-data]',
    ]);
  });

  it('raw entries give one binding per operation, with pattern, permission and host', () => {
    const access = `access:\n  User:ops:\n    acls:\n      - resource: cluster\n        operations: [describe, describe-configs]\n      - resource: transactional-id\n        name: tx-\n        pattern: prefixed\n        operations: [WRITE]\n        permission: deny\n        host: 10.0.0.1\n`;
    expect(bindings(access)).toEqual([
      'ALLOW User:ops DESCRIBE cluster [acl #1]',
      'ALLOW User:ops DESCRIBE_CONFIGS cluster [acl #1]',
      'DENY User:ops WRITE transactional-id prefix tx- from 10.0.0.1 [acl #2]',
    ]);
  });

  it('environments add to a principal, add principals and drop them', () => {
    const access = `access:\n  User:gw:\n    produces: [sensor-data]\n  User:ops:\n    consumes:\n      topics: ['*']\n`;
    const env = `    access:\n      User:gw:\n        produces: [device-events]\n      User:ops: false\n      User:backup:\n        consumes:\n          topics: ['*']\n`;
    expect(bindings(access, 'prod', env)).toEqual([
      'ALLOW User:gw WRITE topic sensor-data [produces sensor-data]',
      'ALLOW User:gw WRITE topic device-events [produces device-events]',
      'ALLOW User:backup READ topic * [consumes *]',
    ]);
    expect(bindings(access, 'dev', env)).toHaveLength(2);
  });

  it("the repository's topics.yaml declares the platform's services", () => {
    const file = fileURLToPath(new URL('../../../topics.yaml', import.meta.url));
    const { project, diagnostics } = loadTopicsFile(readFileSync(file, 'utf8'), 'topics.yaml');
    expect(diagnostics).toEqual([]);
    const declared = declaredAccess(project as Project, 'prod').map(describeBinding);
    expect(declared).toEqual(
      expect.arrayContaining([
        'ALLOW User:sensor-gateway WRITE topic sensor-data',
        'ALLOW User:sensor-gateway WRITE topic device-events',
        'ALLOW User:data-ingestion READ topic sensor-data',
        'ALLOW User:data-ingestion READ group data-ingestion-group',
        'ALLOW User:data-ingestion WRITE topic prefix sensor-data.dlq',
        'ALLOW User:ops READ topic *',
      ]),
    );
  });
});

describe('validation of the access section, with file:line:col', () => {
  it('refuses a principal without a type', () => {
    expect(load(`access:\n  sensor-gateway:\n    produces: [sensor-data]\n`).problems).toEqual([
      '17:3 error invalid-principal: principal "sensor-gateway" must be of the form Type:name (e.g. "User:sensor-gateway")',
    ]);
  });

  it('names unknown topics and prefixes that match nothing, with a did-you-mean', () => {
    expect(load(`access:\n  User:gw:\n    produces: [sensr-data, telemtry.*, '*']\n`).problems).toEqual([
      '18:16 error unknown-topic: User:gw produces unknown topic "sensr-data" (did you mean "sensor-data"?)',
      '18:28 error unmatched-prefix: User:gw produces "telemtry.*", a prefix that matches no declared topic (did you mean "telemetry.*"?)',
    ]);
  });

  it('refuses an operation the resource type does not have, and unknown ones', () => {
    const access = `access:\n  User:a:\n    acls:\n      - resource: group\n        name: g\n        operations: [WRITE, REED]\n`;
    expect(load(access).problems).toEqual([
      '21:22 error invalid-operation: operation WRITE does not exist for group resources (acl #1 of principal "User:a") (group operations: ALL, READ, DESCRIBE, DELETE)',
      '21:29 error invalid-operation: unknown operation "REED" in acl #1 of principal "User:a" (did you mean "READ"?)',
    ]);
  });

  it('reports a deny that cancels an allow, and duplicates', () => {
    const access = `access:\n  User:a:\n    produces: [sensor-data]\n    acls:\n      - resource: topic\n        name: sensor-data\n        operations: [WRITE]\n      - resource: topic\n        name: sensor\n        pattern: prefixed\n        operations: [ALL]\n        permission: deny\n`;
    expect(load(access).problems).toEqual([
      '22:22 error duplicate-acl: duplicate ACL: ALLOW User:a WRITE topic sensor-data (acl #1) is already granted by produces sensor-data at line 18',
      '26:22 error deny-shadows-allow: DENY User:a ALL topic prefix sensor cancels ALLOW User:a WRITE topic sensor-data (produces sensor-data, line 18) (Kafka lets a deny win over any allow: drop one of them)',
    ]);
  });

  it('a deny on one topic beside an allow on all of them is fine', () => {
    const access = `access:\n  User:ops:\n    consumes:\n      topics: ['*']\n    acls:\n      - resource: topic\n        name: audit-logs\n        operations: [READ]\n        permission: deny\n`;
    expect(load(access).problems).toEqual([]);
  });

  it('dlq writes need named topics', () => {
    expect(load(`access:\n  User:a:\n    consumes:\n      topics: [telemetry.*]\n      dlq: true\n`).problems).toEqual([
      '19:16 error dlq-needs-topic: "dlq: true" of User:a needs named topics, "telemetry.*" is a prefix (name the topics whose DLQs it writes, or grant WRITE with an acl entry)',
    ]);
  });
});

describe('export folds bindings back into roles', () => {
  const names = ['sensor-data', 'sensor-data.dlq', 'sensor-data.dlq.poison', 'device-events', 'telemetry.raw'];
  const allow = (principal: string, resourceType: AclBinding['resourceType'], resourceName: string, operation: AclBinding['operation'], patternType: AclBinding['patternType'] = 'literal'): AclBinding => ({
    principal,
    host: '*',
    permission: 'allow',
    resourceType,
    resourceName,
    patternType,
    operation,
  });

  it('matches roles exactly and keeps the rest raw', () => {
    const observed = [
      allow('User:in', 'topic', 'sensor-data', 'READ'),
      allow('User:in', 'group', 'ingest', 'READ'),
      allow('User:in', 'topic', 'sensor-data.dlq', 'WRITE', 'prefixed'),
      allow('User:gw', 'topic', 'telemetry.', 'WRITE', 'prefixed'),
      allow('User:gw', 'topic', 'gone', 'WRITE'),
      allow('User:gw', 'cluster', 'kafka-cluster', 'DESCRIBE'),
      { ...allow('User:gw', 'topic', 'sensor-data', 'WRITE'), permission: 'deny' as const },
    ];
    expect(foldAccess(observed, names)).toEqual({
      'User:gw': {
        produces: ['telemetry.*'],
        acls: [
          { resource: 'cluster', operations: ['DESCRIBE'] },
          { resource: 'topic', name: 'gone', operations: ['WRITE'] },
          { resource: 'topic', name: 'sensor-data', operations: ['WRITE'], permission: 'deny' },
        ],
      },
      'User:in': { consumes: { topics: ['sensor-data'], groups: ['ingest'], dlq: true } },
    });
  });
});
