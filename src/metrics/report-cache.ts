import type { Db } from '../db/knex.ts';
import type { Clock } from '../platform/clock.ts';
import type { MetricsScope } from './scope.ts';
import { metricsReport, type MetricsReport } from './service.ts';

/** How long a report may be reused when no event happened since (answers and subscribers). */
const FRESH_MS = 60_000;
const MAX_ENTRIES = 500;

/**
 * Reports by scope, reused until the next event (the aggregates read mostly events) or for a
 * minute at most: the staff page answers from memory under load, and requests arriving together
 * share one computation. Only aggregates are kept, never a row of anyone's.
 */
export class ReportCache {
  private readonly entries = new Map<
    string,
    { lastEvent: number; at: number; report: Promise<MetricsReport> }
  >();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async get(scope: MetricsScope): Promise<MetricsReport> {
    const now = this.clock.now();
    const row = await this.db('events').first(this.db.raw('max(id) AS id'));
    const lastEvent = Number((row as { id: string | null }).id ?? 0);
    const key = `${scope.departmentId ?? '*'}:${scope.fiscalYear ?? '*'}`;
    const entry = this.entries.get(key);
    if (entry && entry.lastEvent === lastEvent && now.getTime() - entry.at < FRESH_MS) {
      return entry.report;
    }
    const report = metricsReport(this.db, scope, now);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { lastEvent, at: now.getTime(), report });
    report.catch(() => this.entries.delete(key));
    return report;
  }
}
