/**
 * Every failure a user can cause or meet is an IotmsgError: one line of message,
 * an optional hint, and an exit code from the documented table (README "Exit codes").
 * Anything else reaching bin.ts is a bug (exit 70).
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  /** `--detailed-exitcode`: the plan has changes. */
  changes: 2,
  /** A check found something wrong: the cluster is unhealthy (`health`), a dead-letter topic holds messages (`dlq list --fail-if-not-empty`). */
  unhealthy: 3,
  /** The same code as `unhealthy`: both are "the check failed" for a CI or cron job. */
  notEmpty: 3,
  incompatible: 4,
  usage: 64,
  input: 65,
  unavailable: 69,
  internal: 70,
  /** stdout could not be written: a full disk, a closed stdout. */
  output: 74,
  auth: 77,
  config: 78,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorDetails {
  hint?: string;
  cause?: unknown;
}

/** The exit code is a property of the class, so each kind of failure always exits the same way. */
export class IotmsgError extends Error {
  static readonly exitCode: ExitCodeValue = ExitCode.failed;
  readonly hint: string | undefined;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.hint = details.hint;
  }

  get exitCode(): ExitCodeValue {
    return (this.constructor as typeof IotmsgError).exitCode;
  }
}

/** A wrong flag or argument, or a prompt needed where there is no terminal. */
export class UsageError extends IotmsgError {
  static override readonly exitCode = ExitCode.usage;
}

/** An unreadable or invalid input file (topics.yaml, .avsc, plan file). */
export class InputError extends IotmsgError {
  static override readonly exitCode = ExitCode.input;
}

/** Broker, registry, Docker engine or a local process cannot be reached or started. */
export class UnavailableError extends IotmsgError {
  static override readonly exitCode = ExitCode.unavailable;
}

/** Credentials were refused (SASL, registry 401/403). */
export class AuthError extends IotmsgError {
  static override readonly exitCode = ExitCode.auth;
}

/** Settings that cannot work together (unknown environment, bad env var). */
export class ConfigError extends IotmsgError {
  static override readonly exitCode = ExitCode.config;
}

/** The request reached the cluster or registry and was refused or failed there. */
export class OperationError extends IotmsgError {
  static override readonly exitCode = ExitCode.failed;
}

/** A schema change the subject's compatibility level does not allow. */
export class IncompatibleSchemaError extends IotmsgError {
  static override readonly exitCode = ExitCode.incompatible;
}

/** The user pressed Ctrl-C or the process got SIGTERM. */
export class InterruptedError extends IotmsgError {
  static override readonly exitCode = ExitCode.interrupted;
}
