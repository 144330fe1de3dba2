/**
 * Hostile servers against the built extension (dist/chrome) in headless Chromium: CORS headers carrying
 * HTML and <script>, 100 KB values, thousands of header lines (up to what Chromium accepts, and past it),
 * header bytes that are not UTF-8 (a raw socket server writes latin-1), and pages requesting odd schemes
 * (data:, blob:, file:, another extension's and our own chrome-extension: URLs). The service worker keeps
 * running and answering ping; every CORS failure is recorded once with Chromium's own verdict; storage stays
 * bounded; and the real panel page (panel.html?tabId=…, outside DevTools) shows the hostile values as text:
 * no script runs, no dialog opens, no element is injected. One Chromium start.
 */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorsRecord } from '../../src/cors/record.ts';
import { isReasonId, type ReasonId } from '../../src/cors/reasons.ts';
import { type CorsCapture, captureCorsErrors, type LaunchedChromium, launchChromium } from './support/chromium.ts';
import { chromiumCorsErrorToReason } from './support/verdicts.ts';
import { ExtensionProbe, httpServer, kb, type Running, rawServer, until } from './hardening-support.ts';

const EXTENSION = resolve(process.env.CORS_EXTENSION_DIR ?? 'dist/chrome');

const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=2">';
const BIG = 100 * 1024;

let chromium: LaunchedChromium;
let probe: ExtensionProbe;
let site: Running;
let api: Running;
let raw: Running;
let page: Page;
let capture: CorsCapture;
let tabId: number;

/** Header lines for `/many`: `n` distinct access-control-* names and as many x-* names, ~40 bytes a line. */
function manyHeaders(n: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < n; i++) out.push([i % 2 ? `x-h-${i}` : `access-control-junk-${i}`, `<b>${i}</b>${SCRIPT.slice(0, 8)}`]);
  return out;
}

beforeAll(async () => {
  site = await httpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>hostile</title><p>page</p>');
  });
  api = await httpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const page = site.origin;
    const lines: Array<[string, string | string[]]> = [['content-type', 'application/json']];
    switch (url.pathname) {
      case '/html-acao':
        lines.push(['access-control-allow-origin', SCRIPT], ['x-note', IMG]);
        break;
      case '/html-acah':
        // Preflight passes origin and method; the Allow-Headers value is markup, so x-token is refused.
        lines.push(['access-control-allow-origin', page], ['access-control-allow-methods', 'PUT'], ['access-control-allow-headers', `${IMG}, ${SCRIPT}`]);
        break;
      case '/big':
        // Two 100 KB values: together under Chromium's 256 KB limit for a response head.
        lines.push(['access-control-allow-origin', `${page}/${'a'.repeat(BIG)}`], ['vary', `Origin, ${'v'.repeat(BIG)}`]);
        break;
      case '/many':
        lines.push(...manyHeaders(Number(url.searchParams.get('lines'))));
        break;
      case '/many-acao':
        lines.push(['access-control-allow-origin', Array.from({ length: 1_000 }, () => page)]);
        break;
    }
    const status = req.method === 'OPTIONS' ? 204 : 200;
    res.writeHead(status, lines.flatMap(([n, v]) => (Array.isArray(v) ? v.flatMap((x) => [n, x]) : [n, v])));
    res.end(req.method === 'OPTIONS' ? '' : '{}');
  });
  // Header bytes no UTF-8 decoder accepts: 0xFF 0xFE and a latin-1 é, around markup.
  raw = await rawServer(() =>
    Buffer.concat([
      Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nAccess-Control-Allow-Origin: http://', 'latin1'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`${SCRIPT}\r\nX-Latin: caf`, 'latin1'),
      Buffer.from([0xe9, 0x80, 0xff]),
      Buffer.from('\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}', 'latin1'),
    ]),
  );
  chromium = await launchChromium({ extension: EXTENSION });
  probe = await ExtensionProbe.open(chromium);
  page = await chromium.context.newPage();
  page.on('dialog', (d) => void d.dismiss());
  await page.goto(`${site.origin}/`);
  capture = await captureCorsErrors(page);
  tabId = await probe.tabIdOf(page);
});

afterAll(async () => {
  await capture?.stop();
  await chromium?.close();
  await Promise.all([site?.close(), api?.close(), raw?.close()]);
});

/** fetch() from the page: 'passed' or 'failed'. */
function fetchFromPage(url: string, init: RequestInit = {}): Promise<string> {
  return page.evaluate(
    ([u, i]) =>
      fetch(u, i).then(
        () => 'passed',
        () => 'failed',
      ),
    [url, init] as const,
  );
}

const recordsOf = async (tag: string): Promise<CorsRecord[]> => (await probe.records(tabId)).records.filter((r) => r.exchange.url.includes(`n=${tag}`));

