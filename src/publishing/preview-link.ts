import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * The client's preview is at an unguessable address (a 256-bit token). Like an account token,
 * the database never holds it: it keeps the token's SHA-256, to find the opportunity from the
 * address, and a random nonce. The token is the HMAC of that nonce under the server's secret, so
 * the pages that show the link to the requester and the program team can derive it again, while
 * a copy of the database alone opens no preview.
 */
export interface PreviewLink {
  nonce: string;
  token: string;
  hash: string;
}

export const previewTokenHash = (token: string): string =>
  createHash('sha256').update(token).digest('hex');

const tokenOf = (secret: string, nonce: string) =>
  createHmac('sha256', secret).update(`preview-link:${nonce}`).digest('base64url');

export function newPreviewLink(secret: string): PreviewLink {
  const nonce = randomBytes(16).toString('base64url');
  const token = tokenOf(secret, nonce);
  return { nonce, token, hash: previewTokenHash(token) };
}

/** The token of the opportunity's preview link, if it has one. */
export function previewTokenOf(secret: string, row: Record<string, unknown>): string | null {
  return typeof row.preview_nonce === 'string' ? tokenOf(secret, row.preview_nonce) : null;
}
