/**
 * topics.schema.json (for editors), generated from the same key lists and
 * config catalogue the loader uses; a test keeps the checked-in file equal.
 */
import { ACL_KEYS, CONSUMES_KEYS, OPERATIONS, PATTERN_TYPES, PERMISSIONS, PRINCIPAL, PRINCIPAL_KEYS, RESOURCE_TYPES } from '../access/index.js';
import { configUnit, TOPIC_CONFIGS, type TopicConfigDefinition } from './configCatalog.js';
import {
  BROKER_ADDRESS,
  DEFAULTS_KEYS,
  DLQ_DEFAULTS_KEYS,
  ENVIRONMENT_KEYS,
  FILE_KEYS,
  REGISTRY_KEYS,
  SASL_KEYS,
  SCHEMA_REF_KEYS,
  SECRET_REF_KEYS,
  SECURITY_KEYS,
  TLS_KEYS,
  TOPIC_DLQ_KEYS,
  TOPIC_KEYS,
} from './fileFormat.js';
import { SASL_MECHANISM_NAMES, SECURITY_PROTOCOLS } from '../config/security.js';
import { COMPATIBILITY_LEVELS } from './model.js';
import { DLQ_SUFFIX, LEGAL_TOPIC_NAME, MAX_TOPIC_NAME_LENGTH } from './names.js';
import { UNIT_NAMES } from './units.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonSchema = { [key: string]: JsonValue };

function object<K extends string>(
  keys: readonly K[],
  properties: Record<K, JsonSchema>,
  extra: JsonSchema = {},
): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(keys.map((key) => [key, properties[key]])),
    ...extra,
  };
}

const ref = (name: string): JsonSchema => ({ $ref: `#/definitions/${name}` });
const described = (description: string, schema: JsonSchema): JsonSchema => ({ description, ...schema });

function integerSchema(definition: TopicConfigDefinition): JsonSchema {
  const range: JsonSchema = { type: 'integer' };
  if (definition.min !== undefined) range.minimum = definition.min;
  if (definition.max !== undefined) range.maximum = definition.max;
  const alternatives: JsonSchema[] = [range, { type: 'string', pattern: '^-?\\d+$' }];
  if (definition.alsoAllowed !== undefined) alternatives.push({ enum: [...definition.alsoAllowed] });
  const unit = configUnit(definition);
  if (unit !== undefined) {
    alternatives.push({ type: 'string', pattern: `^\\d+(\\.\\d+)?\\s*(${UNIT_NAMES[unit].join('|')})$` });
  }
  return { anyOf: alternatives };
}

function configSchema(definition: TopicConfigDefinition): JsonSchema {
  const deprecated = definition.deprecated === undefined ? '' : ` Deprecated: ${definition.deprecated}.`;
  const description = `${definition.doc} Kafka default: ${definition.default === '' ? '(none)' : definition.default}.${deprecated}`;
  switch (definition.type) {
    case 'int':
    case 'long':
      return described(description, integerSchema(definition));
    case 'double': {
      const schema: JsonSchema = { type: 'number' };
      if (definition.min !== undefined) schema.minimum = definition.min;
      if (definition.max !== undefined) schema.maximum = definition.max;
      return described(description, schema);
    }
    case 'boolean':
      return described(description, { anyOf: [{ type: 'boolean' }, { enum: ['true', 'false'] }] });
    case 'string':
    case 'class':
      return described(
        description,
        definition.values === undefined ? { type: ['string', 'number'] } : { enum: [...definition.values] },
      );
    case 'list': {
      const item: JsonSchema =
        definition.values !== undefined
          ? { enum: [...definition.values] }
          : { type: 'string', pattern: definition.itemPattern?.source ?? '.*' };
      return described(description, { anyOf: [{ type: 'string' }, { type: 'array', items: item }] });
    }
  }
}

