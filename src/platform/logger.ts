import { pino, type Logger } from 'pino';
import { pages } from './routes.ts';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, redact: ['req.headers.cookie', 'req.headers.authorization'] });
}

/** The pages whose address carries a token, as path segments, in both languages. */
const tokenPages = Object.values(pages)
  .flatMap((page) => Object.values(page))
  .filter((path) => path.split('/').includes(':token'))
  .map((path) => path.split('/'));

/** What a token looks like in an address (ours are 43 base64url characters). */
const TOKEN_SEGMENT = /^[\w%-]{32,}$/;

const hideToken = (text: string) => (TOKEN_SEGMENT.test(text) ? ':token' : text);

function tokenPageOf(segments: string[]): string | undefined {
  const pattern = tokenPages.find(
    (p) =>
      p.length === segments.length &&
      p.every((part, i) => part.startsWith(':') || part === segments[i]?.toLowerCase()),
  );
  return pattern?.join('/');
}

/**
 * The address as the request log writes it, where no token or code may reach (review finding
 * M2): a page whose address carries a token is written as its pattern (`/en/reset-password/:token`),
 * any other segment shaped like a token as `:token`, and a query string by its parameters' names
 * only (an OAuth callback's `code` and `state` are values). The log is read before routing, so
 * the page is found from the route table, whatever the case or trailing slashes of the address.
 */
export function loggedUrl(url: string): string {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const segments = path.split('/');
  const shown =
    tokenPageOf(segments.filter((segment, i) => i === 0 || segment !== '')) ??
    segments.map(hideToken).join('/');
  if (queryAt === -1) return shown;
  const names = new Set(new URLSearchParams(url.slice(queryAt + 1)).keys());
  return `${shown}?${[...names].map(hideToken).join('&')}`;
}
