import { createHash, createHmac } from 'node:crypto';

/**
 * The draw's formulas, the ones the public results page explains and scripts/verify-draw.mjs and
 * public/draw-check.js recompute on their own (independently written on purpose: a check that
 * shares the server's code would share its mistakes). Every value is 32 bytes written as
 * lowercase hexadecimal; the database checks the same formulas on every row.
 */

const sha256Hex = (data: Buffer | string): string =>
  createHash('sha256').update(data).digest('hex');

/** Published at publishing: SHA-256 of the secret's 32 bytes. */
export const commitmentOf = (secret: Buffer): string => sha256Hex(secret);

/** An application's public fingerprint: SHA-256 of the text `reference:nonce`. */
export const fingerprintOf = (reference: string, nonceHex: string): string =>
  sha256Hex(`${reference}:${nonceHex}`);

/** The fixed list's own fingerprint: SHA-256 of the sorted fingerprints, one per line. */
export const listHashOf = (fingerprints: readonly string[]): string =>
  sha256Hex(fingerprints.join('\n'));

/** A fingerprint's place in the draw: HMAC-SHA256 keyed by the secret, of the fingerprint's bytes. */
export const rankingHmac = (secret: Buffer, fingerprint: string): string =>
  createHmac('sha256', secret).update(Buffer.from(fingerprint, 'hex')).digest('hex');

export interface RankedFingerprint {
  rank: number;
  fingerprint: string;
  hmac: string;
}

/** The order: HMACs ascending (as hexadecimal text, which is their numeric order), rank 1 first. */
export function rankFingerprints(
  secret: Buffer,
  fingerprints: readonly string[],
): RankedFingerprint[] {
  return fingerprints
    .map((fingerprint) => ({ fingerprint, hmac: rankingHmac(secret, fingerprint) }))
    .sort((a, b) => (a.hmac < b.hmac ? -1 : a.hmac > b.hmac ? 1 : 0))
    .map((entry, index) => ({ rank: index + 1, ...entry }));
}
