import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A fake GitHub on loopback, answering like the real OAuth endpoints and REST API. */
export const GITHUB_CLIENT = { id: 'Iv1.testclient', secret: 'a GitHub client secret for tests' };

export interface GithubAccount {
  id: number;
  login: string;
  name: string | null;
  emails: { email: string; primary: boolean; verified: boolean; visibility: string | null }[];
}
/** Who approves the OAuth app on GitHub next. */
let nextGithubAccount: GithubAccount;
export const approvesNext = (account: GithubAccount) => {
  nextGithubAccount = account;
};
/** The codes GitHub has handed out and not yet exchanged, with the PKCE challenge sent for each. */
export const githubCodes = new Map<
  string,
  { account: GithubAccount; redirectUri: string; challenge: string | null }
>();
const githubTokens = new Map<string, GithubAccount>();

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Like GitHub: a code asked for with a PKCE challenge is exchanged only with its verifier. */
function verifierMatches(challenge: string | null, verifier: string | null): boolean {
  if (challenge === null) return true;
  return (
    verifier !== null && createHash('sha256').update(verifier).digest('base64url') === challenge
  );
}

export async function fakeGithub(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://github.test');
  if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    if (url.searchParams.get('client_id') !== GITHUB_CLIENT.id) return res.writeHead(404).end();
    const code = randomBytes(10).toString('hex');
    if (
      url.searchParams.has('code_challenge') &&
      url.searchParams.get('code_challenge_method') !== 'S256'
    ) {
      return res.writeHead(400).end();
    }
    const challenge = url.searchParams.get('code_challenge');
    githubCodes.set(code, { account: nextGithubAccount, redirectUri, challenge });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    return res.writeHead(302, { Location: back.href }).end();
  }
  if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
    const form = new URLSearchParams(await readBody(req));
    const grant = githubCodes.get(form.get('code') ?? '');
    githubCodes.delete(form.get('code') ?? '');
    const answer =
      form.get('client_id') !== GITHUB_CLIENT.id ||
      form.get('client_secret') !== GITHUB_CLIENT.secret
        ? { error: 'incorrect_client_credentials' }
        : !grant ||
            grant.redirectUri !== form.get('redirect_uri') ||
            !verifierMatches(grant.challenge, form.get('code_verifier'))
          ? { error: 'bad_verification_code', error_description: 'The code is incorrect.' }
          : (() => {
              const token = `gho_${randomBytes(18).toString('hex')}`;
              githubTokens.set(token, grant.account);
              return { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' };
            })();
    // Like GitHub: JSON only when asked for, and errors with a 200.
    if (req.headers.accept?.includes('application/json')) return json(res, 200, answer);
    res.writeHead(200, { 'Content-Type': 'application/x-www-form-urlencoded' });
    return res.end(new URLSearchParams(answer as Record<string, string>).toString());
  }
  const token = /^(?:Bearer|token) (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const account = token ? githubTokens.get(token) : undefined;
  if (!account) {
    return json(res, 401, {
      message: 'Requires authentication',
      documentation_url: 'https://docs.github.com/rest',
    });
  }
  if (req.method === 'GET' && url.pathname === '/user') {
    const primary = account.emails.find((e) => e.primary && e.visibility === 'public');
    return json(res, 200, {
      login: account.login,
      id: account.id,
      node_id: `U_${account.id}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
      type: 'User',
      site_admin: false,
      name: account.name,
      email: primary?.email ?? null,
      created_at: '2020-01-01T00:00:00Z',
    });
  }
  if (req.method === 'GET' && url.pathname === '/user/emails') {
    return json(res, 200, account.emails);
  }
  json(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
}

export function githubAccount(
  id: number,
  email: string,
  options: { verified?: boolean; name?: string | null } = {},
): GithubAccount {
  return {
    id,
    login: `dev${id}`,
    name: options.name === undefined ? `Developer ${id}` : options.name,
    emails: [
      { email, primary: true, verified: options.verified ?? true, visibility: 'public' },
      {
        email: `${id}+dev${id}@users.noreply.github.com`,
        primary: false,
        verified: true,
        visibility: null,
      },
    ],
  };
}
