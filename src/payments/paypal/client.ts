import type { Config } from '../../config.ts';

/**
 * Our own small adapter for PayPal's REST API (no SDK), over fetch: OAuth2 client credentials,
 * Payouts v1 and webhook signature verification, as /work/shared/PAYPAL-FACTS.md records them.
 * It branches on the HTTP status, `name` and `details[].field|issue` codes, never on `message`.
 * Every call answers either a value or a failure of one of two kinds:
 * - `retry`: nothing is known (timeout, dropped connection, 5xx, 429, an answer we cannot read,
 *   the token refused): the caller tries again later with the same sender_batch_id;
 * - `refused`: PayPal answered a documented refusal of this very request (its name kept).
 */
export interface PaypalSettings {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  webhookId: string;
  timeoutMs: number;
}

/** PayPal is on when its four settings are set. */
export function paypalSettings(config: Config): PaypalSettings | undefined {
  const { PAYPAL_API_URL, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, PAYPAL_WEBHOOK_ID } = config;
  if (!PAYPAL_API_URL || !PAYPAL_CLIENT_ID || !PAYPAL_CLIENT_SECRET || !PAYPAL_WEBHOOK_ID) {
    return undefined;
  }
  return {
    baseUrl: new URL(PAYPAL_API_URL).origin,
    clientId: PAYPAL_CLIENT_ID,
    clientSecret: PAYPAL_CLIENT_SECRET,
    webhookId: PAYPAL_WEBHOOK_ID,
    timeoutMs: config.PAYPAL_TIMEOUT_MS,
  };
}

export type Failure =
  | { kind: 'retry'; problem: string; retryAfterMs?: number }
  | { kind: 'refused'; status: number; name: string; problem: string };
type Answer<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export interface PayoutItem {
  payout_item_id: string;
  payout_batch_id?: string;
  transaction_status?: string;
  errors?: { name?: string };
}
interface PayoutBatch {
  batch_header: { payout_batch_id: string; batch_status?: string };
  items?: PayoutItem[];
}
export interface NewPayout {
  senderBatchId: string;
  receiver: string;
  /** PayPal's decimal string, e.g. "1130.00". */
  value: string;
  currency: string;
  note: string;
  emailSubject: string;
}

interface Reply {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

/** PayPal's ids: at most 30 upper-case letters and digits (13 in every sample). */
const PAYPAL_ID = /^[A-Z0-9]{1,30}$/;
const TOKEN_MARGIN_MS = 60_000;

const nameOf = (body: unknown): string =>
  typeof (body as { name?: unknown })?.name === 'string' ? (body as { name: string }).name : '';
const oauthErrorOf = (body: unknown): string =>
  typeof (body as { error?: unknown })?.error === 'string' ? (body as { error: string }).error : '';

/** A Retry-After header in seconds or as an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d{1,6}$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** What an answer that is neither the expected success nor a refusal we know means: retry. */
function unclear(reply: Reply): Failure {
  const name = nameOf(reply.body) || oauthErrorOf(reply.body);
  return {
    kind: 'retry',
    problem: `HTTP ${reply.status}${name ? ` ${name}` : ''}`,
    ...(reply.status === 429 && { retryAfterMs: retryAfterMs(reply.retryAfter) }),
  };
}

function refused(reply: Reply): Failure {
  const name = nameOf(reply.body);
  return { kind: 'refused', status: reply.status, name, problem: `HTTP ${reply.status} ${name}` };
}

/** The duplicate sender_batch_id answer: the id of the batch it links to, else undefined. */
function duplicateBatchId(reply: { status: number; body: unknown }): string | undefined {
  if (reply.status !== 400 || nameOf(reply.body) !== 'USER_BUSINESS_ERROR') return undefined;
  const details = (reply.body as { details?: unknown }).details;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details as { field?: unknown; link?: unknown }[]) {
    if (String(detail.field).toUpperCase() !== 'SENDER_BATCH_ID') continue;
    const href = Array.isArray(detail.link) ? (detail.link[0] as { href?: unknown })?.href : null;
    if (typeof href !== 'string') continue;
    // Only the id: the link's host is never followed (we ask our configured base URL).
    const id = href.split('?')[0]!.split('/').pop() ?? '';
    if (PAYPAL_ID.test(id)) return id;
  }
  return undefined;
}

export interface PaypalClient {
  createPayout(payout: NewPayout): Promise<Answer<{ batchId: string; adopted: boolean }>>;
  getBatch(batchId: string): Promise<Answer<PayoutBatch>>;
  getItem(itemId: string): Promise<Answer<PayoutItem>>;
  cancelItem(itemId: string): Promise<Answer<PayoutItem>>;
  verifyWebhookSignature(fields: Record<string, unknown>): Promise<Answer<boolean>>;
}