/** Chromium's own reason for the request with this tag (CDP Network.loadingFailed). */
async function chromiumReason(tag: string): Promise<{ reason: ReasonId | undefined; name: string }> {
  const failure = await until(
    async () => capture.failures.find((f) => f.url.includes(`n=${tag}`) && f.resourceType !== 'Preflight' && (f.corsError || f.errorText)),
    (f) => f !== undefined,
    5_000,
  );
  if (!failure) throw new Error(`Chromium reported no failure for ${tag}`);
  const name = failure.corsError ?? failure.errorText;
  return { reason: failure.corsError ? chromiumCorsErrorToReason(failure.corsError) : 'CORSDidNotSucceed', name };
}

interface Case {
  tag: string;
  url: () => string;
  init?: RequestInit;
}

const CASES: Case[] = [
  { tag: 'html-acao', url: () => `${api.origin}/html-acao?n=html-acao&q=${encodeURIComponent(SCRIPT)}` },
  { tag: 'html-acah', url: () => `${api.origin}/html-acah?n=html-acah`, init: { method: 'PUT', headers: { 'x-token': IMG } } },
  { tag: 'big', url: () => `${api.origin}/big?n=big` },
  // ~40 bytes a line: 5 000 lines (~200 KB) are under Chromium's 256 KB limit for a response head.
  { tag: 'many', url: () => `${api.origin}/many?n=many&lines=5000` },
  { tag: 'many-acao', url: () => `${api.origin}/many-acao?n=many-acao` },
  { tag: 'latin1', url: () => `${raw.origin}/latin1?n=latin1` },
  // Past the limit: Chromium refuses the response (a network failure, not CORS).
  { tag: 'too-many', url: () => `${api.origin}/many?n=too-many&lines=9000` },
];

