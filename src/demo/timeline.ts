import { DateTime } from 'luxon';
import { addBusinessDays } from '../platform/business-days.ts';
import { EASTERN, easternDate, easternInstant } from '../platform/dates.ts';
import { CAP_CENTS, maxTotalCents } from '../platform/money.ts';
import type { DemoOpportunity } from './content/types.ts';
import { contractActionKinds, contractSteps, type ContractAction } from './contract-timeline.ts';

/**
 * When each demo opportunity's steps happened, dated from the clock so that the demo always
 * looks current (opened some days ago, closing in a few days) and the 2021 pilot's in 2021.
 * Pure: the loader replays the steps, in time order, through the real actions.
 */

const OPENING_HOUR = 10;
const DEADLINE_HOUR = 14;

/** What a person does, one at a time; `save` is one step of the request form. */
export type DemoAction =
  | { kind: 'start' }
  | { kind: 'save'; formStep: 1 | 2 | 3 | 4 | 5 }
  | { kind: 'submit' }
  | { kind: 'screen' }
  | { kind: 'approve_funds' }
  | { kind: 'request_translation' }
  | { kind: 'complete_translation' }
  | { kind: 'approve_preview' }
  | { kind: 'publish' }
  | { kind: 'addendum' }
  | { kind: 'cancel' }
  | { kind: 'release_funds' }
  /** Nobody: the closing job, run at the deadline. */
  | { kind: 'close' }
  /** The demo supplier's application (its index in the content): started and saved as a draft. */
  | { kind: 'apply'; application: number }
  | { kind: 'submit_application'; application: number }
  /** After the closing, the requester evaluates: declares, judges each applicant, locks. */
  | { kind: 'declare' }
  | { kind: 'evaluate'; application: number }
  | { kind: 'lock' }
  /** The supplier offered the contract accepts the terms. */
  | { kind: 'accept_offer' }
  /** The requester terminates the contract for non-delivery and ends the opportunity. */
  | { kind: 'terminate' }
  /** After the award: delivery, review, invoice, section 34, card payment, confirmation. */
  | ContractAction;

const afterClosing: ReadonlySet<DemoAction['kind']> = new Set([
  'close',
  'declare',
  'evaluate',
  'lock',
  'accept_offer',
  'terminate',
  ...contractActionKinds,
]);

interface DemoWindow {
  opensOn: string;
  opensAt: Date;
  /** The deadline it was published with; an extension moves it to `closesAt`. */
  publishedClosesAt: Date;
  closesOn: string;
  closesAt: Date;
}

export interface DemoPlan {
  spec: DemoOpportunity;
  deliveryDueOn: string;
  /** For the ones that get published. */
  window?: DemoWindow;
  steps: { action: DemoAction; at: Date }[];
}

function addDays(isoDate: string, days: number): string {
  const date = DateTime.fromISO(isoDate, { zone: EASTERN }).plus({ days }).toISODate();
  if (!date) throw new Error(`Not a calendar date: ${isoDate}`);
  return date;
}

function daysBetween(fromIsoDate: string, toIsoDate: string): number {
  const from = DateTime.fromISO(fromIsoDate, { zone: EASTERN });
  return Math.round(DateTime.fromISO(toIsoDate, { zone: EASTERN }).diff(from, 'days').days);
}

function windowOf(spec: DemoOpportunity, now: Date): { window: DemoWindow; due: string } {
  const { timing } = spec;
  let opensOn: string;
  let closesOn: string;
  let due: string;
  if ('opensOn' in timing) {
    ({ opensOn, closesOn } = timing);
    due = timing.deliveryDueOn;
  } else if ('opensInDays' in timing) {
    const today = easternDate(now);
    closesOn = addDays(today, timing.closesInDays);
    // One meant to close today whose deadline has passed closes tomorrow instead.
    if (timing.closesInDays >= 0 && easternInstant(closesOn, DEADLINE_HOUR) <= now) {
      closesOn = addDays(closesOn, 1);
    }
    opensOn = addDays(today, timing.opensInDays);
    due = addDays(closesOn, timing.deliveryWeeks * 7);
  } else {
    throw new Error('a published demo opportunity needs its opening and closing');
  }
  const extension = spec.addendum?.extensionDays ?? 0;
  const window = {
    opensOn,
    opensAt: easternInstant(opensOn, OPENING_HOUR),
    publishedClosesAt: easternInstant(addDays(closesOn, -extension), DEADLINE_HOUR),
    closesOn,
    closesAt: easternInstant(closesOn, DEADLINE_HOUR),
  };
  return { window, due };
}

const DEFAULT_PREPARATION_DAYS: readonly number[] = [3, 1, 2, 3, 1];

const formSaves = ([1, 2, 3, 4, 5] as const).map((formStep) => ({
  action: { kind: 'save', formStep } as const,
  hour: 9,
  minute: formStep * 10,
}));

/**
 * The way to publication, each step at an hour of its day; `day` is the state the request is in
 * that day (0 draft, 1 submitted, 2 screened, 3 funds approved, 4 translated, 5 ready).
 */
