import type { PaymentMethod } from '../../src/platform/payment-methods.ts';
import { changeableTexts, type AddendumForm } from '../../src/addenda/schemas.ts';
import { publishAddendum } from '../../src/addenda/service.ts';
import { closeIfDue } from '../../src/opportunities/closing.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import { publishOpportunity, approvePreview } from '../../src/publishing/service.ts';
import { stepForms, type StepInput } from '../../src/requests/form-schemas.ts';
import { saveStep, startRequest, submitRequest } from '../../src/requests/form-service.ts';
import { attestationText } from '../../src/review/present.ts';
import { approveFunds, cancelRequest, screenRequest } from '../../src/review/service.ts';
import { editorPairs, submitTranslation } from '../../src/translation/service.ts';
import type { TestApp } from './app.ts';
import type { CurrentUser } from '../../src/platform/auth.ts';
import { currentUserOf } from './scenario-people.ts';

/** The request's texts in both languages: the source one is typed in the form, the other translated. */
export interface Content {
  sourceLanguage: Lang;
  title: Record<Lang, string>;
  summary: Record<Lang, string>;
  description: Record<Lang, string>;
  skills: Record<Lang, string[]>;
  mandatory: Record<Lang, string>[];
  acceptance: Record<Lang, string>[];
  repositoryUrl: string;
  licence: string;
  priceCents: number;
  deliveryDueOn: string;
  preferredOpensOn: string;
  preferredClosesOn: string;
  costCentre: string;
  fund: string;
  glAccount: string;
  paymentMethod: PaymentMethod;
}

/** One request being walked: what the steps need to act on it. */
export interface Walked {
  id: number;
  reference: string;
  departmentId: number;
}

/** Who takes a step: a user id, or the person already loaded (a walk loads each one once). */
export type Actor = number | CurrentUser;
const personOf = (t: TestApp, by: Actor): Promise<CurrentUser> =>
  typeof by === 'number' ? currentUserOf(t.deps.db, by) : Promise.resolve(by);

/** A refused step is a broken scenario, not a result: say which step and why. */
function expectDone(step: string, outcome: { ok: boolean }): void {
  if (!outcome.ok) throw new Error(`scenario step ${step} refused: ${JSON.stringify(outcome)}`);
}

/** Runs one step with the test clock at its time, then puts the clock back. */
export async function atTime<T>(t: TestApp, at: Date, run: () => Promise<T>): Promise<T> {
  const before = t.clock.now();
  t.clock.set(at);
  try {
    return await run();
  } finally {
    t.clock.set(before);
  }
}

const versionOf = async (t: TestApp, id: number): Promise<number> =>
  Number((await t.deps.db('opportunities').where({ id }).first('version')).version);

/** The five steps of the request form as a person types them, parsed by the form's own schemas. */
function typedSteps(c: Content): StepInput[] {
  const lang = c.sourceLanguage;
  const lines = (items: string[]) => items.join('\n');
  const typed = {
    1: { title: c.title[lang], summary: c.summary[lang], description: c.description[lang] },
    2: { repositoryUrl: c.repositoryUrl, licence: c.licence, skills: lines(c.skills[lang]) },
    3: {
      acceptanceCriteria: lines(c.acceptance.map((x) => x[lang])),
      mandatoryCriteria: lines(c.mandatory.map((x) => x[lang])),
    },
    4: {
      price: (c.priceCents / 100).toFixed(2),
      deliveryDueOn: c.deliveryDueOn,
      preferredOpensOn: c.preferredOpensOn,
      preferredClosesOn: c.preferredClosesOn,
    },
    5: {
      costCentre: c.costCentre,
      fund: c.fund,
      glAccount: c.glAccount,
      paymentMethod: c.paymentMethod,
    },
  };
  return ([1, 2, 3, 4, 5] as const).map(
    (step) => ({ step, ...stepForms[step].parse(typed[step]) }) as StepInput,
  );
}

/** The client opens a draft and saves every step of the form. */
export async function writeRequest(
  t: TestApp,
  departmentId: number,
  requesterId: Actor,
  content: (reference: string) => Content,
): Promise<Walked & { content: Content }> {
  const user = await personOf(t, requesterId);
  const sourceLanguage = content('').sourceLanguage;
  const reference = await startRequest(t.deps, user, { department: departmentId, sourceLanguage });
  if (!reference) throw new Error(`user ${requesterId} is not a client of ${departmentId}`);
  const { id } = await t.deps.db('opportunities').where({ reference }).first('id');
  const filled = content(reference);
  for (const input of typedSteps(filled)) {
    expectDone(`step ${input.step}`, await saveStep(t.deps, user, id, input));
  }
  return { id: Number(id), reference, departmentId, content: filled };
}

export async function submit(t: TestApp, r: Walked, by: Actor, justification = '') {
  const user = await personOf(t, by);
  const version = await versionOf(t, r.id);
  expectDone('submit', await submitRequest(t.deps, user, r.id, { justification, version }));
}

