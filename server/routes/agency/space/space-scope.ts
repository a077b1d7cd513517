// The agency space (SPEC §8): its HTML pages and the sign-in that opens them, in a scope of their
// own inside the agency scope (../agency-scope.ts), which has authenticated the caller and checked
// a session's CSRF token. Here only: the space's CSP and its errors answered as pages
// (space-pages.ts), so the agency API beside it keeps the JSON error shape.
import type { FastifyInstance } from 'fastify';
import type { AgencyReads } from '../../../agency/agency-reads.ts';
import type { InviteByMail } from '../../../agency/entity-admin.ts';
import type { QueueMail } from '../../../mail/mail-outbox.ts';
import { accessRequestRoutes } from './access-requests.ts';
import { emailSignInRoutes } from './sign-in.ts';
import type { AuditTrail } from '../../../agency/audit-trail.ts';
import { oidcLogin } from '../../../agency/oidc-login.ts';
import type { AgencySessions } from '../../../agency/sessions.ts';
import type { Config } from '../../../config.ts';
import type { Store } from '../../../store/store.ts';
import { agencySessionRoutes } from './agency-session.ts';
import { OIDC_CALLBACK_PATH, oidcLoginRoutes, providerLogoutUrl } from './oidc-login.ts';
import { spaceAccountRoutes } from './space-account.ts';
import { spaceAdminRoutes } from './space-admin.ts';
import { spaceHomeRoutes } from './space-home.ts';
import { spaceNewProcedureRoutes } from './space-new-procedure.ts';
import { spacePreferenceRoutes } from './space-preferences.ts';
import { registerSpacePages } from './space-pages.ts';
import { spaceComparisonRoutes } from './space-comparison.ts';
import { spaceInsightsRoutes } from './space-insights.ts';
import { spaceReviewRoutes } from './space-reviews.ts';

interface Options {
  config: Config;
  store: Store;
  reads: AgencyReads;
  now: () => Date;
  audit: AuditTrail;
  sessions: AgencySessions;
  invite: InviteByMail;
  queueMail: QueueMail;
}

export async function spaceScope(
  scope: FastifyInstance,
  { config, store, reads, now, audit, sessions, invite, queueMail }: Options,
): Promise<void> {
  // Sign-in with OpenID Connect (ProConnect) exists only when its provider is configured.
  const oidc = config.oidc && oidcLogin(config.oidc, { redirectUri: config.publicUrl + OIDC_CALLBACK_PATH, now });
  // The space's pages: their CSP lets the logout form reach the provider, whose session ends too.
  const pages = registerSpacePages(scope, { sessions, oidcLogin: oidc !== undefined, formActions: () => oidc?.logoutOrigins() ?? [] });
  if (oidc) await scope.register(oidcLoginRoutes, { config, oidc, sessions });
  await scope.register(emailSignInRoutes, {
    store,
    publicUrl: config.publicUrl,
    queue: queueMail,
    now,
    oidcLogin: oidc !== undefined,
    signup: config.signupDomains.length > 0,
    rateLimited: config.agencyRateLimitPerMinute > 0,
  });
  // Access requests exist only where the operator allows some domains.
  if (config.signupDomains.length > 0) {
    await scope.register(accessRequestRoutes, {
      store,
      publicUrl: config.publicUrl,
      queue: queueMail,
      now,
      domains: config.signupDomains,
      rateLimited: config.agencyRateLimitPerMinute > 0,
    });
  }
  await scope.register(agencySessionRoutes, {
    ownOrigins: config.ownOrigins,
    store,
    sessions,
    now,
    oidcLogin: oidc !== undefined,
    providerLogout: oidc && ((request, reply, { redirect }) => providerLogoutUrl(config, redirect ? oidc : undefined, request, reply)),
  });
  await scope.register(spaceAdminRoutes, { config, store, now, audit, pages, invite, queueMail });
  await scope.register(spaceAccountRoutes, { store, pages });
  await scope.register(spaceNewProcedureRoutes, { config, store, audit, pages });
  await scope.register(spaceHomeRoutes, { store, now, pages, minReviews: config.feedMinReviews });
  await scope.register(spaceReviewRoutes, { store, reads, now, pages });
  await scope.register(spacePreferenceRoutes, { store, now, audit, pages });
  await scope.register(spaceComparisonRoutes, { store, now, pages });
  await scope.register(spaceInsightsRoutes, { store, now, pages, termMinReviews: config.termMinReviews });
}
