import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UnavailableError } from '../../core/errors.js';

export interface MavenArtifact {
  groupId: string;
  artifactId: string;
  version: string;
}

const COMPLETE_MARKER = '.complete';

/**
 * Runs `build` once for `targetDir`: in a scratch directory that is renamed into place when
 * it succeeds, so an interrupted download never leaves a half-filled cache behind.
 */
export async function buildOnce(targetDir: string, build: (scratch: string) => Promise<void>): Promise<void> {
  if (existsSync(join(targetDir, COMPLETE_MARKER))) return;
  const scratch = `${targetDir}.partial-${process.pid}`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  try {
    await build(scratch);
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    throw error;
  }
  await writeFile(join(scratch, COMPLETE_MARKER), new Date().toISOString());
  await rm(targetDir, { recursive: true, force: true });
  await mkdir(dirname(targetDir), { recursive: true });
  await rename(scratch, targetDir);
}

/** Runs Maven in batch mode; a failure becomes one line naming what was being fetched. */
export async function runMaven(cwd: string, args: readonly string[], what: string): Promise<void> {
  const { execa } = await import('execa');
  try {
    await execa('mvn', ['-B', '-q', ...args], { cwd, all: true });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') {
      throw new UnavailableError(`cannot fetch ${what}: "mvn" is not on the PATH`, {
        hint: 'install Maven (apt-get install maven), or point KAFKA_HOME at an unpacked Kafka distribution',
        cause: error,
      });
    }
    throw new UnavailableError(`Maven could not fetch ${what}: ${firstMavenError(error)}`, {
      hint: 'check that Maven Central is reachable (mvn -B dependency:get) and the version exists',
      cause: error,
    });
  }
}

/** Resolves the artifacts with all their runtime dependencies into `<targetDir>/libs`. */
export async function resolveArtifacts(targetDir: string, artifacts: readonly MavenArtifact[]): Promise<string> {
  await buildOnce(targetDir, async (scratch) => {
    await writeFile(join(scratch, 'pom.xml'), pomXml(artifacts));
    const what = artifacts.map((a) => `${a.groupId}:${a.artifactId}:${a.version}`).join(', ');
    await runMaven(scratch, ['dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${join(scratch, 'libs')}`], what);
  });
  return join(targetDir, 'libs');
}

function pomXml(artifacts: readonly MavenArtifact[]): string {
  const dependencies = artifacts.map((a) => `<dependency><groupId>${a.groupId}</groupId><artifactId>${a.artifactId}</artifactId><version>${a.version}</version></dependency>`);
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>iotmsg.local</groupId><artifactId>runtime</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    ${dependencies.join('\n    ')}
  </dependencies>
</project>
`;
}

function firstMavenError(error: unknown): string {
  const output = String((error as { all?: unknown }).all ?? '');
  const line = output
    .split('\n')
    .map((l) => l.replace(/\u001b\[[0-9;]*m/g, '').trim())
    .find((l) => l.startsWith('[ERROR]') && l.length > 8);
  return line?.replace('[ERROR] ', '') ?? 'mvn failed';
}
