import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSchemaFiles, parseSchemaText, type SchemaDiagnostic } from './parse.js';

const REPO_SCHEMAS = new URL('../../../schemas/', import.meta.url);

function repoSchemaFiles(): { path: string; text: string }[] {
  return readdirSync(REPO_SCHEMAS)
    .filter((name) => name.endsWith('.avsc'))
    .sort()
    .map((name) => ({ path: `schemas/${name}`, text: readFileSync(new URL(name, REPO_SCHEMAS), 'utf8') }));
}

/** Diagnostics as "severity code line:column message" lines, easy to compare whole. */
function lines(diagnostics: readonly SchemaDiagnostic[]): string[] {
  return diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.column} ${d.message}`);
}

function diagnose(text: string): string[] {
  return lines(parseSchemaText(text).diagnostics);
}

const record = (fields: unknown[], extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ type: 'record', name: 'A', namespace: 'n', ...extra, fields });
const oneField = (type: unknown, extra: Record<string, unknown> = {}): string => record([{ name: 'f', type, ...extra }]);

describe('the repository schemas', () => {
  const result = parseSchemaFiles(repoSchemaFiles());

  it('parse without diagnostics', () => {
    expect(lines(result.diagnostics)).toEqual([]);
    expect([...result.schemas.keys()]).toEqual([
      'schemas/device-event.avsc',
      'schemas/dlq-envelope.avsc',
      'schemas/location.avsc',
      'schemas/sensor-data.avsc',
    ]);
  });

  it('report which file defines which named type', () => {
    expect(Object.fromEntries([...result.definitions].map(([name, site]) => [name, `${site.file} ${site.jsonPath}`]))).toEqual({
      'com.iotplatform.messaging.DeviceEvent': 'schemas/device-event.avsc $',
      'com.iotplatform.messaging.DeviceEventType': 'schemas/device-event.avsc $.fields[2].type',
      'com.iotplatform.messaging.DlqEnvelope': 'schemas/dlq-envelope.avsc $',
      'com.iotplatform.messaging.Location': 'schemas/location.avsc $',
      'com.iotplatform.messaging.SensorData': 'schemas/sensor-data.avsc $',
    });
    const sensorData = result.schemas.get('schemas/sensor-data.avsc');
    expect(sensorData?.references).toEqual([{ fullName: 'com.iotplatform.messaging.Location', definedIn: 'schemas/location.avsc' }]);
    expect(sensorData?.defines).toEqual(['com.iotplatform.messaging.SensorData']);
  });

  it('share one object for a named type used across files', () => {
    const location = result.schemas.get('schemas/location.avsc')?.schema;
    const sensorData = result.schemas.get('schemas/sensor-data.avsc')?.schema;
    const locationField = sensorData?.type === 'record' ? sensorData.fields[4] : undefined;
    expect(locationField?.schema.type === 'union' && locationField.schema.branches[1]).toBe(location);
  });

  it('give the canonical form and fingerprint Avro Java gives', () => {
    // Values checked against Avro Java 1.12.0 SchemaNormalization.
    const sensorData = result.schemas.get('schemas/sensor-data.avsc');
    expect(sensorData?.canonicalForm).toBe(
      '{"name":"com.iotplatform.messaging.SensorData","type":"record","fields":[{"name":"sensor_id","type":"string"},{"name":"timestamp","type":"long"},{"name":"value","type":"double"},{"name":"unit","type":"string"},{"name":"location","type":["null",{"name":"com.iotplatform.messaging.Location","type":"record","fields":[{"name":"lat","type":"double"},{"name":"lon","type":"double"},{"name":"altitude","type":["null","double"]}]}]},{"name":"metadata","type":["null",{"type":"map","values":"string"}]}]}',
    );
    expect(Object.fromEntries([...result.schemas].map(([path, s]) => [path, s.fingerprint]))).toEqual({
      'schemas/device-event.avsc': '7e54ec9c80ca85cf',
      'schemas/dlq-envelope.avsc': '9020b71cc54ab2eb',
      'schemas/location.avsc': 'a8de9c75d88f420a',
      'schemas/sensor-data.avsc': '961fadc18e3ca856',
    });
  });

  it('give a self-contained registration form, as Avro Java Schema.toString() writes it', () => {
    const form = result.schemas.get('schemas/sensor-data.avsc')?.registrationForm ?? '';
    expect(form).toContain('"type":["null",{"type":"record","name":"Location","doc":');
    expect(form).toContain('"type":{"type":"long","logicalType":"timestamp-millis"}');
    const alone = parseSchemaText(form);
    expect(lines(alone.diagnostics)).toEqual([]);
    expect(alone.schema?.canonicalForm).toBe(result.schemas.get('schemas/sensor-data.avsc')?.canonicalForm);
  });

  it('inlines a named type once and refers to it by name afterwards', () => {
    const files = [
      { path: 'loc.avsc', text: '{"type":"record","name":"Loc","namespace":"a","fields":[{"name":"x","type":"int"}]}' },
      { path: 'trip.avsc', text: '{"type":"record","name":"Trip","namespace":"b","fields":[{"name":"from","type":"a.Loc"},{"name":"to","type":"a.Loc"}]}' },
    ];
    expect(parseSchemaFiles(files).schemas.get('trip.avsc')?.registrationForm).toBe(
      '{"type":"record","name":"Trip","namespace":"b","fields":[{"name":"from","type":{"type":"record","name":"Loc","namespace":"a","fields":[{"name":"x","type":"int"}]}},{"name":"to","type":"a.Loc"}]}',
    );
  });
});

describe('references across files', () => {
  const location = { path: 'location.avsc', text: '{"type":"record","name":"Location","namespace":"n","fields":[{"name":"lat","type":"double"}]}' };
  const reading = { path: 'reading.avsc', text: '{"type":"record","name":"Reading","namespace":"n","fields":[{"name":"at","type":"Location"}]}' };

  it('resolve whatever the file order', () => {
    const result = parseSchemaFiles([reading, location]);
    expect(lines(result.diagnostics)).toEqual([]);
    expect(result.schemas.get('reading.avsc')?.references).toEqual([{ fullName: 'n.Location', definedIn: 'location.avsc' }]);
  });

  it('report a name no file defines, with the names tried', () => {
    const result = parseSchemaFiles([reading]);
    expect(lines(result.diagnostics)).toEqual([
      'error undefined-name 1:81 $.fields[0].type: unknown type "Location": no schema file defines "n.Location" or "Location"',
    ]);
    expect(result.diagnostics[0]?.file).toBe('reading.avsc');
    expect(result.schemas.size).toBe(0);
  });

  it('report a full name defined twice, naming the first definition', () => {
    const again = { path: 'again.avsc', text: '{"type":"record","name":"n.Location","fields":[]}' };
    const result = parseSchemaFiles([location, again]);
    expect(lines(result.diagnostics)).toEqual(['error duplicate-name 1:25 $.name: "n.Location" is already defined in location.avsc at $']);
    expect(result.diagnostics[0]?.hint).toBe('define each named type once and refer to it by name');
    expect([...result.schemas.keys()]).toEqual(['location.avsc']);
  });

  it('report a cycle between files and keep both out of the result', () => {
    const a = { path: 'a.avsc', text: '{"type":"record","name":"A","namespace":"n","fields":[{"name":"b","type":["null","B"],"default":null}]}' };
    const b = { path: 'b.avsc', text: '{"type":"record","name":"B","namespace":"n","fields":[{"name":"a","type":["null","A"],"default":null}]}' };
    const result = parseSchemaFiles([a, b]);
    expect(lines(result.diagnostics)).toEqual([
      'error reference-cycle 1:82 $.fields[0].type[1]: schema files refer to each other in a cycle: a.avsc → b.avsc → a.avsc',
    ]);
    expect(result.diagnostics[0]?.file).toBe('b.avsc');
    expect(result.schemas.size).toBe(0);
  });

  it('keep out a file whose dependency has errors', () => {
    const broken = { path: 'location.avsc', text: '{"type":"record","name":"Location","namespace":"n","fields":[{"name":"lat","type":"double","default":"x"}]}' };
    const result = parseSchemaFiles([broken, reading]);
    expect(result.diagnostics.map((d) => d.file)).toEqual(['location.avsc']);
    expect(result.schemas.size).toBe(0);
  });

  it('accept a record that refers to itself', () => {
    const node = '{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"],"default":null}]}';
    expect(diagnose(node)).toEqual([]);
  });

  it('refuse a name used before its definition in the same file', () => {
    expect(diagnose(record([{ name: 'a', type: 'E' }, { name: 'b', type: { type: 'enum', name: 'E', symbols: ['X'] } }]))).toEqual([
      'error forward-reference 1:74 $.fields[0].type: "n.E" is used before its definition at $.fields[1].type',
    ]);
  });
});

describe('JSON errors', () => {
  it('give line and column', () => {
    expect(diagnose('{"type": "record",\n "name": "A",,}')).toEqual([
      'error invalid-json 2:14 $: invalid JSON: unexpected ",", expected a string key',
    ]);
    expect(diagnose('{"type": "record",\n  "fields": [\n    {"name": "a" "type": "int"}')).toEqual([
      'error invalid-json 3:18 $: invalid JSON: unexpected "\\"", expected \',\' or \'}\'',
    ]);
    expect(diagnose('{"type": "string"')).toEqual(["error invalid-json 1:18 $: invalid JSON: unexpected end of input, expected ',' or '}'"]);
    expect(diagnose('  ')).toEqual(['error invalid-json 1:1 $: invalid JSON: empty document: expected a JSON value']);
    expect(diagnose('{"type": "string"} x')).toEqual(['error invalid-json 1:20 $: invalid JSON: unexpected content after the end of the JSON value']);
    expect(diagnose('{"doc": "a\nb"}')).toEqual(['error invalid-json 1:11 $: invalid JSON: control character in string; escape it']);
  });
});

describe('structure and names', () => {
  it('name the JSON path of each problem', () => {
    const text = JSON.stringify({
      type: 'record',
      name: 'A',
      fields: [
        { name: 'u', type: ['int', 'int'] },
        { name: 'n', type: ['null', ['int']] },
        { name: 'x' },
        { name: 'y', type: { type: { type: 'int' } } },
        { name: 'z', type: { size: 1 } },
        { name: 'w', type: 7 },
        { name: 'o', type: 'int', order: 'up' },
        'field',
      ],
    });
    expect(diagnose(text)).toEqual([
      'error invalid-schema 1:65 $.fields[0].type[1]: duplicate "int" in union (also branch 0)',
      'error invalid-schema 1:100 $.fields[1].type[1]: a union cannot directly contain another union',
      'error invalid-schema 1:110 $.fields[2]: a field needs a "type"',
      'error invalid-schema 1:150 $.fields[3].type.type: "type" of a schema object must be a type name, got an object',
      'error invalid-schema 1:186 $.fields[4].type: a schema object needs a "type"',
      'error invalid-schema 1:217 $.fields[5].type: expected a schema (a type name, an object or a union array), got a number',
      'error invalid-schema 1:253 $.fields[6].order: "order" must be "ascending", "descending" or "ignore", got "up"',
      'error invalid-schema 1:259 $.fields[7]: a field must be an object, got a string',
    ]);
  });

  it('check names as the specification and Avro Java do', () => {
    const text = JSON.stringify({
      type: 'record',
      name: '9Lives',
      namespace: 'com.1x',
      fields: [
        { name: 'a-b', type: 'int' },
        { name: 'café', type: 'int' },
        { name: 'a', type: 'int' },
        { name: 'a', type: 'long' },
      ],
    });
    expect(diagnose(text)).toEqual([
      'error invalid-name 1:25 $.name: record name "9Lives" is invalid: it must start with a letter or an underscore',
      'error invalid-name 1:46 $.namespace: namespace part "1x" in "com.1x.9Lives" is invalid: it must start with a letter or an underscore',
      'error invalid-name 1:73 $.fields[0].name: field name "a-b" is invalid: it may contain only letters, digits and underscores',
      'warning invalid-name 1:101 $.fields[1].name: field name "café" is not portable: the Avro specification allows only [A-Za-z_][A-Za-z0-9_]* (Avro Java accepts it, other clients may not)',
      'error duplicate-field 1:156 $.fields[3].name: duplicate field "a" (also at $.fields[2])',
    ]);
    expect(diagnose('{"type":"record","name":"int","fields":[]}')).toEqual([
      'error invalid-name 1:25 $.name: a named type cannot be called "int", which is a primitive type',
    ]);
    expect(diagnose('{"type":"record","name":"A"}')).toEqual(['error invalid-schema 1:1 $: a record needs a "fields" array']);
  });

  it('check enums and fixed types', () => {
    const text = oneField(['null', { type: 'enum', name: 'E', symbols: ['A', 'A', '1B'], default: 'Z' }, { type: 'fixed', name: 'F', size: -1 }]);
    expect(diagnose(text)).toEqual([
      'error duplicate-symbol 1:123 $.fields[0].type[1].symbols[1]: duplicate enum symbol "A" (also at $.fields[0].type[1].symbols[0])',
      'error invalid-name 1:127 $.fields[0].type[1].symbols[2]: enum symbol "1B" is invalid: it must start with a letter or an underscore',
      'error invalid-enum-default 1:143 $.fields[0].type[1].default: enum default "Z" is not one of the symbols (A, 1B)',
      'error invalid-fixed-size 1:182 $.fields[0].type[2].size: a fixed needs a "size" that is a non-negative int, got -1',
    ]);
    expect(diagnose(oneField({ type: 'fixed', name: 'F', size: 0 }))).toEqual([]);
  });

  it('warn about a duplicate key, as Avro keeps the last one', () => {
    expect(diagnose('{"type":"record","name":"A","fields":[],"name":"B"}')).toEqual([
      'warning duplicate-key 1:41 $.name: duplicate key "name": Avro uses the last one',
    ]);
  });
});

describe('defaults', () => {
  it('must match the first branch of a union', () => {
    const result = parseSchemaText(oneField(['null', 'string'], { default: 'x' }));
    expect(lines(result.diagnostics)).toEqual([
      'error invalid-default 1:102 $.fields[0].default: invalid default for field "f": a union default must match the union\'s first branch (null), but "x" is a string matching "string"',
    ]);
    expect(result.diagnostics[0]?.hint).toBe('put "string" first in the union, or change the default; Avro 1.11 and older reject this');
    expect(diagnose(oneField(['null', 'string'], { default: null }))).toEqual([]);
    expect(diagnose(oneField(['string', 'null'], { default: 'x' }))).toEqual([]);
  });

  it('point inside nested records, maps and arrays', () => {
    const location = { type: 'record', name: 'L', fields: [{ name: 'lat', type: 'double' }, { name: 'alt', type: ['null', 'double'], default: null }] };
    expect(diagnose(oneField(location, { default: { lat: 'x' } }))).toEqual([
      'error invalid-default 1:217 $.fields[0].default.lat: invalid default for field "f": expected a number, got "x"',
    ]);
    expect(diagnose(oneField(location, { default: { lat: 1 } }))).toEqual([]);
    expect(diagnose(oneField(location, { default: { alt: 2 } }))).toEqual([
      'error invalid-default 1:210 $.fields[0].default: invalid default for field "f": missing field "lat", which has no default',
    ]);
    expect(diagnose(oneField({ type: 'map', values: 'int' }, { default: { a: 1, b: 'x' } }))).toEqual([
      'error invalid-default 1:125 $.fields[0].default["b"]: invalid default for field "f": expected an int (32-bit integer), got "x"',
    ]);
    expect(diagnose(oneField({ type: 'array', items: 'int' }, { default: [1, 2.5] }))).toEqual([
      'error invalid-default 1:118 $.fields[0].default[1]: invalid default for field "f": expected an int (32-bit integer), got 2.5',
    ]);
  });

  it('take bytes and fixed defaults as strings of bytes', () => {
    expect(diagnose(oneField('bytes', { default: '\u00ff\u0000' }))).toEqual([]);
    expect(diagnose(oneField('bytes', { default: 'Ā' }))).toEqual([
      'error invalid-default 1:92 $.fields[0].default: invalid default for field "f": expected a string of bytes (characters \\u0000-\\u00ff), got "Ā"',
    ]);
    expect(diagnose(oneField({ type: 'fixed', name: 'F', size: 2 }, { default: 'ab' }))).toEqual([]);
    expect(diagnose(oneField({ type: 'fixed', name: 'F', size: 2 }, { default: 'abc' }))).toEqual([
      'error invalid-default 1:121 $.fields[0].default: invalid default for field "f": expected a string of exactly 2 bytes (characters \\u0000-\\u00ff) for fixed "n.F", got "abc"',
    ]);
  });

  it('check numbers by their literal, as Jackson reads them', () => {
    const field = (type: string, literal: string): string => oneField(type).replace(`"type":"${type}"`, `"type":"${type}","default":${literal}`);
    expect(diagnose(field('long', '9223372036854775807'))).toEqual([]);
    expect(diagnose(field('long', '9223372036854775808'))).toEqual([
      'error invalid-default 1:91 $.fields[0].default: invalid default for field "f": expected a long (64-bit integer), got 9223372036854775808',
    ]);
    expect(diagnose(field('int', '1.0'))).toEqual([
      'error invalid-default 1:90 $.fields[0].default: invalid default for field "f": expected an int (32-bit integer), got 1.0',
    ]);
    expect(diagnose(field('float', '1'))).toEqual([]);
    // Avro Java parses a string default of a float or double field as a number.
    expect(diagnose(field('double', '"NaN"'))).toEqual([]);
    expect(diagnose(field('double', '"abc"'))).toEqual([
      'error invalid-default 1:93 $.fields[0].default: invalid default for field "f": expected a number, got "abc"',
    ]);
  });

  it('of an enum field must be a symbol', () => {
    expect(diagnose(oneField({ type: 'enum', name: 'E', symbols: ['X'] }, { default: 'Y' }))).toEqual([
      'error invalid-default 1:127 $.fields[0].default: invalid default for field "f": expected one of the symbols of enum "n.E" (X), got "Y"',
    ]);
  });

  it('are not checked for stored versions', () => {
    const result = parseSchemaText(oneField('int', { default: 'x' }), { validateDefaults: false });
    expect(result.diagnostics).toEqual([]);
    expect(result.schema).toBeDefined();
  });
});

describe('logical types', () => {
  const logical = (type: Record<string, unknown>): string[] => diagnose(oneField(type));
  const ignored = (name: string): string => `; Avro ignores a malformed logical type "${name}" and keeps only the underlying type`;

  it('accept well-formed ones', () => {
    expect(logical({ type: 'long', logicalType: 'timestamp-millis' })).toEqual([]);
    expect(logical({ type: 'int', logicalType: 'date' })).toEqual([]);
    expect(logical({ type: 'string', logicalType: 'uuid' })).toEqual([]);
    expect(logical({ type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 })).toEqual([]);
    expect(logical({ type: 'fixed', name: 'D', size: 4, logicalType: 'decimal', precision: 9 })).toEqual([]);
    expect(logical({ type: 'fixed', name: 'U', size: 16, logicalType: 'uuid' })).toEqual([]);
    expect(logical({ type: 'fixed', name: 'P', size: 12, logicalType: 'duration' })).toEqual([]);
  });

  it('check decimal precision and scale', () => {
    expect(logical({ type: 'bytes', logicalType: 'decimal' })).toEqual([
      `error invalid-logical-type 1:104 $.fields[0].type.logicalType: decimal needs a "precision"${ignored('decimal')}`,
    ]);
    expect(logical({ type: 'bytes', logicalType: 'decimal', precision: 3, scale: 5 })).toEqual([
      `error invalid-logical-type 1:136 $.fields[0].type.scale: decimal scale 5 is greater than its precision 3${ignored('decimal')}`,
    ]);
    expect(logical({ type: 'bytes', logicalType: 'decimal', precision: 0 })).toEqual([
      `error invalid-logical-type 1:126 $.fields[0].type.precision: decimal precision must be positive, got 0${ignored('decimal')}`,
    ]);
    expect(logical({ type: 'bytes', logicalType: 'decimal', precision: 1.5 })).toEqual([
      `error invalid-logical-type 1:126 $.fields[0].type.precision: "precision" must be an int${ignored('decimal')}`,
    ]);
    expect(logical({ type: 'fixed', name: 'D', size: 4, logicalType: 'decimal', precision: 10 })).toEqual([
      `error invalid-logical-type 1:146 $.fields[0].type.precision: fixed(4) cannot store 10 digits (max 9)${ignored('decimal')}`,
    ]);
    expect(logical({ type: 'int', logicalType: 'decimal', precision: 3 })).toEqual([
      `error invalid-logical-type 1:102 $.fields[0].type.logicalType: logical type "decimal" needs an underlying bytes or fixed type, not int${ignored('decimal')}`,
    ]);
  });

  it('check the underlying type', () => {
    expect(logical({ type: 'int', logicalType: 'timestamp-millis' })).toEqual([
      `error invalid-logical-type 1:102 $.fields[0].type.logicalType: logical type "timestamp-millis" needs an underlying long type, not int${ignored('timestamp-millis')}`,
    ]);
    expect(logical({ type: 'long', logicalType: 'date' })).toEqual([
      `error invalid-logical-type 1:103 $.fields[0].type.logicalType: logical type "date" needs an underlying int type, not long${ignored('date')}`,
    ]);
    expect(logical({ type: 'bytes', logicalType: 'uuid' })).toEqual([
      `error invalid-logical-type 1:104 $.fields[0].type.logicalType: logical type "uuid" needs an underlying string or fixed(16) type, not bytes${ignored('uuid')}`,
    ]);
    expect(logical({ type: 'fixed', name: 'U', size: 8, logicalType: 'uuid' })).toEqual([
      `error invalid-logical-type 1:124 $.fields[0].type.logicalType: logical type "uuid" on a fixed type needs size 16, not 8${ignored('uuid')}`,
    ]);
  });

  it('warn about unknown and misplaced ones, which Avro ignores', () => {
    expect(logical({ type: 'string', logicalType: 'timestamp-milis' })).toEqual([
      'warning unknown-logical-type 1:105 $.fields[0].type.logicalType: unknown logical type "timestamp-milis" is ignored by Avro (known: decimal, big-decimal, uuid, date, time-millis, time-micros, timestamp-millis, timestamp-micros, timestamp-nanos, local-timestamp-millis, local-timestamp-micros, local-timestamp-nanos, duration)',
    ]);
    const misplaced = parseSchemaText(oneField('long', { logicalType: 'timestamp-millis' }));
    expect(lines(misplaced.diagnostics)).toEqual([
      'warning misplaced-logical-type 1:95 $.fields[0].logicalType: "logicalType" on a field is ignored by Avro',
    ]);
    expect(misplaced.diagnostics[0]?.hint).toBe('move it into the type: "type": {"type": "long", "logicalType": "timestamp-millis"}');
  });

  it('keep the parsed logical type on the schema', () => {
    const parsed = parseSchemaText(oneField({ type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 })).schema?.schema;
    const field = parsed?.type === 'record' ? parsed.fields[0] : undefined;
    expect(field?.schema.type === 'bytes' && field.schema.logicalType).toEqual({ name: 'decimal', precision: 10, scale: 2 });
  });
});

describe('many files', () => {
  // Speed is measured by bench/schemas.mjs, not here.
  it('parses 200 schemas that share a named type', () => {
    const files = Array.from({ length: 200 }, (_, i) => ({
      path: `s${i}.avsc`,
      text: JSON.stringify({
        type: 'record',
        name: `Rec${i}`,
        namespace: 'perf',
        fields: [
          ...Array.from({ length: 20 }, (_, j) => ({ name: `f${j}`, type: ['null', 'string', 'long'], default: null })),
          { name: 'loc', type: i === 0 ? { type: 'record', name: 'Loc', fields: [{ name: 'lat', type: 'double' }] } : ['null', 'Loc'], ...(i === 0 ? {} : { default: null }) },
          { name: 'kind', type: { type: 'enum', name: `Kind${i}`, symbols: ['A', 'B', 'C'], default: 'A' } },
        ],
      }),
    }));
    const result = parseSchemaFiles(files);
    expect(result.diagnostics).toEqual([]);
    expect(result.schemas.size).toBe(200);
  });
});
