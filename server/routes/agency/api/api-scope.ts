// The agency API (SPEC §8): JSON only, in the one error shape. Registered inside the agency scope
// (../agency-scope.ts), whose hooks have authenticated the caller and checked a session's CSRF
// token by the time a handler runs; its errors go on to the app's handler unchanged.
import type { FastifyInstance } from 'fastify';
import type { AgencyReads } from '../../../agency/agency-reads.ts';
import type { InviteByMail } from '../../../agency/entity-admin.ts';
import type { AuditTrail } from '../../../agency/audit-trail.ts';
import type { Config } from '../../../config.ts';
import type { Store } from '../../../store/store.ts';
import { agencyComparisonRoutes } from './agency-comparisons.ts';
import { agencyEntityRoutes } from './agency-entities.ts';
import { agencyFormRoutes } from './agency-forms.ts';
import { agencyInsightsRoutes } from './agency-insights.ts';
import { agencyProblemReportRoutes } from './agency-problem-reports.ts';
import { agencyProcedureRoutes } from './agency-procedures.ts';
import { agencyReviewRoutes } from './agency-reviews.ts';
import { agencyTriageRoutes } from './agency-triage.ts';

interface Options {
  config: Config;
  store: Store;
  reads: AgencyReads;
  now: () => Date;
  audit: AuditTrail;
  invite: InviteByMail;
}

export async function apiScope(scope: FastifyInstance, { config, store, reads, now, audit, invite }: Options): Promise<void> {
  await scope.register(agencyProcedureRoutes, { config, store, now, audit });
  await scope.register(agencyFormRoutes, { config, store, now, audit });
  await scope.register(agencyEntityRoutes, { store, now, audit, invite });
  await scope.register(agencyReviewRoutes, { store, now, exportsPerEntity: config.exportsPerEntity, reads });
  await scope.register(agencyProblemReportRoutes, { store, now });
  await scope.register(agencyTriageRoutes, { store, now });
  await scope.register(agencyComparisonRoutes, { store, now });
  await scope.register(agencyInsightsRoutes, { store, now, termMinReviews: config.termMinReviews });
}
