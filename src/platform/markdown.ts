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
  allowedAttributes: { a: ['href'], th: ['align'], td: ['align'] },
  allowedSchemes: ['https', 'mailto'],
  // Headings in client text sit under the page's own h2 sections.
  transformTags: { h1: 'h3', h2: 'h3' },
};

/** Client-written Markdown as safe HTML for a page. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(parser.render(source), allowList);
}
