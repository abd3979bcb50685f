import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import {
  formatMoney,
  highestPreTaxPriceCents,
  maxTotalCents,
  withinCap,
} from '../../src/platform/money.ts';
import { errorsOf, fieldValue } from '../helpers/pages.ts';
import { requestFormWorld, stepPath } from '../helpers/request-form-world.ts';
import { agent } from '../helpers/session.ts';

/** What the form refuses at each step, in the page's language, keeping what was typed; the tax summary. */
const w = requestFormWorld();
const { row } = w;
const signedIn = (email: string) => w.signedIn(email);

describe('the guided request form', () => {
  it('keeps what was typed at each step, with the messages in the page’s language', async () => {
    const a = await signedIn('client@esdc.example.ca');
    const ref = await w.start(a, 'en');
    const before = await row(ref);
    const cases: { step: number; form: Record<string, string>; en: string[]; fr: string[] }[] = [
      {
        step: 1,
        form: { title: '  ', summary: 'x'.repeat(501), description: 'Typed description' },
        en: ['Enter a title to continue.', 'Enter 500 characters or less to continue.'],
        fr: [
          'Saisissez un titre pour continuer.',
          'Saisissez 500 caractères ou moins pour continuer.',
        ],
      },
      {
        step: 2,
        form: {
          repositoryUrl: 'http://example.com/code',
          licence: 'MIT',
          skills: Array.from({ length: 16 }, (_, i) => `Skill ${i}`).join('\n'),
        },
        en: [
          'Enter the https address of a public GitHub or GitLab repository',
          'Enter 15 skills or fewer',
        ],
        fr: [
          'Entrez l’adresse https d’un dépôt public GitHub ou GitLab',
          'Saisissez 15 compétences ou moins',
        ],
      },
      {
        step: 3,
        form: {
          acceptanceCriteria: ' ',
          mandatoryCriteria: Array.from({ length: 11 }, (_, i) => `Criterion ${i}`).join('\n'),
        },
        en: ['Enter 1 to 10 work acceptance criteria', 'Enter 1 to 10 mandatory criteria'],
        fr: [
          'Saisissez de 1 à 10 critères d’acceptation des travaux',
          'Saisissez de 1 à 10 critères obligatoires',
        ],
      },
      {
        step: 4,
        form: {
          price: '6,500.505',
          deliveryDueOn: '2027-02-30',
          preferredOpensOn: '2026-12-10',
          preferredClosesOn: '2026-12-01',
        },
        en: [
          'Enter the price in dollars',
          'Enter the work delivery date as yyyy-mm-dd.',
          'Enter a closing date after the opening date.',
        ],
        fr: [
          'Entrez le prix en dollars',
          'Entrez la date de livraison des travaux au format aaaa-mm-jj.',
          'Entrez une date de clôture postérieure à la date d’ouverture.',
        ],
      },
      {
        step: 5,
        form: {
          costCentre: '100235',
          fund: 'F 1',
          glAccount: 'x'.repeat(21),
          paymentMethod: 'cash',
        },
        en: ['Enter the fund', 'Enter the GL account', 'Choose a payment method'],
        fr: [
          'Entrez le fonds',
          'Entrez le compte du grand livre général',
          'Choisissez un mode de paiement',
        ],
      },
    ];
    for (const lang of ['en', 'fr'] as const) {
      for (const c of cases) {
        const res = await a.post(stepPath(ref, c.step, lang), { ...c.form, then: 'continue' });
        expect(res.status, `${lang} step ${c.step}`).toBe(400);
        const errors = errorsOf(res.text);
        for (const [i, message] of c[lang].entries()) {
          expect(errors[i], `${lang} step ${c.step}`).toContain(message);
        }
        expect(errors).toHaveLength(c[lang].length);
        for (const [name, typed] of Object.entries(c.form)) {
          if (name === 'paymentMethod') continue;
          expect(fieldValue(res.text, name), `${lang} step ${c.step} ${name}`).toBe(
            name === 'licence' ? 'MIT' : typed,
          );
        }
      }
    }
    const unchanged = await row(ref);
    expect(unchanged.completed_steps).toEqual([]);
    expect(unchanged.version).toBe(before.version);

    // Refusals that depend on the department and the calendar come with the same care.
    const refusals: { step: number; form: Record<string, string>; message: string }[] = [
      {
        step: 4,
        form: {
          price: '500',
          deliveryDueOn: '2026-12-01',
          preferredOpensOn: '',
          preferredClosesOn: '',
        },
        message: 'Enter a delivery date after the closing date (December 7, 2026).',
      },
      {
        step: 4,
        form: {
          price: '500',
          deliveryDueOn: '2027-03-01',
          preferredOpensOn: '2026-11-20',
          preferredClosesOn: '',
        },
        message: 'Enter an opening date of today or later, or leave it empty.',
      },
      {
        step: 5,
        form: {
          costCentre: '999999',
          fund: '1000',
          glAccount: '52202',
          paymentMethod: 'paypal_payout',
        },
        message: 'Choose one of your department’s cost centres.',
      },
    ];
    for (const r of refusals) {
      const res = await a.post(stepPath(ref, r.step), { ...r.form, then: 'continue' });
      expect(res.status).toBe(400);
      expect(errorsOf(res.text)).toEqual([r.message]);
      // A cost centre posted by hand is not an option of the list; the other fields stay typed.
      const [name, typed] = Object.entries(r.form)[r.step === 5 ? 1 : 0]!;
      expect(fieldValue(res.text, name)).toBe(typed);
    }
    expect(w.t.missingKeys).toEqual([]);
  });

  it('refuses a price over the cap by one cent and accepts the highest one', async () => {
    const highest = highestPreTaxPriceCents();
    expect(withinCap(highest)).toBe(true);
    expect(withinCap(highest + 1)).toBe(false);
    expect(maxTotalCents(highest + 1) - 1_000_000).toBe(1);

    const a = await signedIn('client@esdc.example.ca');
    const ref = await w.start(a, 'en');
    const form = { deliveryDueOn: '2027-01-29', preferredOpensOn: '', preferredClosesOn: '' };
    const over = await a.post(stepPath(ref, 4), { ...form, price: '8,695.66', then: 'continue' });
    expect(over.status).toBe(400);
    expect(errorsOf(over.text)).toEqual([
      `With tax at the highest provincial rate, this price comes to more than $10,000.00. Enter ${formatMoney(highest, 'en')} or less before tax.`,
    ]);
    expect(fieldValue(over.text, 'price')).toBe('8,695.66');
    const summary = parse(over.text).querySelector('#tax-summary')!;
    expect(summary.getAttribute('aria-live')).toBe('polite');
    expect(summary.textContent).toContain('Over the cap by');
    expect(summary.textContent).toContain('$0.01');
    expect((await row(ref)).price_cents).toBeNull();

    const edge = await a.post(stepPath(ref, 4), { ...form, price: '8695.65', then: 'continue' });
    expect(edge.status).toBe(303);
    expect(await row(ref)).toMatchObject({ price_cents: 869_565, max_total_cents: 1_000_000 });
    const back = await a.client.get(stepPath(ref, 4)).expect(200);
    expect(fieldValue(back.text, 'price')).toBe('8695.65');
    expect(parse(back.text).querySelector('#tax-summary')!.textContent).toContain(
      'Left under the cap',
    );
  });

  it('refuses a licence that is not OSI-approved, even posted by hand', async () => {
    const a = await signedIn('client@esdc.example.ca');
    const ref = await w.start(a, 'en');
    for (const licence of ['CC-BY-NC-4.0', 'Proprietary', '']) {
      const res = await a.post(stepPath(ref, 2), {
        repositoryUrl: 'https://github.com/canada-ca/licence-check',
        licence,
        skills: '',
        then: 'continue',
      });
      expect(res.status, licence).toBe(400);
      expect(errorsOf(res.text)).toEqual([
        'Choose an OSI-approved open-source licence from the list.',
      ]);
    }
    expect((await row(ref)).licence).toBe('');
  });

  it('updates the tax summary from its own route, as a fragment, in both languages', async () => {
    const a = await signedIn('client@esdc.example.ca');
    const en = await a.client.get('/en/requests/tax-summary?price=6500').expect(200);
    expect(en.text).not.toContain('<html');
    expect(en.text).not.toContain('<header');
    for (const cents of [650_000, 97_500, 747_500, 252_500]) {
      expect(en.text).toContain(formatMoney(cents, 'en'));
    }
    expect(en.text).toContain('Tax at the highest provincial rate (15%)');
    const fr = await a.client
      .get(`/fr/demandes-d-occasion/sommaire-des-taxes?price=${encodeURIComponent('6 500,00')}`)
      .expect(200);
    expect(fr.text).toContain(formatMoney(747_500, 'fr'));
    expect(fr.text).toContain('(15\u00a0%)');
    const over = await a.client.get('/en/requests/tax-summary?price=9000').expect(200);
    expect(over.text).toContain('Over the cap by');
    expect(over.text).toContain(formatMoney(maxTotalCents(900_000) - 1_000_000, 'en'));
    const unreadable = await a.client.get('/en/requests/tax-summary?price=abc').expect(200);
    expect(unreadable.text).toContain('Enter an amount in dollars');
    const huge = await a.client.get(`/en/requests/tax-summary?price=${'9'.repeat(19)}`).expect(200);
    expect(huge.text).toContain('Enter an amount in dollars');
    const repeated = await a.client.get('/en/requests/tax-summary?price=1&price=2').expect(200);
    expect(repeated.text).toContain('Enter the price');
    expect((await agent(w.t.app).client.get('/en/requests/tax-summary?price=1')).status).toBe(303);

    // The script is on the price step only, from our own origin (no inline script).
    const ref = await w.start(a, 'en');
    const step4 = await a.client.get(stepPath(ref, 4)).expect(200);
    const scripts = parse(step4.text).querySelectorAll('script');
    expect(
      scripts.map((s) => [s.getAttribute('src'), s.hasAttribute('defer'), s.textContent]),
    ).toEqual([['/assets/js/tax-summary.js', true, '']]);
    expect(parse(step4.text).querySelector('#tax-summary')?.getAttribute('data-url')).toBe(
      '/en/requests/tax-summary',
    );
    const step3 = await a.client.get(stepPath(ref, 3)).expect(200);
    expect(step3.text).not.toContain('tax-summary.js');
    const script = await a.client.get('/assets/js/tax-summary.js').expect(200);
    expect(script.headers['content-type']).toContain('javascript');
  });
});
