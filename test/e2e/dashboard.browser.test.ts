/**
 * The dashboard in a real browser (Chromium through playwright-core: test/support/browser.ts), served by the local
 * system (`npm start`'s startLocalSystem) with its demo data: every figure it shows is checked
 * against what the public API answers for the same question.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, createApi, type SummaryFigures } from '../../dashboard/src/api.js';
import { formatCost, formatInteger, formatPercent, lastDays } from '../../dashboard/src/format.js';
import { loadDemo } from '../../local/demo.js';
import { type LocalSystem, startLocalSystem } from '../../local/full-system.js';
import { launchBrowser } from '../support/browser.js';

/** Git-ignored; docs/dashboard.png (the README's) is one of these, taken with DEMO_DAYS=30. */
const SCREENSHOT = new URL('../../test-results/dashboard.png', import.meta.url);
/** Days of demo calls: enough for every source and outcome, few enough to load in seconds. */
const DEMO_DAYS = Number(process.env.DEMO_DAYS ?? 10);

let system: LocalSystem;
let api: Api;
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

/**
 * The table's columns for a summary row: calls, lead calls, unique callers, answered, missed,
 * voicemail, callbacks, close %.
 */
const expectedCells = (r: SummaryFigures): string[] => [
  formatInteger(r.calls),
  formatInteger(r.leadCalls),
  formatInteger(r.uniqueCallers),
  formatInteger(r.answered),
  formatInteger(r.missed),
  formatInteger(r.voicemail),
  formatInteger(r.callback),
  formatPercent(r.closeRate),
];

/** The text of each cell of a row whose header is `label`, in a location's group of the table. */
const performanceRow = async (group: string, label: string): Promise<string[]> => {
  const row = page
    .locator(
      group === 'total' ? 'table.performance tfoot tr' : `tbody[data-location="${group}"] tr`,
    )
    .filter({ has: page.locator('th', { hasText: label }) });
  return (await row.locator('td').allTextContents()).map((t) => t.trim());
};

const range = () => lastDays(30);

