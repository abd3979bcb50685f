import type { PaymentMethod } from '../../src/platform/payment-methods.ts';
import type { Db } from '../../src/db/knex.ts';
import type { CurrentUser } from '../../src/platform/auth.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import { maxTotalCents } from '../../src/platform/money.ts';
import type { TestApp } from './app.ts';
import { currentUserOf, defaultDepartment, staffFor } from './scenario-people.ts';
import * as step from './scenario-steps.ts';
import { asDate, deliveryDueOn, timeline, type When } from './scenario-timeline.ts';
import type { Content, Walked } from './scenario-steps.ts';

/**
 * Scenario builders: a request or an opportunity in a given state, reached the way people reach
 * it — the feature services (the request form, screening, section 32, the translation editor,
 * the preview, publishing, cancellation) and the closing transition, each step one transaction
 * at its own time on the test clock, by people who hold the role in the department. Nothing here
 * writes a status or an event: the events are the ones the app records.
 *
 * Times: each step happens one minute before the next, and the last at the test clock's "now"
 * (publishing at the opening, closing at the deadline); `at` sets any step's time. The clock is
 * put back after each step.
 */

export type Stage =
  | 'start'
  | 'submit'
  | 'return'
  | 'decline'
  | 'screen'
  | 'approveFunds'
  | 'saveTranslation'
  | 'requestTranslation'
  | 'translate'
  | 'approvePreview'
  | 'publish'
  | 'close'
  | 'cancel';

export interface ScenarioOptions {
  /** The first department when not given (a new ESDC if there is none). */
  department?: number;
  /** People's user ids; by default someone who holds the role there (see staffFor). */
  requester?: number;
  officer?: number;
  manager?: number;
  sourceLanguage?: Lang;
  titleEn?: string;
  titleFr?: string;
  summaryEn?: string;
  summaryFr?: string;
  descriptionEn?: string;
  descriptionFr?: string;
  skills?: Record<Lang, string[]>;
  mandatory?: Record<Lang, string>[];
  acceptance?: Record<Lang, string>[];
  /** A repository and a cost centre of its own by default: no related purchases. */
  repositoryUrl?: string;
  costCentre?: string;
  licence?: string;
  priceCents?: number;
  deliveryDueOn?: string;
  preferredOpensOn?: string;
  preferredClosesOn?: string;
  fund?: string;
  glAccount?: string;
  paymentMethod?: PaymentMethod;
  /** Written at submission when related purchases pass the cap. */
  splittingJustification?: string;
  reservationNumber?: string;
  /** When a step happens. */
  at?: Partial<Record<Stage, When>>;
}

export interface FundedOptions extends ScenarioOptions {
  /** The program officer saved the other language's texts in the editor (not yet complete). */
  translationSaved?: boolean;
  /** The program officer recorded that translation was requested (default: from translated on). */
  translationRequested?: boolean;
}

export interface PublishedOptions extends FundedOptions {
  opensAt?: When;
  closesAt?: When;
}

export interface Scenario extends Walked {
  status: string;
  version: number;
  content: Content;
  people: { requester: number; officer?: number; manager?: number };
  /** From the preview link emailed to the client, once translated. */
  previewToken?: string;
  reservationNumber?: string;
  opensAt?: Date;
  closesAt?: Date;
}

let sequence = 0;

/** A cost centre of the department's own that no other scenario uses. */
async function freshCostCentre(db: Db, departmentId: number): Promise<string> {
  sequence += 1;
  const costCentre = String(700_000 + sequence);
  await db('departments')
    .where({ id: departmentId })
    .update({ cost_centres: db.raw('array_append(cost_centres, ?)', [costCentre]) });
  return costCentre;
}

