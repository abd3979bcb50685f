/**
 * The request form's five steps, in the order a client fills them in. A step's name is a locale
 * key under `requests.steps`; the rule problems of src/requests/rules.ts name the same numbers.
 */
export const requestSteps = [
  { number: 1, name: 'about' },
  { number: 2, name: 'code' },
  { number: 3, name: 'criteria' },
  { number: 4, name: 'price' },
  { number: 5, name: 'finances' },
] as const;

export type StepNumber = (typeof requestSteps)[number]['number'];

export const STEP_COUNT = requestSteps.length;

/** The step a URL names ("1" to "5"), or undefined for anything else. */
export function stepFromParam(value: unknown): StepNumber | undefined {
  return requestSteps.find((s) => String(s.number) === value)?.number;
}

export const stepName = (step: StepNumber): string => requestSteps[step - 1]!.name;

/** The first step not yet saved, or undefined once all five are. */
export function firstUnfinishedStep(completed: readonly string[]): StepNumber | undefined {
  return requestSteps.find((s) => !completed.includes(String(s.number)))?.number;
}

/** The steps saved so far, with this one, in order and once each. */
export function withCompletedStep(completed: readonly string[], step: StepNumber): string[] {
  return [...new Set([...completed, String(step)])].sort();
}