beforeAll(async () => {
  system = await startLocalSystem({ dataDirectory: 'memory', port: 0 });
  await loadDemo(system, { days: DEMO_DAYS });
  api = createApi(system.tokens.read, system.url);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await newPage(context);
  // A missing element fails its step in seconds, naming it, not at the test's time limit.
  context.setDefaultTimeout(10_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await system?.close();
});

describe('the dashboard, on the local system with demo data', () => {
  it('is served on / and /dashboard/* with no-store and a strict CSP; the API wants a token', async () => {
    const index = await fetch(`${system.url}/`);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-store');
    expect(index.headers.get('content-security-policy')).toMatch(/^default-src 'self';/);
    expect(index.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(index.headers.get('content-security-policy')).toContain(
      `media-src 'self' ${system.s3Endpoint}`,
    );
    const css = await fetch(`${system.url}/dashboard/app.css`);
    expect(await css.text()).toContain('.uplot');
    expect((await fetch(`${system.url}/dashboard/nothing.js`)).status).toBe(404);
    const calls = await fetch(`${system.url}/calls`);
    expect(calls.status).toBe(401);
    expect(await calls.json()).toEqual({
      error: { status: 401, code: 'unauthorized', message: expect.any(String) },
    });
  });

  it('takes the token from #token=…, and its Ad Performance table shows the API’s figures', async () => {
    await page.goto(system.dashboardUrl);
    await page.locator('table.performance tfoot').waitFor();
    expect(new URL(page.url()).hash).toBe('#/');
    expect(await storedToken(page)).toBe(system.tokens.admin);

    const all = await api.summary('location', range());
    expect(all.totals.calls).toBeGreaterThan(50);
    expect(await performanceRow('total', 'All calls')).toEqual(expectedCells(all.totals));
    // The range's estimated Connect cost, as the API totals it (every demo call has one).
    expect(all.totals.estimatedCost.totalMicros).toBeGreaterThan(0);
    const cost = page
      .locator('.kpi')
      .filter({ has: page.locator('dt', { hasText: 'Connect cost' }) });
    expect(await cost.locator('.kpi-value').textContent()).toBe(
      formatCost(all.totals.estimatedCost.total),
    );
    for (const location of ['austin-north', 'round-rock', 'denver-central']) {
      const bySource = await api.summary('source', { ...range(), locationId: location });
      expect(bySource.rows.length).toBeGreaterThan(0);
      for (const row of bySource.rows) {
        expect(await performanceRow(location, row.group ?? 'No source')).toEqual(
          expectedCells(row),
        );
      }
    }
  });

  it('draws calls per day, one line per source, with a legend', async () => {
    const canvas = page.locator('.uplot canvas');
    await canvas.waitFor();
    const series = await api.timeseries('day', 'source', range());
    const legend = await page.locator('.u-legend .u-series .u-label').allTextContents();
    expect(legend[0]).toBe('Day');
    expect(new Set(legend.slice(1))).toEqual(
      new Set(series.series.map((s) => s.group ?? 'No source')),
    );
    const stroked = await canvas.evaluate((el) => {
      const c = el as unknown as CanvasElement;
      const { data } = c.getContext('2d')?.getImageData(0, 0, c.width, c.height) ?? { data: [] };
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 200) n++;
      return n;
    });
    expect(stroked).toBeGreaterThan(500);
  });

  it('filters the call list by source: every row is that source, as many as the API lists', async () => {
    await page.getByRole('link', { name: 'Calls' }).click();
    const rows = page.locator('table.calls tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    // A source of two words: the space must reach the API as a space.
    await page.getByLabel('Source').selectOption('Google Ads');
    await expect.poll(() => page.url()).toMatch(/source=Google(%20|\+)Ads/);
    // The dashboard lists the last 30 days (whole days) 50 calls at a time.
    const google = await api.listCalls({ source: 'Google Ads', ...range(), limit: 50 });
    expect(google.items.length).toBeGreaterThan(0);
    await expect.poll(() => rows.count()).toBe(google.items.length);
    expect(new Set(await rows.locator('td:nth-child(4)').allTextContents())).toEqual(
      new Set(['Google Ads']),
    );
  });

  it('opens a call and plays its recording; marking it rented moves the close %', async () => {
    const { items } = await api.listCalls({
      locationId: 'austin-north',
      firstTime: 'true',
      limit: 250,
    });
    // Not one with a message: its page then has a second player.
    const call = items.find(
      (c) => c.recording && c.leadStatus !== 'rented' && !c.spam && c.outcome !== 'voicemail',
    );
    expect(call).toBeDefined();
    const before = await api.summary('location', range());

    await page.goto(`${system.url}/#/calls/${call?.contactId}`);
    const audio = page.locator('audio');
    await audio.waitFor();
    expect(await audio.getAttribute('src')).toMatch(
      new RegExp(
        `^${system.s3Endpoint}/local-recordings/connect/.*${call?.contactId}.*X-Amz-Signature=`,
      ),
    );
    // The policy lets the player load the presigned recording from local S3.
    await expect
      .poll(() => audio.evaluate((a) => (a as unknown as { readyState: number }).readyState), {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(1);
    // The journey as a timeline: one row per step the API gives, in its order.
    const detail = await api.getCall(call?.contactId ?? '');
    const steps = page.locator('ol.journey li');
    expect(await steps.count()).toBe(detail.journey?.length);
    expect(await steps.first().locator('.journey-label').textContent()).toBe('Call started');

    await page.getByLabel('Status').selectOption('rented');
    await page.getByLabel('Value').fill('149');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    expect(await page.locator('h1 .badge').textContent()).toBe('Rented');

    const after = await api.summary('location', range());
    expect(after.totals.conversions).toBe(before.totals.conversions + 1);
    expect(after.totals.closeRate).not.toBe(before.totals.closeRate);
    await page.goto(`${system.url}/#/performance`);
    await page.reload();
    await page.locator('table.performance tfoot').waitFor();
    expect(await performanceRow('total', 'All calls')).toEqual(expectedCells(after.totals));
    await mkdir(new URL('.', SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT.pathname, fullPage: true });
  });

  it('lists a location’s voicemails with playback, and marks one handled', async () => {
    const all = await api.summary('location', range());
    const withMessages = all.rows.find((r) => r.voicemail > 0 && r.group !== null);
    expect(withMessages).toBeDefined();
    const locationId = withMessages?.group ?? '';
    const { items } = await api.listCalls({ ...range(), locationId, outcome: 'voicemail' });
    expect(items.length).toBe(withMessages?.voicemail);

    await page.goto(`${system.url}/#/voicemail?locationId=${locationId}`);
    const rows = page.locator('table.voicemail tbody tr');
    await expect.poll(() => rows.count()).toBe(items.length);
    const [first] = items;
    const row = page.locator(`table.voicemail tr[data-contact-id="${first?.contactId}"]`);
    const audio = row.locator('audio');
    await audio.waitFor();
    const src = (await audio.getAttribute('src')) ?? '';
    expect(src).toMatch(
      new RegExp(
        `^${system.s3Endpoint}/local-recordings/connect/voicemail/.*${first?.contactId}\\.wav.*X-Amz-Signature=`,
      ),
    );
    // A plain GET of the presigned link answers the message's audio.
    const media = await fetch(src);
    expect(media.status).toBe(200);
    expect(
      Buffer.from(await media.arrayBuffer())
        .subarray(0, 4)
        .toString('ascii'),
    ).toBe('RIFF');

    const handled = row.getByLabel('Handled');
    expect(await handled.isChecked()).toBe(false);
    await handled.check();
    await expect.poll(async () => (await api.getCall(first?.contactId ?? '')).handled).toBe(true);
    await page.reload();
    expect(
      await page
        .locator(`tr[data-contact-id="${first?.contactId}"]`)
        .getByLabel('Handled')
        .isChecked(),
    ).toBe(true);
  });

  it('shows the portfolio’s locations read-only, and a routing loop in words', async () => {
    await page.goto(`${system.url}/#/locations`);
    const austin = page.locator('tr[data-location="austin-north"]');
    await austin.waitFor();
    expect(await austin.textContent()).toContain('Declared in config/portfolio.yaml');
    expect(await austin.getByRole('button').count()).toBe(0);

    // A new location whose ring-to is a tracking number: the system would call itself.
    const form = page.locator('form[aria-labelledby="location-form-title"]');
    await form.getByLabel(/^ID/).fill('georgetown');
    await form.getByLabel(/^Name/).fill('Georgetown Storage');
    await form.getByLabel('Time zone').fill('America/Chicago');
    await form.getByLabel('Ring-to number').fill('+15125550151');
    for (const day of [
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ]) {
      await form.getByLabel(day).fill('09:00-18:00');
    }
    await form.getByLabel('Number or queue').fill('+15125550133');
    await form.getByRole('button', { name: 'Save location' }).click();
    const alert = page.locator('.form-errors [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/loop/i);
    expect((await alert.locator('li').allTextContents()).join(' ')).toContain(
      'which is also tracking number +15125550151',
    );
  });

  it('asks for a token again when the API refuses the one it has, and after signing out', async () => {
    const other = await browser.newContext();
    const p = await newPage(other);
    await p.goto(`${system.url}/#token=wrong-token`);
    await p.getByRole('alert').filter({ hasText: 'The API refused the token' }).waitFor();
    const token = p.getByLabel('API token');
    expect(await token.isVisible()).toBe(true);
    expect(await storedToken(p)).toBeNull();
    await token.fill(system.tokens.read);
    await token.press('Enter');
    await p.locator('table.performance tfoot').waitFor();
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.getByRole('status').filter({ hasText: 'Signed out.' }).waitFor();
    expect(await storedToken(p)).toBeNull();
    await other.close();
  });

  it('ran without a console error or a Content-Security-Policy refusal', () => {
    expect(problems).toEqual([]);
  });
});
