import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUITE_TOOLS, ensureSuiteTools, missingTools, missingToolsMessage } from '../support/tools.js';

/** A PATH holding executables of the given names only (empty scripts: only their presence counts). */
function pathWith(commands: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'iotmsg-tools-'));
  for (const command of commands) {
    writeFileSync(join(dir, command), '#!/bin/sh\n');
    chmodSync(join(dir, command), 0o755);
  }
  return dir;
}

describe('the tools the integration suite needs', () => {
  it('are all on the PATH of this run (the suite installed or found them)', () => {
    expect(missingTools()).toEqual([]);
  });

  it('names exactly the missing ones, and the apt-get line that installs them', () => {
    const path = pathWith(SUITE_TOOLS.map((t) => t.command).filter((c) => c !== 'kcat' && c !== 'haproxy'));
    expect(missingTools(path)).toEqual(['kcat', 'haproxy']);
    expect(missingToolsMessage(['kcat', 'haproxy'])).toBe(
      'the integration tests need kcat, haproxy, not found on PATH; install with: apt-get update && apt-get install -y kcat haproxy',
    );
  });

  it('fails at once with that one line when it cannot install (no apt-get on the PATH)', async () => {
    const path = pathWith(['java', 'mvn', 'python3', 'openssl', 'haproxy', 'docker-compose', 'zsh', 'fish']);
    await expect(ensureSuiteTools(path)).rejects.toThrow(/^the integration tests need kcat, not found on PATH; install with: apt-get update && apt-get install -y kcat$/);
  });
});
