import { parse } from 'node-html-parser';
import type { Lang } from '../../src/platform/i18n.ts';
import { url } from '../../src/platform/routes.ts';
import type { TestApp } from './app.ts';
import { aContractInProgress, type ContractFile } from './contract-world.ts';
import { SUPPLIER_PASSWORD } from './offers-world.ts';
import { insertPerson, signIn, type SignedIn } from './people.ts';
import { defaultDepartment } from './scenario-people.ts';

/**
 * The delivery tests' world: a contract in progress whose client (the requester) and program
 * officer are people of the test, with passwords to sign in, and the supplier who holds it.
 */
export const CLIENT_PASSWORD = 'delivery client passphrase';

export interface DeliveryWorld extends ContractFile {
  supplierBrowser: (lang?: Lang) => Promise<SignedIn>;
  clientBrowser: (lang?: Lang) => Promise<SignedIn>;
  officerBrowser: (lang?: Lang) => Promise<SignedIn>;
  /** The opportunity's repository, where a pull request must be. */
  repositoryUrl: string;
  criterionIds: number[];
}

let people = 0;

export async function aDeliveryWorld(t: TestApp): Promise<DeliveryWorld> {
  const { db } = t.deps;
  people += 1;
  const department = await defaultDepartment(db);
  const clientEmail = `client${people}@delivery.example.ca`;
  const officerEmail = `officer${people}@delivery.example.ca`;
  const requester = await insertPerson(db, {
    email: clientEmail,
    password: CLIENT_PASSWORD,
    confirmedAt: t.clock.now(),
    grants: [{ role: 'client', department }],
  });
  await insertPerson(db, {
    email: officerEmail,
    password: CLIENT_PASSWORD,
    confirmedAt: t.clock.now(),
    grants: [{ role: 'program_officer', department }],
  });
  const file = await aContractInProgress(t, { requester });
  const opportunity = await db('opportunities').where({ id: file.s.id }).first('repository_url');
  const criteria = await db('acceptance_criteria')
    .where({ opportunity_id: file.s.id })
    .orderBy('position')
    .select('id');
  return {
    ...file,
    repositoryUrl: opportunity.repository_url,
    criterionIds: criteria.map((c: { id: number }) => Number(c.id)),
    supplierBrowser: (lang = 'en') => signIn(t.app, file.supplier.email, SUPPLIER_PASSWORD, lang),
    clientBrowser: (lang = 'en') => signIn(t.app, clientEmail, CLIENT_PASSWORD, lang),
    officerBrowser: (lang = 'en') => signIn(t.app, officerEmail, CLIENT_PASSWORD, lang),
  };
}

const versionOn = (html: string) =>
  parse(html).querySelector('input[name="version"]')?.getAttribute('value') ?? '';

/** Posts the delivery form as the page shows it (its version), with what is typed. */
export async function postDelivery(
  browser: SignedIn,
  contractId: number,
  form: Partial<Record<'pullRequests' | 'commits' | 'releases' | 'notes', string>>,
  lang: Lang = 'en',
) {
  const page = url('contractDelivery', { id: contractId }, lang);
  const shown = await browser.client.get(page);
  return browser.post(page, { version: versionOn(shown.text), ...form }, page);
}

/** Posts the review form: each criterion met (`yes`) or not (`no`) with its comment. */
export async function postReview(
  browser: SignedIn,
  contractId: number,
  form: {
    decision: 'accept' | 'revisions';
    judgements: { id: number; met?: 'yes' | 'no'; comment?: string }[];
    reason?: string;
  },
  lang: Lang = 'en',
) {
  const page = url('contractReview', { id: contractId }, lang);
  const shown = await browser.client.get(page);
  const fields: Record<string, string> = {
    version: versionOn(shown.text),
    decision: form.decision,
    reason: form.reason ?? '',
  };
  for (const j of form.judgements) {
    if (j.met) fields[`met-${j.id}`] = j.met;
    fields[`comment-${j.id}`] = j.comment ?? '';
  }
  return browser.post(page, fields, page);
}

/** A pull request on the opportunity's repository. */
export const pullOn = (repositoryUrl: string, n: number) => `${repositoryUrl}/pull/${n}`;
