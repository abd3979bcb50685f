import type { Db } from '../db/knex.ts';
import { feedbackSummary } from '../feedback/repo.ts';
import {
  selfIdentificationSummary,
  type SelfIdentificationSummary,
} from '../self-identification/repo.ts';
import { cycleTimes, type CycleTimes } from './cycle-times.ts';
import { confirmedSubscribers, mainFigures, type MainFigures, type ScopeBindings } from './repo.ts';
import { periodOf, type MetricsScope } from './scope.ts';

/** A part of a whole: null when the whole is zero (a share of nothing is not 0%). */
export interface Share {
  part: number;
  whole: number;
  ratio: number | null;
}

const share = (part: number, whole: number): Share => ({
  part,
  whole,
  ratio: whole === 0 ? null : part / whole,
});

export interface MetricsReport {
  figures: MainFigures;
  subscribers: number;
  applicationsPerOpportunity: number | null;
  meetingCriteria: Share;
  winnersAcceptingTerms: Share;
  workCompleted: Share;
  clientReuse: Share;
  supplierReturn: Share;
  flaggedSplitting: Share;
  /** Winners (suppliers who accepted the terms) per self-identified answer, counts below 5 people hidden. */
  winners: SelfIdentificationSummary;
  feedback: Awaited<ReturnType<typeof feedbackSummary>>;
  cycle: CycleTimes;
}

/** Every measure of DOMAIN.md "What the pilot measured" for a scope, each counted in SQL. */
export async function metricsReport(
  db: Db,
  scope: MetricsScope,
  now: Date,
): Promise<MetricsReport> {
  const period = periodOf(scope);
  const bindings: ScopeBindings = { ...period, departmentId: scope.departmentId ?? null };
  const [figures, subscribers, winners, feedback, cycle] = await Promise.all([
    mainFigures(db, bindings),
    confirmedSubscribers(db, period.before, now),
    selfIdentificationSummary(db, {
      departmentId: scope.departmentId,
      submittedFrom: period.from ?? undefined,
      submittedBefore: period.before ?? undefined,
      winnersOnly: true,
    }),
    feedbackSummary(db, { departmentId: scope.departmentId }),
    cycleTimes(db, bindings),
  ]);
  return {
    figures,
    subscribers,
    applicationsPerOpportunity:
      figures.opportunitiesPublished === 0
        ? null
        : figures.applications / figures.opportunitiesPublished,
    meetingCriteria: share(
      figures.requestsScreened,
      figures.requestsScreened + figures.requestsDeclined,
    ),
    winnersAcceptingTerms: share(figures.offersAccepted, figures.offers),
    workCompleted: share(figures.contractsCompleted, figures.contractsStarted),
    clientReuse: share(figures.returningClients, figures.clients),
    supplierReturn: share(figures.returningSuppliers, figures.uniqueSuppliers),
    flaggedSplitting: share(figures.requestsFlaggedSplitting, figures.requestsReceived),
    winners,
    feedback,
    cycle,
  };
}
