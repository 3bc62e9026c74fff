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
      return { location: `${file} (environments.${envName})`, brokers: env.brokers, schemaRegistry: env.schemaRegistry };
    },
  };
}