function contentOf(
  o: ScenarioOptions,
  costCentre: string,
  deliveryDueOn: string,
): (reference: string) => Content {
  return (reference) => ({
    sourceLanguage: o.sourceLanguage ?? 'en',
    title: {
      en: o.titleEn ?? `Fix the form validator (${reference})`,
      fr: o.titleFr ?? `Corriger le validateur de formulaires (${reference})`,
    },
    summary: {
      en: o.summaryEn ?? 'Add French messages to the validator.',
      fr: o.summaryFr ?? 'Ajouter des messages en français au validateur.',
    },
    description: {
      en: o.descriptionEn ?? '### Background\n\nThe validator only speaks English.',
      fr: o.descriptionFr ?? '### Contexte\n\nLe validateur ne parle qu’anglais.',
    },
    skills: o.skills ?? {
      en: ['TypeScript', 'Accessibility'],
      fr: ['TypeScript', 'Accessibilité'],
    },
    mandatory: o.mandatory ?? [
      {
        en: 'A merged pull request in TypeScript',
        fr: 'Une demande de tirage fusionnée en TypeScript',
      },
      { en: 'Experience with i18n', fr: 'Expérience de l’internationalisation' },
    ],
    acceptance: o.acceptance ?? [{ en: 'All tests pass', fr: 'Tous les tests réussissent' }],
    repositoryUrl:
      o.repositoryUrl ?? `https://github.com/canada-ca/form-validator-${reference.toLowerCase()}`,
    licence: o.licence ?? 'MIT',
    priceCents: o.priceCents ?? 650_000,
    deliveryDueOn,
    preferredOpensOn: o.preferredOpensOn ?? '',
    preferredClosesOn: o.preferredClosesOn ?? '',
    costCentre,
    fund: o.fund ?? '1000',
    glAccount: o.glAccount ?? '52202',
    paymentMethod: o.paymentMethod ?? 'paypal_payout',
  });
}

/** Walks a new request through `stages`, in order, as the people of its department. */
async function walk(
  t: TestApp,
  stages: readonly Stage[],
  o: PublishedOptions & { reason?: string; cancelledBy?: number },
): Promise<Scenario> {
  const db = t.deps.db;
  const now = t.clock.now();
  const { times, window } = timeline(stages, o, now);
  const departmentId = o.department ?? (await defaultDepartment(db));
  const startedAt = times.get('start')!;
  const who = { now: startedAt };
  const requester = o.requester ?? (await staffFor(db, departmentId, 'client', who));
  const costCentre = o.costCentre ?? (await freshCostCentre(db, departmentId));
  // Each person is loaded once per walk (their roles do not change while it runs).
  const loaded = new Map<number, Promise<CurrentUser>>();
  const person = (id: number) => {
    if (!loaded.has(id)) loaded.set(id, currentUserOf(db, id));
    return loaded.get(id)!;
  };
  const content = contentOf(o, costCentre, deliveryDueOn(o, now));
  const client = await person(requester);
  const r = await step.atTime(t, startedAt, () =>
    step.writeRequest(t, departmentId, client, content),
  );
  const people: Scenario['people'] = { requester };
  const officer = async () =>
    person(
      (people.officer ??=
        o.officer ??
        (await staffFor(db, departmentId, 'program_officer', { ...who, notIds: [requester] }))),
    );
  const manager = async () =>
    person(
      (people.manager ??=
        o.manager ??
        (await staffFor(db, departmentId, 'section32_manager', {
          ...who,
          notIds: [requester],
          limitAtLeast: maxTotalCents(r.content.priceCents),
        }))),
    );
  const reservationNumber = o.reservationNumber ?? `FR-${r.reference}`;
  const reason = o.reason ?? 'The team no longer needs this work.';

  const run: Record<Exclude<Stage, 'start'>, () => Promise<void>> = {
    submit: async () => step.submit(t, r, await person(requester), o.splittingJustification),
    return: async () => step.screen(t, r, await officer(), 'return', reason),
    decline: async () => step.screen(t, r, await officer(), 'decline', reason),
    screen: async () => step.screen(t, r, await officer(), 'accept'),
    approveFunds: async () => step.reserveFunds(t, r, await manager(), reservationNumber),
    saveTranslation: async () => step.translate(t, r, await officer(), 'save', r.content),
    requestTranslation: async () => step.translate(t, r, await officer(), 'request', r.content),
    translate: async () => step.translate(t, r, await officer(), 'complete', r.content),
    approvePreview: async () => step.approveThePreview(t, r, await person(requester)),
    publish: async () => step.publish(t, r, await officer(), window!),
    close: () => step.close(t, r),
    cancel: async () => step.cancel(t, r, await person(o.cancelledBy ?? requester), reason),
  };
  for (const s of stages.slice(1) as Exclude<Stage, 'start'>[]) {
    await step.atTime(t, times.get(s)!, run[s]);
  }

  const row = await db('opportunities').where({ id: r.id }).first('status', 'version');
  return {
    ...r,
    status: row.status,
    version: row.version,
    people,
    previewToken: stages.includes('translate') ? await step.previewTokenOf(t, r) : undefined,
    reservationNumber: stages.includes('approveFunds') ? reservationNumber : undefined,
    ...window,
  };
}