const registryUrl: JsonSchema = described('Schema registry URL.', { type: 'string', pattern: '^https?://' });
// JKS stores are refused by the loader: only the JVM reads them.
const pathString: JsonSchema = { type: 'string', minLength: 1, not: { pattern: '\\.[jJ][kK][sS]$' } };
const positiveInteger: JsonSchema = { type: 'integer', minimum: 1 };
const stringList = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
const topicName: JsonSchema = { type: 'string', pattern: LEGAL_TOPIC_NAME.source, maxLength: MAX_TOPIC_NAME_LENGTH };

export function topicsJsonSchema(): JsonSchema {
  const suffixes = described('DLQ topic suffixes: <topic>.<suffix>.', {
    ...stringList({ type: 'string', pattern: DLQ_SUFFIX.source }),
    minItems: 1,
    uniqueItems: true,
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'iotmsg topics.yaml',
    description: 'Kafka topics as code: defaults, environments and topics (with DLQ siblings).',
    ...object(
      FILE_KEYS,
      {
        defaults: described('Settings every topic starts from; environments and topics override them.', ref('defaults')),
        environments: described('Clusters by name, each overlaying the defaults.', {
          type: 'object',
          additionalProperties: ref('environment'),
        }),
        protectedTopics: described('Topics protected in every environment: never deleted, pruned or truncated, whichever environment is selected.', stringList(topicName)),
        topics: described('The managed topics, in order.', stringList(ref('topic'))),
        access: described('Who may do what: principals (Type:name) with roles and raw ACL entries.', ref('access')),
      },
      { required: ['topics'] },
    ),
    definitions: {
      configs: {
        description: 'Kafka 3.9 topic configs. *.ms accept durations (7d, 12h, 30m, 45s, 500ms, 1w); *.bytes accept sizes (512MiB, 1GB).',
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(TOPIC_CONFIGS.map((definition) => [definition.name, configSchema(definition)])),
      },
      defaults: object(DEFAULTS_KEYS, {
        partitions: positiveInteger,
        replicationFactor: positiveInteger,
        configs: ref('configs'),
        dlq: described(
          'DLQ settings for every topic.',
          object(DLQ_DEFAULTS_KEYS, {
            enabled: described('Give topics without a "dlq" key DLQ siblings.', { type: 'boolean' }),
            suffixes,
            partitions: described('Partitions of each DLQ topic (default: the parent\'s).', positiveInteger),
            configs: ref('configs'),
          }),
        ),
      }),
      environment: object(ENVIRONMENT_KEYS, {
        brokers: described('Bootstrap servers.', { ...stringList({ type: 'string', pattern: BROKER_ADDRESS.source }), minItems: 1 }),
        schemaRegistry: described('Schema registry: its URL, or a mapping with the URL, basic auth and CA.', {
          anyOf: [
            registryUrl,
            object(
              REGISTRY_KEYS,
              {
                url: registryUrl,
                username: described('Basic-auth user.', { type: 'string' }),
                password: ref('secretRef'),
                caFile: described('PEM file of the CAs to trust, relative to this file.', pathString),
              },
              { required: ['url'] },
            ),
          ],
        }),
        security: described('How to connect: protocol, SASL sign-in, TLS.', ref('security')),
        partitions: positiveInteger,
        replicationFactor: positiveInteger,
        configs: ref('configs'),
        protectedTopics: described('Topics this environment protects besides the file\'s own list: never deleted, pruned or truncated.', stringList(topicName)),
        superUsers: described('The brokers\' super.users (Kafka does not report them): a pruning plan never deletes their ACL bindings.', stringList({ type: 'string', pattern: PRINCIPAL.source })),
        access: described('Principals this environment adds to the file\'s access section (false drops one here).', ref('environmentAccess')),
      }),
      secretRef: described('A secret, by reference only: never a literal password.', {
        oneOf: [
          object(SECRET_REF_KEYS.filter((k) => k === 'env'), { env: described('Environment variable holding the secret.', { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }) }, { required: ['env'] }),
          object(SECRET_REF_KEYS.filter((k) => k === 'file'), { file: described('File holding the secret, relative to this file.', pathString) }, { required: ['file'] }),
        ],
      }),
      security: object(
        SECURITY_KEYS,
        {
          protocol: { enum: [...SECURITY_PROTOCOLS] },
          sasl: object(
            SASL_KEYS,
            { mechanism: { enum: [...SASL_MECHANISM_NAMES] }, username: { type: 'string' }, password: ref('secretRef') },
            { required: [...SASL_KEYS] },
          ),
          tls: object(TLS_KEYS, {
            caFile: described('PEM file of the CAs to trust (default: the system CAs).', pathString),
            certFile: described('Client certificate (PEM) for mutual TLS.', pathString),
            keyFile: described('Client private key (PEM) for mutual TLS.', pathString),
            keystoreFile: described('PKCS#12 store with the client certificate and key, instead of certFile/keyFile.', pathString),
            keystorePassword: ref('secretRef'),
            verifyHostname: described("Check that the broker's certificate names the host (default true).", { type: 'boolean' }),
          }),
        },
        { required: ['protocol'] },
      ),
      ...accessDefinitions(),
      schemaRef: {
        anyOf: [
          described('Schema file, relative to the project.', { type: 'string' }),
          object(
            SCHEMA_REF_KEYS,
            {
              schema: described('Schema file, relative to the project.', { type: 'string' }),
              subject: described('Schema registry subject.', { type: 'string' }),
              compatibility: { enum: [...COMPATIBILITY_LEVELS] },
            },
            { anyOf: [{ required: ['schema'] }, { required: ['subject'] }] },
          ),
        ],
      },
      topic: object(
        TOPIC_KEYS,
        {
          name: topicName,
          description: { type: 'string' },
          owner: { type: 'string' },
          partitions: positiveInteger,
          replicationFactor: positiveInteger,
          configs: ref('configs'),
          keySchema: ref('schemaRef'),
          valueSchema: ref('schemaRef'),
          dlq: described('DLQ siblings: true, false, or settings for them.', {
            anyOf: [
              { type: 'boolean' },
              object(TOPIC_DLQ_KEYS, {
                suffixes,
                partitions: positiveInteger,
                replicationFactor: positiveInteger,
                configs: ref('configs'),
              }),
            ],
          }),
        },
        { required: ['name'] },
      ),
    },
  };
}

/** The access section: principals with roles (produces, consumes) and raw ACL entries. */
function accessDefinitions(): Record<string, JsonSchema> {
  const refs = described('Names; "name*" is a prefix, "*" alone every resource.', stringList({ type: 'string', minLength: 1 }));
  const principal = object(PRINCIPAL_KEYS, {
    produces: described('Topics it may write (WRITE; idempotent producers need nothing more since Kafka 2.8).', refs),
    consumes: object(
      CONSUMES_KEYS,
      {
        topics: described('Topics it may read (READ).', refs),
        groups: described('Consumer groups it may use (READ).', refs),
        dlq: described('May also write the DLQ siblings (<topic>.dlq*) of the topics it consumes.', { type: 'boolean' }),
      },
      { required: ['topics'] },
    ),
    acls: described(
      'Raw ACL entries.',
      stringList(
        object(
          ACL_KEYS,
          {
            resource: { enum: [...RESOURCE_TYPES] },
            name: described('Resource name ("*" for all); not for the cluster.', { type: 'string' }),
            pattern: { enum: [...PATTERN_TYPES] },
            operations: { type: 'array', items: { enum: [...OPERATIONS] }, minItems: 1, uniqueItems: true },
            permission: { enum: [...PERMISSIONS] },
            host: { type: 'string' },
          },
          { required: ['resource', 'operations'] },
        ),
      ),
    ),
  });
  const principals = (value: JsonSchema): JsonSchema => ({ type: 'object', propertyNames: { pattern: PRINCIPAL.source }, additionalProperties: value });
  return {
    principal: principal,
    access: principals(ref('principal')),
    environmentAccess: principals({ anyOf: [ref('principal'), { const: false }] }),
  };
}
