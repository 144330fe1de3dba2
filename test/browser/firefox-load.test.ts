/**
 * Firefox ESR loads the built extension, its background answers, and the harness reads Firefox's own
 * CORS verdicts (the ground truth in Firefox) by their language-independent keys.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FirefoxHandle,
  type GeckoCorsVerdict,
  type InstalledExtension,
  launchFirefox,
  PRODUCT_EXTENSION_ID,
  PRODUCT_EXTENSION_ORIGIN,
} from './support/firefox.ts';
import { firstUrlIn, type GeckoCorsMessage, reasonForGeckoKey, verdictsFrom } from './support/verdicts-gecko.ts';

const DIST = 'dist/firefox';
/** Events and console messages arrive asynchronously; the machine is shared and slow at times. */
const POLL = { timeout: 5_000, interval: 50 };

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The API server: each path is one way of answering a CORS request (wrong on purpose, mostly). */
type Headers = Record<string, string | string[]>;
const apiRoutes: Record<string, (origin: string, req: IncomingMessage) => Headers> = {
  '/no-acao': () => ({}),
  '/right-acao': (origin) => ({ 'Access-Control-Allow-Origin': origin }),
  '/wrong-acao': () => ({ 'Access-Control-Allow-Origin': 'http://elsewhere.example' }),
  // Two header lines, both exactly right.
  '/two-acao-lines': (origin) => ({ 'Access-Control-Allow-Origin': [origin, origin] }),
  '/acao-list': (origin) => ({ 'Access-Control-Allow-Origin': `${origin}, http://elsewhere.example` }),
  // The preflight gets no ACAO; the actual request would.
  '/preflight-no-acao': (origin, req): Headers => (req.method === 'OPTIONS' ? {} : { 'Access-Control-Allow-Origin': origin }),
  '/preflight-ok': (origin, req): Headers =>
    req.method === 'OPTIONS'
      ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Headers': 'x-probe' }
      : { 'Access-Control-Allow-Origin': origin },
  '/authorization-by-star': (origin, req): Headers =>
    req.method === 'OPTIONS'
      ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Headers': '*' }
      : { 'Access-Control-Allow-Origin': origin },
};

