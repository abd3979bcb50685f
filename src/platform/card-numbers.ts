/**
 * Card numbers are never entered anywhere (DOMAIN.md: "Never store a full card number"): any run
 * of 13 to 19 digits, spaces or dashes allowed between them, that passes the Luhn check, in any
 * field of any form, is refused before the route sees it (the router asks fieldsWithCardNumbers()
 * for every POST). Digits are scanned in a loop, not with a regular expression, so no input can
 * make the scan slow.
 */

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;
/** One of these between two digits keeps them in one run ("4111 1111-1111 1111"). */
const separators = new Set([' ', '-', '\u00a0', '\u202f']);

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** The Luhn (mod 10) check every payment card number passes. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The runs of digits in a text, each as its groups ("4111 1111" → ["4111", "1111"]). */
function digitRuns(text: string): string[][] {
  const runs: string[][] = [];
  let groups: string[] = [];
  let group = '';
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (isDigit(c)) {
      group += c;
      continue;
    }
    if (group) groups.push(group);
    group = '';
    // A single separator between two digits continues the run; anything else ends it.
    if (!(c !== undefined && separators.has(c) && groups.length > 0 && isDigit(text[i + 1]))) {
      if (groups.length > 0) runs.push(groups);
      groups = [];
    }
  }
  return runs;
}

/**
 * Does the text hold a card number? A whole run of 13–19 digits passing Luhn, or such a number
 * made of whole groups inside a longer run ("4111 1111 1111 1111 123", a number and its code).
 */
export function containsCardNumber(text: string): boolean {
  for (const groups of digitRuns(text)) {
    for (let start = 0; start < groups.length; start++) {
      let digits = '';
      for (let end = start; end < groups.length; end++) {
        digits += groups[end];
        if (digits.length > MAX_DIGITS) break;
        if (digits.length >= MIN_DIGITS && passesLuhn(digits)) return true;
      }
    }
  }
  return false;
}

const ignoredFields = new Set(['_csrf']);

/** The fields of a form body that hold a card number, in the order sent. */
export function fieldsWithCardNumbers(body: unknown): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (ignoredFields.has(name)) continue;
    const texts = Array.isArray(value) ? value : [value];
    if (texts.some((text) => typeof text === 'string' && containsCardNumber(text))) {
      found.push(name);
    }
  }
  return found;
}

/**
 * What the form shows again after the refusal: what was typed, except the fields that held a
 * card number (never written back to a page), the CSRF token and passwords.
 */
export function typedWithout(body: unknown, refused: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string' || refused.includes(name) || ignoredFields.has(name)) continue;
    if (/password/i.test(name)) continue;
    values[name] = value;
  }
  return values;
}
