/**
 * .avsc files → parsed schemas and diagnostics. Pure: takes file texts.
 *
 * Named types may be defined in one file and used by name in another. Every
 * file is read in three passes: declare the named types of all files (so a
 * reference resolves whatever the file order), build each file's schema, then
 * check defaults (which need the referenced records complete).
 */
import type { Diagnostic } from '../diagnostics.js';
import { checkFieldDefault } from './defaults.js';
import { jsonKindName, LineIndex, memberValue, parseJson, type JsonArray, type JsonNode, type JsonObject } from './json.js';
import { readLogicalType, type UnderlyingType } from './logical-types.js';
import {
  branchName,
  isPrimitiveType,
  type AvroName,
  type AvroSchema,
  type DefinitionSite,
  type EnumSchema,
  type FieldOrder,
  type FixedSchema,
  type LogicalType,
  type NamedSchema,
  type RecordField,
  type RecordSchema,
  type SchemaProps,
  type UnionSchema,
} from './model.js';
import { checkFullName, checkSimpleName, makeName, referenceCandidates, type NameProblem } from './names.js';
import { canonicalForm, fingerprint64, registrationForm } from './serialize.js';

export interface SchemaFile {
  path: string;
  text: string;
}

export interface SchemaDiagnostic extends Diagnostic {
  /** Where in the file's JSON, e.g. "$.fields[2].type"; "$" for the whole document. */
  jsonPath: string;
}

export interface CrossFileReference {
  fullName: string;
  definedIn: string;
}

export interface ParsedSchema {
  path: string;
  schema: AvroSchema;
  /** Full names of the named types this file defines. */
  defines: string[];
  /** Named types this file uses that other files define. */
  references: CrossFileReference[];
  /** Parsing Canonical Form. */
  canonicalForm: string;
  /** CRC-64-AVRO fingerprint of the canonical form, 16 hex digits. */
  fingerprint: string;
  /** Self-contained JSON for a registry without references: named types inlined at first use. */
  registrationForm: string;
}

export interface ParseOptions {
  /**
   * Check field defaults (default true). The schema registry checks them for a
   * new schema but not for the versions it already stores.
   */
  validateDefaults?: boolean;
}

export interface SchemaFilesResult {
  /** One entry per file that has no errors and whose dependencies have none. */
  schemas: Map<string, ParsedSchema>;
  /** Which file defines each named type. */
  definitions: Map<string, DefinitionSite>;
  diagnostics: SchemaDiagnostic[];
}

/** Attributes Avro gives meaning to; all others become schema properties. */
const SCHEMA_RESERVED = new Set(['doc', 'fields', 'items', 'name', 'namespace', 'size', 'symbols', 'values', 'type', 'aliases']);
const ENUM_RESERVED = new Set([...SCHEMA_RESERVED, 'default']);
const FIELD_RESERVED = new Set(['default', 'doc', 'name', 'order', 'type', 'aliases']);
const FIELD_ORDERS: readonly FieldOrder[] = ['ascending', 'descending', 'ignore'];
const NAMED_TYPE_KEYWORDS = new Set(['record', 'error', 'enum', 'fixed']);

interface Definition {
  schema: NamedSchema;
  file: FileState;
  offset: number;
}

interface FileState {
  source: SchemaFile;
  lines: LineIndex;
  root: JsonNode | undefined;
  schema: AvroSchema | undefined;
  defines: string[];
  references: Map<string, CrossFileReference & { offset: number; jsonPath: string }>;
  hasErrors: boolean;
}

interface PendingDefault {
  file: FileState;
  field: RecordField;
  value: JsonNode;
  jsonPath: string;
}

class SchemaFileParser {
  readonly diagnostics: SchemaDiagnostic[] = [];
  readonly definitions = new Map<string, Definition>();
  /** The named type each definition object declares, filled by the declare pass. */
  private readonly declared = new Map<JsonObject, NamedSchema>();
  private readonly pendingDefaults: PendingDefault[] = [];
  readonly files: FileState[];

