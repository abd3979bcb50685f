import { selfIdentificationQuestions } from '../self-identification/questions.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import { formatMoney } from '../platform/money.ts';
import { barChart } from './chart.ts';
import { baselines, type Durations } from './cycle-times.ts';
import type { MetricsReport, Share } from './service.ts';

const locale = (lang: Lang) => (lang === 'fr' ? 'fr-CA' : 'en-CA');

function formatDays(value: number | null, lang: Lang, t: Translate, digits = 1): string {
  if (value === null) return t('metrics.none');
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits }).format(value);
}

function formatShare(s: Share, lang: Lang, t: Translate): string {
  if (s.ratio === null) return t('metrics.none');
  const percent = new Intl.NumberFormat(locale(lang), {
    style: 'percent',
    maximumFractionDigits: 1,
  }).format(s.ratio);
  return t('metrics.shareOf', { percent, part: s.part, whole: s.whole });
}

const durationCells = (d: Durations, lang: Lang, t: Translate) => ({
  count: d.count,
  median: formatDays(d.medianDays, lang, t),
  p90: formatDays(d.p90Days, lang, t),
  medianBusiness: formatDays(d.medianBusinessDays, lang, t),
  p90Business: formatDays(d.p90BusinessDays, lang, t),
});

/** The report as the metrics pages show it: every figure formatted, the charts laid out. */
export function presentMetrics(report: MetricsReport, lang: Lang, t: Translate) {
  const f = report.figures;
  const number = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 2 });
  const figures = [
    [
      'applicationsPerOpportunity',
      report.applicationsPerOpportunity === null
        ? t('metrics.none')
        : number.format(report.applicationsPerOpportunity),
    ],
    ['uniqueSuppliers', number.format(f.uniqueSuppliers)],
    ['subscribers', number.format(report.subscribers)],
    ['requestsReceived', number.format(f.requestsReceived)],
    ['meetingCriteria', formatShare(report.meetingCriteria, lang, t)],
    ['opportunitiesPublished', number.format(f.opportunitiesPublished)],
    ['winnersAcceptingTerms', formatShare(report.winnersAcceptingTerms, lang, t)],
    ['workCompleted', formatShare(report.workCompleted, lang, t)],
    ['clientReuse', formatShare(report.clientReuse, lang, t)],
    ['supplierReturn', formatShare(report.supplierReturn, lang, t)],
    ['flaggedSplitting', formatShare(report.flaggedSplitting, lang, t)],
    ['totalPaid', formatMoney(f.paidCents, lang)],
    ['newRepositories', number.format(f.newRepositories)],
    ['medianDaysToPay', formatDays(f.medianDaysToPay, lang, t)],
  ].map(([key, value]) => ({ key: key!, label: t(`metrics.figures.${key}`), value: value! }));

  const hidden = t('metrics.hidden', { minimum: report.winners.minimumShown });
  const winners = selfIdentificationQuestions.map((q) => {
    const cells = report.winners.questions[q];
    return {
      question: t(`metrics.groups.${q}`),
      cells: (['yes', 'no', 'prefer_not_to_say', 'not_answered'] as const).map((cell) => ({
        value: cells[cell] === null ? hidden : number.format(cells[cell]),
      })),
    };
  });

  const steps = report.cycle.steps.map((s) => ({
    label: t(`metrics.steps.${s.entity}.${s.state}`),
    ...durationCells(s, lang, t),
  }));
  const journeys = report.cycle.journeys.map((j) => {
    const base = baselines[j.journey];
    return {
      label: t(`metrics.journeys.${j.journey}`),
      ...durationCells(j, lang, t),
      soleSource: base.soleSource === undefined ? '—' : formatDays(base.soleSource, lang, t, 2),
      target: base.target === undefined ? '—' : formatDays(base.target, lang, t, 2),
      pilot: base.pilot === undefined ? '—' : formatDays(base.pilot, lang, t, 2),
    };
  });
  const days = (v: number) => formatDays(v, lang, t);
  const journeyChart = barChart({
    series: [
      t('metrics.cycle.median'),
      t('metrics.cycle.soleSource'),
      t('metrics.cycle.target'),
      t('metrics.cycle.pilot'),
    ],
    rows: report.cycle.journeys.map((j) => ({
      label: t(`metrics.journeys.${j.journey}`),
      values: [
        j.medianDays,
        baselines[j.journey].soleSource ?? null,
        baselines[j.journey].target ?? null,
        baselines[j.journey].pilot ?? null,
      ],
    })),
    format: days,
    noValue: t('metrics.none'),
  });
  const stepChart = barChart({
    series: [t('metrics.cycle.median'), t('metrics.cycle.p90')],
    rows: report.cycle.steps.map((s) => ({
      label: t(`metrics.steps.${s.entity}.${s.state}`),
      values: [s.medianDays, s.p90Days],
    })),
    format: days,
    noValue: t('metrics.none'),
  });

  const feedback = report.feedback.map((row) => ({
    step: t(`metrics.feedbackSteps.${row.step}`),
    answers: number.format(row.answers),
    ease: row.averageEase === null ? t('metrics.none') : number.format(row.averageEase),
    clarity: row.averageClarity === null ? t('metrics.none') : number.format(row.averageClarity),
  }));

  return { figures, winners, hidden, steps, journeys, journeyChart, stepChart, feedback };
}
