import { afterAll, describe, expect, inject, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { uniqueName } from '../support/names.js';
import { createTopicsDirectly, removeTopicsProjects, topicNames, topicsProject } from '../support/topicsProject.js';

const cluster = inject('devCluster');
const brokers = cluster.bootstrapServers;
const unreachable = '127.0.0.1:9'; // an environment whose brokers are not this cluster's

afterAll(removeTopicsProjects);

/**
 * A project whose first environment (the default) is not this cluster: `dev` points elsewhere,
 * `prod` at this cluster. The file protects `<p>.audit` everywhere, prod also `<p>.billing`.
 */
async function project(p: string, devBrokers: string): Promise<string> {
  return topicsProject(
    [
      `protectedTopics: [${p}.audit]`,
      'environments:',
      '  dev:',
      `    brokers: [${devBrokers}]`,
      '  prod:',
      `    brokers: [${brokers.join(', ')}]`,
      `    protectedTopics: [${p}.billing]`,
      'topics:',
      `  - name: ${p}.audit`,
      `  - name: ${p}.billing`,
      `  - name: ${p}.scratch`,
      '',
    ].join('\n'),
  );
}

async function exists(name: string): Promise<boolean> {
  return (await topicNames(brokers)).includes(name);
}

describe('protected topics, however the environment was chosen', () => {
  it('protects the file-level list in every environment, and an environment adds its own', async () => {
    const p = uniqueName('pt-levels');
    const dir = await project(p, brokers.join(', '));
    await createTopicsDirectly(brokers, [{ topic: `${p}.audit` }, { topic: `${p}.billing` }]);

    for (const env of ['dev', 'prod']) {
      const refused = await iotmsg(['topics', 'delete', `${p}.audit`, '--yes', '-e', env, '-b', brokers.join(',')], { cwd: dir });
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toBe(`error: refusing to delete protected topic "${p}.audit"\nhint: it is listed in protectedTopics in topics.yaml (of the file or of this environment)`);
    }
    const prodOnly = await iotmsg(['topics', 'delete', `${p}.billing`, '--yes', '-e', 'prod'], { cwd: dir });
    expect(prodOnly.exitCode).toBe(1);
    expect(prodOnly.stderr.split('\n')[0]).toBe(`error: refusing to delete protected topic "${p}.billing"`);
    expect(await exists(`${p}.audit`)).toBe(true);
    expect(await exists(`${p}.billing`)).toBe(true);
  });

  it('refuses to delete when KAFKA_BROKERS or -b point at a cluster no environment was named for', async () => {
    const p = uniqueName('pt-unnamed');
    const dir = await project(p, unreachable);
    await createTopicsDirectly(brokers, [{ topic: `${p}.billing` }, { topic: `${p}.scratch` }]);

    // prod protects billing; without --env the file's first environment (dev) would protect nothing.
    const viaVariable = await iotmsg(['topics', 'delete', `${p}.billing`, '--yes'], { cwd: dir, env: { KAFKA_BROKERS: brokers.join(',') } });
    expect(viaVariable.exitCode).toBe(1);
    expect(viaVariable.stderr).toBe(
      'error: refusing to delete: the brokers come from KAFKA_BROKERS, and no environment was named to say which cluster that is\nhint: name it with --env <name> (or IOTMSG_ENV), so that its protected topics apply',
    );
    const viaFlag = await iotmsg(['topics', 'delete', `${p}.scratch`, '--yes', '-b', brokers.join(',')], { cwd: dir });
    expect(viaFlag.exitCode).toBe(1);
    expect(viaFlag.stderr.split('\n')[0]).toMatch(/^error: refusing to delete: the brokers come from --bootstrap-server/);
    const prune = await iotmsg(['topics', 'apply', '--prune', '--yes', '-b', brokers.join(',')], { cwd: dir });
    expect(prune.exitCode).not.toBe(0);
    expect(await exists(`${p}.billing`)).toBe(true);
    expect(await exists(`${p}.scratch`)).toBe(true);

    // Named, the environment's protections apply and the rest may go.
    const namedProd = await iotmsg(['topics', 'delete', `${p}.billing`, '--yes'], { cwd: dir, env: { KAFKA_BROKERS: brokers.join(','), IOTMSG_ENV: 'prod' } });
    expect(namedProd.stderr.split('\n')[0]).toBe(`error: refusing to delete protected topic "${p}.billing"`);
    const namedDev = await iotmsg(['topics', 'delete', `${p}.scratch`, '--yes', '-e', 'dev', '-b', brokers.join(',')], { cwd: dir });
    expect(namedDev.exitCode).toBe(0);
    expect(await exists(`${p}.scratch`)).toBe(false);
    expect(await exists(`${p}.billing`)).toBe(true);
  });
});