  constructor(
    sources: readonly SchemaFile[],
    private readonly options: Required<ParseOptions>,
  ) {
    this.files = sources.map((source) => ({
      source,
      lines: new LineIndex(source.text),
      root: undefined,
      schema: undefined,
      defines: [],
      references: new Map(),
      hasErrors: false,
    }));
  }

  run(): void {
    for (const file of this.files) this.readJson(file);
    for (const file of this.files) if (file.root) this.declare(file, file.root, undefined, '$');
    for (const file of this.files) if (file.root) file.schema = this.build(file, file.root, undefined, '$');
    if (this.options.validateDefaults) for (const pending of this.pendingDefaults) this.checkDefault(pending);
  }

  report(
    file: FileState,
    severity: Diagnostic['severity'],
    code: string,
    jsonPath: string,
    offset: number,
    message: string,
    hint?: string,
  ): void {
    const { line, column } = file.lines.position(offset);
    if (severity === 'error') file.hasErrors = true;
    this.diagnostics.push({
      severity,
      file: file.source.path,
      line,
      column,
      message: `${jsonPath}: ${message}`,
      code,
      jsonPath,
      ...(hint === undefined ? {} : { hint }),
    });
  }

  private error(file: FileState, code: string, jsonPath: string, node: JsonNode, message: string, hint?: string): void {
    this.report(file, 'error', code, jsonPath, node.offset, message, hint);
  }

  private readJson(file: FileState): void {
    const result = parseJson(file.source.text);
    if (result.ok) {
      file.root = result.value;
      return;
    }
    this.report(file, 'error', 'invalid-json', '$', result.error.offset, `invalid JSON: ${result.error.message}`);
  }

  // ---- pass 1: named type declarations ------------------------------------------------------

  private declare(file: FileState, node: JsonNode, namespace: string | undefined, path: string): void {
    if (node.kind === 'array') {
      node.items.forEach((item, i) => this.declare(file, item, namespace, `${path}[${i}]`));
      return;
    }
    if (node.kind !== 'object') return;
    const type = memberValue(node, 'type');
    if (type?.kind !== 'string') return;
    if (type.value === 'array' || type.value === 'map') {
      const inner = memberValue(node, type.value === 'array' ? 'items' : 'values');
      if (inner) this.declare(file, inner, namespace, `${path}.${type.value === 'array' ? 'items' : 'values'}`);
      return;
    }
    const nameNode = memberValue(node, 'name');
    if (!NAMED_TYPE_KEYWORDS.has(type.value) || nameNode?.kind !== 'string') return;
    const namespaceNode = memberValue(node, 'namespace');
    const name = makeName(nameNode.value, namespaceNode?.kind === 'string' ? namespaceNode.value : namespace);
    const schema = this.shell(type.value, name, { file: file.source.path, jsonPath: path });
    this.declared.set(node, schema);
    const existing = this.definitions.get(name.fullName);
    if (existing) {
      const where = `${existing.file === file ? '' : `${existing.file.source.path} `}at ${existing.schema.definedAt.jsonPath}`;
      this.error(file, 'duplicate-name', `${path}.name`, nameNode, `"${name.fullName}" is already defined in ${where}`, 'define each named type once and refer to it by name');
    } else {
      this.definitions.set(name.fullName, { schema, file, offset: node.offset });
      file.defines.push(name.fullName);
    }
    const fields = memberValue(node, 'fields');
    if (type.value !== 'record' && type.value !== 'error') return;
    if (fields?.kind !== 'array') return;
    fields.items.forEach((field, i) => {
      const fieldType = field.kind === 'object' ? memberValue(field, 'type') : undefined;
      if (fieldType) this.declare(file, fieldType, name.namespace, `${path}.fields[${i}].type`);
    });
  }

  private shell(keyword: string, name: AvroName, definedAt: DefinitionSite): NamedSchema {
    const common = { name, aliases: [], doc: undefined, definedAt, props: new Map(), logicalType: undefined };
    if (keyword === 'enum') return { ...common, type: 'enum', symbols: [], default: undefined };
    if (keyword === 'fixed') return { ...common, type: 'fixed', size: 0 };
    return { ...common, type: 'record', isError: keyword === 'error', fields: [] };
  }

  // ---- pass 2: building ---------------------------------------------------------------------

