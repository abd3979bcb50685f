import { isIP } from 'node:net';
import { z } from 'zod';

const optionalUrl = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .pipe(z.url().optional());

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** The names Express's 'trust proxy' gives to private ranges. */
const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** `10.0.0.5`, `172.16.0.0/12`, `172.16.0.0/255.240.0.0`, `::1/128` or one of PROXY_RANGES. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGES.includes(entry)) return true;
  const [address = '', range, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  return isIP(range) === family;
}

/**
 * Which proxies in front of the app may name the client's address (X-Forwarded-For), as Express's
 * 'trust proxy' takes it: none when unset (a client's own header is ignored, so it cannot choose
 * its rate-limit key); a number of proxies (`1`: one in front); or their addresses and subnets,
 * separated by commas. `true` is refused: every client could then choose its own address.
 */
const trustProxy = z
  .string()
  .trim()
  .default('')
  .transform((value, ctx): false | number | string[] => {
    if (value === '' || value === '0') return false;
    if (/^\d{1,2}$/.test(value)) return Number(value);
    const entries = value.split(',').map((entry) => entry.trim());
    if (entries.every(isProxyAddress)) return entries;
    ctx.addIssue({
      code: 'custom',
      message: `the number of proxies in front (1 for one), or their addresses or subnets separated by commas (${PROXY_RANGES.join(', ')} also work); got ${value}`,
    });
    return z.NEVER;
  });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // Unset: this computer only in development and test, every interface in production (listenHost).
  HOST: optionalText,
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  TRUST_PROXY: trustProxy,
  DATABASE_URL: optionalUrl.optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: optionalUrl.optional(),
  MAIL_FROM: z.string().min(3).default('Micro-acquisition <no-reply@micro-acquisition.canada.ca>'),
  // DKIM signing of outgoing mail (src/platform/mail/transport.ts): on when the domain, the
  // selector and one key are set. The key is PEM, in the variable (\n for line breaks allowed)
  // or in a file; the public key goes in the TXT record <selector>._domainkey.<domain>.
  DKIM_DOMAIN: optionalText,
  DKIM_SELECTOR: optionalText,
  DKIM_PRIVATE_KEY: optionalText,
  DKIM_PRIVATE_KEY_FILE: optionalText,
  PAGE_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  DEMO_SEED: z.enum(['on', 'off']).default('on'),
  SESSION_SECRET: z
    .string()
    .min(32)
    .default('development-only-session-secret, never in production'),
  DEMO_PASSWORD: z.string().min(12).default('correct-horse-battery'),
  // Staff sign-in through the department's identity provider: on when all three are set.
  OIDC_ISSUER_URL: optionalUrl.optional(),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  // The claim that must be `true` for the provider's email address to link or create an account
  // (Microsoft Entra ID sends no email_verified: name its xms_edov, for example).
  OIDC_VERIFIED_CLAIM: z.string().trim().min(1).default('email_verified'),
  // Supplier sign-in with GitHub: on when both are set. The URLs change only in tests.
  GITHUB_CLIENT_ID: optionalText,
  GITHUB_CLIENT_SECRET: optionalText,
  GITHUB_BASE_URL: z.url().default('https://github.com'),
  GITHUB_API_URL: z.url().default('https://api.github.com'),
  // PayPal payouts (src/payments/paypal/): on when the four are set. The base URL is the sandbox's
  // (https://api-m.sandbox.paypal.com) or the live one (https://api-m.paypal.com).
  PAYPAL_API_URL: optionalUrl.optional(),
  PAYPAL_CLIENT_ID: optionalText,
  PAYPAL_CLIENT_SECRET: optionalText,
  PAYPAL_WEBHOOK_ID: optionalText,
  // How a webhook is checked: `self` (PayPal's preferred method: the signature against the
  // certificate at PAYPAL-CERT-URL) or `postback` (PayPal's verify-webhook-signature call).
  PAYPAL_WEBHOOK_VERIFICATION: z.enum(['self', 'postback']).default('self'),
  // The hosts a webhook's certificate may come from (https only, except loopback in tests).
  PAYPAL_CERT_HOSTS: z
    .string()
    .default('api-m.paypal.com,api-m.sandbox.paypal.com,api.paypal.com,api.sandbox.paypal.com')
    .transform((value) =>
      value
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter((host) => host !== ''),
    ),
  PAYPAL_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  // The review of delivered work reads CI checks from these APIs (src/delivery/ci-checks.ts).
  GITLAB_API_URL: z.url().default('https://gitlab.com/api/v4'),
  CI_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  // Optional read-only tokens: without them GitHub allows 60 unauthenticated calls an hour.
  CI_CHECK_GITHUB_TOKEN: optionalText,
  CI_CHECK_GITLAB_TOKEN: optionalText,
  // Encrypts each opportunity's draw secret until the draw (src/draw/): 32 random bytes in hex
  // or base64. Production refuses to start without it (src/draw/key.ts); elsewhere, unset, one is
  // generated once under DATA_DIR (draw.key).
  DRAW_KEY: optionalText.refine(
    (value) => value === undefined || drawKeyBytes(value) !== undefined,
    {
      message: '32 bytes in hexadecimal (64 characters) or base64 (44 characters)',
    },
  ),
});

