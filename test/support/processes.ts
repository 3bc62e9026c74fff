import { readdirSync, readFileSync } from 'node:fs';

/** PIDs of processes whose command line carries this state dir's marker (the runtime's JVMs). */
export function processesOf(stateDir: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(`-Diotmsg.state=${stateDir}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}
