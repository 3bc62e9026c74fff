import type { CommandSpec, GroupSpec } from '../../cli/spec.js';

/** `deploy` is a command of its own and the group of down/status/logs. */
export const DEPLOY_GROUPS: readonly GroupSpec[] = [];

export const DEPLOY_COMMANDS: readonly CommandSpec[] = [
  {
    path: ['deploy'],
    summary: 'bring up the dev (1 broker) or prod (3 brokers) cluster with a schema registry',
    options: [
      { flags: '--runtime <runtime>', description: 'where to run it', choices: ['local'], default: 'local' },
      { flags: '--state-dir <dir>', description: 'data, logs and pid files (default: ~/.local/state/iotmsg/<env>)' },
      { flags: '--broker-port <port>', description: 'client port of the first broker (prod: +1, +2 for the others)' },
      { flags: '--controller-port <port>', description: 'controller port of the first node' },
      { flags: '--registry-port <port>', description: 'schema registry HTTP port' },
      { flags: '--kafka-version <version>', description: 'Apache Kafka version to run (default 3.9.1; KAFKA_HOME uses a local distribution)' },
      { flags: '--no-registry', description: 'start Kafka only' },
    ],
    output: true,
    examples: ['iotmsg deploy --env dev', 'iotmsg deploy --env prod --runtime local'],
    load: () => import('./up.js'),
  },
  {
    path: ['deploy', 'down'],
    summary: 'stop the processes of a deployed cluster (data is kept unless --volumes)',
    options: [
      { flags: '--state-dir <dir>', description: 'state directory given to deploy' },
      { flags: '--volumes', description: 'also delete the cluster data' },
    ],
    output: true,
    load: () => import('./down.js'),
  },
  {
    path: ['deploy', 'status'],
    summary: 'show the processes, ports and liveness of a deployed cluster',
    options: [{ flags: '--state-dir <dir>', description: 'state directory given to deploy' }],
    output: true,
    load: () => import('./status.js'),
  },
];
