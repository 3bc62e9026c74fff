import type { RegistryObservation } from '../../core/cluster/health.js';
import type { RegistrySettings } from '../../core/config/settings.js';
import { httpRequest, succeeded } from '../http.js';
import { socketReason } from '../socketErrors.js';
import { basicAuthorization } from './client.js';

/** GET /subjects: the registry is up only if it answers that with a JSON list. */
export async function probeRegistry(registry: RegistrySettings, timeoutMs: number): Promise<RegistryObservation> {
  const url = registry.url;
  const headers: Record<string, string> = { accept: 'application/vnd.schemaregistry.v1+json, application/json' };
  const authorization = basicAuthorization(registry);
  if (authorization !== undefined) headers.authorization = authorization;
  try {
    const response = await httpRequest(`${url}/subjects`, { method: 'GET', headers, timeoutMs });
    if (!succeeded(response)) {
      const refused = response.status === 401 || response.status === 403 ? ': credentials refused (SCHEMA_REGISTRY_USERNAME / _PASSWORD)' : '';
      return { status: 'failed', url, reason: `GET /subjects answered ${response.status}${refused}` };
    }
    const subjects: unknown = JSON.parse(response.text);
    if (!Array.isArray(subjects)) return { status: 'failed', url, reason: 'GET /subjects did not answer with a list: is this a schema registry?' };
    return { status: 'answered', url, subjects: subjects.length };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause ?? error;
    const reason = (cause as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000}s` : socketReason(cause);
    return { status: 'failed', url, reason };
  }
}
