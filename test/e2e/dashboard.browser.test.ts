/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core), served by
 * serveDashboard next to an API on one origin. For now the API is the in-test STAND-IN of
 * test/support/fake-api.ts, over fixed data; the figures below are that data's.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, serveDashboard } from '../../lib/local/dashboard.js';
import { listenOnLoopback } from '../../lib/local/listen.js';
import { createFakeApi, FAKE_TOKEN, type FakeApi } from '../support/fake-api.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = new URL('../../docs/dashboard.png', import.meta.url);

let server: Server;
let base: string;
let api: FakeApi;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The few DOM types the page functions below use (this project's tsconfig has no DOM lib). */
interface PageGlobals {
  readonly sessionStorage: { getItem(key: string): string | null };
}
interface CanvasElement {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  } | null;
}
const storedToken = (p: Page) =>
  p.evaluate(() =>
    (globalThis as unknown as PageGlobals).sessionStorage.getItem('call-tracking.token'),
  );

/** Console errors and uncaught exceptions, e.g. a Content-Security-Policy refusal. */
const problems: string[] = [];

const newPage = async (c: BrowserContext): Promise<Page> => {
  const p = await c.newPage();
  p.on('console', (m) => {
    if (m.type() === 'error' && !/status of (401|422)\b/.test(m.text())) problems.push(m.text());
  });
  p.on('pageerror', (e) => problems.push(String(e)));
  return p;
};

/** `'3 2 2 2 1 50%'`: calls, lead calls, unique callers, answered, missed, close %. */
const figures = (row: string): string[] => row.split(' ');

/** The text of each cell of a row whose header is `label`, in a location's group of the table. */
const performanceRow = async (group: string, label: string): Promise<string[]> => {
  const row = page
    .locator(
      group === 'total' ? 'table.performance tfoot tr' : `tbody[data-location="${group}"] tr`,
    )
    .filter({ has: page.locator('th', { hasText: label }) });
  return (await row.locator('td').allTextContents()).map((t) => t.trim());
};

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser test needs Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\``,
    );
  }
  const { files } = await buildDashboard();
  const dashboard = serveDashboard(files);
  api = createFakeApi({ maxPageSize: 5 });
  server = createServer((req, res) => {
    if (!dashboard(req, res)) api.handle(req, res);
  });
  base = await listenOnLoopback(server);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox'],
    headless: true,
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await newPage(context);
});

afterAll(async () => {
  await browser?.close();
  if (server) await new Promise((resolve) => server.close(resolve));
});

