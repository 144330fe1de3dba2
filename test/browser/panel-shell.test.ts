/**
 * The panel in a plain page (test/shell), in headless Chromium: screenshots for the docs (light/dark, en/ja,
 * narrow), hostile values rendered as text with nothing executed, and render timings (printed, not asserted).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { HOSTILE } from '../shell/records.ts';
import { CHROMIUM_PATH } from './support/chromium.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist/shell');
const SHOTS = join(ROOT, 'docs/screenshots');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  const build = spawnSync('npx', ['vite', 'build', '--config', 'vite.shell.config.ts'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`shell build failed:\n${build.stdout}\n${build.stderr}`);

  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = normalize(join(DIST, path === '/' ? 'index.html' : path));
    if (!file.startsWith(DIST)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(file);
      // The extension's CSP, so an inline script or handler would be refused here as in the real panel.
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': "script-src 'self'; object-src 'none'; base-uri 'none'",
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--font-render-hinting=none'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
});

async function openShell(query: string, size: { width: number; height: number }, scale = 1): Promise<{ page: Page; errors: string[]; dialogs: string[] }> {
  const context = await browser.newContext({ viewport: size, deviceScaleFactor: scale });
  const page = await context.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${base}?${query}`);
  await page.waitForSelector('html[data-ready="1"]');
  return { page, errors, dialogs };
}

/** Nothing wider than the viewport: long values wrap instead of being cut off. */
async function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) out.push(`document ${document.documentElement.scrollWidth} > ${width}`);
    for (const el of document.querySelectorAll<HTMLElement>('.detail-pane, .detail-body, .card, .verdict, .index')) {
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
    }
    return out;
  });
}

test('the shell bundle does not include webextension-polyfill', () => {
  const assets = readdirSync(join(DIST, 'assets')).filter((f) => f.endsWith('.js'));
  expect(assets.length).toBeGreaterThan(0);
  for (const file of assets) {
    const text = readFileSync(join(DIST, 'assets', file), 'utf8');
    expect(text).not.toContain('This script should only be loaded in a browser extension');
  }
});

// Index 7 of the demo set: a preflighted POST whose Allow-Headers misses x-request-id.
const DETAIL = 'open=7';

test.each([
  ['light', 'en'],
  ['dark', 'en'],
  ['light', 'ja'],
  ['dark', 'ja'],
] as const)('screenshot %s %s with a detail open', async (theme, lang) => {
  const { page, errors } = await openShell(`theme=${theme}&lang=${lang}&${DETAIL}&dropped=0`, { width: 1180, height: 760 });
  try {
    await page.waitForSelector('.detail-pane .verdict');
    await page.focus('[role=listbox]');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    expect(await horizontalOverflow(page)).toEqual([]);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `panel-${theme}-${lang}.png`) });
    expect(errors).toEqual([]);
  } finally {
    await page.context().close();
  }
});

test('screenshot: narrow docked DevTools (420 px) stacks the detail below the list', async () => {
  const { page, errors } = await openShell(`theme=light&lang=en&${DETAIL}`, { width: 420, height: 860 });
  try {
    await page.waitForSelector('.detail-pane .verdict');
    const list = await page.locator('.list-pane').boundingBox();
    const detail = await page.locator('.detail-pane').boundingBox();
    expect(list && detail && detail.y >= list.y + list.height - 1).toBe(true);
    expect(await horizontalOverflow(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'panel-narrow-en.png') });
    expect(errors).toEqual([]);
  } finally {
    await page.context().close();
  }
});

test('screenshots: empty state and reason index', async () => {
  const empty = await openShell('theme=light&lang=en&set=empty', { width: 900, height: 420 });
  try {
    await empty.page.waitForSelector('.empty-title');
    await empty.page.screenshot({ path: join(SHOTS, 'panel-empty-en.png') });
    await empty.page.click('.empty .link-button');
    await empty.page.waitForSelector('.index-entry');
    await empty.page.setViewportSize({ width: 900, height: 760 });
    expect(await horizontalOverflow(empty.page)).toEqual([]);
    await empty.page.screenshot({ path: join(SHOTS, 'panel-index-en.png') });
    expect(empty.errors).toEqual([]);
  } finally {
    await empty.page.context().close();
  }
});

