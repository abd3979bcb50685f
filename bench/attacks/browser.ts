import http from 'node:http';
import { parse } from 'node-html-parser';

export interface Reply {
  status: number;
  /** The Location header, when there is one. */
  location: string | undefined;
  text: string;
  headers: http.IncomingHttpHeaders;
  ms: number;
}

/**
 * A browser of our site seen from outside: its own cookies and its own loopback source address
 * (127.0.0.N), so every person of an attack is a different client to the server's per-address
 * limits, as they would be on the internet. Redirects are not followed: the attacks read them.
 */
export class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly site: URL,
    readonly sourceAddress: string,
  ) {}

  /** The session cookie's value, as the server set it. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  request(
    method: string,
    path: string,
    options: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const started = performance.now();
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    if (options.body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(options.body));
    }
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.site.hostname,
          port: this.site.port,
          localAddress: this.sourceAddress,
          method,
          path,
          headers,
          agent: false,
        },
        (res) => {
          this.store(res.headers['set-cookie'] ?? []);
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              location: res.headers.location,
              text: Buffer.concat(chunks).toString('utf8'),
              headers: res.headers,
              ms: performance.now() - started,
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(options.body);
    });
  }

  get(path: string, headers?: Record<string, string>): Promise<Reply> {
    return this.request('GET', path, { headers });
  }

  /** The CSRF token of the form on a page. */
  async csrf(path: string): Promise<string> {
    const page = await this.get(path);
    const token = parse(page.text).querySelector('input[name="_csrf"]')?.getAttribute('value');
    if (!token) throw new Error(`no form with a CSRF token on ${path} (${page.status})`);
    return token;
  }

  /** Sends a form as the page at `tokenFrom` (by default the same address) would. */
  async post(
    path: string,
    form: Record<string, string>,
    options: { tokenFrom?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const _csrf = await this.csrf(options.tokenFrom ?? path);
    const body = new URLSearchParams({ ...form, _csrf }).toString();
    return this.request('POST', path, { body, headers: options.headers });
  }

  /** Follows our own redirects (a few) and answers the page reached. */
  async follow(reply: Reply): Promise<Reply> {
    let current = reply;
    for (let hops = 0; current.location && hops < 5; hops++) {
      const next = new URL(current.location, this.site);
      if (next.host !== this.site.host) break;
      current = await this.get(next.pathname + next.search);
    }
    return current;
  }

  private store(lines: string[]): void {
    for (const line of lines) {
      const pair = line.split(';')[0] ?? '';
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** What a refused form says (its error summary), to show in the evidence. */
export function errorsOf(reply: Reply): string {
  const items = parse(reply.text).querySelectorAll('.error-summary li, .error-message, .notice');
  const texts = [...new Set(items.map((item) => item.text.trim()).filter(Boolean))];
  return texts.length ? ` “${texts.join(' / ')}”` : '';
}

/** The page's main heading, to say which page an answer is. */
export function headingOf(reply: Reply): string {
  const heading = parse(reply.text).querySelector('h1')?.text.trim();
  return heading ? ` “${heading}”` : '';
}

/** Where a redirect to another site (GitHub, the identity provider) leads, hop by hop. */
export async function followElsewhere(start: string, until: URL): Promise<URL> {
  const cookies = new Map<string, string>();
  let location = new URL(start);
  for (let hops = 0; location.host !== until.host; hops++) {
    if (hops > 10) throw new Error(`too many redirects at ${location.href}`);
    const response = await fetch(location, {
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([n, v]) => `${n}=${v}`).join('; ') },
    });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    const next = response.headers.get('location');
    if (!next) throw new Error(`${location.href} answered ${response.status} without a redirect`);
    location = new URL(next, location);
  }
  return location;
}
