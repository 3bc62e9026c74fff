import type { ChalkInstance } from 'chalk';
import type { AccessPlan } from '../core/access/index.js';
import type { RegistrationResult, SchemaPlan } from '../core/schemas/index.js';
import type { PlanDocument } from '../core/topics/index.js';
import { renderAccessPlan, renderAppliedAccess, type AccessReport } from './accessPlan.js';
import { renderApplied, renderPlan, type AppliedPlan } from './plan.js';
import { renderRegistrations } from './schema.js';
import { renderSchemaPlan } from './schemaPlan.js';

/** The parts of one project plan; `iotmsg apply` may plan fewer of them. */
export interface ProjectPlanView {
  topics?: PlanDocument;
  schemas?: SchemaPlan;
  access?: AccessPlan;
}

export function renderProjectPlan({ topics, schemas, access }: ProjectPlanView, style: ChalkInstance): string {
  const sections: string[] = [];
  if (topics !== undefined) sections.push([style.bold('Topics'), renderPlan(topics, style)].join('\n'));
  if (schemas !== undefined) sections.push([style.bold('Schemas'), renderSchemaPlan(schemas, style)].join('\n'));
  if (access !== undefined) sections.push([style.bold('Access'), renderAccessPlan(access, style)].join('\n'));
  return sections.join('\n\n');
}

/** What `iotmsg apply` did, part by part (null: nothing to do there). */
export interface ProjectApplied {
  plan: ProjectPlanView;
  topics: AppliedPlan['applied'];
  schemas: RegistrationResult[] | null;
  access: AccessReport | null;
}

export function renderProjectApplied(result: ProjectApplied, style: ChalkInstance): string {
  const lines: string[] = [];
  if (result.plan.topics !== undefined) lines.push(renderApplied({ plan: result.plan.topics, applied: result.topics }, style));
  if (result.schemas !== null) lines.push(renderRegistrations(result.schemas, style));
  if (result.plan.access !== undefined) lines.push(renderAppliedAccess({ plan: result.plan.access, applied: result.access }, style));
  return lines.join('\n');
}
