import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { routeTable } from '../../src/app.ts';
import { url } from '../../src/platform/routes.ts';
import { authorizationWorld, sampleParams } from '../helpers/authorization-world.ts';
import { actorNames, expectedAccess } from './access-expectations.ts';

/**
 * Every breadcrumb and menu link leads somewhere the person may go (issue 10: the translation
 * editor's and the publish page's breadcrumb sent program officers to a 403). For each person
 * of the authorization table and each page the table says they are shown, in both languages,
 * every link of the breadcrumb trail, the site menu and the site title must answer that person
 * with a page (200), or with a redirect to one.
 */
const w = authorizationWorld();

/** The links a person follows to find their way: the breadcrumb trail, the menu, the title. */
function navigationLinks(html: string): string[] {
  const page = parse(html);
  const links = page
    .querySelectorAll('nav.breadcrumbs a[href], ul.site-menu a[href], a.site-title[href]')
    .map((a) => a.getAttribute('href')!);
  // Only this site's pages: the Canada.ca signature leaves it.
  return links.filter((href) => href.startsWith('/'));
}

describe('breadcrumbs and menus', () => {
  it('lead every person of the authorization table only to pages they may see', async () => {
    const dead: string[] = [];
    const answered = new Map<string, number>();
    let followed = 0;
    const gets = routeTable(w.t.deps).filter((r) => r.method === 'get');
    for (const [column, name] of actorNames.entries()) {
      const session = w.sessions.get(name)!;
      const follow = async (href: string): Promise<number> => {
        const key = `${name} ${href}`;
        const known = answered.get(key);
        if (known !== undefined) return known;
        let res = await session.client.get(href);
        // One redirect is fine when it lands on a page this person sees.
        if (res.status >= 300 && res.status < 400 && res.headers.location?.startsWith('/')) {
          res = await session.client.get(res.headers.location);
        }
        answered.set(key, res.status);
        followed += 1;
        return res.status;
      };
      for (const route of gets) {
        if (expectedAccess[`GET ${route.page}`]?.[column] !== 'shown') continue;
        for (const lang of ['en', 'fr'] as const) {
          const path = url(route.page, sampleParams[route.page] ?? {}, lang);
          const page = await session.client.get(path);
          if (page.status !== 200) continue; // authorization.test.ts says why
          for (const href of new Set(navigationLinks(page.text))) {
            const status = await follow(href);
            if (status !== 200) dead.push(`${name} on ${path}: ${href} answers ${status}`);
          }
        }
      }
    }
    expect(dead).toEqual([]);
    expect(followed).toBeGreaterThan(actorNames.length * 5);
  });
});