const preparation = [
  { action: { kind: 'start' }, day: 0, hour: 9, minute: 0 },
  ...formSaves.map((save) => ({ ...save, day: 0 })),
  { action: { kind: 'submit' }, day: 1, hour: 11, minute: 0 },
  { action: { kind: 'screen' }, day: 2, hour: 14, minute: 0 },
  { action: { kind: 'approve_funds' }, day: 3, hour: 10, minute: 0 },
  { action: { kind: 'request_translation' }, day: 3, hour: 15, minute: 0 },
  { action: { kind: 'complete_translation' }, day: 4, hour: 15, minute: 0 },
  { action: { kind: 'approve_preview' }, day: 5, hour: 9, minute: 0 },
  { action: { kind: 'publish' }, day: 5, hour: OPENING_HOUR, minute: 0 },
] as const satisfies readonly { action: DemoAction; day: number; hour: number; minute: number }[];

const lastPreparationStep: Record<DemoOpportunity['reaches'], DemoAction['kind']> = {
  submitted: 'submit',
  screened: 'screen',
  funds_approved: 'approve_funds',
  published: 'publish',
  closed: 'publish',
  cancelled: 'publish',
  evaluating: 'publish',
  drawn: 'publish',
  awarded: 'publish',
  no_qualified_applicant: 'publish',
};

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Past its deadline: closed, and maybe evaluated since. */
const closedStates: ReadonlySet<DemoOpportunity['reaches']> = new Set([
  'closed',
  'evaluating',
  'drawn',
  'awarded',
  'no_qualified_applicant',
]);

/**
 * The suppliers apply spread over the time the opportunity is open (until now for an open one),
 * each saving a draft and, for most, submitting it a couple of hours later, before the deadline.
 */
function applicationSteps(spec: DemoOpportunity, window: DemoWindow, now: Date) {
  const applications = spec.applications ?? [];
  const end = Math.min(window.publishedClosesAt.getTime(), now.getTime());
  const gap = (end - window.opensAt.getTime()) / (applications.length + 1);
  return applications.flatMap((application, index) => {
    const started = window.opensAt.getTime() + gap * (index + 1) - 3 * HOUR + 7 * MINUTE;
    const steps: DemoPlan['steps'] = [
      { action: { kind: 'apply', application: index }, at: new Date(started) },
    ];
    if (application.submitted) {
      steps.push({
        action: { kind: 'submit_application', application: index },
        at: new Date(started + 2 * HOUR),
      });
    }
    return steps;
  });
}

/**
 * The requester's evaluation from the morning after the closing: the declaration, each submitted
 * application judged (only the first while it is still under way), the lock at four, and the
 * offered supplier's acceptance of the terms the next day at noon.
 */
function evaluationSteps(spec: DemoOpportunity, window: DemoWindow): DemoPlan['steps'] {
  if (!['evaluating', 'drawn', 'awarded', 'no_qualified_applicant'].includes(spec.reaches)) {
    return [];
  }
  const morning = window.closesAt.getTime() + 19 * HOUR;
  const steps: DemoPlan['steps'] = [{ action: { kind: 'declare' }, at: new Date(morning) }];
  const submitted = (spec.applications ?? [])
    .map((application, index) => ({ application, index }))
    .filter((a) => a.application.submitted);
  const judged = spec.reaches === 'evaluating' ? submitted.slice(0, 1) : submitted;
  judged.forEach(({ index }, i) => {
    steps.push({
      action: { kind: 'evaluate', application: index },
      at: new Date(morning + HOUR + i * 20 * MINUTE),
    });
  });
  if (spec.reaches === 'evaluating') return steps;
  const lock = morning + 7 * HOUR;
  steps.push({ action: { kind: 'lock' }, at: new Date(lock) });
  if (spec.reaches === 'awarded') {
    steps.push({ action: { kind: 'accept_offer' }, at: new Date(lock + 20 * HOUR) });
  }
  return steps;
}

/** The preparation up to the state it reaches, `day` turned into a calendar date. */
function preparationSteps(
  spec: DemoOpportunity,
  dayOf: (day: number) => string,
): DemoPlan['steps'] {
  const last = preparation.findIndex((s) => s.action.kind === lastPreparationStep[spec.reaches]);
  return preparation.slice(0, last + 1).map((s) => ({
    action: s.action,
    at: easternInstant(dayOf(s.day), s.hour, s.minute),
  }));
}

