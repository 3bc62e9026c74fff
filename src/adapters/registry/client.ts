import type { CompatibilityLevel } from '../../core/schemas/compatibility.js';
import type { RegistrySettings } from '../../core/config/settings.js';
import { answerBody, httpRequest, succeeded, type HttpResponse } from '../http.js';
import { translateRequestFailure, translateRegistryResponse, type RegistryErrorBody, type RegistryFailureContext } from './errors.js';
import { registryTransport, type RegistryTransport } from './transport.js';

/**
 * The schema registry's management API as Confluent defines it (also served by
 * Apicurio's ccompat API and Redpanda). Every call is bounded by --timeout and
 * every failure becomes one IotmsgError (errors.ts).
 */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

export interface SchemaPayload {
  /** The schema text; for Avro a self-contained JSON document. */
  schema: string;
  /** Omitted for Avro, the registry's default. */
  schemaType?: string;
  references?: SchemaReference[];
}

export interface RegisteredSchema {
  subject: string;
  version: number;
  id: number;
  schema: string;
  schemaType: string;
  references: SchemaReference[];
}

export interface RegistryVerdict {
  compatible: boolean;
  /** The registry's reasons, one line each (Confluent's `messages`, Apicurio's `reason`). */
  reasons: string[];
}

export interface RegistryClient {
  readonly url: string;
  subjects(): Promise<string[]>;
  /** Fails when the subject does not exist; soft-deleted versions are included on request. */
  versions(subject: string, includeDeleted?: boolean): Promise<number[]>;
  /** Empty when the subject does not exist. */
  existingVersions(subject: string): Promise<number[]>;
  version(subject: string, version: number | 'latest', includeDeleted?: boolean): Promise<RegisteredSchema>;
  /** The version holding this exact schema, if any: the registry's own idempotence test. */
  lookup(subject: string, schema: SchemaPayload): Promise<RegisteredSchema | undefined>;
  /** `as`: the id and version to register with, honoured only in IMPORT mode (Confluent). */
  register(subject: string, schema: SchemaPayload, as?: { id: number; version: number }): Promise<{ id: number }>;
  /** Sets a subject's mode (e.g. IMPORT, READWRITE); false when the registry has no modes (Apicurio's ccompat API). */
  setMode(mode: 'IMPORT' | 'READWRITE', subject: string): Promise<boolean>;
  /** Checks against one stored version, or the latest, at the subject's level as the registry has it. */
  testCompatibility(subject: string, schema: SchemaPayload, version: number | 'latest'): Promise<RegistryVerdict>;
  /** The subject's own level (undefined: none set), or the global level without a subject. */
  compatibility(subject?: string): Promise<CompatibilityLevel | undefined>;
  setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void>;
  /** Soft delete, or soft then permanent; returns the versions deleted. */
  deleteSubject(subject: string, permanent: boolean): Promise<number[]>;
  deleteVersion(subject: string, version: number, permanent: boolean): Promise<number>;
}

export interface RegistryClientOptions {
  timeoutMs: number;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
  debug?: (line: string) => void;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

interface RegisteredSchemaBody {
  subject: string;
  version: number;
  id: number;
  schema: string;
  schemaType?: string;
  references?: SchemaReference[];
}

interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  /** Statuses answered with undefined instead of an error, e.g. 404 for a lookup or an optional read. */
  tolerate?: readonly number[];
  failure: Omit<RegistryFailureContext, 'url'>;
}

const segment = encodeURIComponent;
const NOT_FOUND = [404];
/** A soft delete of what is already soft-deleted: Confluent 404 (40404/40406), Apicurio 400 ("DISABLED to DISABLED"). */
const ALREADY_SOFT_DELETED = [400, 404];

function payloadBody(schema: SchemaPayload): Record<string, unknown> {
  return {
    schema: schema.schema,
    ...(schema.schemaType && schema.schemaType !== 'AVRO' ? { schemaType: schema.schemaType } : {}),
    ...(schema.references?.length ? { references: schema.references } : {}),
  };
}

function registered(body: RegisteredSchemaBody): RegisteredSchema {
  return {
    subject: body.subject,
    version: body.version,
    id: body.id,
    schema: body.schema,
    schemaType: body.schemaType ?? 'AVRO',
    references: body.references ?? [],
  };
}

class HttpRegistryClient implements RegistryClient {
  readonly url: string;
  private readonly transport: RegistryTransport;

  constructor(
    private readonly settings: RegistrySettings,
    private readonly options: RegistryClientOptions,
  ) {
    this.url = settings.url;
    this.transport = registryTransport(settings);
  }

  private async request<T>(spec: RequestSpec): Promise<T | undefined> {
    const { timeoutMs, signal, debug } = this.options;
    const failure = { url: this.url, ...(this.settings.username === undefined ? {} : { username: this.settings.username }), ...spec.failure };
    const started = Date.now();
    let response: HttpResponse;
    try {
      response = await httpRequest(`${this.url}${spec.path}`, {
        method: spec.method,
        headers: {
          accept: `${CONTENT_TYPE}, application/json`,
          ...(spec.body === undefined ? {} : { 'content-type': CONTENT_TYPE }),
          ...this.transport.headers,
        },
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        ca: this.transport.ca,
        timeoutMs,
        signal,
      });
    } catch (error) {
      throw translateRequestFailure(error, { ...failure, timeoutMs, interrupted: signal?.aborted === true });
    }
    debug?.(`${spec.method} ${this.url}${spec.path} → ${response.status} in ${Date.now() - started}ms`);
    const body = answerBody(response);
    if (succeeded(response)) return body as T;
    if (spec.tolerate?.includes(response.status)) return undefined;
    throw translateRegistryResponse(response.status, typeof body === 'object' && body !== null ? (body as RegistryErrorBody) : { message: response.text }, failure);
  }

