import type { ChalkInstance } from 'chalk';
import type { SchemaPlan } from '../core/schemas/index.js';
import type { PlanDocument } from '../core/topics/index.js';
import { renderPlan } from './plan.js';
import { renderSchemaPlan } from './schemaPlan.js';

export function renderProjectPlan({ topics, schemas }: { topics: PlanDocument; schemas: SchemaPlan }, style: ChalkInstance): string {
  return [style.bold('Topics'), renderPlan(topics, style), '', style.bold('Schemas'), renderSchemaPlan(schemas, style)].join('\n');
}