describe('the dashboard, against the stand-in API', () => {
  it('is served on / and /dashboard/* with no-store and a strict CSP, leaving API paths alone', async () => {
    const index = await fetch(`${base}/`);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-store');
    expect(index.headers.get('content-security-policy')).toMatch(/^default-src 'self';/);
    expect(index.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    const js = await fetch(`${base}/dashboard/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const css = await fetch(`${base}/dashboard/app.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('.uplot');
    expect((await fetch(`${base}/dashboard/nothing.js`)).status).toBe(404);
    const calls = await fetch(`${base}/calls`);
    expect(calls.status).toBe(401);
    expect(await calls.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('takes the token from #token=…, and shows the Ad Performance table with the data’s figures', async () => {
    await page.goto(`${base}/#token=${FAKE_TOKEN}`);
    await page.locator('table.performance tfoot').waitFor();
    expect(new URL(page.url()).hash).toBe('#/');
    expect(await storedToken(page)).toBe(FAKE_TOKEN);
    // calls, lead calls, unique callers, answered, missed, close %
    expect(await performanceRow('downtown', 'Google Ads')).toEqual(figures('3 2 2 2 1 50%'));
    expect(await performanceRow('downtown', 'Yelp')).toEqual(figures('2 2 2 1 0 0%'));
    expect(await performanceRow('north-lamar', 'Google Ads')).toEqual(figures('3 2 2 2 0 0%'));
    expect(await performanceRow('north-lamar', 'All sources')).toEqual(figures('3 2 2 2 0 0%'));
    expect(await performanceRow('-', 'All sources')).toEqual(figures('1 0 1 1 0 —'));
    expect(await performanceRow('total', 'All calls')).toEqual(figures('9 6 7 6 1 16.7%'));
    // Every request carried the token.
    const summaries = api.requests.filter((r) => r.path.startsWith('/reports/summary'));
    expect(summaries.map((r) => new URL(r.path, base).searchParams.get('locationId'))).toEqual(
      expect.arrayContaining([null, 'downtown', 'north-lamar']),
    );
  });

  it('draws calls per day, one line per source, with a legend', async () => {
    const canvas = page.locator('.uplot canvas');
    await canvas.waitFor();
    const legend = await page.locator('.u-legend .u-series .u-label').allTextContents();
    expect(legend).toEqual(['Day', 'Google Ads', 'Yelp', 'No source']);
    // The busiest source's line is drawn in the first colour of the palette (#2f6fb0).
    const stroked = await canvas.evaluate((el) => {
      const c = el as unknown as CanvasElement;
      const { data } = c.getContext('2d')?.getImageData(0, 0, c.width, c.height) ?? { data: [] };
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r = 0, g = 0, b = 0, a = 0] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
        if (a > 200 && Math.abs(r - 47) < 12 && Math.abs(g - 111) < 12 && Math.abs(b - 176) < 12)
          n++;
      }
      return n;
    });
    expect(stroked).toBeGreaterThan(50);
    expect(await page.locator('figcaption').textContent()).toContain(
      'Google Ads: 6, Yelp: 2, No source: 1',
    );
  });

  it('lists calls a page at a time, and filtering by source narrows the list', async () => {
    await page.getByRole('link', { name: 'Calls' }).click();
    const rows = page.locator('table.calls tbody tr');
    await expect.poll(() => rows.count()).toBe(5);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rows.count()).toBe(9);
    expect(await page.getByRole('button', { name: 'Load more' }).isHidden()).toBe(true);

    await page.getByLabel('Source').selectOption('Yelp');
    await expect.poll(() => page.url()).toContain('source=Yelp');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.locator('td:nth-child(4)').allTextContents()).toEqual(['Yelp', 'Yelp']);
    // The filter keeps the keyboard's focus across the new list.
    await expect.poll(() => page.locator('select[name="source"]:focus').count()).toBe(1);
    expect(api.requests.filter((r) => r.path.startsWith('/calls')).at(-1)?.path).toMatch(
      /^\/calls\?.*source=Yelp/,
    );
    await page.getByLabel('Caller').selectOption('true');
    await expect.poll(() => page.url()).toContain('firstTime=true');
    await expect.poll(() => rows.count()).toBe(2);
  });

  it('opens a call with its recording; marking it rented sends the PATCH and moves close %', async () => {
    await page.goto(`${base}/#/calls?locationId=north-lamar`);
    await page.locator('tr[data-contact-id="c-106"] a').click();
    const audio = page.locator('audio');
    await audio.waitFor();
    expect(await audio.getAttribute('src')).toBe(
      `${base}/fake-recordings/c-106.wav?X-Amz-Signature=fake`,
    );
    expect(await audio.getAttribute('controls')).not.toBeNull();
    // The policy lets the player load the (presigned) recording.
    await expect
      .poll(() => audio.evaluate((a) => (a as unknown as { readyState: number }).readyState), {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(1);

    await page.getByLabel('Status').selectOption('rented');
    await page.getByLabel('Value').fill('149');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const patch = api.requests.find((r) => r.method === 'PATCH');
    expect(patch).toEqual({
      method: 'PATCH',
      path: '/calls/c-106',
      body: { leadStatus: 'rented', value: 149, note: null, tags: null, spam: false },
    });
    expect(await page.locator('h1 .badge').textContent()).toBe('Rented');

    await page.goto(`${base}/#/performance`);
    await page.reload();
    await page.locator('table.performance tfoot').waitFor();
    expect(await performanceRow('north-lamar', 'Google Ads')).toEqual(figures('3 2 2 2 0 50%'));
    expect(await performanceRow('total', 'All calls')).toEqual(figures('9 6 7 6 1 33.3%'));
    expect(await page.locator('.kpi', { hasText: 'Close rate' }).textContent()).toContain(
      '33.3%2 rented of 6 leads',
    );
    await mkdir(new URL('.', SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT.pathname, fullPage: true });
  });

  it('shows locations and numbers, portfolio ones read-only, and a routing loop in words', async () => {
    await page.goto(`${base}/#/locations`);
    const downtown = page.locator('tr[data-location="downtown"]');
    await downtown.waitFor();
    expect(await downtown.textContent()).toContain('Declared in config/portfolio.yaml');
    expect(await downtown.getByRole('button').count()).toBe(0);
    expect(await page.locator('tr[data-number="+15125550101"]').textContent()).toContain(
      'Declared in config/portfolio.yaml',
    );

    await page.getByRole('button', { name: 'Edit location North Lamar Storage' }).click();
    const ringTo = page.getByLabel('Ring-to number');
    expect(await ringTo.inputValue()).toBe('+15125559002');
    await ringTo.fill('+15125550103');
    await page.getByRole('button', { name: 'Save location' }).click();
    const alert = page.locator('.form-errors [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(
      'This would make a routing loop: +15125550103 is a tracking number',
    );
    expect(await alert.locator('li').allTextContents()).toEqual([
      'ringTo: +15125550103 is a tracking number',
    ]);
    const put = api.requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe('/locations/north-lamar');
    expect(put?.body).toMatchObject({
      ringTo: '+15125550103',
      fallback: { type: 'voicemail', number: '+15125559102' },
    });

    // A tracking number's PUT encodes the + of its number.
    await page.getByRole('button', { name: 'Edit tracking number +15125550103' }).click();
    await page.getByLabel('Campaign').fill('Summer promo');
    await page.getByRole('button', { name: 'Save tracking number' }).click();
    await page.getByText('Saved tracking number +15125550103.').waitFor();
    expect(api.requests.filter((r) => r.method === 'PUT').at(-1)?.path).toBe(
      '/tracking-numbers/%2B15125550103',
    );
  });

  it('asks for a token again when the API refuses the one it has, and after signing out', async () => {
    const other = await browser.newContext();
    const p = await newPage(other);
    await p.goto(`${base}/#token=wrong-token`);
    await p.getByRole('alert').filter({ hasText: 'The API refused the token' }).waitFor();
    const token = p.getByLabel('API token');
    expect(await token.isVisible()).toBe(true);
    expect(await storedToken(p)).toBeNull();
    await token.fill(FAKE_TOKEN);
    await token.press('Enter');
    await p.locator('table.performance tfoot').waitFor();
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.getByRole('status').filter({ hasText: 'Signed out.' }).waitFor();
    expect(await p.getByLabel('API token').isVisible()).toBe(true);
    expect(await storedToken(p)).toBeNull();
    await other.close();
  });

  it('ran without a console error or a Content-Security-Policy refusal', () => {
    expect(problems).toEqual([]);
  });
});