  private build(file: FileState, node: JsonNode, namespace: string | undefined, path: string): AvroSchema | undefined {
    switch (node.kind) {
      case 'string':
        return this.resolve(file, node.value, node, namespace, path);
      case 'array':
        return this.buildUnion(file, node, namespace, path);
      case 'object':
        return this.buildObject(file, node, namespace, path);
      default:
        this.error(file, 'invalid-schema', path, node, `expected a schema (a type name, an object or a union array), got ${jsonKindName(node)}`);
        return undefined;
    }
  }

  private resolve(file: FileState, written: string, node: JsonNode, namespace: string | undefined, path: string): AvroSchema | undefined {
    if (isPrimitiveType(written)) return { type: written, props: new Map(), logicalType: undefined };
    const candidates = referenceCandidates(written, namespace);
    const definition = candidates.map((name) => this.definitions.get(name)).find((d) => d !== undefined);
    if (!definition) {
      const looked = candidates.map((c) => `"${c}"`).join(' or ');
      this.error(file, 'undefined-name', path, node, `unknown type "${written}": no schema file defines ${looked}`);
      return undefined;
    }
    const { name: { fullName }, definedAt } = definition.schema;
    if (definition.file !== file) {
      if (!file.references.has(fullName)) {
        file.references.set(fullName, { fullName, definedIn: definedAt.file, offset: node.offset, jsonPath: path });
      }
    } else if (definition.offset > node.offset) {
      // Avro Java 1.11 (and the registries built on it) cannot resolve such a name.
      this.error(file, 'forward-reference', path, node, `"${fullName}" is used before its definition at ${definedAt.jsonPath}`, 'define the type where it is first used; Avro Java before 1.12 rejects this');
    }
    return definition.schema;
  }

  private checkDuplicateKeys(file: FileState, node: JsonObject, path: string): void {
    const seen = new Set<string>();
    for (const member of node.members) {
      if (seen.has(member.key)) {
        this.report(file, 'warning', 'duplicate-key', `${path}.${member.key}`, member.keyOffset, `duplicate key "${member.key}": Avro uses the last one`);
      }
      seen.add(member.key);
    }
  }

  private reportNameProblem(file: FileState, problem: NameProblem, path: string, node: JsonNode): void {
    this.report(file, problem.severity, 'invalid-name', path, node.offset, problem.message);
  }

  /** The value of an optional string attribute; reports any other kind. */
  private optionalString(file: FileState, node: JsonObject, key: string, path: string): string | undefined {
    const value = memberValue(node, key);
    if (value === undefined) return undefined;
    if (value.kind === 'string') return value.value;
    this.error(file, 'invalid-schema', `${path}.${key}`, value, `"${key}" must be a string, got ${jsonKindName(value)}`);
    return undefined;
  }

  private stringList(file: FileState, node: JsonObject, key: string, path: string): string[] {
    const value = memberValue(node, key);
    if (value === undefined) return [];
    if (value.kind !== 'array') {
      this.error(file, 'invalid-schema', `${path}.${key}`, value, `"${key}" must be an array of strings, got ${jsonKindName(value)}`);
      return [];
    }
    const strings: string[] = [];
    value.items.forEach((item, i) => {
      if (item.kind === 'string') strings.push(item.value);
      else this.error(file, 'invalid-schema', `${path}.${key}[${i}]`, item, `"${key}" entries must be strings, got ${jsonKindName(item)}`);
    });
    return strings;
  }

  private props(node: JsonObject, reserved: ReadonlySet<string>): SchemaProps {
    const props: SchemaProps = new Map();
    for (const member of node.members) if (!reserved.has(member.key)) props.set(member.key, member.value);
    return props;
  }

  private applyLogicalType(
    file: FileState,
    node: JsonObject,
    path: string,
    target: { props: SchemaProps; logicalType: LogicalType | undefined },
    underlying: UnderlyingType,
  ): void {
    const reading = readLogicalType(target.props, underlying);
    target.logicalType = reading.logicalType;
    const problem = reading.problem;
    if (!problem) return;
    const at = memberValue(node, problem.attribute) ?? node;
    this.report(file, problem.severity, problem.code, `${path}.${problem.attribute}`, at.offset, problem.message);
  }

