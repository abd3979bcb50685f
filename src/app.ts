import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import { addendumRoutes } from './addenda/routes.ts';
import { evaluationRoutes } from './evaluation/routes.ts';
import { applicationRoutes } from './applications/routes.ts';
import { offerRoutes } from './offers/routes.ts';
import { contractRoutes } from './contracts/routes.ts';
import { repostRoutes } from './offers/repost-routes.ts';
import { termsRoutes } from './terms/routes.ts';
import { feedbackRoutes } from './feedback/routes.ts';
import { selfIdentificationRoutes } from './self-identification/routes.ts';
import { adminRoutes } from './admin/routes.ts';
import { newDepartmentRoutes } from './admin/new-department-routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { profileRoutes } from './accounts/profile-routes.ts';
import { federatedRoutes } from './accounts/federated-routes.ts';
import { accountRoutes } from './accounts/routes.ts';
import { demoAccounts } from './demo/content/accounts.ts';
import { opportunityRoutes } from './opportunities/routes.ts';
import { questionRoutes } from './questions/routes.ts';
import { unwatchRoutes } from './questions/unwatch-routes.ts';
import { pageRoutes } from './pages/routes.ts';
import { reviewRoutes } from './review/routes.ts';
import { queueRoutes } from './queues/routes.ts';
import { overrideRoutes } from './review/override-routes.ts';
import { translationRoutes } from './translation/routes.ts';
import { publishingRoutes } from './publishing/routes.ts';
import { drawRoutes } from './draw/routes.ts';
import { paymentRoutes } from './payments/routes.ts';
import { supplierPaymentRoutes } from './payments/supplier-routes.ts';
import { cardRoutes } from './payments/card-routes.ts';
import { invoiceRoutes } from './invoices/routes.ts';
import { PAYPAL_WEBHOOK_PATH, paypalWebhook } from './payments/paypal/webhooks.ts';
import { paypalRoutes } from './payments/paypal/routes.ts';
import { certificationRoutes } from './certification/routes.ts';
import { deliveryRoutes } from './delivery/routes.ts';
import { feedRoutes } from './feeds/routes.ts';
import { apiRouter } from './api/routes.ts';
import { API_BASE } from './api/present.ts';
import { requestFormRoutes } from './requests/form-routes.ts';
import { subscriptionRoutes } from './subscriptions/routes.ts';
import { currentUserOf } from './accounts/session.ts';
import { findDepartmentIdByReference, findDepartmentIdBySlug } from './admin/repo.ts';
import { loadCurrentUser } from './platform/auth.ts';
import { oneReadingPerRequest, readingOncePerRequest } from './platform/clock.ts';
import type { AppDeps } from './platform/deps.ts';
import { csrfProtection } from './platform/csrf.ts';
import { errorHandler, notFoundHandler } from './platform/errors.ts';
import { dropNulCharacters } from './platform/forms.ts';
import { emailPreviewRoutes } from './platform/mail/preview-routes.ts';
import { failedEmailRoutes } from './platform/mail/failed-routes.ts';
import { metricsRoutes } from './metrics/routes.ts';
import { loggedUrl } from './platform/logger.ts';
import { fromRoot } from './platform/paths.ts';
import {
  cachedPages,
  mountRoutes,
  postsCheckingCsrf,
  withoutTrailingSlash,
  type DepartmentLookups,
  type RouteDef,
} from './platform/router.ts';
import { securityHeaders } from './platform/security-headers.ts';
import { createSessions, sessionCookieName } from './platform/sessions.ts';

