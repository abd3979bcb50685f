/**
 * A tiny XML writer for the Atom feed (no XML library is a runtime dependency here): every text
 * and attribute value goes through escapeXml, and only elements built here are inserted as they
 * are. Element and attribute names come from our code, never from content.
 */

/** Characters XML 1.0 does not allow at all (control characters, lone surrogates, U+FFFE/F). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const SPECIAL = /[&<>"']/g;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Safe as element text and as a quoted attribute value. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(SPECIAL, (c) => ENTITIES[c]!);
}

/** Markup already written by element(): inserted without escaping again. */
export class Markup {
  constructor(readonly xml: string) {}
}

export type Attributes = Record<string, string | undefined>;

export function element(
  name: string,
  attributes: Attributes = {},
  ...children: (string | Markup)[]
): Markup {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join('');
  if (children.length === 0) return new Markup(`<${name}${attrs}/>`);
  const body = children.map((c) => (c instanceof Markup ? c.xml : escapeXml(c))).join('');
  return new Markup(`<${name}${attrs}>${body}</${name}>`);
}

export function xmlDocument(root: Markup): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${root.xml}\n`;
}