  private buildObject(file: FileState, node: JsonObject, namespace: string | undefined, path: string): AvroSchema | undefined {
    this.checkDuplicateKeys(file, node, path);
    const typeNode = memberValue(node, 'type');
    if (typeNode === undefined) {
      this.error(file, 'invalid-schema', path, node, 'a schema object needs a "type"');
      return undefined;
    }
    if (typeNode.kind !== 'string') {
      this.error(file, 'invalid-schema', `${path}.type`, typeNode, `"type" of a schema object must be a type name, got ${jsonKindName(typeNode)}`, 'a nested schema belongs in a field\'s "type", an array\'s "items" or a map\'s "values"');
      return undefined;
    }
    const keyword = typeNode.value;
    if (isPrimitiveType(keyword)) {
      const schema = { type: keyword, props: this.props(node, SCHEMA_RESERVED), logicalType: undefined };
      this.applyLogicalType(file, node, path, schema, { type: keyword });
      return schema;
    }
    if (keyword === 'array' || keyword === 'map') return this.buildContainer(file, node, keyword, namespace, path);
    if (NAMED_TYPE_KEYWORDS.has(keyword)) {
      const declared = this.declared.get(node);
      if (!declared) {
        const nameNode = memberValue(node, 'name');
        this.error(file, 'invalid-schema', nameNode ? `${path}.name` : path, nameNode ?? node, nameNode ? `"name" must be a string, got ${jsonKindName(nameNode)}` : `a ${keyword} needs a "name"`);
        return undefined;
      }
      this.fillNamed(file, node, declared, path);
      return declared;
    }
    // Avro also accepts {"type": "SomeName"} as a reference to a named type.
    return this.resolve(file, keyword, typeNode, namespace, `${path}.type`);
  }

  private buildContainer(file: FileState, node: JsonObject, keyword: 'array' | 'map', namespace: string | undefined, path: string): AvroSchema | undefined {
    const key = keyword === 'array' ? 'items' : 'values';
    const innerNode = memberValue(node, key);
    if (innerNode === undefined) {
      this.error(file, 'invalid-schema', path, node, `${keyword === 'array' ? 'an array' : 'a map'} needs "${key}"`);
      return undefined;
    }
    const inner = this.build(file, innerNode, namespace, `${path}.${key}`);
    const annotations: { props: SchemaProps; logicalType: LogicalType | undefined } = { props: this.props(node, SCHEMA_RESERVED), logicalType: undefined };
    this.applyLogicalType(file, node, path, annotations, { type: keyword });
    if (inner === undefined) return undefined;
    return keyword === 'array' ? { type: 'array', items: inner, ...annotations } : { type: 'map', values: inner, ...annotations };
  }

  private buildUnion(file: FileState, node: JsonArray, namespace: string | undefined, path: string): UnionSchema | undefined {
    const union: UnionSchema = { type: 'union', branches: [] };
    const firstIndex = new Map<string, number>();
    let complete = true;
    node.items.forEach((item, i) => {
      const branchPath = `${path}[${i}]`;
      if (item.kind === 'array') {
        this.error(file, 'invalid-schema', branchPath, item, 'a union cannot directly contain another union');
        complete = false;
        return;
      }
      const branch = this.build(file, item, namespace, branchPath);
      if (!branch) {
        complete = false;
        return;
      }
      const name = branchName(branch);
      const earlier = firstIndex.get(name);
      if (earlier !== undefined) {
        this.error(file, 'invalid-schema', branchPath, item, `duplicate "${name}" in union (also branch ${earlier})`, 'a union may hold each type, and each named type, only once');
        complete = false;
        return;
      }
      firstIndex.set(name, i);
      union.branches.push(branch);
    });
    return complete ? union : undefined;
  }

