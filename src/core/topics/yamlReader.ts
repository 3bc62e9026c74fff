/**
 * Typed reading of a YAML AST with positions: each reader either returns a
 * value or records a diagnostic at the offending node and returns undefined,
 * so one pass reports every problem.
 */
import { isAlias, isMap, isNode, isScalar, isSeq, type Document, type LineCounter, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import type { RawConfigValue, RawScalar } from './configValues.js';
import { didYouMean } from './didYouMean.js';
import type { Position } from './model.js';

export interface Field {
  key: string;
  keyNode: Node;
  /** null for a key without a value node at all. */
  value: Node | null;
}
export type Fields = ReadonlyMap<string, Field>;

export class YamlReader {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly file: string,
    private readonly lineCounter: LineCounter,
    private readonly document: Document,
  ) {}

  positionAt(offset: number): Position {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  positionOf(node: Node | null | undefined): Position {
    const offset = node?.range?.[0];
    return offset === undefined ? { line: 0, column: 0 } : this.positionAt(offset);
  }

  /** Where a problem with a field's value is shown: the value, or the key when the value is empty. */
  valuePosition(field: Field): Position {
    const value = field.value;
    const empty = value === null || (isScalar(value) && value.value === null && value.source === '');
    return this.positionOf(empty ? field.keyNode : value);
  }

  report(severity: Diagnostic['severity'], at: Position, code: string, message: string, hint?: string): void {
    const diagnostic: Diagnostic = { severity, file: this.file, line: at.line, column: at.column, message, code };
    if (hint !== undefined) diagnostic.hint = hint;
    this.diagnostics.push(diagnostic);
  }

  error(at: Position, code: string, message: string, hint?: string): void {
    this.report('error', at, code, message, hint);
  }

  /** Follows an alias (`*anchor`) to the node it names. */
  deref(node: Node | null): Node | null {
    if (node !== null && isAlias(node)) {
      const target: unknown = node.resolve(this.document);
      return isNode(target) ? target : null;
    }
    return node;
  }

  /** How a value is named in "must be X, got Y" messages. */
  describe(node: Node | null): string {
    const target = this.deref(node);
    if (target === null) return 'nothing';
    if (isMap(target)) return 'a mapping';
    if (isSeq(target)) return 'a list';
    if (isScalar(target)) {
      const value = target.value;
      if (value === null) return 'null';
      if (typeof value === 'string') return `a string ${JSON.stringify(value)}`;
      if (typeof value === 'number' || typeof value === 'bigint') return `the number ${target.source ?? String(value)}`;
      if (typeof value === 'boolean') return String(value);
    }
    return 'an unsupported value';
  }

  private typeError(at: Position, label: string, expected: string, node: Node | null): undefined {
    this.error(at, 'invalid-type', `${label} must be ${expected}, got ${this.describe(node)}`);
    return undefined;
  }

  /**
   * The fields of a mapping, reporting duplicate keys and keys not in `keys`
   * (with a did-you-mean hint). `context` names the mapping in messages.
   */
  mapping(
    node: Node | null,
    at: Position,
    label: string,
    context: string,
    keys: readonly string[],
    expected = 'a mapping',
  ): Fields | undefined {
    const target = this.deref(node);
    if (!isMap(target)) return this.typeError(at, label, expected, node);
    return this.entries(target, context, (key, keyNode) => {
      if (keys.includes(key)) return true;
      this.error(
        this.positionOf(keyNode),
        'unknown-key',
        `unknown key "${key}" in ${context}`,
        didYouMean(key, keys) ?? `expected one of: ${keys.join(', ')}`,
      );
      return false;
    });
  }

  /** A mapping whose keys are names (environments, configs): only duplicates are checked here. */
  namedEntries(node: Node | null, at: Position, label: string, context: string): Fields | undefined {
    const target = this.deref(node);
    if (!isMap(target)) return this.typeError(at, label, 'a mapping', node);
    return this.entries(target, context, () => true);
  }

  private entries(map: YAMLMap, context: string, accept: (key: string, keyNode: Node) => boolean): Fields {
    const fields = new Map<string, Field>();
    for (const pair of map.items) {
      const keyNode = pair.key;
      if (!isScalar(keyNode) || keyNode.value === null) {
        this.error(this.positionOf(isNode(keyNode) ? keyNode : map), 'invalid-type', `keys in ${context} must be plain names`);
        continue;
      }
      const key = String(keyNode.value);
      if (fields.has(key)) {
        this.error(this.positionOf(keyNode), 'duplicate-key', `duplicate key "${key}" in ${context}`);
        continue;
      }
      if (accept(key, keyNode)) fields.set(key, { key, keyNode, value: isNode(pair.value) ? pair.value : null });
    }
    return fields;
  }

  /** A string value of `key` in a mapping, read without reporting anything (to name a topic in messages). */
  peekString(node: Node | null, key: string): string | undefined {
    const target = this.deref(node);
    if (!isMap(target)) return undefined;
    const pair = target.items.find((p) => isScalar(p.key) && p.key.value === key);
    const value = isNode(pair?.value) ? this.scalar(pair.value)?.value : undefined;
    return typeof value === 'string' ? value : undefined;
  }

  /** The items of a list, each with its position. */
  list(node: Node | null, at: Position, label: string): { node: Node | null; at: Position }[] | undefined {
    const target = this.deref(node);
    if (!isSeq(target)) return this.typeError(at, label, 'a list', node);
    return target.items.map((item) => {
      const itemNode = isNode(item) ? item : null;
      return { node: itemNode, at: itemNode ? this.positionOf(itemNode) : at };
    });
  }

  /** The value of a scalar (after aliases); undefined for mappings and lists. */
  scalarValue(node: Node | null): unknown {
    return this.scalar(node)?.value;
  }

  private scalar(node: Node | null): Scalar | undefined {
    const target = this.deref(node);
    return isScalar(target) ? target : undefined;
  }

  integer(node: Node | null, at: Position, label: string, min: number): number | undefined {
    const value = this.scalar(node)?.value;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      return this.typeError(at, label, 'an integer', node);
    }
    if (value < min) {
      this.error(at, 'out-of-range', `${label} must be at least ${min}, got ${value}`);
      return undefined;
    }
    return value;
  }

  string(node: Node | null, at: Position, label: string): string | undefined {
    const value = this.scalar(node)?.value;
    return typeof value === 'string' ? value : this.typeError(at, label, 'a string', node);
  }

  boolean(node: Node | null, at: Position, label: string): boolean | undefined {
    const value = this.scalar(node)?.value;
    return typeof value === 'boolean' ? value : this.typeError(at, label, 'true or false', node);
  }

  /** A list of strings, each with its position; bad items are reported and dropped. */
  stringList(node: Node | null, at: Position, label: string): { value: string; at: Position }[] | undefined {
    const items = this.list(node, at, label);
    if (items === undefined) return undefined;
    const strings: { value: string; at: Position }[] = [];
    items.forEach((item, index) => {
      const value = this.string(item.node, item.at, `item ${index + 1} of ${label}`);
      if (value !== undefined) strings.push({ value, at: item.at });
    });
    return strings;
  }

  /** A config value in the YAML-free shape configValues understands. */
  rawConfigValue(node: Node | null): RawConfigValue {
    const target = this.deref(node);
    if (isMap(target)) return { type: 'mapping' };
    if (isSeq(target)) return { type: 'list', items: target.items.map((item) => this.rawScalar(isNode(item) ? item : null)) };
    return this.rawScalar(target);
  }

  private rawScalar(node: Node | null): RawScalar {
    const scalar = this.scalar(node);
    const value = scalar?.value;
    if (typeof value === 'string') return { type: 'string', text: value };
    if (typeof value === 'number') return { type: 'number', text: scalar?.source ?? String(value), value };
    if (typeof value === 'boolean') return { type: 'boolean', value };
    if (value === null || value === undefined) return { type: 'null' };
    return { type: 'string', text: String(value) };
  }
}