test('hostile values render as text and run nothing', async () => {
  for (const open of [0, 1, 2]) {
    const { page, errors, dialogs } = await openShell(`set=hostile&open=${open}`, { width: 1000, height: 800 });
    try {
      await page.waitForSelector('.detail-pane .verdict');
      // Expand every cut value, visit the index, come back: any chance for a payload to run.
      for (let i = 0; i < 10; i++) {
        const more = page.locator('.long button[aria-expanded="false"]');
        if ((await more.count()) === 0) break;
        await more.first().click();
      }
      const report = await page.evaluate((hostile) => {
        const app = document.getElementById('app') as HTMLElement;
        const bad = Array.from(app.querySelectorAll('script, img, iframe, object, embed, b')).map((e) => e.outerHTML.slice(0, 80));
        const withHandlers = Array.from(app.querySelectorAll('*'))
          .filter((e) => Array.from(e.attributes).some((a) => a.name.startsWith('on')))
          .map((e) => e.tagName);
        const texts = new Set(Array.from(app.querySelectorAll('.value, th')).map((e) => e.textContent));
        const missing = Object.entries(hostile)
          .filter(([key]) => !['documentUrl', 'engineName', 'error', 'url', 'origin'].includes(key))
          .filter(([, value]) => !texts.has(value))
          .map(([key]) => key);
        const hrefs = Array.from(app.querySelectorAll('a')).map((a) => a.getAttribute('href'));
        const bigShown = Array.from(app.querySelectorAll('.value')).some((e) => e.textContent === hostile.big);
        return { bad, withHandlers, missing, hrefs, bigShown, pwned: (window as { __pwned?: unknown }).__pwned };
      }, HOSTILE);
      expect(report.bad).toEqual([]);
      expect(report.withHandlers).toEqual([]);
      // The first record carries every hostile header value; each must be the exact text of one element.
      if (open === 0) expect(report.missing).toEqual([]);
      for (const href of report.hrefs) expect(href?.startsWith('https://developer.mozilla.org/')).toBe(true);
      if (open === 0) expect(report.bigShown).toBe(true);
      await page.click('.toolbar-btn[aria-pressed]');
      await page.waitForSelector('.index-entry');
      await page.keyboard.press('Escape');
      await page.waitForTimeout(300);
      expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      if (open === 0) await page.screenshot({ path: join(ROOT, 'artifacts/panel-hostile.png'), fullPage: false });
    } finally {
      await page.context().close();
    }
  }
});

test('render timings with 10 000 records (printed for issue 6, not asserted)', async () => {
  const { page, errors } = await openShell('set=many&n=10000', { width: 1200, height: 800 });
  try {
    await page.waitForSelector('[role=option]');
    const first = await page.evaluate(() => ({
      firstRenderMs: window.__shell?.perf.firstRenderMs ?? -1,
      sinceNavigationMs: performance.now(),
      rows: document.querySelectorAll('[role=option]').length,
    }));
    const detail = await page.evaluate(async () => {
      const times: number[] = [];
      const frame = () => new Promise<void>((done) => requestAnimationFrame(() => setTimeout(done, 0)));
      for (let i = 0; i < 7; i++) {
        const rows = document.querySelectorAll<HTMLElement>('[role=option]');
        const row = rows[(i * 5) % rows.length] as HTMLElement;
        const start = performance.now();
        row.click();
        await frame();
        if (!document.querySelector('.detail-pane .verdict')) throw new Error('detail did not open');
        times.push(performance.now() - start);
      }
      const list = document.querySelector<HTMLElement>('[role=listbox]') as HTMLElement;
      list.focus();
      const endStart = performance.now();
      list.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
      await frame();
      const endMs = performance.now() - endStart;
      const filterStart = performance.now();
      const input = document.querySelector<HTMLInputElement>('input[type=search]') as HTMLInputElement;
      input.value = 'payments';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await frame();
      const filterMs = performance.now() - filterStart;
      times.sort((a, b) => a - b);
      return { detailOpenMedianMs: times[Math.floor(times.length / 2)] as number, detailOpenMaxMs: times.at(-1) as number, jumpToEndMs: endMs, filterMs };
    });
    const result = { records: 10_000, ...first, ...detail };
    console.log(`[panel perf] ${JSON.stringify(result)}`);
    mkdirSync(join(ROOT, 'artifacts'), { recursive: true });
    writeFileSync(join(ROOT, 'artifacts/panel-perf.json'), `${JSON.stringify(result, null, 2)}\n`);
    expect(first.rows).toBeLessThan(200);
    expect(errors).toEqual([]);
  } finally {
    await page.context().close();
  }
});
