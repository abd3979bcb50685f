import { z } from 'zod';
import type { FieldError } from '../platform/forms.ts';
import type { Translate } from '../platform/i18n.ts';

export const ANSWER_MAX_LENGTH = 5000;
export const LINKS_MAX = 10;
const LINK_MAX_LENGTH = 500;
const DETAILS_MAX_LENGTH = 2000;

export const workStatuses = ['citizen', 'permanentResident', 'workPermit', 'indigenous'] as const;
const yesNo = ['yes', 'no'] as const;

/** The attestations as the supplier gave them: each unanswered one is absent. */
export interface Attestations {
  majority?: boolean;
  workStatus?: (typeof workStatuses)[number];
  publicServant?: boolean;
  dgApproval?: boolean;
  formerPublicServant?: boolean;
  conflict?: boolean;
  conflictDetails?: string;
}

interface AnswerInput {
  criterionId: number;
  answer: string;
  links: string[];
}

/** What the application form holds, parsed: a draft may leave anything out. */
export interface ApplicationInput {
  attestationTextId?: number;
  attestations: Attestations;
  answers: AnswerInput[];
}

const applicationActions = ['save', 'submit', 'revise', 'reopen', 'withdraw'] as const;
export type ApplicationAction = (typeof applicationActions)[number];

export const actionForm = z.object({
  action: z.enum(applicationActions, 'forms.errors.invalid'),
  version: z
    .string('forms.errors.invalid')
    .regex(/^\d{1,9}$/, 'forms.errors.invalid')
    .transform(Number),
});

const sameLineBreaks = (text: string) => text.replace(/\r\n?/g, '\n');
const field = (body: Record<string, unknown>, name: string): string => {
  const value = body[name];
  return typeof value === 'string' ? value : '';
};
const choice = <T extends string>(value: string, options: readonly T[]): T | undefined =>
  options.find((o) => o === value);

/** An https or http address, as a browser reads it. */
function isWebAddress(text: string): boolean {
  if (text.length > LINK_MAX_LENGTH || !URL.canParse(text)) return false;
  const parsed = new URL(text);
  return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.hostname !== '';
}

/**
 * Reads the application form for the given criteria (other fields are ignored). Problems that
 * keep even a draft from being saved — too long, a link that is not a web address — are errors;
 * what is merely missing is for completenessErrors() at submission.
 */
export function parseApplicationForm(
  body: Record<string, unknown>,
  criterionIds: readonly number[],
  t: Translate,
): { input: ApplicationInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const answers = criterionIds.map((criterionId, index) => {
    const answer = sameLineBreaks(field(body, `answer_${criterionId}`)).trim();
    if (answer.length > ANSWER_MAX_LENGTH) {
      errors.push({
        field: `answer_${criterionId}`,
        message: t('applications.errors.answerTooLong', {
          number: index + 1,
          max: ANSWER_MAX_LENGTH,
        }),
      });
    }
    const links = field(body, `links_${criterionId}`)
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
    if (links.length > LINKS_MAX) {
      errors.push({
        field: `links_${criterionId}`,
        message: t('applications.errors.tooManyLinks', { number: index + 1, max: LINKS_MAX }),
      });
    } else if (!links.every(isWebAddress)) {
      errors.push({
        field: `links_${criterionId}`,
        message: t('applications.errors.link', { number: index + 1 }),
      });
    }
    return { criterionId, answer, links };
  });
  const yes = (name: string) => {
    const value = choice(field(body, name), yesNo);
    return value === undefined ? undefined : value === 'yes';
  };
  const details = sameLineBreaks(field(body, 'conflictDetails')).trim();
  if (details.length > DETAILS_MAX_LENGTH) {
    errors.push({
      field: 'conflictDetails',
      message: t('applications.errors.detailsTooLong', { max: DETAILS_MAX_LENGTH }),
    });
  }
  const textId = field(body, 'attestationText');
  const attestations: Attestations = {
    majority: field(body, 'majority') === 'yes' || undefined,
    workStatus: choice(field(body, 'workStatus'), workStatuses),
    publicServant: yes('publicServant'),
    dgApproval: field(body, 'dgApproval') === 'yes' || undefined,
    formerPublicServant: yes('formerPublicServant'),
    conflict: yes('conflict'),
    conflictDetails: details || undefined,
  };
  return {
    input: {
      attestationTextId: /^\d{1,12}$/.test(textId) ? Number(textId) : undefined,
      attestations,
      answers,
    },
    errors,
  };
}

/** What submission needs: every answer, every attestation, a way to be paid. */
export function completenessErrors(
  input: ApplicationInput,
  paymentReady: boolean,
  t: Translate,
): FieldError[] {
  const errors: FieldError[] = [];
  input.answers.forEach((a, index) => {
    if (a.answer === '') {
      errors.push({
        field: `answer_${a.criterionId}`,
        message: t('applications.errors.answerRequired', { number: index + 1 }),
      });
    }
  });
  const a = input.attestations;
  const need = (ok: boolean, fieldName: string) => {
    if (!ok) {
      errors.push({ field: fieldName, message: t(`applications.errors.${fieldName}`) });
    }
  };
  need(a.majority === true, 'majority');
  need(a.workStatus !== undefined, 'workStatus');
  need(a.publicServant !== undefined, 'publicServant');
  need(a.publicServant !== true || a.dgApproval === true, 'dgApproval');
  need(a.formerPublicServant !== undefined, 'formerPublicServant');
  need(a.conflict !== undefined, 'conflict');
  need(a.conflict !== true || Boolean(a.conflictDetails), 'conflictDetails');
  need(paymentReady, 'payment');
  return errors;
}