const upToFunds: Stage[] = ['start', 'submit', 'screen', 'approveFunds'];
function upToTranslated(o: FundedOptions): Stage[] {
  return [
    ...upToFunds,
    ...(o.translationRequested === false ? [] : ['requestTranslation' as const]),
    'translate',
  ];
}

export const aDraftRequest = (t: TestApp, o: ScenarioOptions = {}) => walk(t, ['start'], o);
export const aSubmittedRequest = (t: TestApp, o: ScenarioOptions = {}) =>
  walk(t, ['start', 'submit'], o);
/** Returned to the client for changes: a draft again, with the program team's comments. */
export const aReturnedRequest = (t: TestApp, o: ScenarioOptions & { reason?: string } = {}) =>
  walk(t, ['start', 'submit', 'return'], o);
export const aDeclinedRequest = (t: TestApp, o: ScenarioOptions & { reason?: string } = {}) =>
  walk(t, ['start', 'submit', 'decline'], o);
export const aScreenedRequest = (t: TestApp, o: ScenarioOptions = {}) =>
  walk(t, ['start', 'submit', 'screen'], o);
/** Section 32 approved: the fund reservation is recorded. */
export const aFundedRequest = (t: TestApp, o: FundedOptions = {}) =>
  walk(
    t,
    [
      ...upToFunds,
      ...(o.translationSaved ? ['saveTranslation' as const] : []),
      ...(o.translationRequested ? ['requestTranslation' as const] : []),
    ],
    o,
  );
export const aTranslatedRequest = (t: TestApp, o: FundedOptions = {}) =>
  walk(t, upToTranslated(o), o);
/** The client approved the preview: ready to publish. */
export const aReadyRequest = (t: TestApp, o: FundedOptions = {}) =>
  walk(t, [...upToTranslated(o), 'approvePreview'], o);
export const aPublishedOpportunity = (t: TestApp, o: PublishedOptions = {}) =>
  walk(t, [...upToTranslated(o), 'approvePreview', 'publish'], o);
/** Closed at its deadline (an hour ago unless given) by the system, as the closing job does. */
export const aClosedOpportunity = (t: TestApp, o: PublishedOptions = {}) =>
  walk(t, [...upToTranslated(o), 'approvePreview', 'publish', 'close'], o);

const before: Record<string, Stage[]> = {
  draft: ['start'],
  submitted: ['start', 'submit'],
  screened: ['start', 'submit', 'screen'],
  funds_approved: upToFunds,
  translated: [...upToFunds, 'requestTranslation', 'translate'],
  ready: [...upToFunds, 'requestTranslation', 'translate', 'approvePreview'],
  published: [...upToFunds, 'requestTranslation', 'translate', 'approvePreview', 'publish'],
  closed: [...upToFunds, 'requestTranslation', 'translate', 'approvePreview', 'publish', 'close'],
};

/**
 * Cancelled with a reason from the given state (published by default), by the requester unless
 * `cancelledBy` says; reserved funds are then waiting for finance to release them.
 */
export const aCancelledOpportunity = (
  t: TestApp,
  o: PublishedOptions & { from?: keyof typeof before; reason?: string; cancelledBy?: number } = {},
) => walk(t, [...before[o.from ?? 'published']!, 'cancel'], o);

/**
 * An addendum to a published opportunity, by its program officer at `at` (the test clock's now
 * unless given): its summary in both languages, changed texts, or a later closing.
 */
export async function anAddendum(
  t: TestApp,
  s: Scenario,
  o: Parameters<typeof step.amend>[3] & { at?: When; by?: number },
): Promise<void> {
  const by =
    o.by ??
    s.people.officer ??
    (await staffFor(t.deps.db, s.departmentId, 'program_officer', { now: t.clock.now() }));
  await step.atTime(t, asDate(o.at) ?? t.clock.now(), () => step.amend(t, s, by, o));
}
export { currentUserOf } from './scenario-people.ts';
