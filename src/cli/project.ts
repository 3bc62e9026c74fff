import { dirname, resolve as resolvePath } from 'node:path';
import type { EnvironmentSecurity, RegistrySecurity, SecretRef } from '../core/config/security.js';
import type { ProjectConnection } from '../core/config/settings.js';
import { formatDiagnostic, hasErrors } from '../core/diagnostics.js';
import { InputError } from '../core/errors.js';
import { loadTopicsFile, resolveEnvironment, type Project, type ResolvedEnvironment } from '../core/topics/index.js';

/** topics.yaml, loaded and valid, with the questions commands ask of it. */
export interface LoadedProject {
  file: string;
  project: Project;
  /** The environment used when --env is not given: the first one the file declares. */
  defaultEnvironment: string | undefined;
  connection(envName: string): ProjectConnection;
  environment(envName: string): ResolvedEnvironment;
}

export function loadProject(file: string, text: string): LoadedProject {
  const { project, diagnostics } = loadTopicsFile(text, file);
  if (!project || hasErrors(diagnostics)) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    throw new InputError(first ? formatDiagnostic(first) : `${file} is not a valid project file`, {
      hint: errors.length > 1 ? `${errors.length - 1} more problem(s); run "iotmsg validate" to see them all` : 'run "iotmsg validate" for details',
    });
  }
  const names = Object.keys(project.environments);
  return {
    file,
    project,
    defaultEnvironment: names[0],
    environment: (envName) => resolveEnvironment(project, envName),
    connection(envName) {
      const env = resolveEnvironment(project, envName);
      const definition = project.environments[envName]!;
      const connection: ProjectConnection = { location: `${file} (environments.${envName})`, brokers: env.brokers, schemaRegistry: env.schemaRegistry };
      const relative = (path: string) => resolvePath(dirname(file), path);
      if (definition.security !== undefined) connection.security = securityRelativeTo(definition.security, relative);
      if (definition.registrySecurity !== undefined) connection.registrySecurity = registryRelativeTo(definition.registrySecurity, relative);
      return connection;
    },
  };
}

/** Paths in topics.yaml are relative to the file, wherever iotmsg runs from. */
function securityRelativeTo(security: EnvironmentSecurity, relative: (path: string) => string): EnvironmentSecurity {
  const copy: EnvironmentSecurity = { protocol: security.protocol };
  if (security.sasl) copy.sasl = { ...security.sasl, password: refRelativeTo(security.sasl.password, relative) };
  if (security.tls) {
    const tls = { ...security.tls };
    for (const key of ['caFile', 'certFile', 'keyFile', 'keystoreFile'] as const) {
      if (tls[key] !== undefined) tls[key] = relative(tls[key]);
    }
    if (tls.keystorePassword) tls.keystorePassword = refRelativeTo(tls.keystorePassword, relative);
    copy.tls = tls;
  }
  return copy;
}

function registryRelativeTo(registry: Omit<RegistrySecurity, 'url'>, relative: (path: string) => string): Omit<RegistrySecurity, 'url'> {
  const copy = { ...registry };
  if (copy.caFile !== undefined) copy.caFile = relative(copy.caFile);
  if (copy.password !== undefined) copy.password = refRelativeTo(copy.password, relative);
  return copy;
}

function refRelativeTo(ref: SecretRef, relative: (path: string) => string): SecretRef {
  return 'file' in ref ? { file: relative(ref.file) } : ref;
}
