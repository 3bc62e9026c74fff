import type { TestProject } from 'vitest/node';
import { startTestCluster, stopTestCluster, type TestCluster } from '../support/cluster.js';
import { ensureSuiteTools } from '../support/tools.js';

declare module 'vitest' {
  export interface ProvidedContext {
    devCluster: TestCluster;
  }
}

/** One dev cluster (1 broker + registry) for the whole integration run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await ensureSuiteTools();
  const cluster = await startTestCluster('dev', true);
  project.provide('devCluster', cluster);
  return () => stopTestCluster(cluster);
}
