import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * The outside world of federated sign-in: a real OpenID Connect provider (the department's) on
 * loopback, and a browser that follows the provider's redirects until it comes back to our site.
 */
export const PUBLIC_URL = 'http://localhost:3000';
export const OIDC_CLIENT = { id: 'marketplace', secret: 'a client secret for the test provider' };

const servers: Server[] = [];

export async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function closeServers(): Promise<void> {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** A browser's cookies for a site other than ours: name → value, every path. */
class CookieJar {
  private cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** Follows redirects on the provider's side until it sends the browser back to our site. */
export async function followToSite(start: string, jar = new CookieJar()): Promise<URL> {
  let location = new URL(start);
  for (let hops = 0; !location.href.startsWith(PUBLIC_URL); hops++) {
    if (hops > 10) throw new Error(`too many redirects at ${location.href}`);
    const response = await fetch(location, {
      redirect: 'manual',
      headers: { cookie: jar.header() },
    });
    jar.store(response);
    const next = response.headers.get('location');
    if (!next) throw new Error(`${location.href} answered ${response.status} without a redirect`);
    location = new URL(next, location);
  }
  return location;
}

export const pathOf = (url: URL) => url.pathname + url.search;
// ——— The department's identity provider: a real oidc-provider on loopback ———

interface IdpAccount {
  email?: string;
  /** true unless given; null: the provider sends no email_verified claim (as Entra ID does). */
  emailVerified?: boolean | null;
  /** Entra ID's "email domain owner verified" claim, sent only when given. */
  xmsEdov?: boolean;
  name?: string;
}
export const idpAccounts = new Map<string, IdpAccount>();
/** Who signs in at the provider next (its login page is skipped: the test decides). */
let nextIdpLogin = '';
export const signsInNext = (subject: string) => {
  nextIdpLogin = subject;
};

export async function startIdentityProvider(): Promise<string> {
  // The issuer names the port, so the server listens before the provider exists.
  const server = createServer();
  const issuer = await listen(server);
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [
          `${PUBLIC_URL}/en/staff-sign-in/callback`,
          `${PUBLIC_URL}/fr/connexion-personnel/retour`,
        ],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified', 'xms_edov'], profile: ['name'] },
    cookies: { keys: ['test cookie signing key'] },
    jwks: {
      keys: [
        generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
      ],
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    // A first-party client: the department's staff are never asked to consent.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    async findAccount(_ctx, sub) {
      const account = idpAccounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: account.email,
          ...(account.emailVerified !== null && { email_verified: account.emailVerified ?? true }),
          ...(account.xmsEdov !== undefined && { xms_edov: account.xmsEdov }),
          name: account.name,
        }),
      };
    },
  });
  const handle = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/interaction/')) return handle(req, res);
    provider
      .interactionFinished(
        req,
        res,
        { login: { accountId: nextIdpLogin } },
        {
          mergeWithLastSubmission: false,
        },
      )
      .catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  return issuer;
}
