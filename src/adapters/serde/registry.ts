import type { RegistrySettings } from '../../core/config/settings.js';
import { OperationError } from '../../core/errors.js';
import { answerBody, httpRequest, succeeded, type HttpResponse } from '../http.js';
import { authFailure, translateRequestFailure } from '../registry/errors.js';
import { registryTransport, type RegistryTransport } from '../registry/transport.js';

/**
 * The few registry calls serialisation needs, over the Confluent-compatible REST API:
 * a schema by id (reading), a subject's latest version and looking up or registering a
 * schema (writing). Management of subjects is the `schema` commands' business.
 */
export interface RegisteredSchema {
  id: number;
  subject?: string;
  version?: number;
  /** The schema as the registry stores it (JSON text). */
  schema: string;
}

interface RegistryErrorBody {
  error_code?: number;
  message?: string;
}

/** Confluent error codes: subject not found, version not found, schema not found. */
const NOT_FOUND_CODES = new Set([40401, 40402, 40403]);

export class SchemaRegistryLookup {
  private readonly headers: Record<string, string>;
  private readonly transport: RegistryTransport;
  private readonly byId = new Map<number, Promise<string>>();

  constructor(
    private readonly settings: RegistrySettings,
    private readonly timeoutMs: number,
  ) {
    this.transport = registryTransport(settings);
    this.headers = { Accept: 'application/vnd.schemaregistry.v1+json, application/json', ...this.transport.headers };
  }

  get url(): string {
    return this.settings.url;
  }

  /** The schema text of an id; each id is fetched once per run. */
  schemaById(id: number): Promise<string> {
    let cached = this.byId.get(id);
    if (!cached) {
      cached = this.request<{ schema: string }>('GET', `/schemas/ids/${id}`, `read schema id ${id}`).then((r) => r.schema);
      // A failed lookup is not remembered: the next message may find the registry back.
      cached.catch(() => this.byId.delete(id));
      this.byId.set(id, cached);
    }
    return cached;
  }

  async latest(subject: string): Promise<RegisteredSchema> {
    const found = await this.request<{ id: number; version: number; schema: string }>('GET', `/subjects/${encodeURIComponent(subject)}/versions/latest`, `read the latest schema of subject "${subject}"`, {
      notFound: () =>
        new OperationError(`subject "${subject}" has no schema in the registry at ${this.url}`, {
          hint: 'register it with "iotmsg schema register", or pass --schema <file.avsc> to use a local schema',
        }),
    });
    return { id: found.id, subject, version: found.version, schema: found.schema };
  }

  /** The id of a schema under a subject, registering it first when the subject lacks it (as Confluent serialisers do). */
  async lookupOrRegister(subject: string, schema: string): Promise<RegisteredSchema & { registered: boolean }> {
    const path = `/subjects/${encodeURIComponent(subject)}`;
    const body = JSON.stringify({ schema });
    const existing = await this.request<{ id: number; version: number } | undefined>('POST', path, `look up the schema under subject "${subject}"`, { body, notFound: () => undefined });
    if (existing) return { id: existing.id, subject, version: existing.version, schema, registered: false };
    const created = await this.request<{ id: number }>('POST', `${path}/versions`, `register the schema under subject "${subject}"`, { body });
    return { id: created.id, subject, schema, registered: true };
  }

  private failureContext(action: string): { url: string; action: string; username?: string } {
    return { url: this.url, action, ...(this.settings.username === undefined ? {} : { username: this.settings.username }) };
  }

  private async request<T>(method: string, path: string, action: string, options: { body?: string; notFound?: () => T | Error } = {}): Promise<T> {
    let response: HttpResponse;
    try {
      response = await httpRequest(`${this.url}${path}`, {
        method,
        headers: options.body === undefined ? this.headers : { ...this.headers, 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
        body: options.body,
        ca: this.transport.ca,
        timeoutMs: this.timeoutMs,
      });
    } catch (error) {
      throw translateRequestFailure(error, { ...this.failureContext(action), timeoutMs: this.timeoutMs, interrupted: false });
    }
    if (succeeded(response)) return JSON.parse(response.text) as T;
    const body = answerBody(response);
    const failure: RegistryErrorBody = typeof body === 'object' && body !== null ? body : {};
    const auth = authFailure(response.status, this.failureContext(action));
    if (auth) throw auth;
    if (response.status === 404 && options.notFound && (failure.error_code === undefined || NOT_FOUND_CODES.has(failure.error_code))) {
      const answer = options.notFound();
      if (answer instanceof Error) throw answer;
      return answer;
    }
    throw new OperationError(`cannot ${action}: the schema registry answered ${response.status}${failure.message ? `: ${failure.message}` : ''}`);
  }
}
