import { copyFile, mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import chromium from '@sparticuz/chromium';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Express } from 'express';
import { fromRoot } from '../../src/platform/paths.ts';

const softwareGl =
  /^--(?:use-gl|use-angle|enable-unsafe-swiftshader|ignore-gpu-blocklist|in-process-gpu)\b/;

/** Chromium from the @sparticuz/chromium npm package: installed by `npm install`, no download. */
export async function launchBrowser(): Promise<Browser> {
  return playwright.launch({
    executablePath: await chromium.executablePath(),
    // --single-process (meant for AWS Lambda) ends the browser when a context closes. Its
    // software GL (SwiftShader) took about 40% longer per page and axe check than Chromium’s
    // own software rendering (--disable-gpu); axe reads the layout and styles, not pixels.
    args: [
      ...chromium.args.filter((arg) => arg !== '--single-process' && !softwareGl.test(arg)),
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
    headless: true,
  });
}

export async function serve(app: Express): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** WCAG 2.1 AA as axe checks it: the test fails listing each violation and where it is. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(summary).toEqual([]);
}

/**
 * A full-page picture in test-results/screenshots, taken only when asked for: with
 * `npm run screenshots` (the ones the README shows, `readme`, are copied to docs/screenshots too)
 * or `SCREENSHOTS=1`. A picture checks nothing, and each costs a full-page render and PNG
 * encoding (0.4–0.8 s, against 0.8–1.3 s for the page's axe check, on the loaded 2-core machine).
 */
export async function screenshot(
  page: Page,
  name: string,
  readme: ReadonlySet<string> = new Set(),
) {
  if (!process.env.UPDATE_SCREENSHOTS && !process.env.SCREENSHOTS) return;
  const dir = fromRoot('test-results/screenshots');
  await mkdir(dir, { recursive: true });
  const path = `${dir}/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  if (process.env.UPDATE_SCREENSHOTS && readme.has(name)) {
    await copyFile(path, fromRoot(`docs/screenshots/${name}.png`));
  }
}