/** DRAW_KEY's 32 bytes, from 64 hexadecimal characters or 44 of base64; undefined otherwise. */
export function drawKeyBytes(text: string): Buffer | undefined {
  if (/^[\da-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  if (/^[a-z\d+/]{43}=$/i.test(text)) return Buffer.from(text, 'base64');
  return undefined;
}

const DEV_SECRET_PREFIX = 'development-only';

const checkedSchema = schema
  .refine((config) => config.NODE_ENV !== 'production' || config.DATABASE_URL !== undefined, {
    path: ['DATABASE_URL'],
    message: 'required in production (the embedded server is for development)',
  })
  .refine(
    (config) =>
      config.NODE_ENV !== 'production' || !config.SESSION_SECRET.startsWith(DEV_SECRET_PREFIX),
    { path: ['SESSION_SECRET'], message: 'required in production: 32 or more random characters' },
  )
  .refine(
    (config) =>
      config.NODE_ENV !== 'production' ||
      config.OIDC_ISSUER_URL === undefined ||
      config.OIDC_ISSUER_URL.startsWith('https:'),
    { path: ['OIDC_ISSUER_URL'], message: 'must be an https address in production' },
  )
  .refine(
    (config) =>
      config.NODE_ENV !== 'production' ||
      config.PAYPAL_API_URL === undefined ||
      config.PAYPAL_API_URL.startsWith('https:'),
    { path: ['PAYPAL_API_URL'], message: 'must be an https address in production' },
  )
  .refine(
    (config) =>
      [0, 4].includes(
        [
          config.PAYPAL_API_URL,
          config.PAYPAL_CLIENT_ID,
          config.PAYPAL_CLIENT_SECRET,
          config.PAYPAL_WEBHOOK_ID,
        ].filter((value) => value !== undefined).length,
      ),
    {
      path: ['PAYPAL_API_URL'],
      message:
        'PayPal payouts need PAYPAL_API_URL, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET and PAYPAL_WEBHOOK_ID, or none of them',
    },
  )
  .refine(
    (config) =>
      [0, 3].includes(
        [
          config.DKIM_DOMAIN,
          config.DKIM_SELECTOR,
          config.DKIM_PRIVATE_KEY ?? config.DKIM_PRIVATE_KEY_FILE,
        ].filter((value) => value !== undefined).length,
      ) &&
      (config.DKIM_PRIVATE_KEY === undefined || config.DKIM_PRIVATE_KEY_FILE === undefined),
    {
      path: ['DKIM_DOMAIN'],
      message:
        'DKIM needs DKIM_DOMAIN, DKIM_SELECTOR and one of DKIM_PRIVATE_KEY or DKIM_PRIVATE_KEY_FILE, or none of them',
    },
  )
  .refine((config) => config.NODE_ENV !== 'development' || isLocalAddress(config.PUBLIC_URL), {
    path: ['NODE_ENV'],
    message:
      'development mode (the default) is for this computer only: it has demo accounts with a published password and the built-in session secret. Set NODE_ENV=production for a site at PUBLIC_URL',
  });

/** localhost, 127.x.x.x or ::1: an address only this computer reaches. */
function isLocalAddress(address: string): boolean {
  const host = new URL(address).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The address to listen on: HOST, else loopback only, except in production (behind its proxy). */
export function listenHost(config: Pick<Config, 'HOST' | 'NODE_ENV'>): string {
  return config.HOST ?? (config.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1');
}

export type Config = z.infer<typeof schema>;

/** The names of every variable the app reads (the deployment files are checked against them). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

export class ConfigError extends Error {}

/** Parses every environment variable once; a wrong one stops start-up with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = checkedSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