  private fillNamed(file: FileState, node: JsonObject, schema: NamedSchema, path: string): void {
    const nameNode = memberValue(node, 'name') as JsonNode;
    this.optionalString(file, node, 'namespace', path);
    if (schema.name.namespace === undefined && isPrimitiveType(schema.name.name)) {
      this.error(file, 'invalid-name', `${path}.name`, nameNode, `a named type cannot be called "${schema.name.name}", which is a primitive type`);
    }
    // A namespace from the "namespace" attribute is reported there; a dotted or inherited one at the name.
    const namespaceNode = memberValue(node, 'namespace');
    const ownNamespace = namespaceNode !== undefined && !(nameNode.kind === 'string' && nameNode.value.includes('.'));
    for (const { part, problem } of checkFullName(schema.name, `${schema.type} name`)) {
      const atNamespace = part === 'namespace' && ownNamespace;
      this.reportNameProblem(file, problem, `${path}.${atNamespace ? 'namespace' : 'name'}`, atNamespace ? (namespaceNode as JsonNode) : nameNode);
    }
    schema.doc = this.optionalString(file, node, 'doc', path);
    schema.aliases = this.stringList(file, node, 'aliases', path).map((alias) => makeName(alias, schema.name.namespace));
    const aliasesNode = memberValue(node, 'aliases');
    for (const alias of schema.aliases) {
      for (const { problem } of checkFullName(alias, 'alias')) this.reportNameProblem(file, problem, `${path}.aliases`, aliasesNode ?? node);
    }
    if (schema.type === 'record') this.fillRecord(file, node, schema, path);
    else if (schema.type === 'enum') this.fillEnum(file, node, schema, path);
    else this.fillFixed(file, node, schema, path);
  }

  private fillRecord(file: FileState, node: JsonObject, record: RecordSchema, path: string): void {
    record.props = this.props(node, SCHEMA_RESERVED);
    this.applyLogicalType(file, node, path, record, { type: 'record' });
    const fieldsNode = memberValue(node, 'fields');
    if (fieldsNode?.kind !== 'array') {
      const message = fieldsNode ? `"fields" must be an array, got ${jsonKindName(fieldsNode)}` : 'a record needs a "fields" array';
      this.error(file, 'invalid-schema', fieldsNode ? `${path}.fields` : path, fieldsNode ?? node, message);
      return;
    }
    const seen = new Map<string, number>();
    fieldsNode.items.forEach((fieldNode, i) => {
      const fieldPath = `${path}.fields[${i}]`;
      if (fieldNode.kind !== 'object') {
        this.error(file, 'invalid-schema', fieldPath, fieldNode, `a field must be an object, got ${jsonKindName(fieldNode)}`);
        return;
      }
      const field = this.buildField(file, fieldNode, record.name.namespace, fieldPath);
      if (!field) return;
      const earlier = seen.get(field.name);
      if (earlier !== undefined) {
        this.error(file, 'duplicate-field', `${fieldPath}.name`, memberValue(fieldNode, 'name') as JsonNode, `duplicate field "${field.name}" (also at ${path}.fields[${earlier}])`);
        return;
      }
      seen.set(field.name, i);
      field.position = record.fields.length;
      record.fields.push(field);
    });
  }

  private buildField(file: FileState, node: JsonObject, namespace: string | undefined, path: string): RecordField | undefined {
    this.checkDuplicateKeys(file, node, path);
    const nameNode = memberValue(node, 'name');
    if (nameNode?.kind !== 'string') {
      this.error(file, 'invalid-schema', nameNode ? `${path}.name` : path, nameNode ?? node, nameNode ? `"name" must be a string, got ${jsonKindName(nameNode)}` : 'a field needs a "name"');
    } else {
      const problem = checkSimpleName(nameNode.value, 'field name');
      if (problem) this.reportNameProblem(file, problem, `${path}.name`, nameNode);
    }
    const typeNode = memberValue(node, 'type');
    if (typeNode === undefined) {
      this.error(file, 'invalid-schema', path, node, 'a field needs a "type"');
      return undefined;
    }
    const schema = this.build(file, typeNode, namespace, `${path}.type`);
    const doc = this.optionalString(file, node, 'doc', path);
    const aliases = this.stringList(file, node, 'aliases', path);
    const order = this.fieldOrder(file, node, path);
    if (nameNode?.kind !== 'string' || schema === undefined) return undefined;
    const misplaced = memberValue(node, 'logicalType');
    if (misplaced?.kind === 'string' && (schema.type === 'union' || schema.logicalType === undefined)) {
      this.report(file, 'warning', 'misplaced-logical-type', `${path}.logicalType`, misplaced.offset, `"logicalType" on a field is ignored by Avro`, `move it into the type: "type": {"type": ${JSON.stringify(branchName(schema))}, "logicalType": ${JSON.stringify(misplaced.value)}}`);
    }
    const field: RecordField = {
      name: nameNode.value,
      position: -1,
      schema,
      doc,
      default: memberValue(node, 'default'),
      order,
      aliases,
      props: this.props(node, FIELD_RESERVED),
    };
    if (field.default !== undefined) this.pendingDefaults.push({ file, field, value: field.default, jsonPath: `${path}.default` });
    return field;
  }