describe('hostile responses', () => {
  it('each CORS failure is recorded once, with Chromium’s own verdict, and the worker keeps answering', async () => {
    const figures: string[] = [];
    for (const c of CASES) {
      expect(await fetchFromPage(c.url(), c.init), c.tag).toBe('failed');
      const records = await until(() => recordsOf(c.tag), (r) => r.length > 0);
      expect(records, c.tag).toHaveLength(1);
      const record = records[0] as CorsRecord;
      const truth = await chromiumReason(c.tag);
      expect(isReasonId(record.diagnosis.reason), c.tag).toBe(true);
      expect({ tag: c.tag, reason: record.diagnosis.reason }).toEqual({ tag: c.tag, reason: truth.reason });
      expect(await probe.ping()).toEqual({ ok: true, engine: 'chromium' });
      const bytes = Buffer.byteLength(JSON.stringify(record));
      figures.push(`${c.tag}: ${truth.name} → ${record.diagnosis.reason}, record ${kb(bytes)}`);
      // However big the response, a record stays small: values cut at 2 KB, unimportant headers by name.
      expect(bytes, c.tag).toBeLessThan(48 * 1024);
    }
    console.log(`hostile responses:\n  ${figures.join('\n  ')}`);
    // The hostile values themselves are kept (cut, not cleaned): the panel must show them as text.
    const [html] = await recordsOf('html-acao');
    expect(html?.exchange.response?.headers).toContainEqual(['access-control-allow-origin', SCRIPT]);
    const [big] = await recordsOf('big');
    const acao = big?.exchange.response?.headers.find(([n]) => n === 'access-control-allow-origin')?.[1] ?? '';
    expect(acao.length).toBeLessThan(2_200);
    expect(acao).toMatch(/truncated/);
    // Bytes that are not UTF-8 (Chromium hands them over as binaryValue) are kept as latin-1 characters.
    const [latin1] = await recordsOf('latin1');
    expect(latin1?.exchange.response?.headers).toContainEqual(['access-control-allow-origin', `http://\u00ff\u00fe${SCRIPT}`]);
    const [many] = await recordsOf('many');
    expect(many?.exchange.response?.headers.length).toBeLessThanOrEqual(64);
  });

  it('odd schemes from the page: nothing breaks, nothing odd is recorded', async () => {
    const before = (await probe.records(tabId)).records.length;
    const otherExtension = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/x.json';
    const outcomes = await page.evaluate(
      async ([other, own]) => {
        const blob = URL.createObjectURL(new Blob(['{}'], { type: 'application/json' }));
        const tries: Record<string, () => Promise<unknown>> = {
          data: () => fetch('data:application/json,{}'),
          blob: () => fetch(blob),
          file: () => fetch('file:///etc/hosts'),
          otherExtension: () => fetch(other),
          ownExtension: () => fetch(own),
          ftp: () => fetch('ftp://127.0.0.1/x'),
          javascript: () => fetch('javascript:alert(1)'),
          about: () => fetch('about:blank'),
          xhrFile: () =>
            new Promise((done, fail) => {
              const x = new XMLHttpRequest();
              x.open('GET', 'file:///etc/passwd');
              x.onload = done;
              x.onerror = fail;
              x.send();
            }),
          imageOtherExtension: () =>
            new Promise((done, fail) => {
              const img = new Image();
              img.onload = done;
              img.onerror = fail;
              img.src = other;
            }),
        };
        const out: Record<string, string> = {};
        for (const [name, run] of Object.entries(tries)) {
          out[name] = await run().then(
            () => 'passed',
            () => 'failed',
          );
        }
        return out;
      },
      [otherExtension, `chrome-extension://${probe.id}/manifest.json`] as const,
    );
    console.log(`odd schemes: ${JSON.stringify(outcomes)}`);
    expect(outcomes.data).toBe('passed');
    expect(outcomes.blob).toBe('passed');
    for (const name of ['file', 'otherExtension', 'ownExtension', 'ftp', 'javascript', 'xhrFile', 'imageOtherExtension']) expect(outcomes[name], name).toBe('failed');
    expect(await probe.ping()).toEqual({ ok: true, engine: 'chromium' });
    await new Promise((r) => setTimeout(r, 500));
    const { records } = await probe.records(tabId);
    // No event reaches the extension for these: nothing new, and nothing but http(s) ever.
    expect(records.length).toBe(before);
    for (const r of records) expect(r.exchange.url).toMatch(/^https?:\/\//);
  });

  it('storage stays bounded: bytes per record and per tab', async () => {
    const count = (await probe.records(tabId)).records.length;
    const tabBytes = await probe.tabBytes(tabId);
    const all = await probe.bytesInUse();
    console.log(`storage.session: tab ${kb(tabBytes)} for ${count} hostile records (${kb(tabBytes / Math.max(1, count))} each), all keys ${kb(all)}`);
    expect(count).toBe(CASES.length);
    expect(tabBytes).toBeLessThan(count * 48 * 1024);
  });
});

describe('the real panel page shows the hostile records as text', () => {
  it('no script runs, no dialog opens, no element is injected, the values are there as text', async () => {
    const panel = await chromium.context.newPage();
    const dialogs: string[] = [];
    const errors: string[] = [];
    panel.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    panel.on('pageerror', (e) => errors.push(String(e)));
    // A trap: any payload that runs and assigns window.__pwned is counted.
    await panel.addInitScript(() => {
      const hits: unknown[] = [];
      Object.defineProperty(window, '__hits', { value: hits });
      Object.defineProperty(window, '__pwned', {
        configurable: false,
        get: () => undefined,
        set: (v) => hits.push(v),
      });
    });
    try {
      await panel.goto(`chrome-extension://${probe.id}/src/panel/panel.html?tabId=${tabId}`);
      const rows = panel.locator('.list [role=option]');
      await until(() => rows.count(), (n) => n === CASES.length, 10_000);
      expect(await rows.count()).toBe(CASES.length);
      const shown = new Set<string>();
      for (let i = 0; i < CASES.length; i++) {
        await rows.nth(i).click();
        await panel.waitForSelector('.detail-pane .verdict');
        for (let k = 0; k < 10; k++) {
          const more = panel.locator('.long button[aria-expanded="false"]');
          if ((await more.count()) === 0) break;
          await more.first().click();
        }
        for (const text of await panel.locator('.detail-pane .value').allTextContents()) shown.add(text);
      }
      const report = await panel.evaluate(() => ({
        hits: (window as unknown as { __hits: unknown[] }).__hits,
        scripts: Array.from(document.querySelectorAll('script')).map((s) => s.getAttribute('src') ?? 'inline'),
        injected: Array.from(document.querySelectorAll('img, iframe, object, embed, frame, svg script, b, link[rel=import]')).map((e) => e.outerHTML.slice(0, 80)),
        handlers: Array.from(document.querySelectorAll('*'))
          .filter((e) => Array.from(e.attributes).some((a) => a.name.toLowerCase().startsWith('on')))
          .map((e) => e.tagName),
        hrefs: Array.from(document.querySelectorAll('a')).map((a) => a.getAttribute('href')),
      }));
      expect(report.hits).toEqual([]);
      expect(dialogs).toEqual([]);
      expect(report.scripts.every((s) => s.startsWith('/assets/'))).toBe(true);
      expect(report.injected).toEqual([]);
      expect(report.handlers).toEqual([]);
      for (const href of report.hrefs) expect(href ?? '').toMatch(/^https:\/\/developer\.mozilla\.org\//);
      // The markup is on screen as text, exactly as the server sent it.
      expect(shown).toContain(SCRIPT);
      expect([...shown].some((t) => t.includes(IMG))).toBe(true);
      expect(shown).toContain(`http://\u00ff\u00fe${SCRIPT}`);
      expect(errors).toEqual([]);
      // The trap works: an assignment in the page is counted.
      await panel.evaluate(() => {
        (window as unknown as { __pwned: string }).__pwned = 'control';
      });
      expect(await panel.evaluate(() => (window as unknown as { __hits: unknown[] }).__hits)).toEqual(['control']);
    } finally {
      await panel.close();
    }
  });
});
