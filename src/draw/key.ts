import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, drawKeyBytes, type Config } from '../config.ts';

/**
 * The key that keeps each opportunity's draw secret unreadable until the draw: DRAW_KEY, never
 * stored in the database, so neither a user nor someone reading the database can compute an
 * order before it is revealed. Production refuses to start without it; development and tests
 * generate one once and keep it in DATA_DIR/draw.key (mode 600).
 */
export type DrawKeyConfig = Pick<Config, 'DRAW_KEY' | 'DATA_DIR' | 'NODE_ENV'>;

export interface DrawKey {
  bytes: Buffer;
  /** A hash of the key, stored beside each secret it encrypts: a wrong key is named as such. */
  id: string;
}

const KEY_FILE = 'draw.key';
const generated = new Map<string, Buffer>();

/** The one kept under the data folder, made on first use; two processes agree on the first. */
function keptKey(dataDir: string): Buffer {
  const file = path.resolve(dataDir, KEY_FILE);
  const known = generated.get(file);
  if (known) return known;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    // Written aside, then linked into place: link() fails when another process got there first,
    // and nobody ever reads a half-written key.
    const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(aside, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    try {
      linkSync(aside, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(aside, { force: true });
    }
    text = readFileSync(file, 'utf8');
  }
  const bytes = drawKeyBytes(text.trim());
  if (!bytes) throw new ConfigError(`${file} does not hold a draw key (64 hexadecimal characters)`);
  generated.set(file, bytes);
  return bytes;
}

/** DRAW_KEY, else (never in production) the kept one; start-up calls it so a missing key stops it. */
export function drawKeyOf(config: DrawKeyConfig): DrawKey {
  let bytes: Buffer | undefined;
  if (config.DRAW_KEY !== undefined) bytes = drawKeyBytes(config.DRAW_KEY);
  else if (config.NODE_ENV !== 'production') bytes = keptKey(config.DATA_DIR);
  if (!bytes) {
    throw new ConfigError(
      'Invalid configuration:\n  DRAW_KEY: required in production: 32 random bytes in hexadecimal or base64 (openssl rand -hex 32), kept outside the database',
    );
  }
  const id = createHash('sha256').update('draw-key-id:').update(bytes).digest('hex').slice(0, 16);
  return { bytes, id };
}

export interface SealedSecret {
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
  keyId: string;
}

/** Bound to its opportunity: a sealed secret copied onto another opportunity's row does not open. */
const context = (opportunityId: number) => Buffer.from(`draw-secret:${opportunityId}`);

export function sealSecret(key: DrawKey, opportunityId: number, secret: Buffer): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
  cipher.setAAD(context(opportunityId));
  const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag(), keyId: key.id };
}

export function openSecret(key: DrawKey, opportunityId: number, sealed: SealedSecret): Buffer {
  if (sealed.keyId !== key.id) {
    throw new Error(
      `the draw secret of opportunity ${opportunityId} was sealed with another DRAW_KEY (${sealed.keyId}, this one is ${key.id})`,
    );
  }
  const decipher = createDecipheriv('aes-256-gcm', key.bytes, sealed.iv);
  decipher.setAAD(context(opportunityId));
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
}
