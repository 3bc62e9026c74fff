import type { RegistryObservation } from '../../core/cluster/health.js';
import type { RegistrySettings } from '../../core/config/settings.js';
import { IotmsgError } from '../../core/errors.js';
import { authFailure } from './errors.js';
import { httpRequest, succeeded } from '../http.js';
import { socketReason } from '../socketErrors.js';
import { registryTransport } from './transport.js';

/** GET /subjects: the registry is up only if it answers that with a JSON list. */
export async function probeRegistry(registry: RegistrySettings, timeoutMs: number): Promise<RegistryObservation> {
  const url = registry.url;
  try {
    const transport = registryTransport(registry);
    const headers = { accept: 'application/vnd.schemaregistry.v1+json, application/json', ...transport.headers };
    const response = await httpRequest(`${url}/subjects`, { method: 'GET', headers, ca: transport.ca, timeoutMs });
    if (!succeeded(response)) {
      const auth = authFailure(response.status, { url, action: 'list subjects', ...(registry.username === undefined ? {} : { username: registry.username }) });
      return { status: 'failed', url, reason: auth ? auth.message : `GET /subjects answered ${response.status}` };
    }
    const subjects: unknown = JSON.parse(response.text);
    if (!Array.isArray(subjects)) return { status: 'failed', url, reason: 'GET /subjects did not answer with a list: is this a schema registry?' };
    return { status: 'answered', url, subjects: subjects.length };
  } catch (error) {
    if (error instanceof IotmsgError) return { status: 'failed', url, reason: error.message };
    const cause = (error as { cause?: unknown }).cause ?? error;
    const reason = (cause as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000}s` : socketReason(cause);
    return { status: 'failed', url, reason };
  }
}
