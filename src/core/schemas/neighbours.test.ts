import { describe, expect, it } from 'vitest';
import { parseSchemaWithNeighbours } from './neighbours.js';

const location = { path: 'schemas/location.avsc', text: '{"type":"record","name":"Location","namespace":"n","fields":[{"name":"lat","type":"double"}]}' };
const reading = { path: 'schemas/reading.avsc', text: '{"type":"record","name":"Reading","namespace":"n","fields":[{"name":"at","type":"Location"}]}' };
const olderReading = { path: 'schemas/reading.v1.avsc', text: '{"type":"record","name":"Reading","namespace":"n","fields":[]}' };
const broken = { path: 'schemas/broken.avsc', text: '{"type":"record"' };

describe('parseSchemaWithNeighbours', () => {
  it('resolves named types defined in neighbouring files', () => {
    const { schema, diagnostics } = parseSchemaWithNeighbours(reading, [location, reading]);
    expect(diagnostics).toEqual([]);
    expect(schema?.references).toEqual([{ fullName: 'n.Location', definedIn: 'schemas/location.avsc' }]);
  });

  it('leaves out a neighbour that defines the same type (an older copy) instead of reporting a duplicate', () => {
    const { schema, diagnostics } = parseSchemaWithNeighbours(reading, [olderReading, location]);
    expect(diagnostics).toEqual([]);
    expect(schema?.schema.type).toBe('record');
  });

  it("ignores unrelated broken neighbours and reports the file's own problems", () => {
    expect(parseSchemaWithNeighbours(reading, [location, broken]).schema).toBeDefined();
    const { schema, diagnostics } = parseSchemaWithNeighbours(reading, []);
    expect(schema).toBeUndefined();
    expect(diagnostics.map((d) => [d.file, d.code])).toEqual([['schemas/reading.avsc', 'undefined-name']]);
  });
});