export async function screen(
  t: TestApp,
  r: Walked,
  by: Actor,
  decision: 'accept' | 'return' | 'decline',
  comments = '',
) {
  const user = await personOf(t, by);
  const form = { decision, comments, version: await versionOf(t, r.id) };
  const splitting = await t.deps.db('opportunities').where({ id: r.id }).first('splitting_related');
  const approveSplitting = splitting.splitting_related?.exceedsCap ? ('yes' as const) : undefined;
  expectDone(
    decision,
    await screenRequest(t.deps, user, r.reference, { ...form, approveSplitting }),
  );
}

export async function reserveFunds(t: TestApp, r: Walked, by: Actor, reservationNumber: string) {
  const user = await personOf(t, by);
  const form = { reservationNumber, attest: 'yes' as const, version: await versionOf(t, r.id) };
  const wording = (amount: number) => ({
    text: attestationText(amount, user.language, t.deps.translator.t(user.language)),
    lang: user.language,
  });
  expectDone('approve_funds', await approveFunds(t.deps, user, r.reference, form, wording));
}

/** The program officer's translation editor: save, ask for the translation, or complete it. */
export async function translate(
  t: TestApp,
  r: Walked,
  by: Actor,
  intent: 'save' | 'request' | 'complete',
  content: Content,
) {
  const user = await personOf(t, by);
  const row = await t.deps.db('opportunities').where({ id: r.id }).first();
  const text: Record<string, (lang: Lang) => string> = {
    title: (lang) => content.title[lang],
    summary: (lang) => content.summary[lang],
    description: (lang) => content.description[lang],
    skills: (lang) => content.skills[lang].join('\n'),
  };
  const pairs = (await editorPairs(t.deps.db, row)).map((pair) => {
    const criteria = pair.kind === 'mandatory' ? content.mandatory : content.acceptance;
    const of = (lang: Lang) =>
      text[pair.key]?.(lang) ?? criteria[(pair.position ?? 0) - 1]?.[lang] ?? pair[lang];
    return { ...pair, en: of('en'), fr: of('fr') };
  });
  const form = { intent, version: row.version, pairs };
  expectDone(`translation ${intent}`, await submitTranslation(t.deps, user, r.reference, form));
}

/** The unguessable part of the preview link the client was emailed. */
export async function previewTokenOf(t: TestApp, r: Walked): Promise<string> {
  const email = await t.deps
    .db('outbox')
    .where({ template: 'preview-ready' })
    .whereRaw(`data->>'reference' = ?`, [r.reference])
    .orderBy('id', 'desc')
    .first('data');
  const link: string = email.data.link.en;
  return link.slice(link.lastIndexOf('/') + 1);
}

export async function approveThePreview(t: TestApp, r: Walked, by: Actor) {
  const user = await personOf(t, by);
  expectDone(
    'approve_preview',
    await approvePreview(t.deps, user, r.reference, await versionOf(t, r.id)),
  );
}

export async function publish(
  t: TestApp,
  r: Walked,
  by: Actor,
  window: { opensAt: Date; closesAt: Date },
) {
  const user = await personOf(t, by);
  const version = await versionOf(t, r.id);
  expectDone('publish', await publishOpportunity(t.deps, user, r.reference, version, window));
}

/**
 * The closing job at this opportunity's deadline (its own job, not the sweep: the sweep would
 * also close every other published opportunity of the test whose deadline has passed, which a
 * test may keep published on purpose).
 */
export async function close(t: TestApp, r: Walked) {
  if (!(await closeIfDue(t.deps.db, t.clock, r.id))) {
    throw new Error(
      `scenario step close: ${r.reference} is not due at ${t.clock.now().toISOString()}`,
    );
  }
}

export async function cancel(t: TestApp, r: Walked, by: Actor, reason: string) {
  const user = await personOf(t, by);
  const form = { reason, confirm: 'yes' as const, version: await versionOf(t, r.id) };
  expectDone('cancel', await cancelRequest(t.deps, user, r.reference, form));
}

/** An addendum by the program officer: new texts and, for an extension, a later closing. */
export async function amend(
  t: TestApp,
  r: Walked,
  by: Actor,
  change: {
    summary: Record<Lang, string>;
    texts?: Partial<AddendumForm['texts']>;
    newClosesAt?: Date;
  },
) {
  const user = await personOf(t, by);
  const row = await t.deps.db('opportunities').where({ id: r.id }).first();
  const texts = Object.fromEntries(
    changeableTexts.map((column) => [column, String(row[column] ?? '')]),
  ) as AddendumForm['texts'];
  Object.assign(texts, change.texts);
  const done = await publishAddendum(t.deps, user, r.id, {
    version: row.version,
    summary: change.summary,
    texts,
    newClosesAt: change.newClosesAt ?? null,
  });
  expectDone('addendum', done);
}
