import { verify, X509Certificate } from 'node:crypto';
import { crc32 } from 'node:zlib';
import express, { type Request, type RequestHandler } from 'express';
import type { Config } from '../../config.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { rateLimit } from '../../platform/rate-limit-store.ts';
import { paypalClientOf, paypalSettings, type PaypalClient } from './client.ts';
import { checkSoon } from './payouts.ts';

/**
 * PayPal's webhook deliveries at POST /webhooks/paypal: PayPal's server, not a browser, so no
 * CSRF token and no session; a rate limit all the same. Each delivery is verified on its raw
 * bytes — by self verification (the SHA256withRSA signature over
 * transmissionId|time|webhookId|crc32(body), against the certificate at PAYPAL-CERT-URL, whose
 * host must be on PAYPAL_CERT_HOSTS) or by PayPal's verify-webhook-signature call — then kept by
 * its event id: a replayed event is answered 200 and ignored. A genuine event only asks for a
 * check of the payout: its state is read from PayPal's API, never taken from the body.
 */
export const PAYPAL_WEBHOOK_PATH = '/webhooks/paypal';
const MAX_BODY = '100kb';
const CERT_MAX_BYTES = 20_000;

type Verdict = { ok: true } | { ok: false; why: string; retry?: boolean };

const header = (req: Request, name: string, max: number): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;
};

/** https on an allowed host; plain http only for an allowed loopback host (a test's fake). */
export function certUrlAllowed(certUrl: string, hosts: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(certUrl);
  } catch {
    return false;
  }
  if (!hosts.includes(parsed.host.toLowerCase())) return false;
  if (parsed.username || parsed.password) return false;
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  return parsed.protocol === 'https:' || (loopback && parsed.protocol === 'http:');
}

const certificates = new Map<string, X509Certificate>();

async function certificate(certUrl: string, timeoutMs: number): Promise<X509Certificate> {
  const kept = certificates.get(certUrl);
  if (kept) return kept;
  const response = await fetch(certUrl, {
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'error',
  });
  const text = await response.text();
  if (!response.ok || text.length > CERT_MAX_BYTES)
    throw new Error(`certificate: HTTP ${response.status}`);
  const cert = new X509Certificate(text);
  certificates.set(certUrl, cert);
  return cert;
}

async function selfVerify(
  config: Config,
  webhookId: string,
  req: Request,
  raw: Buffer,
): Promise<Verdict> {
  const id = header(req, 'paypal-transmission-id', 50);
  const time = header(req, 'paypal-transmission-time', 50);
  const sig = header(req, 'paypal-transmission-sig', 1000);
  const certUrl = header(req, 'paypal-cert-url', 500);
  const algo = header(req, 'paypal-auth-algo', 50);
  if (!id || !time || !sig || !certUrl || !algo) return { ok: false, why: 'headers missing' };
  if (algo.toUpperCase() !== 'SHA256WITHRSA') return { ok: false, why: `algorithm ${algo}` };
  if (!certUrlAllowed(certUrl, config.PAYPAL_CERT_HOSTS))
    return { ok: false, why: 'certificate host not allowed' };
  let cert: X509Certificate;
  try {
    cert = await certificate(certUrl, config.PAYPAL_TIMEOUT_MS);
  } catch {
    return { ok: false, why: 'certificate unavailable', retry: true };
  }
  // The certificate's own dates are real time, not the app's (a test's) clock.
  const now = Date.now();
  if (Date.parse(cert.validFrom) > now || Date.parse(cert.validTo) < now) {
    return { ok: false, why: 'certificate expired' };
  }
  const message = `${id}|${time}|${webhookId}|${crc32(raw)}`;
  const signed = verify('sha256', Buffer.from(message), cert.publicKey, Buffer.from(sig, 'base64'));
  return signed ? { ok: true } : { ok: false, why: 'signature does not match' };
}

