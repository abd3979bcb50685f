import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import type { Translate } from './i18n.ts';
import type { PageContext } from './router.ts';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * zod issues as the error summary and field messages want them. Schemas give locale keys as
 * their messages (e.g. `forms.errors.email`), so every message exists in both languages.
 */
export function fieldErrors(error: z.ZodError, t: Translate): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (seen.has(field)) continue;
    seen.add(field);
    // A locale key (`forms.errors.email`, `admin.errors.role`); zod's own English sentences never match.
    const key = /^[a-z]\w*\.[\w.-]+$/i.test(issue.message) ? issue.message : 'forms.errors.invalid';
    const bounds = issue as { minimum?: unknown; maximum?: unknown };
    errors.push({ field, message: t(key, { min: bounds.minimum, max: bounds.maximum }) });
  }
  return errors;
}

/** What the person typed, to put back in the form (never passwords). */
export function keepValues(body: unknown, omit: readonly string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (typeof value === 'string' && !omit.includes(key) && key !== '_csrf') values[key] = value;
  }
  return values;
}

/** Fields never sent back to the browser. */
export const secretFields = ['password', 'passwordConfirmation'];

/** Parses a form; on failure renders the same page with what was typed and the errors. */
export function parseForm<S extends z.ZodType>(
  schema: S,
  req: Request,
  page: PageContext,
  view: string,
  data: Record<string, unknown> = {},
): z.infer<S> | undefined {
  const result = schema.safeParse(req.body ?? {});
  if (result.success) return result.data;
  page.render(
    view,
    {
      ...data,
      values: keepValues(req.body, secretFields),
      errors: fieldErrors(result.error, page.t),
    },
    400,
  );
  return undefined;
}

/**
 * PostgreSQL text cannot hold the NUL character, and nobody types one: it is dropped from every
 * form value before any route sees it, so it can never turn a valid form into a 500.
 */
export const dropNulCharacters: RequestHandler = (req, _res, next) => {
  const body = req.body as Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(body ?? {})) {
    if (typeof value === 'string') body![key] = value.replaceAll('\u0000', '');
    else if (Array.isArray(value)) {
      body![key] = value.map((v: unknown) =>
        typeof v === 'string' ? v.replaceAll('\u0000', '') : v,
      );
    }
  }
  next();
};

/**
 * The version of the record the person saw, sent back by every form that changes it: a second
 * click, or someone else's change in between, makes it stale.
 */
export const versionField = z
  .string('lifecycle.failures.stale')
  .regex(/^\d{1,9}$/, 'lifecycle.failures.stale')
  .transform(Number);

/**
 * A positive whole number from a form, a query string or an address; undefined for anything
 * else. Only digits, and no more of them than an id has, are read (a length limit before any
 * number is parsed).
 */
export function positiveWholeNumber(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return undefined;
  const number = Number(value);
  return number > 0 ? number : undefined;
}