function publishedPlan(spec: DemoOpportunity, index: number, now: Date): DemoPlan {
  const { window, due } = windowOf(spec, now);
  const inStep =
    spec.preparationDays ?? DEFAULT_PREPARATION_DAYS.map((days, i) => days + ((index + i) % 3));
  // Day n of the preparation is the day the request entered its n-th state.
  const dayOf = (day: number) =>
    addDays(window.opensOn, -inStep.slice(day).reduce((sum, days) => sum + days, 0));
  const steps = preparationSteps(spec, dayOf);
  if (spec.addendum) {
    const day = addDays(window.opensOn, spec.addendum.daysAfterOpening);
    steps.push({ action: { kind: 'addendum' }, at: easternInstant(day, 11) });
  }
  if (spec.reaches === 'cancelled') {
    const midway = Math.floor(daysBetween(window.opensOn, window.closesOn) / 2);
    const day = addDays(window.opensOn, midway);
    steps.push({ action: { kind: 'cancel' }, at: easternInstant(day, 11) });
    steps.push({ action: { kind: 'release_funds' }, at: easternInstant(addDays(day, 1), 10) });
  }
  steps.push(...applicationSteps(spec, window, now));
  if (closedStates.has(spec.reaches)) {
    steps.push({ action: { kind: 'close' }, at: window.closesAt });
    steps.push(...evaluationSteps(spec, window));
  }
  const accepted = steps.find((s) => s.action.kind === 'accept_offer');
  if (spec.contract && accepted) steps.push(...contractSteps(spec.contract, accepted.at));
  if (spec.termination) {
    const day = addDays(due, spec.termination.daysAfterDue);
    steps.push({ action: { kind: 'terminate' }, at: easternInstant(day, 11) });
  }
  // In time order: the suppliers apply while addenda are posted.
  steps.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { spec, deliveryDueOn: due, window, steps };
}

/** A request still in a queue: started some days ago, one step a day since. */
function requestPlan(spec: DemoOpportunity, startedDaysAgo: number, now: Date): DemoPlan {
  const today = easternDate(now);
  const steps = preparationSteps(spec, (day) => addDays(today, day - startedDaysAgo));
  return { spec, deliveryDueOn: addBusinessDays(today, 45), steps };
}

function check(condition: boolean, spec: DemoOpportunity, problem: string): void {
  if (!condition) throw new Error(`Demo opportunity "${spec.en.title}": ${problem}`);
}

function validate(plan: DemoPlan, now: Date): void {
  const { spec, window, steps } = plan;
  check(maxTotalCents(spec.priceCents) <= CAP_CENTS, spec, 'price over the cap');
  for (const key of ['skills', 'mandatory', 'acceptance'] as const) {
    check(spec.en[key].length === spec.fr[key].length, spec, `${key} differ between languages`);
  }
  const times = steps.map((s) => s.at.getTime());
  check(
    times.every((t, i) => i === 0 || t > (times[i - 1] ?? t)),
    spec,
    'history out of order',
  );
  check(
    times.every((t) => t <= now.getTime()),
    spec,
    'history in the future',
  );
  if (!window) {
    check(
      ['submitted', 'screened', 'funds_approved'].includes(spec.reaches),
      spec,
      'not published',
    );
    return;
  }
  for (const key of ['mandatory', 'acceptance'] as const) {
    check(spec.en[key].length >= 2 && spec.en[key].length <= 4, spec, `needs 2 to 4 ${key}`);
  }
  check(
    window.closesAt > window.opensAt && plan.deliveryDueOn > window.closesOn,
    spec,
    'dates out of order',
  );
  const open = window.closesAt > now;
  check((spec.reaches === 'published') === open, spec, 'state does not match the deadline');
  check(
    steps.every((s) => afterClosing.has(s.action.kind) || s.at < window.publishedClosesAt),
    spec,
    'a step after the deadline',
  );
  check(spec.reaches !== 'cancelled' || Boolean(spec.cancellation), spec, 'no cancellation');
  check(!spec.termination || spec.reaches === 'awarded', spec, 'a termination before the award');
  check(!spec.contract || spec.reaches === 'awarded', spec, 'a contract before the award');
  const applications = spec.applications ?? [];
  check(
    applications.every(
      (a) => a.answers.length === 1 || a.answers.length === spec.en.mandatory.length,
    ),
    spec,
    'an application without an answer for each mandatory criterion',
  );
  check(
    !['evaluating', 'drawn', 'awarded'].includes(spec.reaches) ||
      applications.some((a) => a.submitted && a.passes),
    spec,
    'nobody to pass',
  );
  check(
    spec.reaches !== 'no_qualified_applicant' ||
      applications.every((a) => !a.submitted || a.passes === false),
    spec,
    'somebody passes',
  );
}

/** Every demo opportunity's plan, checked: a content mistake fails loudly at start-up. */
export function planDemo(specs: readonly DemoOpportunity[], now: Date): DemoPlan[] {
  return specs.map((spec, index) => {
    const plan =
      'startedDaysAgo' in spec.timing
        ? requestPlan(spec, spec.timing.startedDaysAgo, now)
        : publishedPlan(spec, index, now);
    validate(plan, now);
    return plan;
  });
}

/** All the plans' steps in the order they happened (a plan's own order on a tie). */
export function inTimeOrder(plans: readonly DemoPlan[]) {
  return plans
    .flatMap((plan) => plan.steps.map((step) => ({ plan, ...step })))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}
