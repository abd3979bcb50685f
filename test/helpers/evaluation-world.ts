import { parse } from 'node-html-parser';
import { afterAll, beforeAll, expect } from 'vitest';
import { applicationMachine } from '../../src/applications/machine.ts';
import { fingerprintApplication } from '../../src/draw/service.ts';
import { create, transition } from '../../src/lifecycle/transition.ts';
import { createTestApp, type TestApp } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { insertDepartment } from './fixtures.ts';
import { insertPerson, signIn, type Grant, type SignedIn } from './people.ts';
import { currentUserOf } from './scenario-people.ts';
import { atTime, close } from './scenario-steps.ts';
import { aPublishedOpportunity, type Scenario } from './scenarios.ts';

/**
 * The evaluation tests' world: ESDC's staff (the requester, a colleague client, a program
 * officer, the section 32 manager) and opportunities closed with submitted applications. Each
 * application is made the way a supplier makes one, through the application machine's create()
 * and submit before the deadline; then the closing job closes the opportunity at the test
 * clock's now.
 */
const PASSWORD = 'evaluation world passphrase';
const DAY_MS = 24 * 60 * 60 * 1000;

export const evaluationPath = (ref: string, lang: 'en' | 'fr' = 'en') =>
  lang === 'en' ? `/en/requests/${ref}/evaluation` : `/fr/demandes-d-occasion/${ref}/evaluation`;
export const applicantPath = (ref: string, letter: string) =>
  `/en/requests/${ref}/evaluation/applicants/${letter}`;

interface Applicant {
  applicationId: number;
  supplierId: number;
  name: string;
  email: string;
}

export interface EvaluationFile extends Scenario {
  applicants: Applicant[];
  criteria: { id: number; position: number }[];
}

let supplierSequence = 0;

export function evaluationWorld() {
  const signedIn = new Map<string, SignedIn>();
  const w = {
    database: undefined as unknown as TestDatabase,
    t: undefined as unknown as TestApp,
    esdc: 0,
    ids: {} as Record<string, number>,
    /** Signed in as the person `<name>@example.gc.ca`, once per file. */
    async as(name: string): Promise<SignedIn> {
      const existing = signedIn.get(name);
      if (existing) return existing;
      const a = await signIn(w.t.app, `${name}@example.gc.ca`, PASSWORD);
      signedIn.set(name, a);
      return a;
    },
    opportunity: (id: number) => w.database.db('opportunities').where({ id }).first(),
    /**
     * The department's administrator asks for a second, independent evaluator (or no longer
     * does) on the settings page, the rest of the form sent back as the page shows it.
     */
    async requireSecondEvaluator(required: boolean) {
      const admin = await w.as('admin');
      const path = '/en/admin/departments/esdc';
      const doc = parse((await admin.client.get(path)).text);
      const form: Record<string, string> = {};
      for (const input of doc.querySelectorAll('form input, form textarea')) {
        const name = input.getAttribute('name');
        if (!name || name === '_csrf') continue;
        if (input.getAttribute('type') === 'checkbox') {
          if (input.hasAttribute('checked')) form[name] = 'yes';
        } else {
          form[name] =
            input.tagName === 'TEXTAREA' ? input.textContent : (input.getAttribute('value') ?? '');
        }
      }
      if (required) form.secondEvaluator = 'yes';
      else delete form.secondEvaluator;
      const res = await admin.post(path, form);
      expect(res.status, 'settings saved').toBe(303);
      const row = await w.database.db('departments').where({ id: w.esdc }).first();
      expect(row.second_evaluator_required).toBe(required);
    },
    /**
     * An opportunity closed at the test clock's now with `applicants` submitted applications
     * (each answering every criterion), plus one draft that was never submitted. With
     * `closed: false` the deadline has passed but the closing job has not run yet.
     */
    async aClosedFile(applicants = 3, o: { closed?: boolean } = {}): Promise<EvaluationFile> {
      const now = w.t.clock.now();
      const closesAt = new Date(now.getTime() - 60_000);
      const s = await aPublishedOpportunity(w.t, {
        department: w.esdc,
        requester: w.ids.client,
        officer: w.ids.officer,
        manager: w.ids.manager,
        opensAt: new Date(now.getTime() - 14 * DAY_MS),
        closesAt,
      });
      const criteria = (
        await w.database
          .db('mandatory_criteria')
          .where({ opportunity_id: s.id })
          .orderBy('position')
          .select('id', 'position', 'version')
      ).map((c) => ({ id: Number(c.id), position: c.position, version: c.version }));
      const made: Applicant[] = [];
      for (let i = 0; i <= applicants; i += 1) {
        supplierSequence += 1;
        const name = `Zélie Suppliername${supplierSequence}`;
        const email = `zelie.${supplierSequence}@supplier.example.com`;
        const supplierId = await insertPerson(w.database.db, {
          email,
          password: PASSWORD,
          kind: 'supplier',
          name,
          confirmedAt: now,
        });
        const supplier = await currentUserOf(w.database.db, supplierId);
        const submitted = i < applicants;
        const applicationId = await atTime(w.t, new Date(closesAt.getTime() - DAY_MS), () =>
          w.database.db.transaction(async (trx) => {
            const at = w.t.clock.now();
            const { id } = await create(trx, applicationMachine, {
              values: { opportunity_id: s.id, department_id: w.esdc, supplier_id: supplierId },
              actor: supplier,
              now: at,
            });
            await trx('application_answers').insert(
              criteria.map((c) => ({
                application_id: id,
                mandatory_criterion_id: c.id,
                criterion_version: c.version,
                answer: `My answer to criterion ${c.position}: see the linked work.`,
                links: [`https://github.com/example/work-${supplierSequence}`],
                updated_at: at,
              })),
            );
            if (submitted) {
              await transition(trx, applicationMachine, {
                id,
                action: 'submit',
                actor: supplier,
                expectedVersion: 1,
                now: at,
              });
              // As the submit step does: the application's public name in the draw.
              await fingerprintApplication(trx, id, at);
            }
            return id;
          }),
        );
        if (submitted) made.push({ applicationId, supplierId, name, email });
      }
      if (o.closed !== false) await close(w.t, s);
      const row = await w.opportunity(s.id);
      return { ...s, status: row.status, version: row.version, applicants: made, criteria };
    },
  };

  const staff = async (name: string, grants: Grant[]) => {
    w.ids[name] = await insertPerson(w.database.db, {
      email: `${name}@example.gc.ca`,
      password: PASSWORD,
      grants,
      confirmedAt: w.t.clock.now(),
    });
  };

  beforeAll(async () => {
    w.database = await createTestDatabase();
    w.t = await createTestApp(w.database.db);
    const esdc = (w.esdc = await insertDepartment(w.database.db));
    await staff('client', [{ role: 'client', department: esdc }]);
    await staff('colleague', [{ role: 'client', department: esdc }]);
    await staff('officer', [{ role: 'program_officer', department: esdc }]);
    await staff('admin', [{ role: 'department_admin', department: esdc }]);
    // Approves the funds, and is a client of the department too: may never evaluate.
    await staff('manager', [
      { role: 'section32_manager', department: esdc, limitCents: 1_000_000 },
      { role: 'client', department: esdc },
    ]);
  });

  afterAll(async () => {
    await w.database.drop();
  });

  return w;
}
