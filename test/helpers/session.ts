import type { Express } from 'express';
import { parse } from 'node-html-parser';
import request from 'supertest';

/** A browser-like agent: keeps cookies and reads the CSRF token from the page it loads. */
export function agent(app: Express) {
  const client = request.agent(app);
  return {
    client,
    async csrf(path: string): Promise<string> {
      const res = await client.get(path);
      const token = parse(res.text).querySelector('input[name="_csrf"]')?.getAttribute('value');
      if (!token) throw new Error(`no CSRF token on ${path} (status ${res.status})`);
      return token;
    },
    async post(path: string, form: Record<string, string>, tokenFrom = path) {
      const _csrf = await this.csrf(tokenFrom);
      return client
        .post(path)
        .type('form')
        .send({ ...form, _csrf });
    },
  };
}
