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

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  DATABASE_URL: optionalUrl.optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: optionalUrl.optional(),
  MAIL_FROM: z.string().min(3).default('Micro-acquisition <no-reply@micro-acquisition.canada.ca>'),
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
  // Supplier sign-in with GitHub: on when both are set. The URLs change only in tests.
  GITHUB_CLIENT_ID: optionalText,
  GITHUB_CLIENT_SECRET: optionalText,
  GITHUB_BASE_URL: z.url().default('https://github.com'),
  GITHUB_API_URL: z.url().default('https://api.github.com'),
});

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
  );

export type Config = z.infer<typeof schema>;

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
