/** A problem found in an input file, with the position a user can jump to. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  file: string;
  /** 1-based; 0 when the problem has no single position (e.g. a whole-file issue). */
  line: number;
  column: number;
  message: string;
  hint?: string;
  /** Stable identifier for tests and JSON consumers, e.g. "unknown-key". */
  code: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  const hint = d.hint ? ` (${d.hint})` : '';
  return `${where}: ${d.severity}: ${d.message}${hint}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
