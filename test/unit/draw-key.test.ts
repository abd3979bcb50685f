import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import {
  commitmentOf,
  fingerprintOf,
  listHashOf,
  rankFingerprints,
} from '../../src/draw/formulas.ts';
import { drawKeyOf, openSecret, sealSecret } from '../../src/draw/key.ts';
// @ts-expect-error -- a plain JavaScript file with no types, dependency-free on purpose
import { verifyDraw } from '../../scripts/verify-draw.mjs';

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u:p@db.example/m',
  SESSION_SECRET: 's'.repeat(40),
} as const;

describe('the draw key (DRAW_KEY)', () => {
  it('takes 32 bytes in hexadecimal or base64, and nothing else', () => {
    const hex = 'ab'.repeat(32);
    expect(drawKeyOf(loadConfig({ DRAW_KEY: hex })).bytes).toEqual(Buffer.from(hex, 'hex'));
    const base64 = Buffer.alloc(32, 7).toString('base64');
    expect(drawKeyOf(loadConfig({ DRAW_KEY: base64 })).bytes).toEqual(Buffer.alloc(32, 7));
    expect(() => loadConfig({ DRAW_KEY: 'ab'.repeat(16) })).toThrow(/DRAW_KEY/);
    expect(() => loadConfig({ DRAW_KEY: 'not a key at all' })).toThrow(/DRAW_KEY/);
  });

  it('is required in production: start-up stops without it', () => {
    const config = loadConfig(production);
    expect(() => drawKeyOf(config)).toThrow(ConfigError);
    expect(() => drawKeyOf(config)).toThrow(/DRAW_KEY: required in production/);
    expect(drawKeyOf(loadConfig({ ...production, DRAW_KEY: 'cd'.repeat(32) })).bytes).toHaveLength(
      32,
    );
  });

  it('is generated once under the data folder elsewhere, readable by its owner only', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'draw-key-'));
    const first = drawKeyOf(loadConfig({ NODE_ENV: 'development', DATA_DIR: folder }));
    expect(statSync(path.join(folder, 'draw.key')).mode & 0o777).toBe(0o600);
    const again = drawKeyOf(loadConfig({ NODE_ENV: 'test', DATA_DIR: folder }));
    expect(again).toEqual(first);
  });

  it('seals the secret so that only this key, for this opportunity, opens it', () => {
    const key = drawKeyOf(loadConfig({ DRAW_KEY: 'ef'.repeat(32) }));
    const secret = Buffer.alloc(32, 9);
    const sealed = sealSecret(key, 12, secret);
    expect(sealed.ciphertext).not.toEqual(secret);
    expect(openSecret(key, 12, sealed)).toEqual(secret);
    expect(() => openSecret(key, 13, sealed)).toThrow();
    const other = drawKeyOf(loadConfig({ DRAW_KEY: '01'.repeat(32) }));
    expect(() => openSecret(other, 12, sealed)).toThrow(/another DRAW_KEY/);
  });
});

describe('the draw formulas', () => {
  it('agree with the independent verification script', () => {
    const secret = Buffer.alloc(32, 1);
    const fingerprints = [1, 2, 3, 4, 5]
      .map((n) => fingerprintOf(`MA-2026-0001-A${n}`, commitmentOf(Buffer.alloc(32, n))))
      .sort();
    const order = rankFingerprints(secret, fingerprints.slice(0, 4));
    const draw = {
      format: 'micro-acquisition-draw/1',
      reference: 'MA-2026-0001',
      commitment: commitmentOf(secret),
      fingerprints,
      fingerprintListHash: listHashOf(fingerprints),
      secret: secret.toString('hex'),
      order,
    };
    expect(verifyDraw(draw, 'MA-2026-0001').ok).toBe(true);
    // SHA-256 of "abc" and of the empty list, as published test vectors give them.
    expect(listHashOf(['abc'])).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(listHashOf([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('give another order for another secret', () => {
    const fingerprints = Array.from({ length: 8 }, (_, i) => commitmentOf(Buffer.alloc(32, i)));
    const one = rankFingerprints(Buffer.alloc(32, 1), fingerprints).map((r) => r.fingerprint);
    const two = rankFingerprints(Buffer.alloc(32, 2), fingerprints).map((r) => r.fingerprint);
    expect(one).not.toEqual(two);
    expect([...one].sort()).toEqual([...two].sort());
  });
});
