import { afterAll, beforeAll, expect } from 'vitest';
import type { Role } from '../../src/platform/roles.ts';
import type { UrlParams } from '../../src/platform/routes.ts';
import { actorNames, type ActorName } from '../integration/access-expectations.ts';
import { createTestApp, type TestApp } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { insertDepartment } from './fixtures.ts';
import { insertPerson, signIn } from './people.ts';
import { aDraftRequest, aPublishedOpportunity } from './scenarios.ts';
import { agent } from './session.ts';

/**
 * The people of the authorization table (access-expectations.ts), each signed in once, and the
 * sample records its URLs name. Each test file calling authorizationWorld() gets its own
 * database and app.
 */

/** Who each column of the table is: their kind of account and the role they hold, and where. */
const actors: Record<ActorName, { kind?: 'supplier' | 'staff'; role?: Role; in?: 'tbs' }> = {
  anonymous: {},
  supplier: { kind: 'supplier' },
  requester: { kind: 'staff', role: 'client' },
  otherClient: { kind: 'staff', role: 'client' },
  programOfficer: { kind: 'staff', role: 'program_officer' },
  section32Manager: { kind: 'staff', role: 'section32_manager' },
  section34Manager: { kind: 'staff', role: 'section34_manager' },
  financeOfficer: { kind: 'staff', role: 'finance_officer' },
  departmentAdmin: { kind: 'staff', role: 'department_admin' },
  tbsClient: { kind: 'staff', role: 'client', in: 'tbs' },
  platformAdmin: { kind: 'staff', role: 'platform_admin' },
};

export const PASSWORD = 'matrix passphrase 2026';
const PUBLISHED = 'MA-2026-0001';
const DRAFT = 'MA-2026-0002';
export const DRAFT_TITLE = 'Draft request nobody outside ESDC may read';

/** A value for each route parameter; a new route with a new parameter must be added here. */
export const sampleParams: Record<string, UrlParams> = {
  opportunity: { ref: PUBLISHED },
  confirmEmail: { token: 'x'.repeat(43) },
  confirmSubscription: { token: 'x'.repeat(43) },
  unsubscribe: { token: 'x'.repeat(43) },
  unwatch: { token: 'x'.repeat(43) },
  resetPassword: { token: 'x'.repeat(43) },
  adminDepartment: { dept: 'esdc' },
  adminStaff: { dept: 'esdc' },
  departmentAudit: { dept: 'esdc' },
  departmentAuditCsv: { dept: 'esdc' },
  opportunityAudit: { ref: PUBLISHED },
  opportunityAuditCsv: { ref: PUBLISHED },
  acceptInvitation: { token: 'x'.repeat(43) },
  requestStep: { ref: DRAFT, step: '1' },
  requestReview: { ref: DRAFT },
  request: { ref: PUBLISHED },
  screenRequest: { ref: PUBLISHED },
  approveFunds: { ref: PUBLISHED },
  proposeOverride: { ref: PUBLISHED },
  // The override's id is the sample's own, set once it is inserted (insertSampleRecords).
  confirmOverride: { ref: PUBLISHED, override: 0 },
  releaseFunds: { ref: PUBLISHED },
  cancelRequest: { ref: PUBLISHED },
  translation: { ref: PUBLISHED },
  preview: { token: 'x'.repeat(43) },
  approvePreview: { ref: PUBLISHED },
  publish: { ref: PUBLISHED },
  askQuestion: { ref: PUBLISHED },
  watchOpportunity: { ref: PUBLISHED },
  // The draft request: applying to it is not found (applying to the published one would give
  // the sample supplier an application, and the pages of their own application to read).
  apply: { ref: DRAFT },
  // Nobody's: the sample supplier's own application would be theirs to read.
  application: { id: 999_999 },
  applicationConfirmation: { id: 999_999 },
  drawResults: { ref: PUBLISHED },
  drawResultsJson: { ref: PUBLISHED },
  opportunityCalendar: { ref: PUBLISHED },
  selfIdentification: { ref: PUBLISHED },
  feedback: { ref: PUBLISHED },
  answerQuestions: { ref: PUBLISHED },
  addendum: { ref: PUBLISHED },
  repostRequest: { ref: PUBLISHED },
  // No contract exists in the sample: an offer's page is not found, whoever asks.
  offer: { id: 1 },
  acceptOffer: { id: 1 },
  declineOffer: { id: 1 },
  contract: { id: 1 },
  contractMessages: { id: 1 },
  contractCheckIn: { id: 1 },
  contractExtension: { id: 1 },
  contractTermination: { id: 1 },
  contractDelivery: { id: 1 },
  contractReview: { id: 1 },
  // Nor any invoice: its pages are not found, whoever asks.
  invoice: { id: 1 },
  invoicePreview: { id: 1 },
  invoicePdf: { id: 1 },
  // The sample has no invoice: each evidence page is not found, even for section 34 managers.
  certificationEvidence: { ref: PUBLISHED },
  certifyInvoice: { ref: PUBLISHED },
  returnInvoice: { ref: PUBLISHED },
  certificationOverride: { ref: PUBLISHED },
  releaseHeldFunds: { ref: PUBLISHED },
  // Nobody's invoice: PayPal's payment page is not found, even for finance officers.
  paypalPayout: { invoice: 999_999 },
  cancelPaypalPayout: { invoice: 999_999 },
  retryPaypalPayout: { invoice: 999_999 },
  // Nobody's invoice, card or contract: the card payment pages are not found, even for finance.
  invoicePayment: { invoice: 999_999 },
  payByCard: { invoice: 999_999 },
  acquisitionCards: { dept: 'esdc' },
  cardStatement: { card: 999_999, month: '2026-11' },
  cardStatementCsv: { card: 999_999, month: '2026-11' },
  matchStatementLine: { card: 999_999, month: '2026-11' },
  supplierPayment: { id: 1 },
  confirmReceipt: { id: 1 },
  evaluation: { ref: PUBLISHED },
  evaluationApplicant: { ref: PUBLISHED, applicant: 'A' },
  evaluationDeclaration: { ref: PUBLISHED },
  evaluationEvaluators: { ref: PUBLISHED },
  evaluationReturn: { ref: PUBLISHED },
  evaluationConsensus: { ref: PUBLISHED },
  evaluationLock: { ref: PUBLISHED },
  // No email has failed in the sample: a retry of this one puts nothing back.
  retryFailedEmail: { id: 999_999 },
};

