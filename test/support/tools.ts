import { execa } from 'execa';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The programs the integration suite runs, and the Debian package of each one apt can install. */
export const SUITE_TOOLS: readonly { command: string; debianPackage?: string }[] = [
  { command: 'java' },
  { command: 'mvn', debianPackage: 'maven' },
  { command: 'python3', debianPackage: 'python3-venv' },
  { command: 'openssl', debianPackage: 'openssl' },
  { command: 'kcat', debianPackage: 'kcat' },
  { command: 'haproxy', debianPackage: 'haproxy' },
  { command: 'docker-compose', debianPackage: 'docker-compose' },
  // The shells whose completion scripts are tried for real.
  { command: 'zsh', debianPackage: 'zsh' },
  { command: 'fish', debianPackage: 'fish' },
];

function onPath(command: string, path: string): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export function missingTools(path = process.env.PATH ?? ''): string[] {
  return SUITE_TOOLS.filter((t) => !onPath(t.command, path)).map((t) => t.command);
}

/** The one line that says what is missing and how to install it. */
export function missingToolsMessage(missing: readonly string[]): string {
  const packages = SUITE_TOOLS.filter((t) => missing.includes(t.command)).map((t) => t.debianPackage ?? 'a JDK 17+ (e.g. openjdk-17-jdk-headless)');
  return `the integration tests need ${missing.join(', ')}, not found on PATH; install with: apt-get update && apt-get install -y ${packages.join(' ')}`;
}

/**
 * Makes sure the suite's tools are there before any test runs: as root with apt-get at hand
 * (a CI runner, a fresh container), installs what is missing; otherwise fails at once with
 * one line naming the tools and the command that installs them.
 */
export async function ensureSuiteTools(path = process.env.PATH ?? ''): Promise<void> {
  let missing = missingTools(path);
  if (missing.length === 0) return;
  const installable = SUITE_TOOLS.filter((t) => missing.includes(t.command) && t.debianPackage !== undefined);
  if (process.getuid?.() === 0 && onPath('apt-get', path) && installable.length === missing.length) {
    const env = { ...process.env, PATH: path, DEBIAN_FRONTEND: 'noninteractive' };
    await execa('apt-get', ['update', '-qq'], { env });
    await execa('apt-get', ['install', '-y', '-qq', ...installable.map((t) => t.debianPackage!)], { env });
    missing = missingTools(path);
  }
  if (missing.length > 0) throw new Error(missingToolsMessage(missing));
}
