/**
 * A registry's content as files that can be committed (`schema export`), and the
 * order to write it into another registry (`schema import`). The folder holds
 * registry.json (subjects, versions, ids, levels, references) and one file per
 * version with the schema text exactly as the registry returned it.
 */
import type { CompatibilityLevel } from './compatibility.js';
import { COMPATIBILITY_LEVELS } from './compatibility.js';

export const EXPORT_FORMAT = 'iotmsg-schema-export';
export const EXPORT_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'registry.json';

export interface ExportedReference {
  name: string;
  subject: string;
  version: number;
}

export interface ExportedVersion {
  version: number;
  id: number;
  schemaType: string;
  /** The schema's file, relative to the export folder. */
  file: string;
  references: ExportedReference[];
}

export interface ExportedSubject {
  subject: string;
  /** The subject's own level; null when it has none (the global level applies). */
  level: CompatibilityLevel | null;
  versions: ExportedVersion[];
}

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  formatVersion: typeof EXPORT_FORMAT_VERSION;
  /** The source registry's global level, for the record: import leaves the target's own alone. */
  globalLevel: CompatibilityLevel | null;
  subjects: ExportedSubject[];
}

const EXTENSIONS: Record<string, string> = { AVRO: 'avsc', JSON: 'json', PROTOBUF: 'proto' };

/** subjects/<subject>/v<version>.<ext>; the subject is URI-encoded, as subjects may hold "/" or ":". */
export function versionFile(subject: string, version: number, schemaType: string): string {
  return `subjects/${encodeURIComponent(subject)}/v${version}.${EXTENSIONS[schemaType] ?? 'schema'}`;
}

export function manifestText(manifest: ExportManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** registry.json read back, or the first thing wrong with it. */
export function parseManifest(text: string): { manifest: ExportManifest } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `not JSON: ${(error as Error).message}` };
  }
  const m = value as Partial<ExportManifest> | null;
  if (m?.format !== EXPORT_FORMAT) return { problem: `not an iotmsg schema export (format is not "${EXPORT_FORMAT}")` };
  if (m.formatVersion !== EXPORT_FORMAT_VERSION) return { problem: `a version ${String(m.formatVersion)} export; this iotmsg reads version ${EXPORT_FORMAT_VERSION}` };
  if (!Array.isArray(m.subjects)) return { problem: '"subjects" is not a list' };
  for (const s of m.subjects) {
    if (typeof s?.subject !== 'string' || !Array.isArray(s.versions)) return { problem: 'a subject without "subject" and "versions"' };
    if (s.level !== null && !COMPATIBILITY_LEVELS.includes(s.level)) return { problem: `subject ${s.subject}: "${String(s.level)}" is not a compatibility level` };
    for (const v of s.versions) {
      if (!Number.isInteger(v?.version) || !Number.isInteger(v.id) || typeof v.file !== 'string' || typeof v.schemaType !== 'string' || !Array.isArray(v.references)) {
        return { problem: `subject ${s.subject}: a version needs "version", "id", "schemaType", "file" and "references"` };
      }
    }
  }
  return { manifest: m as ExportManifest };
}

export interface ImportStep {
  subject: string;
  version: ExportedVersion;
}

/**
 * Every version in the order the source registered them (by id, then subject and
 * version): a reference always names an older schema, so it is there first, and a
 * registry that numbers ids itself hands them out in the same order.
 */
export function importOrder(manifest: ExportManifest): ImportStep[] {
  return manifest.subjects
    .flatMap((s) => s.versions.map((version) => ({ subject: s.subject, version })))
    .sort((a, b) => a.version.id - b.version.id || a.subject.localeCompare(b.subject) || a.version.version - b.version.version);
}
