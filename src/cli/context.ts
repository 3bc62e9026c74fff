import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ClusterAdmin } from '../adapters/kafka/admin.js';
import type { KafkaSession } from '../adapters/kafka/session.js';
import { commandConfigPath, profileName, resolveSettings, selectedEnvName, type ResolvedSettings } from '../core/config/settings.js';
import { InputError, InterruptedError, UsageError } from '../core/errors.js';
import type { Output } from '../render/output.js';
import type { GlobalOptions } from './program.js';
import type { LoadedProject } from './project.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * What a command gets: the output, the resolved settings and lazily opened adapters.
 * Adapters opened here are closed by bin.ts when the command ends, however it ends.
 */
export class CommandContext {
  private cachedProject: Promise<LoadedProject | undefined> | undefined;
  private cachedSettings: Promise<ResolvedSettings> | undefined;
  private cachedEndpointSettings: Promise<ResolvedSettings> | undefined;
  private cachedSession: Promise<KafkaSession> | undefined;
  private readonly closers: (() => Promise<void>)[] = [];
  /** Set by commands that finish their own cleanup when interrupted. */
  handlesInterrupt = false;

  constructor(
    readonly out: Output,
    readonly options: GlobalOptions,
    readonly environment: Env,
    readonly signal: AbortSignal,
    readonly cwd: string = process.cwd(),
  ) {}

  /** --file, else IOTMSG_FILE, else ./topics.yaml. */
  get projectPath(): string {
    return resolve(this.cwd, this.options.file ?? this.environment.IOTMSG_FILE ?? 'topics.yaml');
  }

  /** An explicitly named file must exist; the implicit ./topics.yaml is optional. */
  project(): Promise<LoadedProject | undefined> {
    this.cachedProject ??= (async () => {
      const path = this.projectPath;
      const explicit = this.options.file !== undefined || this.environment.IOTMSG_FILE !== undefined;
      if (!existsSync(path)) {
        if (explicit) throw new InputError(`cannot read ${path}: no such file`, { hint: 'check --file / IOTMSG_FILE' });
        return undefined;
      }
      const { loadProject } = await import('./project.js');
      return loadProject(path, await readFile(path, 'utf8'));
    })();
    return this.cachedProject;
  }

  async requireProject(): Promise<LoadedProject> {
    const project = await this.project();
    if (!project) throw new InputError(`no project file at ${this.projectPath}`, { hint: 'create topics.yaml, or name one with --file' });
    return project;
  }

  settings(): Promise<ResolvedSettings> {
    this.cachedSettings ??= this.resolve(true);
    return this.cachedSettings;
  }

  /**
   * Where to connect, without reading any secret: for `deploy`, which makes the users'
   * passwords itself and connects as the deployment's admin, never as the shell's user.
   */
  endpointSettings(): Promise<ResolvedSettings> {
    this.cachedEndpointSettings ??= this.resolve(false);
    return this.cachedEndpointSettings;
  }

  private resolve(withSecrets: boolean): Promise<ResolvedSettings> {
    return (async () => {
      const project = await this.project();
      const chosen = selectedEnvName(this.options, this.environment);
      const envName = chosen ?? project?.defaultEnvironment;
      const connection = project && envName !== undefined ? project.connection(envName) : undefined;
      const { readCommandConfigFile, readProfile, readSecret } = await import('../adapters/secrets.js');
      const commandConfig = commandConfigPath(this.options.commandConfig, this.environment);
      const profile = profileName(this.options.profile, this.environment);
      const resolved = resolveSettings({
        // The environment's name keeps its own origin (flag or IOTMSG_ENV); only the file's default is filled in here.
        flags: { ...this.options, env: chosen === undefined ? envName : this.options.env },
        environment: this.environment,
        commandConfig: commandConfig === undefined ? undefined : await readCommandConfigFile(resolve(this.cwd, commandConfig), this.cwd),
        profile: profile === undefined ? undefined : await readProfile(profile, this.environment),
        // A profile is a whole cluster: the project's environment adds to it only when named with --env.
        project: profile !== undefined && chosen === undefined ? undefined : connection,
        readSecret: withSecrets ? (ref, what) => readSecret(ref, what, this.environment) : () => '',
      });
      if (chosen === undefined && project && envName !== undefined) {
        resolved.origins.env = { source: 'project', from: `${project.file} (first environment)` };
      }
      return resolved;
    })();
  }

  /** The command's one connection to the cluster, opened on first use. */
  kafka(): Promise<KafkaSession> {
    this.cachedSession ??= (async () => {
      const { settings } = await this.settings();
      const { KafkaSession } = await import('../adapters/kafka/session.js');
      const session = await KafkaSession.open(settings, this.options.verbose ? (m) => this.out.debug(m) : undefined);
      this.closers.push(() => session.close());
      return session;
    })();
    return this.cachedSession;
  }

  async admin(): Promise<ClusterAdmin> {
    const { topicAdmin } = await import('../adapters/kafka/admin.js');
    return topicAdmin(await this.kafka());
  }

  /**
   * Asks before a change. `--yes` answers for CI; without a terminal and without --yes
   * the command refuses rather than hang on a prompt nobody sees.
   */
  async confirm(question: string, yes: boolean): Promise<boolean> {
    if (yes) return true;
    if (!this.out.interactive) {
      throw new UsageError(`refusing to ${question} without confirmation: there is no terminal to ask on`, { hint: 'pass --yes to confirm in scripts and CI' });
    }
    const { default: inquirer } = await import('inquirer');
    try {
      const { ok } = await inquirer.prompt<{ ok: boolean }>([{ type: 'confirm', name: 'ok', message: `Do you want to ${question}?`, default: false }]);
      return ok;
    } catch (error) {
      // Ctrl-C at the prompt reaches inquirer as a key press (the terminal is in raw mode), not as SIGINT.
      if ((error as Error).name === 'ExitPromptError') throw new InterruptedError(`interrupted at the confirmation: did not ${question}`, { cause: error });
      throw error;
    }
  }

  /** A secret typed at the terminal, not echoed; the caller has made sure there is one. */
  async askSecret(question: string): Promise<string> {
    const { default: inquirer } = await import('inquirer');
    try {
      const { secret } = await inquirer.prompt<{ secret: string }>([{ type: 'password', name: 'secret', message: question, mask: '*' }]);
      return secret;
    } catch (error) {
      if ((error as Error).name === 'ExitPromptError') throw new InterruptedError('interrupted at the password prompt: nothing was changed', { cause: error });
      throw error;
    }
  }

  /**
   * A context for a step run on behalf of this command (deploy --apply runs topics apply
   * and schema register): other connection flags, the same project, signal and terminal.
   */
  derive(overrides: Partial<GlobalOptions>, out: Output = this.out): CommandContext {
    const child = new CommandContext(out, { ...this.options, ...overrides }, this.environment, this.signal, this.cwd);
    child.handlesInterrupt = this.handlesInterrupt;
    this.closers.push(() => child.close());
    return child;
  }

  /**
   * For commands that must not stop mid-way (deploy, apply) or want to report on Ctrl-C
   * (tail): the first Ctrl-C aborts the returned signal and waits for the command; a
   * second one exits at once. Other commands exit on the first Ctrl-C.
   */
  interruptSignal(): AbortSignal {
    this.handlesInterrupt = true;
    return this.signal;
  }

  onClose(closer: () => Promise<void>): void {
    this.closers.push(closer);
  }

  /** Closes what the command opened; a client stuck on a dead connection gets one second. */
  async close(): Promise<void> {
    const closing = Promise.allSettled(this.closers.splice(0).map((c) => c()));
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
  }
}
