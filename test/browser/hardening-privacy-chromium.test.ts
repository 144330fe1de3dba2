/**
 * Privacy of the built extension (dist/chrome) in headless Chromium, with every request of the browser
 * going through a local authenticating proxy (so the proxy log is a complete capture of what the browser
 * sent). Credentialed failures carry cookies (set by the test, by document.cookie and by Set-Cookie), an
 * Authorization header, Set-Cookie in responses, Proxy-Authorization to the proxy and a password in a
 * redirect's URL, each a unique secret. Afterwards neither storage.session nor storage.local, nor the
 * export or Markdown built from the records, holds any secret value (raw, base64 or URL-encoded); their
 * presence is recorded. And the extension makes no request of its own: the proxy saw only the pages'
 * requests, and CDP's Network domain on the service worker saw none (a request the test makes the worker
 * send proves that capture works). One Chromium start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED } from '../../src/cors/exchange.ts';
import type { CorsRecord } from '../../src/cors/record.ts';
import { buildExport, toMarkdown } from '../../src/explain/index.ts';
import type { Requests } from '../../src/messages.ts';
import { CHROMIUM_PATH, chromiumArgs, type LaunchedChromium } from './support/chromium.ts';
import { ExtensionProbe, until } from './hardening-support.ts';

const EXTENSION = resolve(process.env.CORS_EXTENSION_DIR ?? 'dist/chrome');
const PAGE = 'http://page.privacy.test';
const API = 'http://api.privacy.test';

const SECRETS = {
  contextCookie: 'ctxcookie-7d1f0a55e2',
  domainCookie: 'domcookie-40b2c9913a',
  documentCookie: 'doccookie-91ac07bb42',
  authorization: 'bearer-5e8a11f0c3d9',
  setCookie: 'setcookie-2f6b90d7e4',
  proxyPassword: 'proxypass-c0ffee1234',
  urlPassword: 'urlpass-ab12cd34ef',
};
const PROXY_USER = 'proxyuser';

/** The forms a secret can take on the way: raw, base64 (Basic auth), URL-encoded. */
function forms(secret: string): string[] {
  return [secret, Buffer.from(`${PROXY_USER}:${secret}`).toString('base64'), Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
}

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

let proxy: Server;
let proxyOrigin: string;
const seen: Seen[] = [];
const connects: string[] = [];
let context: BrowserContext;
let userDataDir: string;
let launched: LaunchedChromium;
let probe: ExtensionProbe;
let sw: Worker;
let page: Page;
let tabId: number;
/** Network.requestWillBeSent URLs of the service worker, from CDP. */
const workerRequests: string[] = [];

function page200(res: ServerResponse, body: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
  res.end(body);
}

/** The API: the preflight lets credentials and Authorization through; the actual answers lack ACAO. */
function api(req: IncomingMessage, res: ServerResponse, path: string): void {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'access-control-allow-origin': PAGE,
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': 'authorization, x-token',
      'access-control-allow-methods': 'GET, PUT',
    });
    res.end();
    return;
  }
  if (path.startsWith('/redirect-credentials')) {
    res.writeHead(302, {
      location: `http://user:${SECRETS.urlPassword}@api.privacy.test/final`,
      'access-control-allow-origin': PAGE,
      'access-control-allow-credentials': 'true',
    });
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': [`sid=${SECRETS.setCookie}; Path=/`, `other=${SECRETS.setCookie}x; Path=/`] });
  res.end('{}');
}

