/** Messages: synthetic data, value checking, templates, positions and lag. Pure. */
export { parseDuration } from '../duration.js';
export { parsePointInTime } from './duration.js';
export { DECODED_FIELDS, parseTemplate, type TemplateField, type TemplatePiece } from './template.js';
export { conformValue, describeJson, type ConformOptions, type ConformResult, type ValueProblem } from './conform.js';
export { generateMessages, seededRandom, type GeneratedMessage, type GeneratorOptions } from './generate.js';
export { offsetClampNotes, planOffsetReset, resolvePosition, type OffsetChange, type PartitionBounds, type Position } from './positions.js';
export { partitionLag, sortByLag, totalLag, type GroupLagSummary, type PartitionLag } from './lag.js';
export { compileFittingWriter, type FittingWriter } from './avroWriter.js';
export { ByteSink } from './byteSink.js';
