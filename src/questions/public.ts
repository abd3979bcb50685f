import type { AppDeps } from '../platform/deps.ts';
import type { PublicOpportunity } from '../opportunities/repo.ts';
import { hasRole } from '../platform/auth.ts';
import { formatDate, formatDeadline } from '../platform/dates.ts';
import type { FieldError } from '../platform/forms.ts';
import type { Lang } from '../platform/i18n.ts';
import type { PageContext } from '../platform/router.ts';
import { countUnanswered, isWatching, publishedAnswers } from './repo.ts';
import { QUESTION_MAX_LENGTH } from './schemas.ts';
import { askState, questionsCloseAt, QUESTIONS_CLOSE_HOURS } from './service.ts';

/** What a supplier just did, from the redirect's `?done=`; never read for anonymous visitors. */
const notices = { question: 'sent', watching: 'watching', unwatched: 'unwatched' } as const;

export interface QuestionsState {
  done?: unknown;
  values?: Record<string, string>;
  errors?: FieldError[];
}

/** Text as typed, one paragraph per line (the page cannot keep line breaks otherwise). */
export const paragraphs = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** `2,000` / `2 000`: a count as each language writes it. */
export const formatCount = (n: number, lang: Lang) =>
  new Intl.NumberFormat(lang === 'fr' ? 'fr-CA' : 'en-CA').format(n);

type Shown = Pick<PublicOpportunity, 'id' | 'reference' | 'status' | 'closesAt'>;

/**
 * The public page's "Questions and answers" and "Watch" parts for the person looking: answers in
 * the page's language (never who asked), then the form, a sign-in link or why questions are
 * closed. Anonymous visitors all get the same part, so the page stays cacheable.
 */
export async function questionsSection(
  deps: AppDeps,
  o: Shown,
  page: PageContext,
  state: QuestionsState = {},
) {
  const { lang, user } = page;
  const now = deps.clock.now();
  const ref = o.reference;
  const canAsk = askState(o, now);
  const supplier = user?.kind === 'supplier';
  const answered = await publishedAnswers(deps.db, o.id, lang);
  const opportunityHref = page.url('opportunity', { ref });
  return {
    answered: answered.map((a) => ({
      id: a.id,
      question: paragraphs(a.question),
      answer: paragraphs(a.answer),
      date: formatDate(a.answeredAt, lang),
      dateIso: a.answeredAt.toISOString(),
    })),
    closes: o.closesAt ? formatDeadline(questionsCloseAt(o.closesAt), lang) : '',
    ask: !user ? (canAsk === 'open' ? 'signIn' : canAsk) : supplier ? canAsk : 'suppliersOnly',
    askHref: page.url('askQuestion', { ref }),
    signInHref: `${page.url('signIn')}?next=${encodeURIComponent(opportunityHref)}`,
    hours: QUESTIONS_CLOSE_HOURS,
    maxLength: formatCount(QUESTION_MAX_LENGTH, lang),
    watch: supplier ? await watchPart(deps, o, user.id, canAsk !== 'notOpen', page) : undefined,
    staff: user && !supplier ? await staffPart(deps, o, page) : undefined,
    notice: user ? notices[String(state.done) as keyof typeof notices] : undefined,
    values: state.values ?? {},
    notSent: paragraphs(state.values?.question ?? ''),
    errors: state.errors ?? [],
  };
}

async function watchPart(
  deps: AppDeps,
  o: Shown,
  userId: number,
  open: boolean,
  page: PageContext,
) {
  const watching = await isWatching(deps.db, o.id, userId);
  // Nothing more will be announced once closed; the button stays only to stop watching.
  if (!open && !watching) return undefined;
  return { watching, href: page.url('watchOpportunity', { ref: o.reference }) };
}

/** Links for the department's staff who answer questions or publish addenda. */
async function staffPart(deps: AppDeps, o: Shown, page: PageContext) {
  const row: { department_id: number } | undefined = await deps
    .db('opportunities')
    .where({ id: o.id })
    .first('department_id');
  if (!row) return undefined;
  const ref = o.reference;
  const answers = hasRole(page.user, ['client', 'program_officer'], row.department_id);
  const addenda =
    hasRole(page.user, ['program_officer'], row.department_id) &&
    askState(o, deps.clock.now()) !== 'notOpen';
  if (!answers && !addenda) return undefined;
  return {
    answerHref: answers ? page.url('answerQuestions', { ref }) : undefined,
    unanswered: answers ? await countUnanswered(deps.db, o.id) : 0,
    addendumHref: addenda ? page.url('addendum', { ref }) : undefined,
  };
}
