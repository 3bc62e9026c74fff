/** Kept apart from output.ts so building the CLI (and --help) does not load chalk. */
export type OutputFormat = 'table' | 'json' | 'yaml';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'yaml'];
