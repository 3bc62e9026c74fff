import type { CommandSpec, GroupSpec, OptionSpec } from '../../cli/spec.js';

/** `deploy` is a command of its own and the group of down/status/logs. */
export const DEPLOY_GROUPS: readonly GroupSpec[] = [];

const RUNTIME: OptionSpec = {
  flags: '--runtime <runtime>',
  description: 'docker (compose stack of deploy/), local (JVM processes, no Docker) or auto: Docker when an engine answers',
  choices: ['docker', 'local', 'auto'],
  default: 'auto',
};
const STATE_DIR: OptionSpec = { flags: '--state-dir <dir>', description: 'local runtime: data, logs and pid files (default: ~/.local/state/iotmsg/<env>)' };

export const DEPLOY_COMMANDS: readonly CommandSpec[] = [
  {
    path: ['deploy'],
    summary: 'bring up the dev (1 broker) or prod (3 brokers) cluster with a schema registry',
    options: [
      RUNTIME,
      { flags: '--clean', description: 'first remove what an earlier run of this environment left (Docker: containers and networks of project iotmsg-<env> only)' },
      { flags: '--apply', description: "then create the project's topics (topics apply --yes) and register its schemas" },
      { flags: '--health-check', description: 'check the cluster once it is up; exit 3 when it is unhealthy' },
      { flags: '--wait [timeout]', description: 'once up, wait until healthy or the timeout (default 120s); implies --health-check' },
      STATE_DIR,
      { flags: '--broker-port <port>', description: 'local runtime: client port of the first broker (prod: +1, +2 for the others)', type: { kind: 'integer', min: 1, max: 65535 } },
      { flags: '--controller-port <port>', description: 'local runtime: controller port of the first node', type: { kind: 'integer', min: 1, max: 65535 } },
      { flags: '--registry-port <port>', description: 'local runtime: schema registry HTTP port', type: { kind: 'integer', min: 1, max: 65535 } },
      { flags: '--kafka-version <version>', description: 'local runtime: Apache Kafka version (default 4.4.0, 3.9.x also works; KAFKA_HOME uses a local distribution)' },
      { flags: '--broker-heap <size>', description: 'local runtime: heap of each broker, e.g. 768m or 2g (default 1g; also IOTMSG_BROKER_HEAP)' },
      { flags: '--no-registry', description: 'local runtime: start Kafka only' },
      { flags: '--plaintext', description: 'local runtime: no TLS, SASL or ACLs, even where the profile secures the cluster (prod: SASL_SSL + SCRAM-SHA-512)' },
    ],
    output: true,
    examples: ['iotmsg deploy --env dev', 'iotmsg deploy --env prod --runtime docker --clean --wait 3m', 'iotmsg deploy --env prod --runtime local --health-check'],
    load: () => import('./up.js'),
  },
  {
    path: ['deploy', 'down'],
    summary: 'stop a deployed cluster (data is kept unless --volumes)',
    options: [RUNTIME, STATE_DIR, { flags: '--volumes', description: 'also delete the cluster data' }],
    output: true,
    load: () => import('./down.js'),
  },
  {
    path: ['deploy', 'status'],
    summary: 'show the services, ports and health of a deployed cluster (exit 3 when one is down)',
    options: [RUNTIME, STATE_DIR],
    output: true,
    load: () => import('./status.js'),
  },
  {
    path: ['deploy', 'logs'],
    summary: 'show the logs of a deployed cluster, or of one service (e.g. kafka-2)',
    arguments: '[service]',
    options: [RUNTIME, STATE_DIR, { flags: '--follow', description: 'keep printing new lines until Ctrl-C' }, { flags: '--tail <lines>', description: 'lines to show from the end of each log', default: 100, type: { kind: 'integer', min: 0 } }],
    examples: ['iotmsg deploy logs --env prod kafka-2 --follow'],
    load: () => import('./logs.js'),
  },
];
