import type { ChalkInstance } from 'chalk';
import type { CheckReport, GateEntry, GateReport, ImportReport, RegistrationResult, RegistryCheck, SubjectDiff } from '../core/schemas/index.js';
import { keyValues, table } from './table.js';

export function renderSubjectList(rows: readonly { subject: string; latestVersion: number; id: number; schemaType: string }[], style: ChalkInstance): string {
  if (rows.length === 0) return style.dim('no subjects');
  return table(['SUBJECT', 'LATEST', 'ID', 'TYPE'], rows.map((r) => [r.subject, r.latestVersion, r.id, r.schemaType]));
}

function prettySchema(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

interface StoredSchema {
  subject: string;
  version: number;
  id: number;
  schemaType: string;
  schema: string;
  references: { name: string; subject: string; version: number }[];
}

export function renderRegisteredSchema(stored: StoredSchema): string {
  const references = stored.references.map((r) => `${r.name} → ${r.subject} v${r.version}`).join(', ');
  return [
    keyValues([
      ['subject', stored.subject],
      ['version', stored.version],
      ['id', stored.id],
      ['type', stored.schemaType],
      ...(references ? [['references', references] as const] : []),
    ]),
    '',
    prettySchema(stored.schema),
  ].join('\n');
}

export function renderVersions(rows: readonly { version: number; id: number }[], style: ChalkInstance): string {
  if (rows.length === 0) return style.dim('no versions');
  return table(['VERSION', 'ID'], rows.map((r) => [r.version, r.id]));
}

export function renderCompatibility(c: { subject: string | null; level: string | null; global: string | null; effective: string | null }): string {
  if (c.subject === null) return `global: ${c.global ?? 'unknown'}`;
  return c.level === null ? `${c.subject}: ${c.effective ?? 'unknown'} (the global level; the subject has none of its own)` : `${c.subject}: ${c.level}`;
}

export function renderDeleted(d: { subject: string; versions: number[]; permanent: boolean }, style: ChalkInstance): string {
  const how = d.permanent ? 'permanently deleted' : 'soft-deleted';
  return `${style.green('✓')} ${d.subject}: ${how} version(s) ${d.versions.join(', ')}`;
}

const OUTCOME_LABELS: Record<RegistrationResult['outcome'], string> = {
  registered: 'registered',
  'new-version': 'new version',
  unchanged: 'unchanged',
  refused: 'refused (incompatible)',
  missing: 'missing',
};

export function renderRegistrations(results: readonly RegistrationResult[], style: ChalkInstance): string {
  if (results.length === 0) return style.dim('no schemas: no topic of this environment has keySchema or valueSchema');
  const outcome = (r: RegistrationResult) => {
    const label = OUTCOME_LABELS[r.outcome];
    if (r.outcome === 'refused' || r.outcome === 'missing') return style.red(label);
    return r.outcome === 'unchanged' ? style.dim(label) : style.green(label);
  };
  return table(
    ['SUBJECT', 'RESULT', 'VERSION', 'ID', 'COMPATIBILITY'],
    results.map((r) => [r.subject, outcome(r), r.version, r.id, r.levelChange ? `${r.levelChange.from ?? 'not set'} → ${r.levelChange.to}` : '']),
  );
}

/** Why a subject was not registered, for stderr: the registry's reasons, one per line. */
export function renderRegistrationReasons(result: RegistrationResult, style: ChalkInstance): string {
  return [`${style.red('✗')} ${result.subject}:`, ...(result.reasons ?? []).map((r) => `    ${r}`)].join('\n');
}

function incompatibilityLines(incompatibilities: CheckReport['incompatibilities'], style: ChalkInstance): string[] {
  return incompatibilities.flatMap((i) => [
    `  ${style.red('✗')} ${i.path} ${style.dim(`[${i.type}, ${i.direction.toLowerCase()}, against ${i.against}]`)}`,
    `      ${i.message}`,
    style.dim(`      ${i.detail}`),
  ]);
}

function registryLines(registry: RegistryCheck, offlineCompatible: boolean, style: ChalkInstance): string[] {
  const lines: string[] = [];
  if (!registry.asked) lines.push(style.dim(`registry: not asked: ${registry.note ?? ''}`));
  for (const v of registry.verdicts) {
    const against = v.against.length === 0 ? 'no versions yet' : `version ${v.against.join(', ')}`;
    lines.push(`registry ${v.subject} (${v.level ?? 'level unknown'}, ${against}): ${verdictWord(v.compatible, style)}`);
    for (const reason of v.reasons) lines.push(`  ${reason}`);
    if (v.compatible !== offlineCompatible) {
      lines.push(style.yellow('  note: the registry compares with its own versions at its own level; the offline check with the versions given'));
    }
  }
  return lines;
}

const verdictWord = (ok: boolean, style: ChalkInstance) => (ok ? style.green('compatible') : style.red('incompatible'));

/** Which versions a level compared with, and which of them broke. */
function checkedLine(checked: readonly string[], broke: readonly string[], given: number, style: ChalkInstance): string {
  if (given === 0) return style.dim('  no earlier version: nothing to check against');
  if (checked.length === 0) return style.dim(`  NONE checks against none of the ${given} version(s)`);
  return `  checked against ${checked.map((c) => (broke.includes(c) ? style.red(`${c} (broken)`) : c)).join(', ')}${checked.length < given ? style.dim(` (the newest of ${given}; the level is not transitive)`) : ''}`;
}

export function renderCheck(report: CheckReport, style: ChalkInstance): string {
  const lines = [
    `${report.file}: offline (${report.level}${report.levelFrom === 'default' ? ', the default' : ''}): ${verdictWord(report.compatible, style)}`,
    checkedLine(report.checked, report.broke, report.history.length, style),
    ...incompatibilityLines(report.incompatibilities, style),
    ...registryLines(report.registry, report.compatible, style),
  ];
  return lines.join('\n');
}

const GATE_VERDICTS = { compatible: 'compatible', incompatible: 'incompatible', new: 'new (nothing to check against)', invalid: 'invalid' } as const;

/** The CI gate: one block per schema changed since the revision. */
export function renderGate(report: GateReport, style: ChalkInstance): string {
  if (report.files.length === 0) return style.dim(`no schema changed since ${report.against}`);
  const colour = { compatible: style.green, incompatible: style.red, new: style.yellow, invalid: style.red } as const;
  const blocks = report.files.map((f) => {
    const subjects = f.subjects.length === 0 ? 'no subject' : f.subjects.join(', ');
    return [
      `${f.file} (${f.change} since ${report.against}; ${subjects}; ${f.level}): ${colour[f.verdict](GATE_VERDICTS[f.verdict])}`,
      ...(f.verdict === 'invalid' ? [`  ${f.problem ?? ''}`] : f.change === 'new' ? [] : [checkedLine(f.checked, f.broke, Math.max(f.checked.length, 1), style)]),
      ...incompatibilityLines(f.incompatibilities, style),
      ...(f.verdict === 'invalid' ? [] : registryLines(f.registry, f.verdict !== 'incompatible' || f.incompatibilities.length === 0, style)),
    ].join('\n');
  });
  const count = (v: GateEntry['verdict']) => report.files.filter((f) => f.verdict === v).length;
  return [...blocks, '', `Schemas since ${report.against}: ${count('compatible')} compatible, ${count('new')} new, ${count('incompatible')} incompatible, ${count('invalid')} invalid.`].join('\n');
}

export function renderDiffs(diffs: readonly SubjectDiff[], style: ChalkInstance): string {
  if (diffs.length === 0) return style.dim('no schemas to compare');
  const status: Record<SubjectDiff['status'], string> = {
    identical: style.green('identical to the registry'),
    equivalent: style.yellow('same canonical form; docs, defaults or attributes differ'),
    different: style.yellow('differs from the registry'),
    'not-registered': style.yellow('not registered'),
  };
  const sign = { added: style.green('+'), removed: style.red('-'), changed: style.yellow('~') };
  return diffs
    .flatMap((d) => [
      `${d.subject} (${d.file}${d.version === null ? '' : ` vs version ${d.version}, id ${d.id}`}): ${status[d.status]}`,
      ...d.differences.map((x) => `  ${sign[x.change]} ${x.path}: ${[x.before, x.after].filter((v) => v !== undefined).join(' → ')}`),
    ])
    .join('\n');
}

export function renderExport(result: { dir: string; subjects: number; versions: number }, style: ChalkInstance): string {
  return `${style.green('✓')} exported ${result.subjects} subject(s), ${result.versions} version(s) to ${result.dir}`;
}

export function renderImport(report: ImportReport, style: ChalkInstance): string {
  if (report.versions.length === 0) return style.dim('the export holds no subjects');
  const outcome = { imported: style.green('imported'), unchanged: style.dim('unchanged'), refused: style.red('refused') } as const;
  const rows = report.versions.map((v) => [
    v.subject,
    v.version,
    v.id,
    outcome[v.outcome],
    v.targetVersion ?? '',
    v.targetId === undefined ? '' : v.targetId === v.id ? `${v.targetId} (kept)` : v.targetId,
    v.reason ?? '',
  ]);
  const lines = [table(['SUBJECT', 'VERSION', 'ID', 'RESULT', 'NOW VERSION', 'NOW ID', 'REASON'], rows)];
  if (report.levelsSet.length > 0) lines.push('', `levels set: ${report.levelsSet.join(', ')}`);
  return lines.join('\n');
}
