import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { element, escapeXml, xmlDocument } from '../../src/feeds/xml.ts';

describe('the Atom feed’s XML writer', () => {
  it('escapes the five special characters in text and attributes', () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;',
    );
  });

  it('drops what XML 1.0 cannot carry (control characters, lone surrogates), keeps the rest', () => {
    expect(escapeXml('a\u0000b\u0007c\u001Fd\uFFFEe\uD800f')).toBe('abcdef');
    expect(escapeXml('tab\tline\nreturn\r é « » 😀')).toBe('tab\tline\nreturn\r é « » 😀');
  });

  it('writes a document a real parser reads back to the same values', () => {
    const nasty = `</title><script>alert(1)</script> & ]]> "x" 'y' \u0001`;
    const xml = xmlDocument(
      element(
        'feed',
        { xmlns: 'http://www.w3.org/2005/Atom', title: nasty },
        element('title', {}, nasty),
      ),
    );
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      trimValues: false,
    }).parse(xml);
    const clean = nasty.replace('\u0001', '');
    expect(parsed.feed.title).toBe(clean);
    expect(parsed.feed['@title']).toBe(clean);
  });

  it('leaves out an attribute with no value and closes an empty element', () => {
    expect(element('link', { rel: 'self', hreflang: undefined }).xml).toBe('<link rel="self"/>');
  });
});