  private fieldOrder(file: FileState, node: JsonObject, path: string): FieldOrder {
    const orderNode = memberValue(node, 'order');
    if (orderNode === undefined) return 'ascending';
    const order = FIELD_ORDERS.find((o) => orderNode.kind === 'string' && orderNode.value.toLowerCase() === o);
    if (order) return order;
    this.error(file, 'invalid-schema', `${path}.order`, orderNode, `"order" must be "ascending", "descending" or "ignore", got ${orderNode.kind === 'string' ? JSON.stringify(orderNode.value) : jsonKindName(orderNode)}`);
    return 'ascending';
  }

  private fillEnum(file: FileState, node: JsonObject, schema: EnumSchema, path: string): void {
    schema.props = this.props(node, ENUM_RESERVED);
    this.applyLogicalType(file, node, path, schema, { type: 'enum' });
    const symbolsNode = memberValue(node, 'symbols');
    if (symbolsNode?.kind !== 'array') {
      const message = symbolsNode ? `"symbols" must be an array of strings, got ${jsonKindName(symbolsNode)}` : 'an enum needs a "symbols" array';
      this.error(file, 'invalid-schema', symbolsNode ? `${path}.symbols` : path, symbolsNode ?? node, message);
      return;
    }
    const seen = new Map<string, number>();
    symbolsNode.items.forEach((item, i) => {
      const symbolPath = `${path}.symbols[${i}]`;
      if (item.kind !== 'string') {
        this.error(file, 'invalid-schema', symbolPath, item, `enum symbols must be strings, got ${jsonKindName(item)}`);
        return;
      }
      const problem = checkSimpleName(item.value, 'enum symbol');
      if (problem) this.reportNameProblem(file, problem, symbolPath, item);
      const earlier = seen.get(item.value);
      if (earlier !== undefined) {
        this.error(file, 'duplicate-symbol', symbolPath, item, `duplicate enum symbol "${item.value}" (also at ${path}.symbols[${earlier}])`);
        return;
      }
      seen.set(item.value, i);
      schema.symbols.push(item.value);
    });
    const defaultNode = memberValue(node, 'default');
    if (defaultNode === undefined) return;
    if (defaultNode.kind === 'string' && schema.symbols.includes(defaultNode.value)) {
      schema.default = defaultNode.value;
      return;
    }
    const shown = defaultNode.kind === 'string' ? `"${defaultNode.value}"` : jsonKindName(defaultNode);
    this.error(file, 'invalid-enum-default', `${path}.default`, defaultNode, `enum default ${shown} is not one of the symbols (${schema.symbols.join(', ')})`);
  }

  private fillFixed(file: FileState, node: JsonObject, schema: FixedSchema, path: string): void {
    schema.props = this.props(node, SCHEMA_RESERVED);
    const sizeNode = memberValue(node, 'size');
    const size = sizeNode?.kind === 'number' && sizeNode.isIntegral ? Number(sizeNode.text) : undefined;
    if (size === undefined || size < 0 || size > 2 ** 31 - 1) {
      const got = sizeNode === undefined ? 'none' : sizeNode.kind === 'number' ? sizeNode.text : jsonKindName(sizeNode);
      this.error(file, 'invalid-fixed-size', sizeNode ? `${path}.size` : path, sizeNode ?? node, `a fixed needs a "size" that is a non-negative int, got ${got}`);
    } else {
      schema.size = size;
    }
    this.applyLogicalType(file, node, path, schema, { type: 'fixed', size: schema.size });
  }

