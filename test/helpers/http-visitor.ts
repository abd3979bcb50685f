import { parse } from 'node-html-parser';

export interface Answer {
  status: number;
  text: string;
  headers: Headers;
}

/**
 * A browser over real HTTP, to any origin (one process, another, or the proxy): keeps its
 * cookies across them, reads a form's CSRF token from the page, follows no redirect. It says it
 * came over https, as the TLS-terminating load balancer in front would, or production's Secure
 * cookies would not be set.
 */
export class Visitor {
  private readonly cookies = new Map<string, string>();

  async get(url: string): Promise<Answer> {
    return this.send(url, { method: 'GET' });
  }

  /**
   * The values, by field name, of the first form on the page with a CSRF token (and the field
   * `having`, when given: the header's sign-out form comes first).
   */
  async form(url: string, having = '_csrf'): Promise<Record<string, string>> {
    const page = await this.get(url);
    const form = parse(page.text)
      .querySelectorAll('form')
      .find((f) => f.querySelector('[name="_csrf"]') && f.querySelector(`[name="${having}"]`));
    if (!form) throw new Error(`no form with ${having} on ${url} (status ${page.status})`);
    const values: Record<string, string> = {};
    for (const field of form.querySelectorAll('input[name], textarea[name]')) {
      const name = field.getAttribute('name')!;
      const type = field.getAttribute('type');
      if ((type === 'checkbox' || type === 'radio') && !field.hasAttribute('checked')) continue;
      values[name] =
        field.tagName === 'TEXTAREA' ? field.textContent : (field.getAttribute('value') ?? '');
    }
    return values;
  }

  /** Posts a form with the CSRF token of the page at `tokenFrom` (the same address unless given). */
  async post(url: string, fields: Record<string, string>, tokenFrom = url): Promise<Answer> {
    const { _csrf } = await this.form(tokenFrom);
    return this.send(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, _csrf: _csrf! }).toString(),
    });
  }

  private async send(url: string, init: RequestInit): Promise<Answer> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        'X-Forwarded-Proto': 'https',
        ...(cookie && { Cookie: cookie }),
      },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*(?:max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (value === '' || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, text: await res.text(), headers: res.headers };
  }
}
