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
const separators = new Set([' ', '-', '\u00a0', '\u202f'].map((c) => c.charCodeAt(0)));

const isDigit = (code: number) => code >= 48 && code <= 57;
const doubled = (d: number) => (d * 2 > 9 ? d * 2 - 9 : d * 2);

/** The Luhn (mod 10) check every payment card number passes. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    sum += i % 2 === 1 ? doubled(d) : d;
  }
  return sum % 10 === 0;
}

/**
 * Does a run of digits (its groups starting at `starts`) hold a card number: 13–19 digits made
 * of whole groups, passing Luhn? Each window's Luhn sum comes from prefix sums (digits as they
 * are, and doubled, by position parity), so a run of any length is checked in linear time.
 */
function runHoldsCardNumber(digits: readonly number[], starts: readonly number[]): boolean {
  const n = digits.length;
  // plain[p][i]: the digits at positions < i of parity p; twice[p][i]: the same, doubled.
  const plain = [new Int32Array(n + 1), new Int32Array(n + 1)] as const;
  const twice = [new Int32Array(n + 1), new Int32Array(n + 1)] as const;
  for (let k = 0; k < n; k++) {
    const [same, other] = k % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const);
    plain[same][k + 1] = plain[same][k]! + digits[k]!;
    twice[same][k + 1] = twice[same][k]! + doubled(digits[k]!);
    plain[other][k + 1] = plain[other][k]!;
    twice[other][k + 1] = twice[other][k]!;
  }
  for (let g = 0; g < starts.length; g++) {
    const from = starts[g]!;
    for (let h = g; h < starts.length; h++) {
      const to = starts[h + 1] ?? n;
      if (to - from > MAX_DIGITS) break;
      if (to - from < MIN_DIGITS) continue;
      // The rightmost digit is never doubled: positions of its parity count as they are.
      const q = (to - 1) % 2;
      const sum = plain[q]![to]! - plain[q]![from]! + twice[1 - q]![to]! - twice[1 - q]![from]!;
      if (sum % 10 === 0) return true;
    }
  }
  return false;
}

/**
 * Does the text hold a card number? A whole run of 13–19 digits passing Luhn, or such a number
 * made of whole groups inside a longer run ("4111 1111 1111 1111 123", a number and its code).
 */
export function containsCardNumber(text: string): boolean {
  const digits: number[] = [];
  const starts: number[] = [];
  let afterDigit = false;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : -1;
    if (isDigit(code)) {
      if (!afterDigit) starts.push(digits.length);
      digits.push(code - 48);
      afterDigit = true;
      continue;
    }
    // A single separator between two digits continues the run; anything else ends it.
    if (afterDigit && separators.has(code) && isDigit(text.charCodeAt(i + 1))) {
      afterDigit = false;
      continue;
    }
    if (digits.length === 0) continue;
    if (digits.length >= MIN_DIGITS && runHoldsCardNumber(digits, starts)) return true;
    digits.length = 0;
    starts.length = 0;
    afterDigit = false;
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