  async subjects(): Promise<string[]> {
    return (await this.request<string[]>({ method: 'GET', path: '/subjects', failure: { action: 'list subjects' } })) ?? [];
  }

  async versions(subject: string, includeDeleted = false): Promise<number[]> {
    const path = `/subjects/${segment(subject)}/versions${includeDeleted ? '?deleted=true' : ''}`;
    return (await this.request<number[]>({ method: 'GET', path, failure: { action: 'list versions', subject } })) ?? [];
  }

  async existingVersions(subject: string): Promise<number[]> {
    const path = `/subjects/${segment(subject)}/versions`;
    return (await this.request<number[]>({ method: 'GET', path, tolerate: NOT_FOUND, failure: { action: 'list versions', subject } })) ?? [];
  }

  async version(subject: string, version: number | 'latest', includeDeleted = false): Promise<RegisteredSchema> {
    const path = `/subjects/${segment(subject)}/versions/${version}${includeDeleted ? '?deleted=true' : ''}`;
    const body = await this.request<RegisteredSchemaBody>({ method: 'GET', path, failure: { action: 'get the schema', subject, version } });
    return registered(body!);
  }

  async lookup(subject: string, schema: SchemaPayload): Promise<RegisteredSchema | undefined> {
    const body = await this.request<RegisteredSchemaBody>({
      method: 'POST',
      path: `/subjects/${segment(subject)}`,
      body: payloadBody(schema),
      // Confluent: 40401 no subject, 40403 no such schema; Apicurio: 40401 for both.
      tolerate: NOT_FOUND,
      failure: { action: `look up the schema in ${subject}`, subject },
    });
    return body && registered(body);
  }

  async register(subject: string, schema: SchemaPayload, as?: { id: number; version: number }): Promise<{ id: number }> {
    const path = `/subjects/${segment(subject)}/versions`;
    const body = await this.request<{ id: number }>({ method: 'POST', path, body: { ...payloadBody(schema), ...as }, failure: { action: `register a schema for ${subject}`, subject } });
    return { id: body!.id };
  }

  async setMode(mode: 'IMPORT' | 'READWRITE', subject: string): Promise<boolean> {
    const answer = await this.request<{ mode: string }>({
      method: 'PUT',
      path: `/mode/${segment(subject)}`,
      body: { mode },
      // Apicurio 2.4: 404 "Operation not supported" (or no such resource); a registry without modes may answer 405.
      tolerate: [404, 405],
      failure: { action: `set the mode of ${subject} to ${mode}`, subject },
    });
    return answer !== undefined;
  }

  async testCompatibility(subject: string, schema: SchemaPayload, version: number | 'latest'): Promise<RegistryVerdict> {
    const body = await this.request<{ is_compatible: boolean; messages?: string[]; reason?: string }>({
      method: 'POST',
      path: `/compatibility/subjects/${segment(subject)}/versions/${version}?verbose=true`,
      body: payloadBody(schema),
      // Nothing to compare "latest" with in a new subject; Apicurio answers 404 (40402) there.
      tolerate: version === 'latest' ? NOT_FOUND : [],
      failure: { action: `check compatibility with ${subject}`, subject, version },
    });
    if (!body) return { compatible: true, reasons: [] };
    const reasons = body.messages ?? (body.reason ? [body.reason] : []);
    return { compatible: body.is_compatible, reasons };
  }

  async compatibility(subject?: string): Promise<CompatibilityLevel | undefined> {
    const body = await this.request<{ compatibilityLevel?: CompatibilityLevel; compatibility?: CompatibilityLevel }>({
      method: 'GET',
      path: subject === undefined ? '/config' : `/config/${segment(subject)}`,
      // Confluent: 40408 when the subject has no level of its own (40401 on Apicurio for an unknown subject).
      tolerate: subject === undefined ? [] : NOT_FOUND,
      failure: { action: 'read the compatibility level', ...(subject === undefined ? {} : { subject }) },
    });
    return body?.compatibilityLevel ?? body?.compatibility;
  }

  async setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void> {
    await this.request({
      method: 'PUT',
      path: subject === undefined ? '/config' : `/config/${segment(subject)}`,
      body: { compatibility: level },
      failure: { action: `set the compatibility level of ${subject ?? 'the registry'}`, ...(subject === undefined ? {} : { subject }) },
    });
  }

  async deleteSubject(subject: string, permanent: boolean): Promise<number[]> {
    const path = `/subjects/${segment(subject)}`;
    const failure = { action: `delete subject ${subject}`, subject };
    // Confluent deletes permanently only what is already soft-deleted.
    const soft = await this.request<number[]>({ method: 'DELETE', path, failure, tolerate: permanent ? ALREADY_SOFT_DELETED : [] });
    if (!permanent) return soft ?? [];
    return (await this.request<number[]>({ method: 'DELETE', path: `${path}?permanent=true`, failure })) ?? [];
  }

  async deleteVersion(subject: string, version: number, permanent: boolean): Promise<number> {
    const path = `/subjects/${segment(subject)}/versions/${version}`;
    const failure = { action: `delete version ${version} of ${subject}`, subject, version };
    await this.request<number>({ method: 'DELETE', path, failure, tolerate: permanent ? ALREADY_SOFT_DELETED : [] });
    if (permanent) await this.request<number>({ method: 'DELETE', path: `${path}?permanent=true`, failure });
    return version;
  }
}

export function createRegistryClient(settings: RegistrySettings, options: RegistryClientOptions): RegistryClient {
  return new HttpRegistryClient(settings, options);
}
