import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

// Raw HTML is off in the parser; the sanitiser is the second layer, with an allow-list.
const parser = new MarkdownIt({ html: false, linkify: true, typographer: false });

const allowList: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'h3',
    'h4',
    'h5',
    'h6',
    'a',
    'hr',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'rel'], th: ['align'], td: ['align'] },
  allowedSchemes: ['https', 'mailto'],
  // `//host/path` would take the page's scheme and lead anywhere without saying https (I3).
  allowProtocolRelative: false,
  // Headings in client text sit under the page's own h2 sections. A link a client wrote leads
  // away from a Government of Canada page: it passes on no referrer, no window.opener and no
  // endorsement (I3).
  transformTags: {
    h1: 'h3',
    h2: 'h3',
    a: (tagName, attribs) => ({
      tagName,
      attribs: attribs.href ? { ...attribs, rel: 'nofollow noopener noreferrer' } : attribs,
    }),
  },
};

/** Client-written Markdown as safe HTML for a page. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(parser.render(source), allowList);
}
