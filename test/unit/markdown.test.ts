import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/platform/markdown.ts';

const links = (source: string) =>
  parse(renderMarkdown(source))
    .querySelectorAll('a')
    .map((a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel') }));

describe('links in client-written Markdown (review I3)', () => {
  it('pass on no referrer, opener or endorsement', () => {
    expect(links('See [the repository](https://github.com/cds-snc/notification-api).')).toEqual([
      { href: 'https://github.com/cds-snc/notification-api', rel: 'nofollow noopener noreferrer' },
    ]);
  });

  it('lose a protocol-relative address, which names no scheme', () => {
    expect(links('[elsewhere](//evil.example/login)').map((link) => link.href)).toEqual([
      undefined,
    ]);
  });
});
