import { describe, expect, it } from 'vitest';
import { importOrder, manifestText, parseManifest, versionFile, type ExportManifest } from './transfer.js';

const manifest: ExportManifest = {
  format: 'iotmsg-schema-export',
  formatVersion: 1,
  globalLevel: 'BACKWARD',
  subjects: [
    { subject: 'b-value', level: 'FULL', versions: [{ version: 1, id: 7, schemaType: 'AVRO', file: versionFile('b-value', 1, 'AVRO'), references: [{ name: 'Loc', subject: 'loc', version: 1 }] }] },
    {
      subject: 'loc',
      level: null,
      versions: [
        { version: 1, id: 3, schemaType: 'AVRO', file: versionFile('loc', 1, 'AVRO'), references: [] },
        { version: 2, id: 9, schemaType: 'AVRO', file: versionFile('loc', 2, 'AVRO'), references: [] },
      ],
    },
  ],
};

describe('schema exports', () => {
  it('read back what they wrote', () => {
    expect(parseManifest(manifestText(manifest))).toEqual({ manifest });
  });

  it('name a version file by its subject, URI-encoded, and its type', () => {
    expect(versionFile('iot/sensors:x', 3, 'PROTOBUF')).toBe('subjects/iot%2Fsensors%3Ax/v3.proto');
  });

  it('say what is wrong with a file that is not one', () => {
    expect(parseManifest('{')).toMatchObject({ problem: expect.stringMatching(/^not JSON: /) });
    expect(parseManifest('{"format":"other"}')).toEqual({ problem: 'not an iotmsg schema export (format is not "iotmsg-schema-export")' });
    expect(parseManifest(JSON.stringify({ ...manifest, formatVersion: 2 }))).toEqual({ problem: 'a version 2 export; this iotmsg reads version 1' });
    const badLevel = { ...manifest, subjects: [{ ...manifest.subjects[0]!, level: 'SIDEWAYS' }] };
    expect(parseManifest(JSON.stringify(badLevel))).toEqual({ problem: 'subject b-value: "SIDEWAYS" is not a compatibility level' });
  });

  it('import in the order the source registered (by id), so references come first', () => {
    expect(importOrder(manifest).map((s) => [s.subject, s.version.version])).toEqual([
      ['loc', 1],
      ['b-value', 1],
      ['loc', 2],
    ]);
  });
});
