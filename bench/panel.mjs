// Section 4: the panel. (a) The test shell (test/shell, vite.shell.config.ts) with 10 000 records: first
// render and opening a detail, from the timings the shell exposes (window.__shell.perf) and measured around
// a click. (b) The real panel inside real DevTools (headless Chromium, --auto-open-devtools-for-tabs, the
// CORS panel shown through DevTools' InspectorView): the time from a request failing in the page to its row
// appearing in the panel's DOM.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { connectTarget, debuggingPort } from './cdp.mjs';
import { median, spread } from './stats.mjs';

const TYPES = /** @type {Record<string, string>} */ ({ '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' });

/** @param {string} dir */
async function serveDir(dir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir)) return void res.writeHead(403).end();
    let body;
    try {
      body = readFileSync(file);
    } catch {
      return void res.writeHead(404).end();
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', () => done(undefined)));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  return { base, close: () => new Promise((done) => server.close(() => done(undefined))) };
}

/**
 * @param {string} shellDir the built shell
 * @param {{ executablePath: string, loads?: number, records?: number }} o
 */
export async function shellTimings(shellDir, { executablePath, loads = 5, records = 10_000 }) {
  const server = await serveDir(shellDir);
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  /** @type {number[]} */ const firstRender = [];
  /** @type {number[]} */ const navigationToRows = [];
  /** @type {number[]} */ const detail = [];
  /** @type {number[]} */ const detailFrame = [];
  /** @type {number[]} */ const filter = [];
  let rows = 0;
  try {
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
      try {
        const page = await context.newPage();
        await page.goto(`${server.base}?set=many&n=${records}`);
        await page.waitForSelector('html[data-ready="1"]');
        const first = await page.evaluate(() => ({
          firstRenderMs: /** @type {any} */ (window).__shell?.perf.firstRenderMs ?? Number.NaN,
          sinceNavigationMs: performance.now(),
          rows: document.querySelectorAll('[role=option]').length,
        }));
        firstRender.push(first.firstRenderMs);
        navigationToRows.push(first.sinceNavigationMs);
        rows = first.rows;
        // Opening a detail: click a row; "dom" = until Preact has rendered the detail and the browser has
        // computed style and layout for it (forced), "frame" = until the next animation frame after that.
        const opened = await page.evaluate(async () => {
          const dom = [];
          const frames = [];
          const nextFrame = () => new Promise((done) => requestAnimationFrame(() => done(undefined)));
          for (let k = 0; k < 7; k++) {
            const list = document.querySelectorAll('[role=option]');
            const row = /** @type {HTMLElement} */ (list[(k * 5 + 3) % list.length]);
            const pane = document.querySelector('.detail-pane');
            const rendered = new Promise((done) => {
              const ready = () => document.querySelector('.detail-pane .verdict') !== null && row.getAttribute('aria-selected') === 'true';
              const observer = new MutationObserver(() => {
                if (!ready()) return;
                observer.disconnect();
                done(undefined);
              });
              observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
            });
            const start = performance.now();
            row.click();
            await rendered;
            void (/** @type {HTMLElement} */ (document.querySelector('.detail-pane') ?? pane)).offsetHeight;
            dom.push(performance.now() - start);
            await nextFrame();
            frames.push(performance.now() - start);
            await new Promise((done) => setTimeout(done, 30));
          }
          const input = /** @type {HTMLInputElement | null} */ (document.querySelector('input[type=search]'));
          let filterMs = Number.NaN;
          if (input) {
            const start = performance.now();
            input.value = 'payments';
            input.dispatchEvent(new Event('input', { bubbles: true }));
            await nextFrame();
            filterMs = performance.now() - start;
          }
          return { dom, frames, filterMs };
        });
        detail.push(...opened.dom);
        detailFrame.push(...opened.frames);
        filter.push(opened.filterMs);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return {
    records,
    loads,
    renderedRows: rows,
    firstRenderMs: { median: median(firstRender), ...spread(firstRender), all: firstRender },
    navigationToRowsMs: { median: median(navigationToRows), ...spread(navigationToRows) },
    detailOpenMs: { median: median(detail), ...spread(detail), samples: detail.length },
    detailOpenToFrameMs: { median: median(detailFrame), ...spread(detailFrame) },
    filterMs: { median: median(filter), ...spread(filter) },
  };
}

/**
 * The real panel in real DevTools: a page fires one failing request at a time; the page notes when the
 * fetch rejected, the panel notes when the row for that URL entered its DOM (MutationObserver) and the next
 * animation frame after it. Both clocks are performance.timeOrigin + performance.now() (one machine).
 * @param {any} m @param {{ ours: string, origins: { page: string, api: string }, samples?: number }} o
 */
export async function panelLatency(m, { ours, origins, samples = 15 }) {
  const browser = await m.launchChromium({ extension: ours, args: ['--remote-debugging-port=0', '--auto-open-devtools-for-tabs'] });
  /** @type {Array<{ close(): void }>} */
  const sessions = [];
  try {
    const port = await debuggingPort(browser.userDataDir);
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${origins.page}/blank`);
    const devtools = await connectTarget(port, (t) => t.url.startsWith('devtools://devtools/bundled/devtools_app.html'));
    sessions.push(devtools);
    // The devtools page registers the panel a moment after DevTools opens; showPanel on an unknown id does
    // nothing, so ask again until the panel's page exists.
    const isPanel = (/** @type {{ url: string }} */ t) => t.url.startsWith(`chrome-extension://${browser.extensionId}/src/panel/panel.html`);
    /** @type {any} */
    let panel;
    for (let attempt = 0; attempt < 40 && !panel; attempt++) {
      await devtools.send('Runtime.evaluate', {
        expression: `import('./ui/legacy/legacy.js').then((L) => L.InspectorView.InspectorView.instance().showPanel('chrome-extension://${browser.extensionId}CORS')).then(() => true, () => false)`,
        awaitPromise: true,
        returnByValue: true,
      });
      panel = await connectTarget(port, isPanel, 500).catch(() => undefined);
    }
    if (!panel) throw new Error('the CORS panel never appeared in DevTools');
    sessions.push(panel);
    const evalIn = async (/** @type {any} */ session, /** @type {string} */ expression) => {
      const r = await session.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
      if (r.exceptionDetails) throw new Error(JSON.stringify(r.exceptionDetails).slice(0, 300));
      return r.result.value;
    };
    // Wait until the panel is connected (its list or empty state is on screen).
    await evalIn(
      panel,
      `new Promise((done) => { const t0 = Date.now(); const tick = () => (document.querySelector('[role=listbox], .empty') || Date.now() - t0 > 10000) ? done(true) : setTimeout(tick, 50); tick(); })`,
    );
    await evalIn(
      panel,
      `(() => {
        window.__seen = {};
        const look = () => {
          for (const el of document.querySelectorAll('[role=option] [title]')) {
            const m = /lat-(\\d+)/.exec(el.getAttribute('title') || '');
            if (m && !(m[1] in window.__seen)) {
              const dom = performance.timeOrigin + performance.now();
              window.__seen[m[1]] = { dom };
              requestAnimationFrame(() => { window.__seen[m[1]].frame = performance.timeOrigin + performance.now(); });
            }
          }
        };
        new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true });
        return true;
      })()`,
    );
    /** @type {number[]} */ const toRow = [];
    /** @type {number[]} */ const toFrame = [];
    /** @type {number[]} */ const startToRow = [];
    for (let k = 0; k < samples; k++) {
      const t = await page.evaluate(
        async ({ api, k }) => {
          const start = performance.timeOrigin + performance.now();
          await fetch(`${api}/api/lat-${k}?ok=0&r=${Math.random()}`).catch(() => undefined);
          return { start, failed: performance.timeOrigin + performance.now() };
        },
        { api: origins.api, k },
      );
      const seen = await evalIn(
        panel,
        `new Promise((done) => { const t0 = Date.now(); const tick = () => { const s = window.__seen['${k}']; if ((s && s.frame) || Date.now() - t0 > 5000) done(s || null); else setTimeout(tick, 10); }; tick(); })`,
      );
      if (seen) {
        toRow.push(seen.dom - t.failed);
        if (seen.frame) toFrame.push(seen.frame - t.failed);
        startToRow.push(seen.dom - t.start);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    return {
      samples,
      rowsSeen: toRow.length,
      failureToRowMs: { median: median(toRow), ...spread(toRow), all: toRow },
      failureToFrameMs: { median: median(toFrame), ...spread(toFrame) },
      requestStartToRowMs: { median: median(startToRow), ...spread(startToRow) },
    };
  } finally {
    for (const s of sessions) s.close();
    await browser.close();
  }
}