/** Every page of the site, in one list: the router mounts it, the access tests read it. */
export function routeTable(deps: AppDeps): RouteDef[] {
  return [
    ...pageRoutes(deps),
    ...opportunityRoutes(deps),
    // The demo's accounts, listed on the sign-in page in development (demo content is not a feature's).
    ...accountRoutes(deps, demoAccounts),
    ...federatedRoutes(deps),
    ...profileRoutes(deps),
    ...subscriptionRoutes(deps),
    ...adminRoutes(deps),
    ...newDepartmentRoutes(deps),
    ...auditRoutes(deps),
    // The request form's fixed paths (/requests/new…) must come before /requests/:ref.
    ...requestFormRoutes(deps),
    ...reviewRoutes(deps),
    ...queueRoutes(deps),
    ...overrideRoutes(deps),
    ...questionRoutes(deps),
    ...unwatchRoutes(deps),
    ...addendumRoutes(deps),
    ...evaluationRoutes(deps),
    ...applicationRoutes(deps),
    ...offerRoutes(deps),
    ...contractRoutes(deps),
    ...repostRoutes(deps),
    ...termsRoutes(deps),
    ...selfIdentificationRoutes(deps),
    ...feedbackRoutes(deps),
    ...translationRoutes(deps),
    ...publishingRoutes(deps),
    ...drawRoutes(deps),
    ...paypalRoutes(deps),
    ...paymentRoutes(deps),
    ...supplierPaymentRoutes(deps),
    ...cardRoutes(deps),
    ...invoiceRoutes(deps),
    ...certificationRoutes(deps),
    ...deliveryRoutes(deps),
    ...feedRoutes(deps),
    // reviewRoutes, translationRoutes, publishingRoutes, questionRoutes, addendumRoutes here
    ...emailPreviewRoutes(deps),
    ...failedEmailRoutes(deps),
    ...metricsRoutes(deps),
  ];
}

// The platform knows no feature: who a session names and which department a URL names are
// answered by the features that own people, departments and opportunities.
const departments: DepartmentLookups = {
  bySlug: findDepartmentIdBySlug,
  byReference: findDepartmentIdByReference,
};

const REQUEST_ID = /^[\w-]{8,64}$/;

export function createApp(deps: AppDeps): Express {
  const app = express();
  const production = deps.config.NODE_ENV === 'production';
  app.disable('x-powered-by');
  // Our cached pages carry their own ETag; Express would hash every body again.
  app.set('etag', false);
  // Rate limits key on req.ip: only the proxies the configuration names may set it (M3).
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.set('query parser', 'simple');
  // One address per page: /EN/Opportunities and /en/opportunities/ are not pages of their own
  // (nor entries of the page cache); withoutTrailingSlash sends the second one home.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id =
          typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // One short line per request: headers are noise here, and may carry cookies; the address
      // is written without its tokens and codes.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: loggedUrl(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    }),
  );
  app.use(securityHeaders(production));

  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  app.get('/readyz', async (req, res) => {
    try {
      await deps.db.raw('select 1');
      res.set('Cache-Control', 'no-store').json({ status: 'ready' });
    } catch (error) {
      req.log.warn({ err: error }, 'database not ready');
      res.status(503).set('Cache-Control', 'no-store').json({ status: 'database unavailable' });
    }
  });
  // The read-only open data API: before sessions, so it never reads or sets a cookie.
  app.use(API_BASE, apiRouter(deps));

  app.use(withoutTrailingSlash);
  app.use(cachedPages(deps, sessionCookieName(deps)));

  const staticOptions = { maxAge: production ? '1d' : 0, index: false, fallthrough: true };
  app.use(
    '/assets/gcds',
    express.static(fromRoot('node_modules/@gcds-core/tokens/build/web/css'), staticOptions),
  );
  app.use(
    '/assets/fonts',
    express.static(fromRoot('node_modules/@gcds-core/fonts/fonts'), staticOptions),
  );
  app.use('/assets', express.static(fromRoot('public'), staticOptions));

  app.get('/', (_req, res) => {
    res
      .type('html')
      .set('Cache-Control', 'no-cache')
      .send(
        deps.views.render('pages/splash.njk', {
          en: deps.translator.t('en'),
          fr: deps.translator.t('fr'),
        }),
      );
  });
  // PayPal's server posts here: its raw body is signed, and it has no session or CSRF token.
  app.post(PAYPAL_WEBHOOK_PATH, ...paypalWebhook(deps));
  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 500 }));
  app.use(dropNulCharacters);
  const sessions = createSessions(deps);
  app.use(sessions.middleware);
  app.use(loadCurrentUser(deps, currentUserOf));
  const perRequest = { ...deps, clock: oneReadingPerRequest(deps.clock) };
  const routes = routeTable(perRequest);
  app.use(postsCheckingCsrf(routes));
  app.use(csrfProtection(deps));
  app.use(readingOncePerRequest);
  mountRoutes(app, routes, perRequest, sessions, departments);

  app.use(notFoundHandler(deps));
  app.use(errorHandler(deps));
  return app;
}
