import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { firstFolderInTheWay } from '../../src/db/postgres-access.ts';

/**
 * Started as root, PostgreSQL runs as the 'postgres' user. From a folder that user cannot enter
 * (a clone under /root, mode 700) the start used to die with an unhandled `spawn … EACCES`; it
 * now stops with one line naming the folder and the ways out.
 */

const asRoot = process.getuid?.() === 0;
let privateHome: string;

beforeAll(async () => {
  privateHome = await mkdtemp(path.join(os.tmpdir(), 'marketplace-private-'));
  await chmod(privateHome, 0o700);
  await mkdir(path.join(privateHome, 'clone'), { mode: 0o755 });
});

afterAll(async () => {
  await rm(privateHome, { recursive: true, force: true });
});

describe('a folder the postgres user cannot enter', () => {
  it('is found above a path, by its permissions for that user', async () => {
    const inside = path.join(privateHome, 'clone', '.data', 'postgres');
    const stranger = { uid: 65_000, gids: [] };
    expect(await firstFolderInTheWay(inside, stranger)).toEqual({
      folder: privateHome,
      mode: 0o700,
    });
    expect(await firstFolderInTheWay(inside, { uid: process.getuid?.(), gids: [] })).toBe(
      undefined,
    );
    expect(await firstFolderInTheWay(path.join(os.tmpdir(), 'x', 'y'), stranger)).toBe(undefined);
  });

  it.skipIf(!asRoot)(
    'stops the start with one line saying what is wrong and how to fix it',
    async () => {
      const start = startEmbeddedPostgres(path.join(privateHome, 'clone', '.data', 'postgres'));
      await expect(start).rejects.toThrow(
        `As root, PostgreSQL runs as the "postgres" user, which cannot enter ${privateHome} (mode 700) to reach its data folder`,
      );
      await expect(start).rejects.toThrow(/chmod o\+x .* or set DATABASE_URL/);
    },
  );
});
