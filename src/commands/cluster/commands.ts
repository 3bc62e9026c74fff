import type { CommandSpec, GroupSpec } from '../../cli/spec.js';

export const CLUSTER_GROUPS: readonly GroupSpec[] = [];

export const CLUSTER_COMMANDS: readonly CommandSpec[] = [
  {
    path: ['health'],
    summary: 'check the cluster for real: brokers, controller quorum, offline / under-replicated / below-min-ISR partitions, registry, topics (exit 0 healthy, 3 unhealthy, 69 unreachable)',
    options: [
      { flags: '--expect-brokers <count>', description: 'brokers that must be registered (default: from --env dev|prod, 1 or 3)', type: { kind: 'integer', min: 1 } },
      { flags: '--wait [timeout]', description: 'poll until healthy or the timeout (default 120s), e.g. --wait 60s' },
      { flags: '--no-registry', description: 'do not check the schema registry' },
    ],
    output: true,
    examples: ['iotmsg health --env prod', 'iotmsg health -b localhost:19092 --expect-brokers 3 --wait 60s -o json'],
    load: () => import('./health.js'),
  },
];