/**
 * The records the sample URLs name, requested by the ESDC client, reached through the actions:
 * a published opportunity and a draft.
 */
async function insertSampleRecords(t: TestApp, departmentId: number, requesterId: number) {
  const db = t.deps.db;
  const ours = { department: departmentId, requester: requesterId };
  const { id: published, reference } = await aPublishedOpportunity(t, {
    ...ours,
    opensAt: '2026-11-16T19:00:00Z',
    closesAt: '2026-12-04T19:00:00Z',
  });
  // A segregation override awaiting its second person, for the confirmation page's address. The
  // sample is inserted published, where none can be proposed any more: the row stands for one
  // proposed before section 32 (its table holds no status).
  const [override] = await db('segregation_overrides')
    .insert({
      opportunity_id: published,
      department_id: departmentId,
      entity_type: 'opportunity',
      entity_id: published,
      action: 'approve_funds',
      actor_id: requesterId,
      proposed_by: requesterId,
      reason: 'The only other section 32 manager is away this month.',
      proposed_at: new Date('2026-11-20T15:00:00Z'),
    })
    .returning('id');
  sampleParams.confirmOverride = { ref: PUBLISHED, override: Number(override.id) };
  const draft = await aDraftRequest(t, { ...ours, titleEn: DRAFT_TITLE });
  // The sample URLs name them: the year's first two requests.
  expect([reference, draft.reference]).toEqual([PUBLISHED, DRAFT]);
}

export function authorizationWorld() {
  const w = {
    // Set before the tests run (beforeAll below).
    database: undefined as unknown as TestDatabase,
    t: undefined as unknown as TestApp,
    sessions: new Map<ActorName, ReturnType<typeof agent>>(),
  };

  beforeAll(async () => {
    w.database = await createTestDatabase();
    const { db } = w.database;
    const esdc = await insertDepartment(db);
    const tbs = await insertDepartment(db, { en: 'TBS', fr: 'SCT' });
    const t = (w.t = await createTestApp(db));
    const ids = new Map<ActorName, number>();
    for (const [i, name] of actorNames.entries()) {
      const actor = actors[name];
      if (!actor.kind) {
        w.sessions.set(name, agent(t.app));
        continue;
      }
      const email = `actor${i}@example.com`;
      const { role } = actor;
      const department = role === 'platform_admin' ? null : actor.in === 'tbs' ? tbs : esdc;
      const id = await insertPerson(db, {
        email,
        kind: actor.kind,
        name: '',
        password: PASSWORD,
        grants: role
          ? [{ role, department, limitCents: role === 'section32_manager' ? 500_000 : undefined }]
          : [],
        confirmedAt: t.clock.now(),
      });
      ids.set(name, id);
      w.sessions.set(name, await signIn(t.app, email, PASSWORD));
    }
    await insertSampleRecords(t, esdc, ids.get('requester')!);
  });

  afterAll(async () => {
    await w.database.drop();
  });

  return w;
}
