import { parse } from 'node-html-parser';

/** What a person reads on a page: the parsed HTML and the parts tests look at. */

/** Collapses layout whitespace only: French amounts keep their no-break spaces. */
const layout = (s: string) => s.replace(/[ \t\r\n]+/g, ' ').trim();

/** Each term of the page's description lists and its description (the first, if repeated). */
export function factsOf(html: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const dt of parse(html).querySelectorAll('dt')) {
    found[layout(dt.textContent)] ??= layout(dt.nextElementSibling?.textContent ?? '');
  }
  return found;
}

/** The text of the error summary on one line, or '' when the page has none. */
export const errorSummary = (html: string) =>
  parse(html).querySelector('.error-summary')?.textContent.replace(/\s+/g, ' ') ?? '';

/** Each message of the error summary, in order. */
export const errorsOf = (html: string) =>
  parse(html)
    .querySelectorAll('.error-summary li')
    .map((li) => li.textContent.trim());

/** A form field's value as the page shows it: input, textarea or selected option. */
export function fieldValue(html: string, name: string): string | undefined {
  const doc = parse(html);
  const input = doc.querySelector(`input[name="${name}"]`);
  if (input) return input.getAttribute('value') ?? '';
  const area = doc.querySelector(`textarea[name="${name}"]`);
  if (area) return area.textContent;
  return doc.querySelector(`select[name="${name}"] option[selected]`)?.getAttribute('value');
}

/** The references listed under a work queue's heading, in order ([] when it says it is empty). */
export function queueListed(html: string, id: string): string[] {
  const heading = parse(html).querySelector(`#${id}`);
  if (!heading) throw new Error(`no queue #${id} on the page`);
  const next = heading.nextElementSibling;
  return next?.tagName === 'TABLE'
    ? next.querySelectorAll('tbody th a').map((a) => a.textContent.trim())
    : [];
}
