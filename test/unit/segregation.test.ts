import { describe, expect, it } from 'vitest';
import {
  canOverride,
  checkDuties,
  duties,
  MIN_OVERRIDE_REASON_LENGTH,
  type PerformedDuty,
} from '../../src/lifecycle/segregation.ts';

// The people on one opportunity.
const CLIENT = 1; // asked for the work
const MANAGER = 2; // cost-centre manager, section 32
const EVALUATOR = 3;
const CERTIFIER = 4; // section 34
const FINANCE = 5; // finance officer, section 33
const SUPPLIER = 6; // the winning supplier's user id
const COLLEAGUE = 7; // not involved in the record

const goodReason = 'Two-person team; no other certifier available this quarter.';

/** A record that has reached invoicing with every duty held by a different person. */
const separated: PerformedDuty[] = [
  { duty: 'request', actorId: CLIENT },
  { duty: 'approve_funds', actorId: MANAGER },
  { duty: 'evaluate', actorId: EVALUATOR },
  { duty: 'evaluate', actorId: EVALUATOR },
];

describe('segregation of duties', () => {
  it('lists the five duties in lifecycle order', () => {
    expect(duties).toEqual(['request', 'approve_funds', 'evaluate', 'certify', 'pay']);
  });

  it('does not let the requester approve funds (s.32) for their own request', () => {
    const history: PerformedDuty[] = [{ duty: 'request', actorId: CLIENT }];
    expect(checkDuties({ history, actorId: CLIENT, duty: 'approve_funds' })).toEqual({
      allowed: false,
      conflicts: [{ reason: 'same_person_requested', earlierDuty: 'request' }],
    });
    expect(checkDuties({ history, actorId: MANAGER, duty: 'approve_funds' })).toEqual({
      allowed: true,
    });
  });

  it('lets the requester evaluate the applications (DOMAIN.md), never the section 32 approver', () => {
    const history: PerformedDuty[] = [
      { duty: 'request', actorId: CLIENT },
      { duty: 'approve_funds', actorId: MANAGER },
    ];
    expect(checkDuties({ history, actorId: CLIENT, duty: 'evaluate' })).toEqual({
      allowed: true,
    });
    expect(checkDuties({ history, actorId: MANAGER, duty: 'evaluate' })).toEqual({
      allowed: false,
      conflicts: [{ reason: 'same_person_approved_funds', earlierDuty: 'approve_funds' }],
    });
  });

  it('lets one evaluator evaluate every application of the opportunity', () => {
    expect(checkDuties({ history: separated, actorId: EVALUATOR, duty: 'evaluate' })).toEqual({
      allowed: true,
    });
  });

  it('lets each step go ahead when every duty is held by a different person', () => {
    const certified: PerformedDuty[] = [...separated, { duty: 'certify', actorId: CERTIFIER }];
    expect(checkDuties({ history: separated, actorId: CERTIFIER, duty: 'certify' })).toEqual({
      allowed: true,
    });
    expect(
      checkDuties({
        history: certified,
        actorId: FINANCE,
        duty: 'pay',
        beneficiaryIds: [SUPPLIER],
      }),
    ).toEqual({ allowed: true });
  });

  it('does not let the section 34 certifier pay (s.33), even with an override', () => {
    const history: PerformedDuty[] = [...separated, { duty: 'certify', actorId: CERTIFIER }];
    const input = { history, actorId: CERTIFIER, duty: 'pay' as const };
    expect(checkDuties(input)).toEqual({
      allowed: false,
      conflicts: [{ reason: 'same_person_certifies_and_pays', earlierDuty: 'certify' }],
    });
    expect(canOverride(input, { confirmedBy: COLLEAGUE, reason: goodReason })).toEqual({
      accepted: false,
      refusal: 'conflict_not_overridable',
    });
  });

  it('does not let whoever paid certify the same payment either', () => {
    const history: PerformedDuty[] = [...separated, { duty: 'pay', actorId: FINANCE }];
    expect(checkDuties({ history, actorId: FINANCE, duty: 'certify' })).toEqual({
      allowed: false,
      conflicts: [{ reason: 'same_person_certifies_and_pays', earlierDuty: 'pay' }],
    });
  });

  it('does not let a person who benefits certify, pay or approve funds, even with an override', () => {
    // A staff member who is also the supplier.
    for (const duty of ['approve_funds', 'certify', 'pay'] as const) {
      const input = {
        history: [{ duty: 'request' as const, actorId: CLIENT }],
        actorId: SUPPLIER,
        duty,
        beneficiaryIds: [SUPPLIER],
      };
      expect(checkDuties(input), duty).toEqual({
        allowed: false,
        conflicts: [{ reason: 'benefits_from_transaction', earlierDuty: null }],
      });
      expect(canOverride(input, { confirmedBy: COLLEAGUE, reason: goodReason }), duty).toEqual({
        accepted: false,
        refusal: 'conflict_not_overridable',
      });
    }
  });

  it('reports every conflict at once, in lifecycle order', () => {
    // One person requested, approved the funds and evaluated, is now paying, and benefits.
    const history: PerformedDuty[] = [
      { duty: 'evaluate', actorId: CLIENT },
      { duty: 'request', actorId: CLIENT },
      { duty: 'approve_funds', actorId: CLIENT },
      { duty: 'certify', actorId: CLIENT },
      { duty: 'evaluate', actorId: EVALUATOR },
    ];
    expect(
      checkDuties({ history, actorId: CLIENT, duty: 'pay', beneficiaryIds: [SUPPLIER, CLIENT] }),
    ).toEqual({
      allowed: false,
      conflicts: [
        { reason: 'same_person_requested', earlierDuty: 'request' },
        { reason: 'same_person_approved_funds', earlierDuty: 'approve_funds' },
        { reason: 'same_person_evaluated', earlierDuty: 'evaluate' },
        { reason: 'same_person_certifies_and_pays', earlierDuty: 'certify' },
        { reason: 'benefits_from_transaction', earlierDuty: null },
      ],
    });
  });

  it('names the earlier duty a paying officer already performed', () => {
    const history: PerformedDuty[] = [
      { duty: 'request', actorId: CLIENT },
      { duty: 'pay', actorId: EVALUATOR },
    ];
    expect(checkDuties({ history, actorId: EVALUATOR, duty: 'evaluate' })).toEqual({
      allowed: false,
      conflicts: [{ reason: 'same_person_paid', earlierDuty: 'pay' }],
    });
  });
});