  // ---- pass 3: defaults ---------------------------------------------------------------------

  private checkDefault({ file, field, value, jsonPath }: PendingDefault): void {
    const problem = checkFieldDefault(field.schema, value);
    if (!problem) return;
    this.report(file, 'error', 'invalid-default', `${jsonPath}${problem.at}`, problem.node.offset, `invalid default for field "${field.name}": ${problem.message}`, problem.hint);
  }
}

interface FileCycle {
  /** The files around the cycle, the first repeated at the end. */
  cycle: string[];
  /** The file and reference that close it. */
  file: FileState;
  closing: { offset: number; jsonPath: string };
}

function findFileCycles(files: readonly FileState[]): FileCycle[] {
  const byPath = new Map(files.map((f) => [f.source.path, f]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles: FileCycle[] = [];
  const visit = (file: FileState): void => {
    state.set(file.source.path, 'visiting');
    stack.push(file.source.path);
    for (const ref of file.references.values()) {
      const target = byPath.get(ref.definedIn);
      if (!target) continue;
      const targetState = state.get(target.source.path);
      if (targetState === 'visiting') {
        cycles.push({ cycle: [...stack.slice(stack.indexOf(target.source.path)), target.source.path], file, closing: ref });
      } else if (targetState === undefined) {
        visit(target);
      }
    }
    stack.pop();
    state.set(file.source.path, 'done');
  };
  for (const file of files) if (!state.has(file.source.path)) visit(file);
  return cycles;
}

export function parseSchemaFiles(files: readonly SchemaFile[], options: ParseOptions = {}): SchemaFilesResult {
  const parser = new SchemaFileParser(files, { validateDefaults: options.validateDefaults ?? true });
  parser.run();
  for (const { cycle, file, closing } of findFileCycles(parser.files)) {
    parser.report(file, 'error', 'reference-cycle', closing.jsonPath, closing.offset, `schema files refer to each other in a cycle: ${cycle.join(' → ')}`, 'put mutually recursive types in one file');
  }
  const byPath = new Map(parser.files.map((f) => [f.source.path, f]));
  const usable = new Map<string, boolean>();
  const isUsable = (file: FileState, seen: Set<string>): boolean => {
    const known = usable.get(file.source.path);
    if (known !== undefined) return known;
    if (seen.has(file.source.path)) return false;
    seen.add(file.source.path);
    const ok = !file.hasErrors && file.schema !== undefined
      && [...file.references.values()].every((r) => {
        const dependency = byPath.get(r.definedIn);
        return dependency !== undefined && isUsable(dependency, seen);
      });
    usable.set(file.source.path, ok);
    return ok;
  };
  const schemas = new Map<string, ParsedSchema>();
  for (const file of parser.files) {
    if (!file.schema || !isUsable(file, new Set())) continue;
    const canonical = canonicalForm(file.schema);
    schemas.set(file.source.path, {
      path: file.source.path,
      schema: file.schema,
      defines: file.defines,
      references: [...file.references.values()].map(({ fullName, definedIn }) => ({ fullName, definedIn })),
      canonicalForm: canonical,
      fingerprint: fingerprint64(canonical),
      registrationForm: registrationForm(file.schema),
    });
  }
  const definitions = new Map([...parser.definitions].map(([name, d]) => [name, d.schema.definedAt]));
  const fileOrder = new Map(files.map((f, i) => [f.path, i]));
  const diagnostics = parser.diagnostics.sort(
    (a, b) => (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || a.line - b.line || a.column - b.column,
  );
  return { schemas, definitions, diagnostics };
}

export interface SchemaTextResult {
  /** Undefined when there are errors. */
  schema: ParsedSchema | undefined;
  diagnostics: SchemaDiagnostic[];
}

/** One self-contained schema, e.g. a version fetched from the registry. */
export function parseSchemaText(text: string, options: ParseOptions & { path?: string } = {}): SchemaTextResult {
  const path = options.path ?? '<schema>';
  const { schemas, diagnostics } = parseSchemaFiles([{ path, text }], options);
  return { schema: schemas.get(path), diagnostics };
}