describe('Firefox keys → reason ids (pure)', () => {
  it('strips the revision number and knows every key Firefox 153 has', () => {
    expect(reasonForGeckoKey('CORSMissingAllowOrigin2')).toBe('CORSMissingAllowOrigin');
    expect(reasonForGeckoKey('CORSPreflightDidNotSucceed3')).toBe('CORSPreflightDidNotSucceed');
    expect(reasonForGeckoKey('CORSMissingAllowHeaderFromPreflight2')).toBe('CORSMissingAllowHeaderFromPreflight');
    expect(reasonForGeckoKey('CORSAllowHeaderFromPreflightDeprecation')).toBe('CORSAllowHeaderFromPreflightDeprecation');
    expect(reasonForGeckoKey('CORSSomethingNew')).toBeUndefined();
  });

  it('reads the request URL out of a message, without the sentence around it', () => {
    expect(firstUrlIn('… remote resource at http://127.0.0.1:9/x?a=1. (Reason: …)')).toBe('http://127.0.0.1:9/x?a=1');
    expect(firstUrlIn('… remote resource at ‘https://api.example/p’. (Reason: …)')).toBe('https://api.example/p');
    expect(firstUrlIn('no url here')).toBe('');
  });

  it('keeps the first key of a failed preflight and drops the CORSDidNotSucceed that follows it', () => {
    const at = (key: string, url: string, timestamp: number, level: GeckoCorsMessage['level'] = 'error') => ({
      key,
      url,
      message: '',
      level,
      timestamp,
    });
    const verdicts = verdictsFrom([
      at('CORSMissingAllowOrigin2', 'http://a/1', 1000),
      at('CORSDidNotSucceed2', 'http://a/1', 1001),
      // A real network failure on its own stays.
      at('CORSDidNotSucceed2', 'http://a/2', 1002),
      // After a warning the request went on; a later failure is its own verdict.
      at('CORSAllowHeaderFromPreflightDeprecation', 'http://a/3', 1003, 'warning'),
      at('CORSDidNotSucceed2', 'http://a/3', 1004),
    ]);
    expect(verdicts.map((v) => [v.reason, v.url])).toEqual([
      ['CORSMissingAllowOrigin', 'http://a/1'],
      ['CORSDidNotSucceed', 'http://a/2'],
      ['CORSAllowHeaderFromPreflightDeprecation', 'http://a/3'],
      ['CORSDidNotSucceed', 'http://a/3'],
    ]);
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('launchFirefox when Firefox cannot start', () => {
  it('rejects with the reason and leaves no profile behind', async () => {
    const profiles = () => readdirSync(tmpdir()).filter((name) => name.startsWith('cors-explainer-firefox-'));
    const before = profiles();
    await expect(launchFirefox({ firefoxPath: '/bin/false' })).rejects.toThrow(/exited before listening/);
    await expect(launchFirefox({ firefoxPath: '/nonexistent/firefox' })).rejects.toThrow(/ENOENT/);
    expect(profiles()).toEqual(before);
  });
});

describe('Firefox with the built extension', () => {
  let firefox: FirefoxHandle;
  let page: { server: Server; origin: string };
  let api: { server: Server; origin: string };
  const apiHits: { method: string; path: string; origin: string | undefined }[] = [];
  let tab: string;
  let launchMs = 0;
  let run = 0;

  beforeAll(async () => {
    if (!existsSync(`${DIST}/manifest.json`)) execFileSync('npm', ['run', '--silent', 'build:firefox'], { stdio: 'inherit' });
    page = await listen((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>page origin</title><p>page origin</p>');
    });
    api = await listen((req, res) => {
      const url = new URL(req.url ?? '/', 'http://api');
      apiHits.push({ method: req.method ?? '', path: url.pathname + url.search, origin: req.headers.origin });
      const route = apiRoutes[url.pathname];
      const headers = route ? route(String(req.headers.origin), req) : {};
      res.writeHead(route ? 200 : 404, { 'Content-Type': 'text/plain', ...headers });
      res.end('api answer');
    });
    const started = Date.now();
    firefox = await launchFirefox({ extension: DIST });
    launchMs = Date.now() - started;
    tab = await firefox.openTab(`${page.origin}/`);
  });

  afterAll(async () => {
    const started = Date.now();
    await firefox?.close();
    const closeMs = Date.now() - started;
    console.log(`firefox: launch + install ${launchMs} ms, close ${closeMs} ms`);
    await new Promise((resolve) => page?.server.close(resolve));
    await new Promise((resolve) => api?.server.close(resolve));
    expect(closeMs).toBeLessThan(5_000);
    expect(existsSync(firefox.profileDir)).toBe(false);
    expect(isRunning(firefox.pid)).toBe(false);
  });

  /** Fetches `path` on the API from the page origin; a unique query keeps each test's verdicts apart. */
  async function fetchFromPage(path: string, init: RequestInit = {}): Promise<{ url: string; outcome: string }> {
    const url = `${api.origin}${path}?run=${++run}`;
    const outcome = await firefox.evaluate<string>(
      tab,
      async (u: string, i: RequestInit) => {
        try {
          const response = await fetch(u, i);
          return `status ${response.status}`;
        } catch (error) {
          return `rejected: ${(error as Error).name}`;
        }
      },
      url,
      init,
    );
    return { url, outcome };
  }

  async function verdictsFor(url: string, count = 1): Promise<GeckoCorsVerdict[]> {
    const all = await firefox.waitForCorsVerdicts((vs) => vs.filter((v) => v.url === url).length >= count);
    return all.filter((v) => v.url === url);
  }

  it('starts quickly, keeps file:// strict as users have it, and installs the extension at its pinned origin', async () => {
    // Typically 2–2.5 s (about 1.5 s of it is session.new waiting for the first window); the bound leaves
    // room for a machine busy with other browsers.
    expect(launchMs).toBeLessThan(10_000);
    // The remote agent would turn it off; the harness keeps Firefox's default.
    const strict = await firefox.chromeEval<boolean>(() =>
      // @ts-expect-error chrome-scope globals
      Services.prefs.getBoolPref('security.fileuri.strict_origin_policy'),
    );
    expect(strict).toBe(true);
    expect(firefox.extension?.id).toBe(PRODUCT_EXTENSION_ID);
    expect(firefox.extension?.origin).toBe(PRODUCT_EXTENSION_ORIGIN);
  });

  it('runs code inside the extension, whose background answers a ping', async () => {
    const where = await firefox.extensionEval<string>(() => location.origin);
    expect(where).toBe(PRODUCT_EXTENSION_ORIGIN);
    expect(await firefox.sendExtensionMessage({ type: 'ping' })).toMatchObject({ ok: true });
    const storage = await firefox.readExtensionStorage('session');
    expect(storage).toBeTypeOf('object');
    expect(storage).not.toBeNull();
  });

  it('reports a response without ACAO as CORSMissingAllowOrigin (error level, also in the BiDi log)', async () => {
    const { url, outcome } = await fetchFromPage('/no-acao');
    expect(outcome).toBe('rejected: TypeError');
    const [verdict, ...more] = await verdictsFor(url);
    expect(more).toEqual([]);
    expect(verdict?.key).toMatch(/^CORSMissingAllowOrigin\d*$/);
    expect(verdict?.reason).toBe('CORSMissingAllowOrigin');
    expect(verdict?.level).toBe('error');
    await expect
      .poll(() => firefox.consoleErrors().filter((e) => e.text.includes(url) && e.context === tab).length, POLL)
      .toBe(1);
  });

  it('reports an ACAO for another origin as CORSAllowOriginNotMatchingOrigin', async () => {
    const { url, outcome } = await fetchFromPage('/wrong-acao');
    expect(outcome).toBe('rejected: TypeError');
    const [verdict] = await verdictsFor(url);
    expect(verdict?.reason).toBe('CORSAllowOriginNotMatchingOrigin');
  });

  it('logs nothing for a right ACAO', async () => {
    const { url, outcome } = await fetchFromPage('/right-acao');
    expect(outcome).toBe('status 200');
    // A blocked request in the same page after it proves the log was read past this one.
    const after = await fetchFromPage('/no-acao');
    await verdictsFor(after.url);
    expect((await firefox.corsMessages()).filter((m) => m.url === url)).toEqual([]);
  });

  it('names two ACAO lines "multiple" and a comma list "not matching" (what the classifier must say)', async () => {
    const twoLines = await fetchFromPage('/two-acao-lines');
    const list = await fetchFromPage('/acao-list');
    expect(twoLines.outcome).toBe('rejected: TypeError');
    expect(list.outcome).toBe('rejected: TypeError');
    expect((await verdictsFor(twoLines.url)).map((v) => v.key)).toEqual(['CORSMultipleAllowOriginNotAllowed']);
    expect((await verdictsFor(list.url)).map((v) => v.key)).toEqual(['CORSAllowOriginNotMatchingOrigin']);
  });

  it('keeps the first key of a failed preflight as the verdict', async () => {
    const { url, outcome } = await fetchFromPage('/preflight-no-acao', { headers: { 'X-Probe': '1' } });
    expect(outcome).toBe('rejected: TypeError');
    expect(apiHits.filter((h) => h.path === new URL(url).pathname + new URL(url).search).map((h) => h.method)).toEqual([
      'OPTIONS',
    ]);
    await expect
      .poll(async () => (await firefox.corsMessages()).filter((m) => m.url === url).map((m) => m.key), POLL)
      .toEqual(['CORSMissingAllowOrigin2', 'CORSDidNotSucceed2']);
    expect((await verdictsFor(url)).map((v) => v.reason)).toEqual(['CORSMissingAllowOrigin']);
  });

  it('sees warnings that the BiDi log drops: Authorization allowed only by "*"', async () => {
    const { url, outcome } = await fetchFromPage('/authorization-by-star', { headers: { Authorization: 'Bearer t' } });
    expect(outcome).toBe('status 200');
    const [verdict] = await verdictsFor(url);
    expect(verdict?.reason).toBe('CORSAllowHeaderFromPreflightDeprecation');
    expect(verdict?.level).toBe('warning');
    expect(firefox.logEntries().filter((e) => e.text.includes(url))).toEqual([]);
  });

  it('opens the real DevTools toolbox and selects the extension panel "CORS", which loads our page', async () => {
    const toolbox = await firefox.openDevToolsToolbox(tab, { panel: 'CORS' });
    expect(toolbox.extensionPanels.map((p) => p.label)).toEqual(['CORS']);
    expect(toolbox.currentToolId).toBe(toolbox.extensionPanels[0]?.id);
    expect(toolbox.panelUrl).toBe(`${PRODUCT_EXTENSION_ORIGIN}/src/panel/panel.html`);
  });
});

/** What the tracker can rely on: webRequest in Firefox sees preflights and reports blocked simple requests
 * as completed. A throwaway probe extension records the events. */
describe('webRequest in Firefox (probe extension)', () => {
  let firefox: FirefoxHandle;
  let probe: InstalledExtension;
  let probeDir: string;
  let page: { server: Server; origin: string };
  let api: { server: Server; origin: string };

  beforeAll(async () => {
    probeDir = mkdtempSync(join(tmpdir(), 'cors-explainer-probe-'));
    writeFileSync(
      join(probeDir, 'manifest.json'),
      JSON.stringify({
        manifest_version: 3,
        name: 'webRequest probe',
        version: '1.0',
        background: { scripts: ['background.js'] },
        permissions: ['webRequest'],
        host_permissions: ['<all_urls>'],
        browser_specific_settings: { gecko: { id: 'probe@cors-explainer.dev' } },
      }),
    );
    writeFileSync(
      join(probeDir, 'background.js'),
      `const events = [];
const all = { urls: ['http://127.0.0.1/*'] };
const record = (event) => (d) => { events.push({ event, requestId: d.requestId, method: d.method, url: d.url,
  type: d.type, statusCode: d.statusCode, error: d.error,
  origin: (d.requestHeaders || []).find((h) => h.name.toLowerCase() === 'origin')?.value,
  acao: (d.responseHeaders || []).filter((h) => h.name.toLowerCase() === 'access-control-allow-origin').map((h) => h.value) }); };
browser.webRequest.onBeforeRequest.addListener(record('onBeforeRequest'), all);
browser.webRequest.onSendHeaders.addListener(record('onSendHeaders'), all, ['requestHeaders']);
browser.webRequest.onHeadersReceived.addListener(record('onHeadersReceived'), all, ['responseHeaders']);
browser.webRequest.onCompleted.addListener(record('onCompleted'), all);
browser.webRequest.onErrorOccurred.addListener(record('onErrorOccurred'), all);
browser.runtime.onMessage.addListener((m) => m.type === 'events' ? Promise.resolve(events) : undefined);
`,
    );
    page = await listen((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>page</title>');
    });
    api = await listen((req, res) => {
      const url = new URL(req.url ?? '/', 'http://api');
      const route = apiRoutes[url.pathname];
      res.writeHead(200, { 'Content-Type': 'text/plain', ...(route ? route(String(req.headers.origin), req) : {}) });
      res.end('api answer');
    });
    firefox = await launchFirefox();
    probe = await firefox.installExtension(probeDir);
  });

  afterAll(async () => {
    await firefox?.close();
    await new Promise((resolve) => page?.server.close(resolve));
    await new Promise((resolve) => api?.server.close(resolve));
    if (probeDir) rmSync(probeDir, { recursive: true, force: true });
  });

  interface ProbeEvent {
    event: string;
    requestId: string;
    method: string;
    url: string;
    type: string;
    statusCode?: number;
    error?: string;
    origin?: string;
    acao: string[];
  }

  async function eventsFor(url: string, until: (events: ProbeEvent[]) => boolean): Promise<ProbeEvent[]> {
    let events: ProbeEvent[] = [];
    const deadline = Date.now() + POLL.timeout;
    for (;;) {
      events = (await probe.sendMessage<ProbeEvent[]>({ type: 'events' })).filter((e) => e.url === url);
      if (until(events)) return events;
      if (Date.now() > deadline) throw new Error(`webRequest events for ${url} never matched: ${JSON.stringify(events)}`);
      await new Promise((resolve) => setTimeout(resolve, POLL.interval));
    }
  }

  it('sees the preflight and the actual request, and the failed preflight errors both', async () => {
    const tab = await firefox.openTab(`${page.origin}/`);
    const ok = `${api.origin}/preflight-ok`;
    const failing = `${api.origin}/preflight-no-acao`;
    const outcomes = await firefox.evaluate<string[]>(
      tab,
      async (urls: string[]) =>
        Promise.all(
          urls.map((u) =>
            fetch(u, { headers: { 'X-Probe': '1' } }).then(
              (r) => `status ${r.status}`,
              () => 'rejected',
            ),
          ),
        ),
      [ok, failing],
    );
    expect(outcomes).toEqual(['status 200', 'rejected']);

    const okEvents = await eventsFor(ok, (es) => es.filter((e) => e.event === 'onCompleted').length === 2);
    const byMethod = (events: ProbeEvent[], method: string) =>
      events.filter((e) => e.method === method).map((e) => e.event);
    expect(byMethod(okEvents, 'OPTIONS')).toEqual(['onBeforeRequest', 'onSendHeaders', 'onHeadersReceived', 'onCompleted']);
    expect(byMethod(okEvents, 'GET')).toEqual(['onBeforeRequest', 'onSendHeaders', 'onHeadersReceived', 'onCompleted']);
    expect(okEvents.find((e) => e.method === 'OPTIONS' && e.event === 'onSendHeaders')?.origin).toBe(page.origin);
    expect(new Set(okEvents.map((e) => e.type))).toEqual(new Set(['xmlhttprequest']));

    const failEvents = await eventsFor(failing, (es) => es.filter((e) => e.event === 'onErrorOccurred').length === 2);
    expect(byMethod(failEvents, 'OPTIONS')).toEqual([
      'onBeforeRequest',
      'onSendHeaders',
      'onHeadersReceived',
      'onErrorOccurred',
    ]);
    // The actual request was never sent, yet webRequest reports onSendHeaders for it.
    expect(byMethod(failEvents, 'GET')).toEqual(['onBeforeRequest', 'onSendHeaders', 'onErrorOccurred']);
    expect(failEvents.filter((e) => e.event === 'onErrorOccurred').map((e) => e.error)).toEqual([
      'NS_ERROR_DOM_BAD_URI',
      'NS_ERROR_DOM_BAD_URI',
    ]);
  });

  it('reports a blocked simple request as completed, and two ACAO lines merged into one', async () => {
    const tab = await firefox.openTab(`${page.origin}/`);
    const blocked = `${api.origin}/no-acao`;
    const twoLines = `${api.origin}/two-acao-lines`;
    const outcomes = await firefox.evaluate<string[]>(
      tab,
      async (urls: string[]) =>
        Promise.all(
          urls.map((u) =>
            fetch(u).then(
              (r) => `status ${r.status}`,
              () => 'rejected',
            ),
          ),
        ),
      [blocked, twoLines],
    );
    expect(outcomes).toEqual(['rejected', 'rejected']);
    const blockedEvents = await eventsFor(blocked, (es) => es.some((e) => e.event === 'onCompleted'));
    expect(blockedEvents.map((e) => e.event)).toEqual(['onBeforeRequest', 'onSendHeaders', 'onHeadersReceived', 'onCompleted']);
    expect(blockedEvents.at(-1)?.statusCode).toBe(200);
    const twoLineEvents = await eventsFor(twoLines, (es) => es.some((e) => e.event === 'onHeadersReceived'));
    expect(twoLineEvents.find((e) => e.event === 'onHeadersReceived')?.acao).toEqual([`${page.origin}, ${page.origin}`]);
  });
});