describe('overriding a conflict when staffing does not allow separate people', () => {
  // Small team: the client who asked for the work is also the only one who can certify it.
  const smallTeam = {
    history: [
      { duty: 'request', actorId: CLIENT },
      { duty: 'approve_funds', actorId: MANAGER },
    ] satisfies PerformedDuty[],
    actorId: CLIENT,
    duty: 'certify' as const,
    beneficiaryIds: [SUPPLIER],
  };

  it('accepts a second person and a reason of 20 characters or more (requester = certifier)', () => {
    expect(canOverride(smallTeam, { confirmedBy: MANAGER, reason: goodReason })).toEqual({
      accepted: true,
      overridden: [{ reason: 'same_person_requested', earlierDuty: 'request' }],
    });
  });

  it('refuses an override the actor confirms themselves', () => {
    expect(canOverride(smallTeam, { confirmedBy: CLIENT, reason: goodReason })).toEqual({
      accepted: false,
      refusal: 'confirmer_is_actor',
    });
  });

  it('refuses a confirmer who also performed one of the conflicting duties', () => {
    const coCertifier = {
      ...smallTeam,
      history: [...smallTeam.history, { duty: 'certify' as const, actorId: CERTIFIER }],
    };
    expect(canOverride(coCertifier, { confirmedBy: CERTIFIER, reason: goodReason })).toEqual({
      accepted: false,
      refusal: 'confirmer_in_conflict',
    });
    const coRequester = {
      ...smallTeam,
      history: [...smallTeam.history, { duty: 'request' as const, actorId: COLLEAGUE }],
    };
    expect(canOverride(coRequester, { confirmedBy: COLLEAGUE, reason: goodReason })).toEqual({
      accepted: false,
      refusal: 'confirmer_in_conflict',
    });
  });

  it('refuses a confirmer who benefits from the transaction', () => {
    expect(canOverride(smallTeam, { confirmedBy: SUPPLIER, reason: goodReason })).toEqual({
      accepted: false,
      refusal: 'confirmer_in_conflict',
    });
  });

  it('refuses a blank reason and one shorter than 20 characters once trimmed', () => {
    expect(MIN_OVERRIDE_REASON_LENGTH).toBe(20);
    expect(canOverride(smallTeam, { confirmedBy: MANAGER, reason: ' \n\t ' })).toEqual({
      accepted: false,
      refusal: 'reason_missing',
    });
    const nineteen = 'Small team, no one.';
    expect(nineteen).toHaveLength(19);
    expect(canOverride(smallTeam, { confirmedBy: MANAGER, reason: `   ${nineteen}   ` })).toEqual({
      accepted: false,
      refusal: 'reason_too_short',
    });
    expect(canOverride(smallTeam, { confirmedBy: MANAGER, reason: `${nineteen}!` })).toEqual({
      accepted: true,
      overridden: [{ reason: 'same_person_requested', earlierDuty: 'request' }],
    });
  });

  it('counts accented French characters once', () => {
    const reason = 'Équipe de deux ; éé'; // 19 characters, 22 UTF-16 units when decomposed
    expect(
      canOverride(smallTeam, { confirmedBy: MANAGER, reason: reason.normalize('NFD') }),
    ).toEqual({ accepted: false, refusal: 'reason_too_short' });
  });

  it('has nothing to override when the action is allowed', () => {
    expect(
      canOverride(
        { ...smallTeam, actorId: EVALUATOR },
        { confirmedBy: MANAGER, reason: goodReason },
      ),
    ).toEqual({ accepted: false, refusal: 'nothing_to_override' });
  });
});

describe('segregation messages', () => {
  it('exist in both languages for every conflict and every refused override', async () => {
    const { loadMessages } = await import('../../src/platform/i18n.ts');
    const { conflictReasons, overrideRefusals } =
      await import('../../src/lifecycle/segregation.ts');
    for (const lang of ['en', 'fr'] as const) {
      const messages = loadMessages(lang).segregation as Record<string, unknown> & {
        override: Record<string, string>;
      };
      for (const reason of conflictReasons)
        expect(messages[reason], `${lang} ${reason}`).toBeTruthy();
      for (const refusal of overrideRefusals)
        expect(messages.override[refusal], `${lang} ${refusal}`).toBeTruthy();
    }
  });
});