async function postbackVerify(
  paypal: PaypalClient,
  webhookId: string,
  req: Request,
  event: unknown,
): Promise<Verdict> {
  const fields = {
    auth_algo: header(req, 'paypal-auth-algo', 50),
    cert_url: header(req, 'paypal-cert-url', 500),
    transmission_id: header(req, 'paypal-transmission-id', 50),
    transmission_sig: header(req, 'paypal-transmission-sig', 500),
    transmission_time: header(req, 'paypal-transmission-time', 50),
    webhook_id: webhookId,
    webhook_event: event,
  };
  if (Object.values(fields).some((value) => value === undefined)) {
    return { ok: false, why: 'headers missing' };
  }
  const answer = await paypal.verifyWebhookSignature(fields);
  if (!answer.ok)
    return { ok: false, why: answer.failure.problem, retry: answer.failure.kind === 'retry' };
  return answer.value ? { ok: true } : { ok: false, why: 'PayPal: FAILURE' };
}

interface PaypalEvent {
  id: string;
  event_type: string;
  resource?: Record<string, unknown> & {
    batch_header?: {
      payout_batch_id?: unknown;
      sender_batch_header?: { sender_batch_id?: unknown };
    };
  };
}

function parseEvent(raw: Buffer): PaypalEvent | undefined {
  try {
    const event = JSON.parse(raw.toString('utf8')) as PaypalEvent;
    const fine = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 200;
    return fine(event?.id) && fine(event.event_type) ? event : undefined;
  } catch {
    return undefined;
  }
}

/** The ids in the event that may name one of our payouts (item, batch, our sender_batch_id). */
function idsOf(event: PaypalEvent): string[] {
  const r = event.resource ?? {};
  return [
    r.payout_item_id,
    r.payout_batch_id,
    r.sender_batch_id,
    r.batch_header?.payout_batch_id,
    r.batch_header?.sender_batch_header?.sender_batch_id,
  ].filter((v): v is string => typeof v === 'string' && v.length <= 256);
}

async function receive(
  deps: AppDeps,
  event: PaypalEvent,
  transmissionId: string,
): Promise<'new' | 'replayed'> {
  const ids = idsOf(event);
  const now = deps.clock.now();
  return deps.db.transaction(async (trx) => {
    const payout =
      ids.length === 0
        ? undefined
        : await trx('paypal_payouts')
            .whereIn('payout_item_id', ids)
            .orWhereIn('payout_batch_id', ids)
            .orWhereIn('sender_batch_id', ids)
            .first('payment_id');
    const inserted = await trx('paypal_webhook_events')
      .insert({
        event_id: event.id,
        event_type: event.event_type,
        transmission_id: transmissionId,
        resource_id: ids[0] ?? null,
        payment_id: payout?.payment_id ?? null,
        received_at: now,
      })
      .onConflict('event_id')
      .ignore()
      .returning('event_id');
    if (inserted.length === 0) return 'replayed';
    if (payout) await checkSoon(trx, Number(payout.payment_id), now);
    return 'new';
  });
}

export function paypalWebhook(deps: AppDeps): RequestHandler[] {
  const limiter = rateLimit(deps, {
    name: 'paypal-webhook',
    limit: 300,
    windowMs: 60_000,
    handler: (_req, res) => void res.status(429).json({ error: 'too many requests' }),
  });
  const handle: RequestHandler = async (req, res, next) => {
    try {
      const settings = paypalSettings(deps.config);
      const paypal = paypalClientOf(deps.config);
      if (!settings || !paypal)
        return void res.status(404).json({ error: 'PayPal is not configured' });
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const event = parseEvent(raw);
      if (!event) return void res.status(400).json({ error: 'not a PayPal event' });
      const verdict =
        deps.config.PAYPAL_WEBHOOK_VERIFICATION === 'postback'
          ? await postbackVerify(paypal, settings.webhookId, req, event)
          : await selfVerify(deps.config, settings.webhookId, req, raw);
      if (!verdict.ok) {
        req.log?.warn({ why: verdict.why, eventId: event.id }, 'PayPal webhook not verified');
        // Our side could not check it (PayPal will deliver it again), or it is not PayPal's.
        return void res.status(verdict.retry ? 503 : 400).json({ error: 'not verified' });
      }
      const outcome = await receive(deps, event, String(req.headers['paypal-transmission-id']));
      res.status(200).json({ received: outcome });
    } catch (error) {
      next(error);
    }
  };
  return [limiter, express.raw({ type: () => true, limit: MAX_BODY }), handle];
}
