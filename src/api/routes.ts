import express, { type Request, type Response, type Router } from 'express';
import type { AppDeps } from '../platform/deps.ts';
import { isReference } from '../opportunities/reference.ts';
import { sendConditional, strongETag } from './conditional.ts';
import { encodeCursor } from './cursor.ts';
import { openApiDocument } from './openapi.ts';
import {
  API_BASE,
  lastChangeOf,
  opportunityDetailJson,
  opportunityJson,
  siteLink,
} from './present.ts';
import { parseListQuery } from './query.ts';
import { findOpenOpportunity, listOpenOpportunities } from './repo.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
const READ_METHODS = 'GET, HEAD, OPTIONS';

/** Any site may read: no cookie is read or set here, so nothing of a session can leak. */
function cors(_req: Request, res: Response, next: () => void): void {
  res.set({
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': READ_METHODS,
    'Access-Control-Allow-Headers': 'If-None-Match, If-Modified-Since',
    'Access-Control-Expose-Headers': 'ETag',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  });
  next();
}

export function apiRouter(deps: AppDeps): Router {
  const router = express.Router({ strict: true, caseSensitive: true });
  const t = { en: deps.translator.t('en'), fr: deps.translator.t('fr') };
  const link = (path: string) => siteLink(deps.config.PUBLIC_URL, `${API_BASE}${path}`);
  // A cached body's Last-Modified, by its ETag: both follow from the same content.
  const lastModifiedOf = new Map<string, Date>();

  function fail(res: Response, status: 400 | 404 | 405 | 500, code: string): void {
    const message = { en: t.en(`feeds.api.${code}`), fr: t.fr(`feeds.api.${code}`) };
    res
      .status(status)
      .set({ 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store' })
      .end(JSON.stringify({ error: { status, code, message } }));
  }

  function sendJson(req: Request, res: Response, body: Buffer, lastModified?: Date): void {
    sendConditional(req, res, body, { contentType: JSON_TYPE, lastModified });
  }

  router.use(cors);
  router.options('/{*any}', (_req, res) => {
    res.set('Access-Control-Max-Age', '86400').status(204).end();
  });
  router.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    res.set('Allow', READ_METHODS);
    fail(res, 405, 'method_not_allowed');
  });

  router.get('/opportunities', async (req, res) => {
    const query = parseListQuery(req.query as Record<string, unknown>);
    if (!query.ok) return fail(res, 400, query.code);
    const self = `/opportunities?limit=${query.limit}${query.after ? `&cursor=${encodeCursor(query.after)}` : ''}`;
    const key = `api:${self}`;
    const hit = deps.pageCache.get(key);
    if (hit) return sendJson(req, res, hit.body, lastModifiedOf.get(hit.etag));
    const now = deps.clock.now();
    const rows = await listOpenOpportunities(deps.db, now, {
      limit: query.limit + 1,
      after: query.after,
    });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const next =
      rows.length > query.limit && last
        ? link(`/opportunities?limit=${query.limit}&cursor=${encodeCursor(last)}`)
        : null;
    const body = JSON.stringify({
      data: items.map((o) => opportunityJson(o, now, deps.config.PUBLIC_URL)),
      links: { self: link(self), next },
    });
    const entry = deps.pageCache.set(key, body);
    const lastModified = items.length
      ? new Date(Math.max(...items.map((o) => lastChangeOf(o, now).getTime())))
      : undefined;
    if (lastModified) {
      if (lastModifiedOf.size >= 2_000) lastModifiedOf.clear();
      lastModifiedOf.set(entry.etag, lastModified);
    }
    sendJson(req, res, entry.body, lastModified);
  });

  router.get('/opportunities/:reference', async (req, res) => {
    const reference = req.params.reference;
    if (!isReference(reference)) return fail(res, 404, 'not_found');
    const now = deps.clock.now();
    const found = await findOpenOpportunity(deps.db, reference, now);
    if (!found) return fail(res, 404, 'not_found');
    const body = Buffer.from(
      JSON.stringify(opportunityDetailJson(found, now, deps.config.PUBLIC_URL)),
      'utf8',
    );
    sendJson(req, res, body, lastChangeOf(found, now));
  });

  const documentBody = Buffer.from(JSON.stringify(openApiDocument), 'utf8');
  const documentTag = strongETag(documentBody);
  router.get('/openapi.json', (req, res) => {
    sendConditional(req, res, documentBody, { contentType: JSON_TYPE, etag: documentTag });
  });

  router.use((_req, res) => fail(res, 404, 'not_found'));
  router.use((error: unknown, req: Request, res: Response, _next: () => void) => {
    req.log.error({ err: error }, 'API request failed');
    if (res.headersSent) return res.end();
    // A malformed address (%E0) is the client's doing, not ours.
    const status = (error as { status?: number }).status === 400 ? 400 : 500;
    fail(res, status, status === 400 ? 'bad_request' : 'server_error');
  });
  return router;
}