export function createPaypalClient(settings: PaypalSettings): PaypalClient {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<Answer<string>> | undefined;

  async function send(
    method: string,
    path: string,
    init: { headers: Record<string, string>; body?: string },
  ): Promise<Reply | Failure> {
    try {
      const response = await fetch(`${settings.baseUrl}${path}`, {
        method,
        headers: { Accept: 'application/json', ...init.headers },
        body: init.body,
        signal: AbortSignal.timeout(settings.timeoutMs),
        redirect: 'error',
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: response.status, body, retryAfter: response.headers.get('retry-after') };
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      return { kind: 'retry', problem: timedOut ? 'timeout' : 'connection failed' };
    }
  }

  async function fetchToken(): Promise<Answer<string>> {
    const basic = Buffer.from(`${settings.clientId}:${settings.clientSecret}`).toString('base64');
    const reply = await send('POST', '/v1/oauth2/token', {
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    if ('kind' in reply) return { ok: false, failure: reply };
    const body = reply.body as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (reply.status !== 200 || typeof body?.access_token !== 'string') {
      // 401 invalid_client is our configuration: nothing was sent; tried again later.
      return { ok: false, failure: unclear(reply) };
    }
    const seconds = typeof body.expires_in === 'number' ? body.expires_in : 0;
    cached = {
      token: body.access_token,
      expiresAt: Date.now() + Math.max(0, seconds * 1000 - TOKEN_MARGIN_MS),
    };
    return { ok: true, value: body.access_token };
  }

  /** The cached token until it is about to expire; one request for a new one at a time. */
  async function token(): Promise<Answer<string>> {
    if (cached && cached.expiresAt > Date.now()) return { ok: true, value: cached.token };
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  /** An API call with the bearer token; a 401 invalid_token gets a new token and one retry. */
  async function call(method: string, path: string, body?: unknown): Promise<Reply | Failure> {
    for (let attempt = 1; ; attempt += 1) {
      const bearer = await token();
      if (!bearer.ok) return bearer.failure;
      const reply = await send(method, path, {
        headers: {
          Authorization: `Bearer ${bearer.value}`,
          ...(body !== undefined && { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if ('kind' in reply || reply.status !== 401 || attempt > 1) return reply;
      if (cached?.token === bearer.value) cached = undefined;
    }
  }

  const isReply = (reply: Reply | Failure): reply is Reply => !('kind' in reply);

  async function read<T>(path: string, valid: (body: unknown) => boolean): Promise<Answer<T>> {
    const reply = await call('GET', path);
    if (!isReply(reply)) return { ok: false, failure: reply };
    if (reply.status === 200 && valid(reply.body)) return { ok: true, value: reply.body as T };
    return { ok: false, failure: reply.status === 404 ? refused(reply) : unclear(reply) };
  }
  const isItem = (body: unknown) =>
    typeof (body as PayoutItem)?.payout_item_id === 'string' &&
    typeof (body as PayoutItem).transaction_status === 'string';
  const isBatch = (body: unknown) =>
    typeof (body as PayoutBatch)?.batch_header?.payout_batch_id === 'string';
  const checkedId = (id: string) => {
    if (!PAYPAL_ID.test(id)) throw new Error(`not a PayPal id: ${id}`);
    return id;
  };

  return {
    async createPayout(payout) {
      const reply = await call('POST', '/v1/payments/payouts', {
        sender_batch_header: {
          sender_batch_id: payout.senderBatchId,
          email_subject: payout.emailSubject,
          recipient_type: 'EMAIL',
        },
        items: [
          {
            recipient_type: 'EMAIL',
            amount: { value: payout.value, currency: payout.currency },
            receiver: payout.receiver,
            note: payout.note,
            sender_item_id: payout.senderBatchId,
          },
        ],
      });
      if (!isReply(reply)) return { ok: false, failure: reply };
      if (reply.status === 201 && isBatch(reply.body)) {
        const batchId = (reply.body as PayoutBatch).batch_header.payout_batch_id;
        if (PAYPAL_ID.test(batchId)) return { ok: true, value: { batchId, adopted: false } };
      }
      const existing = duplicateBatchId(reply);
      if (existing) return { ok: true, value: { batchId: existing, adopted: true } };
      // Documented refusals of the request itself: nothing is created (a bad item rejects the
      // whole batch). Anything else (404, 415, an unknown 4xx) proves nothing: retried.
      const name = nameOf(reply.body);
      if (
        (reply.status === 400 && name === 'VALIDATION_ERROR') ||
        reply.status === 403 ||
        reply.status === 422
      ) {
        return { ok: false, failure: refused(reply) };
      }
      return { ok: false, failure: unclear(reply) };
    },
    getBatch: (batchId) => read(`/v1/payments/payouts/${checkedId(batchId)}`, isBatch),
    getItem: (itemId) => read(`/v1/payments/payouts-item/${checkedId(itemId)}`, isItem),
    async cancelItem(itemId) {
      const reply = await call('POST', `/v1/payments/payouts-item/${checkedId(itemId)}/cancel`);
      if (!isReply(reply)) return { ok: false, failure: reply };
      if (reply.status === 200 && isItem(reply.body)) {
        return { ok: true, value: reply.body as PayoutItem };
      }
      if (reply.status === 400 || reply.status === 404)
        return { ok: false, failure: refused(reply) };
      return { ok: false, failure: unclear(reply) };
    },
    async verifyWebhookSignature(fields) {
      const reply = await call('POST', '/v1/notifications/verify-webhook-signature', fields);
      if (!isReply(reply)) return { ok: false, failure: reply };
      const status = (reply.body as { verification_status?: unknown } | undefined)
        ?.verification_status;
      if (reply.status === 200 && (status === 'SUCCESS' || status === 'FAILURE')) {
        return { ok: true, value: status === 'SUCCESS' };
      }
      return {
        ok: false,
        failure: reply.status >= 500 || reply.status === 429 ? unclear(reply) : refused(reply),
      };
    },
  };
}

/** One client (and so one cached token) per configuration: the app's, or a test's. */
const clients = new WeakMap<Config, PaypalClient | null>();
export function paypalClientOf(config: Config): PaypalClient | undefined {
  if (!clients.has(config)) {
    const settings = paypalSettings(config);
    clients.set(config, settings ? createPaypalClient(settings) : null);
  }
  return clients.get(config) ?? undefined;
}