beforeAll(async () => {
  // A forward proxy that wants Basic credentials, then serves page.privacy.test and api.privacy.test itself.
  proxy = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const expected = `Basic ${Buffer.from(`${PROXY_USER}:${SECRETS.proxyPassword}`).toString('base64')}`;
    if (req.headers['proxy-authorization'] !== expected) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="hardening"', 'content-length': '0' });
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://invalid');
    if (url.host === 'page.privacy.test') {
      page200(res, '<!doctype html><title>privacy</title>', { 'set-cookie': `shared=${SECRETS.domainCookie}; Domain=privacy.test; Path=/` });
    } else if (url.host === 'api.privacy.test') {
      api(req, res, url.pathname);
    } else {
      res.writeHead(502, { 'content-length': '0' });
      res.end();
    }
  });
  proxy.on('connect', (req, socket) => {
    connects.push(req.url ?? '');
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const address = proxy.address();
  proxyOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  userDataDir = mkdtempSync(join(tmpdir(), 'cors-explainer-privacy-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: chromiumArgs(EXTENSION),
    ignoreDefaultArgs: ['--disable-extensions'],
    // Everything through the proxy, loopback included; Playwright answers its 407 with these credentials.
    proxy: { server: proxyOrigin, bypass: '<-loopback>', username: PROXY_USER, password: SECRETS.proxyPassword },
  });
  sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  launched = {
    context,
    extensionId: new URL(sw.url()).host,
    serviceWorker: sw,
    userDataDir,
    close: async () => {
      await context.close();
    },
  };
  probe = await ExtensionProbe.open(launched);
  await until(() => probe.ping().catch(() => undefined), (p) => p !== undefined);

  // CDP on the service worker: every request it makes.
  const [targetId] = await probe.workerTargets();
  if (!targetId) throw new Error('no service worker target');
  const { sessionId } = await probe.cdp.send('Target.attachToTarget', { targetId, flatten: false });
  probe.cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as { method?: string; params?: { request?: { url: string } } };
    if (message.method === 'Network.requestWillBeSent' && message.params?.request) workerRequests.push(message.params.request.url);
  });
  await probe.cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'Network.enable', params: {} }) });

  await context.addCookies([{ name: 'ctx', value: SECRETS.contextCookie, url: API }]);
  page = await context.newPage();
  await page.goto(`${PAGE}/`);
  await page.evaluate((value) => {
    // biome-ignore lint/suspicious/noDocumentCookie: a page setting a cookie the classic way is the scenario.
    document.cookie = `doc=${value}; Domain=privacy.test; Path=/`;
  }, SECRETS.documentCookie);
  tabId = await probe.tabIdOf(page);
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  await new Promise((r) => proxy?.close(r));
});

describe('secrets', () => {
  it('credentialed failures are recorded with their secrets present but never their values', async () => {
    const outcomes = await page.evaluate(
      async ([api, token]) => {
        const run = (p: Promise<unknown>) =>
          p.then(
            () => 'passed',
            () => 'failed',
          );
        return {
          authorized: await run(fetch(`${api}/secret?n=1`, { credentials: 'include', headers: { Authorization: `Bearer ${token}` } })),
          put: await run(fetch(`${api}/secret?n=2`, { method: 'PUT', credentials: 'include', headers: { 'x-token': 'visible', Authorization: `Bearer ${token}` } })),
          redirect: await run(fetch(`${api}/redirect-credentials?n=3`, { credentials: 'include' })),
          xhr: await run(
            new Promise((done, fail) => {
              const x = new XMLHttpRequest();
              x.open('GET', `${api}/secret?n=4`);
              x.withCredentials = true;
              x.setRequestHeader('Authorization', `Bearer ${token}`);
              x.onload = done;
              x.onerror = fail;
              x.send();
            }),
          ),
        };
      },
      [API, SECRETS.authorization] as const,
    );
    expect(outcomes).toEqual({ authorized: 'failed', put: 'failed', redirect: 'failed', xhr: 'failed' });
    const { records } = await until(() => probe.records(tabId), (t) => t.records.length >= 4, 10_000);
    expect(records).toHaveLength(4);

    // The scenario really carried every secret: the proxy saw them on the wire.
    const wire = JSON.stringify(seen.map((s) => s.headers));
    for (const secret of [SECRETS.contextCookie, SECRETS.domainCookie, SECRETS.documentCookie, SECRETS.authorization]) expect(wire).toContain(secret);
    expect(wire).toContain(Buffer.from(`${PROXY_USER}:${SECRETS.proxyPassword}`).toString('base64'));

    // Their presence is recorded, their values are not.
    const header = (r: CorsRecord | undefined, name: string) => r?.exchange.requestHeaders.find(([n]) => n === name)?.[1];
    const byTag = (n: number) => records.find((r) => r.exchange.url.includes(`n=${n}`));
    expect(header(byTag(1), 'cookie')).toBe(REDACTED);
    expect(header(byTag(1), 'authorization')).toBe(REDACTED);
    expect(byTag(1)?.exchange.response?.headers.filter(([n]) => n === 'set-cookie').map(([, v]) => v)).toEqual([REDACTED]);
    console.log(
      `privacy: reasons ${JSON.stringify(records.map((r) => r.diagnosis.reason))}; proxy-authorization recorded: ${JSON.stringify(records.map((r) => header(r, 'proxy-authorization') ?? null))}`,
    );

    const dump = JSON.stringify({
      session: await probe.session(),
      local: await probe.local(),
      // The JSON export and the Markdown ticket, as the panel and the CLI build them from getRecords.
      export: buildExport(records, { tabId, dropped: 0, engine: 'chromium', generatedAt: new Date().toISOString(), extensionVersion: '0' }),
      markdown: toMarkdown(records, 'en', { tabId, dropped: 0, engine: 'chromium', generatedAt: new Date().toISOString(), extensionVersion: '0' }),
      all: await probe.send<Requests['getAllRecords']['reply']>({ type: 'getAllRecords', payload: {} }),
    });
    expect(dump.length).toBeGreaterThan(2_000);
    for (const [name, secret] of Object.entries(SECRETS)) {
      for (const form of forms(secret)) expect(dump.includes(form), `${name} (${form}) in storage or export`).toBe(false);
    }
  });
});

