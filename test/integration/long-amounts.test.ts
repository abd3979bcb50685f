import { describe, expect, it } from 'vitest';
import { errorsOf, fieldValue } from '../helpers/pages.ts';
import { requestFormWorld, stepPath } from '../helpers/request-form-world.ts';

/**
 * Review finding M1: a long run of spaces inside an amount made the price step's tax summary
 * backtrack for seconds, freezing every other request. The amount is refused by its length
 * before anything reads it.
 */
const w = requestFormWorld();

/** Posts step 4 with the price written as it travels (`+` is one space in one byte). */
async function postPrice(lang: 'en' | 'fr', encodedPrice: string) {
  const a = await w.signedIn('client@esdc.example.ca');
  const ref = await w.start(a, 'en', lang);
  const path = stepPath(ref, 4, lang);
  const csrf = await a.csrf(path);
  const body = `_csrf=${encodeURIComponent(csrf)}&price=${encodedPrice}&deliveryDueOn=2027-01-29&then=continue`;
  const started = performance.now();
  const res = await a.client.post(path).type('form').send(body);
  return { res, ms: performance.now() - started };
}

describe('a very long amount (M1)', () => {
  it('answers a 200 KB price on step 4 in under 100 ms, with the format message', async () => {
    const { res, ms } = await postPrice('en', `1${'+'.repeat(199_990)}1`);
    expect(res.status).toBe(400);
    expect(errorsOf(res.text)).toContain(
      'Enter the price in dollars, e.g. 6500 or 6,500.00, with at most two decimals.',
    );
    expect(ms).toBeLessThan(100);
  });

  it('answers a long run of no-break spaces in French just as fast', async () => {
    const { res, ms } = await postPrice('fr', `1${'%C2%A0'.repeat(30_000)}1`);
    expect(res.status).toBe(400);
    expect(errorsOf(res.text).join(' ')).toContain('Entrez le prix en dollars');
    expect(fieldValue(res.text, 'price')?.length).toBeGreaterThan(30_000);
    expect(ms).toBeLessThan(100);
  });
});
