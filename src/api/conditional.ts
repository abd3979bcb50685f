import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

/** A strong ETag: the same bytes, the same tag. */
export function strongETag(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/**
 * Sends the body with its ETag (and its Last-Modified, when known), or 304 when the client's
 * If-None-Match or If-Modified-Since says it already has it (Express's req.fresh).
 */
export function sendConditional(
  req: Request,
  res: Response,
  body: Buffer,
  headers: { contentType: string; etag?: string; lastModified?: Date; cacheControl?: string },
): void {
  res.set({
    'Content-Type': headers.contentType,
    'Cache-Control': headers.cacheControl ?? 'no-cache',
    ETag: headers.etag ?? strongETag(body),
  });
  if (headers.lastModified) res.set('Last-Modified', headers.lastModified.toUTCString());
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  res.status(200).end(body);
}
