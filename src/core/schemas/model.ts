/**
 * The parsed form of an Avro schema, shaped like Avro Java's object model:
 * every reference to a named type points at the one object that defines it
 * (compatibility checking relies on that identity), while every other node,
 * primitives included, is its own object.
 */
import type { JsonNode } from './json.js';

export const PRIMITIVE_TYPES = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'] as const;
export type PrimitiveType = (typeof PRIMITIVE_TYPES)[number];

export function isPrimitiveType(name: string): name is PrimitiveType {
  return (PRIMITIVE_TYPES as readonly string[]).includes(name);
}

/** Extra attributes in their source order (logicalType, precision, custom ones). */
export type SchemaProps = Map<string, JsonNode>;

export interface LogicalType {
  name: string;
  /** decimal only. */
  precision?: number;
  scale?: number;
}

interface Annotated {
  props: SchemaProps;
  /** Only a well-formed logical type; Avro drops malformed ones. */
  logicalType: LogicalType | undefined;
}

export interface PrimitiveSchema extends Annotated {
  type: PrimitiveType;
}

export interface AvroName {
  /** Unqualified name. */
  name: string;
  namespace: string | undefined;
  fullName: string;
}

/** Where a named type is defined, for diagnostics and "defined in" reports. */
export interface DefinitionSite {
  file: string;
  jsonPath: string;
}

interface NamedBase extends Annotated {
  name: AvroName;
  aliases: AvroName[];
  doc: string | undefined;
  definedAt: DefinitionSite;
}

export type FieldOrder = 'ascending' | 'descending' | 'ignore';

export interface RecordField {
  name: string;
  position: number;
  schema: AvroSchema;
  doc: string | undefined;
  /** Undefined when the field has no default; a JSON null node for `"default": null`. */
  default: JsonNode | undefined;
  order: FieldOrder;
  aliases: string[];
  props: SchemaProps;
}

export interface RecordSchema extends NamedBase {
  type: 'record';
  /** Declared with "type": "error" (Avro protocols); behaves as a record. */
  isError: boolean;
  fields: RecordField[];
}

export interface EnumSchema extends NamedBase {
  type: 'enum';
  symbols: string[];
  default: string | undefined;
}

export interface FixedSchema extends NamedBase {
  type: 'fixed';
  size: number;
}

export interface ArraySchema extends Annotated {
  type: 'array';
  items: AvroSchema;
}

export interface MapSchema extends Annotated {
  type: 'map';
  values: AvroSchema;
}

export interface UnionSchema {
  type: 'union';
  branches: AvroSchema[];
}

export type NamedSchema = RecordSchema | EnumSchema | FixedSchema;
export type AvroSchema = PrimitiveSchema | NamedSchema | ArraySchema | MapSchema | UnionSchema;
export type AvroType = AvroSchema['type'];

export function isNamedSchema(schema: AvroSchema): schema is NamedSchema {
  return schema.type === 'record' || schema.type === 'enum' || schema.type === 'fixed';
}

/** The name Avro uses for a union branch: full name for named types, type name otherwise. */
export function branchName(schema: AvroSchema): string {
  return isNamedSchema(schema) ? schema.name.fullName : schema.type;
}