describe('no network request of its own', () => {
  it('the proxy saw only the pages’ requests, and the worker sent none (CDP Network on its target)', async () => {
    // Every request the browser made went through the proxy. Chromium's own component updater still calls
    // home (it says so in its x-goog-update-* headers); everything else is the pages' own.
    const chromiumOwn = seen.filter((s) => s.headers['x-goog-update-updater'] !== undefined);
    const rest = seen.filter((s) => !chromiumOwn.includes(s));
    console.log(`proxy: ${seen.length} requests, ${chromiumOwn.length} of them Chromium's updater (${[...new Set(chromiumOwn.map((s) => s.headers.host))].join(', ')})`);
    const hosts = new Set(rest.map((s) => new URL(s.url, 'http://invalid').host));
    expect([...hosts].sort()).toEqual(['api.privacy.test', 'page.privacy.test']);
    // HTTPS goes through CONNECT, which names only a host: Chromium's own services (sign-in, updates) are
    // Google hosts; the extension names no remote host at all (test/unit/hardening/no-network.test.ts).
    console.log(`proxy: CONNECT to ${JSON.stringify(connects)}`);
    expect(connects.filter((c) => !/^[\w.-]+\.(google\.com|googleapis\.com|gvt1\.com|gstatic\.com):443$/.test(c))).toEqual([]);
    const fromExtension = rest.filter((s) => `${s.headers.origin ?? ''} ${s.headers.referer ?? ''}`.includes('chrome-extension://'));
    expect(fromExtension).toEqual([]);
    // Only what the test's pages asked for (and the page's favicon, which the browser asks for).
    const paths = new Set(rest.map((s) => new URL(s.url, 'http://invalid').pathname));
    expect([...paths].sort()).toEqual(['/', '/favicon.ico', '/redirect-credentials', '/secret']);
    expect(workerRequests).toEqual([]);

    // The capture works: a request the test makes the worker send shows up in both.
    await sw.evaluate((url) => fetch(url).catch(() => undefined), `${API}/from-the-test`);
    expect(await until(async () => workerRequests, (r) => r.length > 0, 5_000)).toEqual([`${API}/from-the-test`]);
    const own = await until(async () => seen.filter((s) => s.url.endsWith('/from-the-test')), (r) => r.length > 0, 5_000);
    expect(own.length).toBeGreaterThan(0);
    // Which is why the path check above matters: such a request need not say where it came from.
    console.log(`a request from the worker reaches the proxy with origin ${JSON.stringify(own[0]?.headers.origin ?? null)}`);
  });
});
