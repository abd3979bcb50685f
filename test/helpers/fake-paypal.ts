import { execFileSync } from 'node:child_process';
import { createSign, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

/* eslint-disable @typescript-eslint/no-explicit-any -- the fake reads whatever JSON a client sends, as PayPal would */
import { crc32 } from 'node:zlib';

/**
 * A fake PayPal on loopback, written from PayPal's documentation as /work/shared/PAYPAL-FACTS.md
 * condenses it: OAuth2 client credentials, Payouts v1 (create, show batch, show item, cancel an
 * unclaimed item), webhook signature verification (postback) and the signing certificate (self
 * verification). Tests steer it: the next answers fail, an item changes state, a webhook is sent
 * to the app signed with a real RSA key (SHA256withRSA over transmissionId|time|webhookId|crc32).
 * It does not pretend to know what the facts mark unconfirmed (PayPal-Request-Id is ignored, as
 * the sandbox was seen to do).
 */
export const PAYPAL_TEST = {
  clientId: 'AVfakeClientId0123456789',
  secret: 'EFfakeSecret0123456789',
  webhookId: '4JH86294D6297924G',
};

export type ItemStatus =
  | 'PENDING'
  | 'SUCCESS'
  | 'FAILED'
  | 'UNCLAIMED'
  | 'RETURNED'
  | 'ONHOLD'
  | 'BLOCKED'
  | 'REFUNDED'
  | 'REVERSED';

/** What the next call to the Payouts API gets instead of its answer (failNext, failNextRead). */
export type Fault =
  | { status: 500 | 503 }
  | { status: 429; retryAfter?: number }
  /** Any documented refusal, e.g. 422 INSUFFICIENT_FUNDS, 403 SENDER_EMAIL_UNCONFIRMED. */
  | { status: number; name: string }
  /** The connection is closed with no answer. */
  | 'drop'
  /** A create is carried out, then answered 500 (the money may move all the same). */
  | 'create-then-500'
  /** The answer comes after this long (past the adapter's timeout). */
  | { delayMs: number };

interface Item {
  payout_item_id: string;
  payout_batch_id: string;
  transaction_id?: string;
  transaction_status: ItemStatus;
  payout_item: Record<string, unknown>;
  time_processed?: string;
  errors?: Record<string, unknown>;
}
interface Batch {
  id: string;
  senderBatchHeader: Record<string, unknown>;
  timeCreated: string;
  items: Item[];
}

export interface Delivery {
  url: string;
  headers: Record<string, string>;
  body: string;
}

const ITEM_ERRORS: Partial<Record<ItemStatus, { name: string; message: string }>> = {
  UNCLAIMED: { name: 'RECEIVER_UNREGISTERED', message: 'Receiver is unregistered.' },
  FAILED: { name: 'RECEIVER_ACCOUNT_INVALID', message: "Receiver's account is invalid." },
  BLOCKED: { name: 'RECEIVER_ACCOUNT_LOCKED', message: 'Receiver account is locked.' },
  RETURNED: { name: 'RECEIVER_UNREGISTERED', message: 'Receiver is unregistered.' },
};
const EVENT_OF: Record<ItemStatus, string> = {
  PENDING: 'PAYMENT.PAYOUTS-ITEM.HELD',
  SUCCESS: 'PAYMENT.PAYOUTS-ITEM.SUCCEEDED',
  FAILED: 'PAYMENT.PAYOUTS-ITEM.FAILED',
  UNCLAIMED: 'PAYMENT.PAYOUTS-ITEM.UNCLAIMED',
  RETURNED: 'PAYMENT.PAYOUTS-ITEM.RETURNED',
  ONHOLD: 'PAYMENT.PAYOUTS-ITEM.HELD',
  BLOCKED: 'PAYMENT.PAYOUTS-ITEM.BLOCKED',
  REFUNDED: 'PAYMENT.PAYOUTS-ITEM.REFUNDED',
  REVERSED: 'PAYMENT.PAYOUTS-ITEM.REFUNDED',
};
/** Where PayPal's own links point: the adapter must take only the id from them. */
const PAYPAL_LINK_BASE = 'https://api-m.sandbox.paypal.com';

const paypalId = () => randomBytes(10).toString('hex').toUpperCase().slice(0, 13);

/** An RSA key and a self-signed X.509 certificate for it, made by openssl. */
function keyAndCertificate(name: string): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fake-paypal-'));
  try {
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=${name}`,
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

function error(name: string, message: string, details: unknown[] = []) {
  return {
    name,
    message,
    debug_id: randomBytes(7).toString('hex'),
    information_link: 'https://developer.paypal.com/docs/api/payments.payouts-batch/#errors',
    details,
    links: [],
  };
}

export async function startFakePaypal(options: { tokenSeconds?: number } = {}) {
  const genuine = keyAndCertificate('messageverificationcerts.paypal.com');
  const forger = keyAndCertificate('not-paypal.example');
  const tokens = new Map<string, number>();
  const batches = new Map<string, Batch>();
  const bySenderBatchId = new Map<string, string>();
  const items = new Map<string, Item>();
  /** The next answers to creates, and to the other Payouts calls (status reads, cancels). */
  const faults: Fault[] = [];
  const readFaults: Fault[] = [];
  const deliveries = new Map<string, Delivery>();
  const counts = { tokens: 0, creates: 0, requests: [] as string[] };
  let tokenSeconds = options.tokenSeconds ?? 32400;

  const send = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Paypal-Debug-Id': randomBytes(7).toString('hex'),
      ...headers,
    });
    res.end(JSON.stringify(body));
  };

  function itemView(item: Item, withBatchId = false) {
    return {
      ...item,
      payout_item_fee: { currency: 'CAD', value: '0.00' },
      ...(withBatchId && {
        sender_batch_id: batches.get(item.payout_batch_id)!.senderBatchHeader.sender_batch_id,
      }),
      links: [
        {
          href: `${PAYPAL_LINK_BASE}/v1/payments/payouts-item/${item.payout_item_id}`,
          rel: withBatchId ? 'self' : 'item',
          method: 'GET',
          encType: 'application/json',
        },
      ],
    };
  }

  function batchStatus(batch: Batch): string {
    const open = batch.items.some((i) => ['PENDING', 'ONHOLD'].includes(i.transaction_status));
    if (open) return 'PENDING';
    if (batch.items.every((i) => i.transaction_status === 'FAILED')) return 'DENIED';
    return 'SUCCESS';
  }

  function batchHeader(batch: Batch) {
    return {
      payout_batch_id: batch.id,
      batch_status: batchStatus(batch),
      time_created: batch.timeCreated,
      sender_batch_header: batch.senderBatchHeader,
    };
  }

  function validate(body: unknown): { field: string; issue: string }[] {
    const problems: { field: string; issue: string }[] = [];
    const b = body as { sender_batch_header?: unknown; items?: unknown } | null;
    if (!b || typeof b.sender_batch_header !== 'object' || b.sender_batch_header === null)
      problems.push({ field: 'sender_batch_header', issue: 'Required field is missing' });
    if (!Array.isArray(b?.items) || b.items.length < 1 || b.items.length > 15000) {
      problems.push({ field: 'items', issue: 'Required field is missing' });
      return problems;
    }
    (b.items as Record<string, any>[]).forEach((item, i) => {
      const type = item.recipient_type ?? (b.sender_batch_header as any)?.recipient_type;
      if (!['EMAIL', 'PHONE', 'PAYPAL_ID'].includes(type))
        problems.push({
          field: `items[${i}].recipient_type`,
          issue: 'Value is invalid (must be EMAILor PAYPAL_ID or PHONE)',
        });
      const receiver = item.receiver;
      if (
        typeof receiver !== 'string' ||
        receiver.length > 127 ||
        (type === 'EMAIL' && !/^[^@\s]+@[^@\s]+$/.test(receiver))
      )
        problems.push({
          field: `items[${i}].receiver`,
          issue: 'Receiver is invalid or does not match with type',
        });
      const amount = item.amount;
      if (
        typeof amount?.value !== 'string' ||
        !/^\d{1,7}\.\d{2}$/.test(amount.value) ||
        !/^[A-Z]{3}$/.test(amount?.currency ?? '')
      )
        problems.push({ field: `items[${i}].amount`, issue: 'Currency amount is invalid' });
    });
    return problems;
  }

  function create(body: any): { status: number; body: unknown } {
    const problems = validate(body);
    if (problems.length > 0) {
      const details = problems.map((p) => ({ ...p, location: 'body' }));
      return {
        status: 400,
        body: error('VALIDATION_ERROR', 'Invalid request - see details', details),
      };
    }
    const senderBatchId = body.sender_batch_header.sender_batch_id;
    const existing = typeof senderBatchId === 'string' && bySenderBatchId.get(senderBatchId);
    if (existing) {
      const href = `${PAYPAL_LINK_BASE}/v1/payments/payouts/${existing}`;
      const detail = {
        field: 'SENDER_BATCH_ID',
        location: 'body',
        issue: 'Batch with given sender_batch_id already exists',
        link: [{ href, rel: 'self', method: 'GET', encType: 'application/json' }],
      };
      return { status: 400, body: error('USER_BUSINESS_ERROR', 'User business error.', [detail]) };
    }
    const batch: Batch = {
      id: paypalId(),
      senderBatchHeader: body.sender_batch_header,
      timeCreated: new Date().toISOString(),
      items: [],
    };
    for (const payoutItem of body.items) {
      const item: Item = {
        payout_item_id: paypalId(),
        payout_batch_id: batch.id,
        transaction_status: 'PENDING',
        payout_item: { recipient_wallet: 'PAYPAL', ...payoutItem },
      };
      batch.items.push(item);
      items.set(item.payout_item_id, item);
    }
    batches.set(batch.id, batch);
    if (typeof senderBatchId === 'string') bySenderBatchId.set(senderBatchId, batch.id);
    counts.creates += 1;
    const self = {
      href: `${PAYPAL_LINK_BASE}/v1/payments/payouts/${batch.id}`,
      rel: 'self',
      method: 'GET',
      encType: 'application/json',
    };
    return { status: 201, body: { batch_header: batchHeader(batch), links: [self] } };
  }

  function verifyPostback(body: any): { status: number; body: unknown } {
    const fields = [
      'auth_algo',
      'cert_url',
      'transmission_id',
      'transmission_sig',
      'transmission_time',
      'webhook_id',
      'webhook_event',
    ];
    const missing = fields.filter((f) => body?.[f] === undefined || body[f] === '');
    if (missing.length > 0) {
      const details = missing.map((field) => ({
        field,
        location: 'body',
        issue: 'MISSING_REQUIRED_PARAMETER',
      }));
      return {
        status: 400,
        body: error('VALIDATION_ERROR', 'Invalid request - see details', details),
      };
    }
    const sent = deliveries.get(body.transmission_id);
    const genuineOne =
      sent !== undefined &&
      sent.headers['paypal-transmission-sig'] === body.transmission_sig &&
      sent.headers['paypal-transmission-time'] === body.transmission_time &&
      sent.headers['paypal-cert-url'] === body.cert_url &&
      signedWebhookIds.get(body.transmission_id) === body.webhook_id &&
      isDeepStrictEqual(JSON.parse(sent.body), body.webhook_event);
    return { status: 200, body: { verification_status: genuineOne ? 'SUCCESS' : 'FAILURE' } };
  }
  const signedWebhookIds = new Map<string, string>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://paypal.test');
    const route = `${req.method} ${url.pathname}`;
    counts.requests.push(route);
    if (req.method === 'GET' && url.pathname.startsWith('/v1/notifications/certs/')) {
      if (url.pathname !== '/v1/notifications/certs/CERT-360caa42-fca2a594-fake') {
        return send(
          res,
          404,
          error('RESOURCE_NOT_FOUND', 'The specified resource does not exist.'),
        );
      }
      res.writeHead(200, { 'Content-Type': 'application/x-pem-file' });
      return void res.end(genuine.cert);
    }
    const body = await readBody(req);
    if (route === 'POST /v1/oauth2/token') {
      const [scheme, credentials] = (req.headers.authorization ?? '').split(' ');
      const [id, secret] = Buffer.from(credentials ?? '', 'base64')
        .toString()
        .split(':');
      if (scheme !== 'Basic' || id !== PAYPAL_TEST.clientId || secret !== PAYPAL_TEST.secret)
        return send(res, 401, {
          error: 'invalid_client',
          error_description: 'Client Authentication failed',
        });
      if (new URLSearchParams(body).get('grant_type') !== 'client_credentials')
        return send(res, 400, {
          error: 'unsupported_grant_type',
          error_description: 'Grant Type is NULL',
        });
      const token = `A21AA${randomBytes(24).toString('base64url')}`;
      tokens.set(token, Date.now() + tokenSeconds * 1000);
      counts.tokens += 1;
      return send(res, 200, {
        scope:
          'https://uri.paypal.com/services/payments/payouts https://uri.paypal.com/services/applications/webhooks',
        access_token: token,
        token_type: 'Bearer',
        app_id: 'APP-80W284485P519543T',
        expires_in: tokenSeconds,
        nonce: `${new Date().toISOString()}${randomBytes(8).toString('hex')}`,
      });
    }
    const auth = req.headers.authorization;
    if (!auth) {
      return send(res, 401, {
        ...error(
          'AUTHENTICATION_FAILURE',
          'Authentication failed due to missing authorization header, or invalid authentication credentials.',
        ),
        details: undefined,
      });
    }
    const expiry = tokens.get(auth.replace(/^Bearer /, ''));
    if (!auth.startsWith('Bearer ') || expiry === undefined || expiry <= Date.now())
      return send(res, 401, {
        error: 'invalid_token',
        error_description: 'Access Token not found in cache',
      });
    if (route === 'POST /v1/notifications/verify-webhook-signature') {
      const answer = verifyPostback(JSON.parse(body));
      return send(res, answer.status, answer.body);
    }

    const fault =
      route === 'POST /v1/payments/payouts'
        ? faults.shift()
        : url.pathname.startsWith('/v1/payments/')
          ? readFaults.shift()
          : undefined;
    if (fault === 'drop') return void req.socket.destroy();
    if (fault && typeof fault === 'object' && 'status' in fault) {
      const { status } = fault;
      if ('name' in fault) return send(res, status, error(fault.name, 'Refused by the test.'));
      if (status === 429) {
        const headers =
          fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
        return send(
          res,
          429,
          error('RATE_LIMIT_REACHED', 'Too many requests. Blocked due to rate limiting.'),
          headers,
        );
      }
      return status === 500
        ? send(res, 500, error('INTERNAL_SERVER_ERROR', 'An internal server error occurred.'))
        : send(res, 503, error('SERVICE_UNAVAILABLE', 'Service Unavailable.'));
    }
    const answer = answerTo(req.method ?? '', url, body);
    if (fault === 'create-then-500' && route === 'POST /v1/payments/payouts') {
      return send(res, 500, error('INTERNAL_SERVER_ERROR', 'An internal server error occurred.'));
    }
    if (fault && typeof fault === 'object' && 'delayMs' in fault) {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (res.destroyed) return;
    }
    send(res, answer.status, answer.body);
  }

  function answerTo(method: string, url: URL, body: string): { status: number; body: unknown } {
    const notFound = {
      status: 404,
      body: error('INVALID_RESOURCE_ID', 'The requested resource ID was not found'),
    };
    if (method === 'POST' && url.pathname === '/v1/payments/payouts') {
      try {
        return create(JSON.parse(body));
      } catch {
        return { status: 400, body: error('MALFORMED_REQUEST', 'The request JSON is malformed.') };
      }
    }
    const batchMatch = /^\/v1\/payments\/payouts\/([A-Z0-9]{1,30})$/.exec(url.pathname);
    if (method === 'GET' && batchMatch) {
      const batch = batches.get(batchMatch[1]!);
      if (!batch) return notFound;
      return {
        status: 200,
        body: {
          batch_header: batchHeader(batch),
          items: batch.items.map((item) => itemView(item)),
          links: [
            {
              href: `${PAYPAL_LINK_BASE}/v1/payments/payouts/${batch.id}`,
              rel: 'self',
              method: 'GET',
            },
          ],
        },
      };
    }
    const itemMatch = /^\/v1\/payments\/payouts-item\/([A-Z0-9]{1,30})(\/cancel)?$/.exec(
      url.pathname,
    );
    const item = itemMatch && items.get(itemMatch[1]!);
    if (itemMatch && !item) return notFound;
    if (method === 'GET' && item && !itemMatch[2])
      return { status: 200, body: itemView(item, true) };
    if (method === 'POST' && item && itemMatch[2]) {
      if (item.transaction_status === 'RETURNED')
        return {
          status: 400,
          body: error('ITEM_ALREADY_CANCELLED', 'Item has already been cancelled.'),
        };
      if (item.transaction_status !== 'UNCLAIMED')
        return {
          status: 400,
          body: error(
            'ITEM_INCORRECT_STATUS',
            'You can only cancel items that are in UNCLAIMED state.',
          ),
        };
      setStatus(item, 'RETURNED');
      return { status: 200, body: itemView(item, true) };
    }
    return {
      status: 404,
      body: error('RESOURCE_NOT_FOUND', 'The specified resource does not exist.'),
    };
  }

  function setStatus(item: Item, status: ItemStatus) {
    item.transaction_status = status;
    item.time_processed = new Date().toISOString();
    if (status === 'SUCCESS') item.transaction_id ??= paypalId();
    const itemError = ITEM_ERRORS[status];
    if (itemError) item.errors = { ...itemError, information_link: '', details: [], links: [] };
    else delete item.errors;
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, error('INTERNAL_SERVER_ERROR', 'fake failed'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const certUrl = `${base}/v1/notifications/certs/CERT-360caa42-fca2a594-fake`;

  function only(): Item {
    if (items.size !== 1) throw new Error(`the fake holds ${items.size} items, not one`);
    return [...items.values()][0]!;
  }

  const fake = {
    url: base,
    certUrl,
    counts,
    /** Batches created (one per sender_batch_id accepted). */
    payoutsCreated: () => counts.creates,
    batches: () => [...batches.values()],
    /** The next creates (POST /v1/payments/payouts) get these instead of their answers, in order. */
    failNext(...next: Fault[]) {
      faults.push(...next);
    },
    /** The next status reads and cancels get these instead of their answers, in order. */
    failNextRead(...next: Fault[]) {
      readFaults.push(...next);
    },
    clearFaults() {
      faults.length = 0;
      readFaults.length = 0;
    },
    setTokenSeconds(seconds: number) {
      tokenSeconds = seconds;
    },
    /** Every token handed out so far stops working (PayPal's cache forgot them). */
    expireTokens() {
      for (const token of tokens.keys()) tokens.set(token, 0);
    },
    /** The item's transaction_status changes (the only item, unless named). */
    setItemStatus(status: ItemStatus, itemId?: string): string {
      const item = itemId ? items.get(itemId) : only();
      if (!item) throw new Error(`no item ${itemId}`);
      setStatus(item, status);
      return item.payout_item_id;
    },
    itemStatus: (itemId?: string) => (itemId ? items.get(itemId) : only())?.transaction_status,
    /** The webhook event PayPal would send for the item's current state. */
    itemEvent(itemId?: string, eventType?: string) {
      const item = itemId ? items.get(itemId)! : only();
      return {
        id: `WH-${paypalId()}-${paypalId()}`,
        create_time: new Date().toISOString(),
        resource_type: 'payouts_item',
        event_type: eventType ?? EVENT_OF[item.transaction_status],
        summary: `A payout item is ${item.transaction_status.toLowerCase()}.`,
        resource: itemView(item, true),
        links: [],
        event_version: '1.0',
        resource_version: '1.0',
      };
    },
    /**
     * Signs and posts a webhook to the app, as PayPal does: the headers PayPal sends, the
     * signature over transmissionId|time|webhookId|crc32(body). `forge` signs with another key;
     * `tamper` changes the body after signing; `certUrl` names another certificate.
     */
    async sendWebhook(
      to: string,
      event: unknown,
      how: {
        forge?: boolean;
        tamper?: (body: string) => string;
        certUrl?: string;
        webhookId?: string;
      } = {},
    ): Promise<{ status: number; text: string; delivery: Delivery }> {
      const body = JSON.stringify(event);
      const transmissionId = randomUUID();
      const time = new Date().toISOString();
      const webhookId = how.webhookId ?? PAYPAL_TEST.webhookId;
      const signer = createSign('sha256');
      signer.update(`${transmissionId}|${time}|${webhookId}|${crc32(body)}`);
      const headers = {
        'content-type': 'application/json',
        'paypal-transmission-id': transmissionId,
        'paypal-transmission-time': time,
        'paypal-transmission-sig': signer.sign((how.forge ? forger : genuine).key, 'base64'),
        'paypal-cert-url': how.certUrl ?? certUrl,
        'paypal-auth-algo': 'SHA256withRSA',
        'paypal-auth-version': 'v2',
        'user-agent': 'PayPal/AUHD-214.0-58717418',
      };
      if (!how.forge) {
        deliveries.set(transmissionId, { url: to, headers, body });
        signedWebhookIds.set(transmissionId, webhookId);
      }
      return fake.deliver({ url: to, headers, body: how.tamper ? how.tamper(body) : body });
    },
    /** Posts a delivery again, byte for byte (a replay, or PayPal's own retry). */
    async deliver(delivery: Delivery) {
      const answer = await fetch(delivery.url, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
      return { status: answer.status, text: await answer.text(), delivery };
    },
    /** PayPal's signing certificate, for a test that serves it from a host not on the allow-list. */
    certificatePem: genuine.cert,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return fake;
}

export type FakePaypal = Awaited<ReturnType<typeof startFakePaypal>>;
