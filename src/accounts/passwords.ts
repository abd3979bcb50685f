import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (19 MiB, 2 passes), as OWASP recommends. */
export const hashPassword = (password: string): Promise<string> => hash(password);

/**
 * The hash of a random password nobody knows, made once with the same parameters as
 * hashPassword. An address with no account, or an account with no password, is checked against
 * it, so a wrong address takes as long to refuse as a wrong password and the time of the answer
 * does not tell who has an account (L2).
 */
const NOBODY_S_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$WIZ+Nx+aVhPDEciIheaNPA$Wd0UJLGtbU2g0ztNIUg7zsVDTBQhwatXR6p1HXeypyg';

export async function passwordMatches(hashed: string | null, password: string): Promise<boolean> {
  try {
    const matches = await verify(hashed ?? NOBODY_S_HASH, password);
    return matches && hashed !== null;
  } catch {
    return false;
  }
}
