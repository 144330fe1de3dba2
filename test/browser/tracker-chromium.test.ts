/**
 * The built extension (dist/chrome) in headless Chromium, on the lab's pages: failing requests are stored
 * in storage.session with the right reason and stage, passing ones leave nothing, the badge counts
 * failures (not warnings), a navigation clears unless "preserve log" is on, a closed tab loses its records,
 * secrets never reach storage, and the panel port / one-shot requests answer from the same store.
 */
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import type Browser from 'webextension-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tabFromItems } from '../../src/background/storage-layout.ts';
import type { CorsRecord, TabRecords } from '../../src/cors/record.ts';
import { buildExport } from '../../src/explain/export.ts';
import type { Requests } from '../../src/messages.ts';
import { REDACTED } from '../../src/cors/exchange.ts';
import { startLab } from '../../lab/server.mjs';
import { type LaunchedChromium, launchChromium } from './support/chromium.ts';

// Functions given to evaluate() run in the extension, where `chrome` is the promise-based extension API.
declare const chrome: Browser.Browser;

const EXTENSION = resolve(process.env.CORS_EXTENSION_DIR ?? 'dist/chrome');

let lab: Awaited<ReturnType<typeof startLab>>;
let chromium: LaunchedChromium;
let sw: Worker;
let secrets: Server;
let secretsOrigin: string;

/** Values that must never be found in storage. */
const COOKIE_VALUE = 'cookie-value-never-stored-4711';
const TOKEN_VALUE = 'token-value-never-stored-0815';
const SET_COOKIE_VALUE = 'set-cookie-value-never-stored-1234';

beforeAll(async () => {
  lab = await startLab();
  // An API that lets the preflight through (credentials, Authorization) but answers the actual request
  // without Access-Control-Allow-Origin, setting a cookie: every secret header is on the wire.
  secrets = createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Origin': lab.origins.page,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Headers': 'authorization',
      });
    } else {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': `sid=${SET_COOKIE_VALUE}; Path=/` });
    }
    res.end('{}');
  });
  await new Promise<void>((r) => secrets.listen(0, '127.0.0.1', r));
  const address = secrets.address();
  secretsOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  chromium = await launchChromium({ extension: EXTENSION });
  sw = chromium.serviceWorker!;
});

afterAll(async () => {
  await chromium?.close();
  await lab?.close();
  await new Promise((r) => secrets?.close(r));
});

async function session(): Promise<Record<string, unknown>> {
  return sw.evaluate(() => chrome.storage.session.get(null));
}

async function tabRecords(tabId: number): Promise<TabRecords | undefined> {
  return tabFromItems(await session(), tabId);
}

async function badge(tabId: number): Promise<string> {
  return sw.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
}

/** The tab id of a page, as the extension sees it. */
async function tabIdOf(page: Page): Promise<number> {
  const url = page.url();
  const id = await sw.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id, url);
  if (typeof id !== 'number') throw new Error(`no tab for ${url}`);
  return id;
}

async function runScenario(page: Page, id: string): Promise<void> {
  await page.goto(`${lab.origins.page}/scenario/${id}`);
  await page.waitForSelector('html[data-lab-state="done"]', { timeout: 20_000 });
}

/** Polls until `read` satisfies `ok` (storage writes and badge updates are asynchronous). */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

const recordsFor = (tab: TabRecords | undefined, scenario: string): CorsRecord[] =>
  (tab?.records ?? []).filter((r) => r.exchange.url.includes(`/s/${scenario}/`));

describe('failures are recorded with reason and stage; successes record nothing', () => {
  const failing = [
    { id: 'missing-allow-origin-get', reason: 'CORSMissingAllowOrigin', stage: 'actual' },
    { id: 'header-not-allowed', reason: 'CORSMissingAllowHeaderFromPreflight', stage: 'preflight' },
    { id: 'preflight-status-500', reason: 'CORSPreflightDidNotSucceed', stage: 'preflight' },
    { id: 'credentials-with-wildcard', reason: 'CORSNotSupportingCredentials', stage: 'actual' },
    { id: 'font-missing-allow-origin', reason: 'CORSMissingAllowOrigin', stage: 'actual' },
    { id: 'network-connection-refused', reason: 'CORSDidNotSucceed', stage: 'network' },
  ] as const;
  for (const f of failing) {
    it(`${f.id}: one ${f.reason} at ${f.stage}, badge 1`, async () => {
      const page = await chromium.context.newPage();
      try {
        await runScenario(page, f.id);
        const tabId = await tabIdOf(page);
        const tab = await until(
          () => tabRecords(tabId),
          (t) => recordsFor(t, f.id).length > 0,
        );
        // Let late events land, then check there is exactly one.
        await page.waitForTimeout(300);
        const records = recordsFor(await tabRecords(tabId), f.id);
        expect(records.map((r) => [r.diagnosis.reason, r.diagnosis.stage])).toEqual([[f.reason, f.stage]]);
        expect(records[0]?.tabId).toBe(tabId);
        expect(records[0]?.id).toBe(`${tabId}:${records[0]?.seq}`);
        expect(tab?.records).toHaveLength(1);
        expect(await until(() => badge(tabId), (b) => b === '1')).toBe('1');
      } finally {
        await page.close();
      }
    });
  }

  const passing = ['ok-simple-get', 'ok-preflighted-put', 'ok-credentialed', 'ok-redirect', 'ok-no-cors', 'ok-same-origin', 'ok-plain-image', 'abort-controller'];
  it(`records nothing for ${passing.join(', ')}`, async () => {
    const page = await chromium.context.newPage();
    try {
      // Preserve log, so that records of every scenario run in this tab would stay visible.
      await sw.evaluate(() => chrome.storage.local.set({ settings: { preserveLog: true, scope: 'all-tabs' } }));
      for (const id of passing) await runScenario(page, id);
      await page.waitForTimeout(500);
      const tabId = await tabIdOf(page);
      expect((await tabRecords(tabId))?.records ?? []).toEqual([]);
      expect(await badge(tabId)).toBe('');
    } finally {
      await sw.evaluate(() => chrome.storage.local.remove('settings'));
      await page.close();
    }
  });

  it('a warning (Authorization allowed only by "*") is recorded but not counted on the badge', async () => {
    const page = await chromium.context.newPage();
    try {
      await runScenario(page, 'authorization-via-wildcard');
      const tabId = await tabIdOf(page);
      const tab = await until(
        () => tabRecords(tabId),
        (t) => (t?.records.length ?? 0) > 0,
      );
      expect(tab?.records.map((r) => r.diagnosis.reason)).toEqual(['CORSAllowHeaderFromPreflightDeprecation']);
      await page.waitForTimeout(300);
      expect(await badge(tabId)).toBe('');
    } finally {
      await page.close();
    }
  });
});

describe('navigation, preserve log, closing', () => {
  it('a new page clears the tab (records and badge); its own failures stay', async () => {
    const page = await chromium.context.newPage();
    try {
      await runScenario(page, 'missing-allow-origin-get');
      const tabId = await tabIdOf(page);
      await until(() => badge(tabId), (b) => b === '1');
      await runScenario(page, 'allow-origin-mismatch');
      const tab = await until(
        () => tabRecords(tabId),
        (t) => recordsFor(t, 'allow-origin-mismatch').length === 1,
      );
      await page.waitForTimeout(300);
      expect((await tabRecords(tabId))?.records.map((r) => r.diagnosis.reason)).toEqual(['CORSAllowOriginNotMatchingOrigin']);
      expect(tab?.dropped).toBe(0);
      expect(await until(() => badge(tabId), (b) => b === '1')).toBe('1');
      // A page without failures: empty list, empty badge.
      await runScenario(page, 'ok-simple-get');
      expect((await until(() => tabRecords(tabId), (t) => t?.records.length === 0))?.records).toEqual([]);
      expect(await until(() => badge(tabId), (b) => b === '')).toBe('');
    } finally {
      await page.close();
    }
  });

  it('with preserve log on, records of earlier pages stay and the badge keeps counting', async () => {
    const page = await chromium.context.newPage();
    try {
      await sw.evaluate(() => chrome.storage.local.set({ settings: { preserveLog: true, scope: 'all-tabs' } }));
      await runScenario(page, 'missing-allow-origin-get');
      await runScenario(page, 'allow-origin-mismatch');
      const tabId = await tabIdOf(page);
      const tab = await until(
        () => tabRecords(tabId),
        (t) => t?.records.length === 2,
      );
      expect(tab?.records.map((r) => r.seq)).toEqual([1, 2]);
      expect(await until(() => badge(tabId), (b) => b === '2')).toBe('2');
      // A page without failures: the browser resets the tab's badge when it commits; the count comes back.
      await runScenario(page, 'ok-simple-get');
      await page.waitForTimeout(500);
      expect(await badge(tabId)).toBe('2');
      expect((await tabRecords(tabId))?.records).toHaveLength(2);
    } finally {
      await sw.evaluate(() => chrome.storage.local.remove('settings'));
      await page.close();
    }
  });

  it('closing the tab removes its keys', async () => {
    const page = await chromium.context.newPage();
    await runScenario(page, 'missing-allow-origin-get');
    const tabId = await tabIdOf(page);
    await until(() => tabRecords(tabId), (t) => (t?.records.length ?? 0) > 0);
    await page.close();
    const keysOfTab = (s: Record<string, unknown>) => Object.keys(s).filter((k) => k.startsWith(`tab:${tabId}:`));
    const after = await until(
      () => session(),
      (s) => keysOfTab(s).length === 0,
    );
    expect(keysOfTab(after)).toEqual([]);
  });
});

describe('secrets', () => {
  it('Cookie, Authorization and Set-Cookie values never reach storage; their presence does', async () => {
    const page = await chromium.context.newPage();
    try {
      // A cookie for the API's host (cookies ignore ports): the credentialed request carries it.
      await chromium.context.addCookies([{ name: 'secret', value: COOKIE_VALUE, url: secretsOrigin }]);
      await page.goto(`${lab.origins.page}/`);
      const outcome = await page.evaluate(
        ([url, token]) =>
          fetch(url, { credentials: 'include', headers: { Authorization: `Bearer ${token}` } }).then(
            () => 'passed',
            () => 'failed',
          ),
        [`${secretsOrigin}/secret`, TOKEN_VALUE] as const,
      );
      expect(outcome).toBe('failed');
      const tabId = await tabIdOf(page);
      const tab = await until(
        () => tabRecords(tabId),
        (t) => (t?.records.length ?? 0) > 0,
      );
      const record = tab?.records[0];
      expect(record?.diagnosis.reason).toBe('CORSMissingAllowOrigin');
      const headerOf = (list: ReadonlyArray<readonly [string, string]> | undefined, name: string) => list?.find(([n]) => n === name)?.[1];
      expect(headerOf(record?.exchange.requestHeaders, 'cookie')).toBe(REDACTED);
      expect(headerOf(record?.exchange.requestHeaders, 'authorization')).toBe(REDACTED);
      expect(headerOf(record?.exchange.response?.headers, 'set-cookie')).toBe(REDACTED);
      const everything = JSON.stringify(await session());
      for (const secret of [COOKIE_VALUE, TOKEN_VALUE, SET_COOKIE_VALUE]) expect(everything).not.toContain(secret);
    } finally {
      await page.close();
    }
  });
});

describe('clients: panel port and one-shot requests', () => {
  it('a panel gets a snapshot, then live additions; Clear empties the tab; requests answer from the store', async () => {
    const page = await chromium.context.newPage();
    const client = await chromium.context.newPage();
    try {
      await runScenario(page, 'missing-allow-origin-get');
      const tabId = await tabIdOf(page);
      await until(() => tabRecords(tabId), (t) => (t?.records.length ?? 0) === 1);
      // An extension page talks to the background like the panel does.
      await client.goto(`chrome-extension://${chromium.extensionId}/manifest.json`);
      const result = await client.evaluate(
        async ([id, portName]) => {
          const messages: Array<{ type: string; payload: { records?: Array<{ seq: number }> } }> = [];
          const port = chrome.runtime.connect({ name: portName });
          port.onMessage.addListener((m) => {
            messages.push(m as (typeof messages)[number]);
          });
          port.postMessage({ type: 'hello', payload: { tabId: id } });
          const wait = async (n: number) => {
            for (let i = 0; i < 100 && messages.length < n; i++) await new Promise((r) => setTimeout(r, 50));
          };
          await wait(1);
          const ping = (await chrome.runtime.sendMessage({ type: 'ping', payload: {} })) as Requests['ping']['reply'];
          const one = (await chrome.runtime.sendMessage({ type: 'getRecords', payload: { tabId: id } })) as Requests['getRecords']['reply'];
          const all = (await chrome.runtime.sendMessage({ type: 'getAllRecords', payload: {} })) as Requests['getAllRecords']['reply'];
          const settings = (await chrome.runtime.sendMessage({ type: 'getSettings', payload: {} })) as Requests['getSettings']['reply'];
          // The export is built by its readers now (panel, CLI): the background leaves it unanswered.
          const exportAnswer = await chrome.runtime.sendMessage({ type: 'getExport', payload: { tabId: id } }).then(
            (reply) => ({ reply }),
            (error: unknown) => ({ error: String(error) }),
          );
          (globalThis as unknown as { port: Browser.Runtime.Port; messages: typeof messages }).port = port;
          (globalThis as unknown as { messages: typeof messages }).messages = messages;
          return { messages: messages.slice(), ping, one, all, settings, exportAnswer };
        },
        [tabId, 'cors-explainer-panel'] as const,
      );
      expect(result.messages[0]?.type).toBe('snapshot');
      expect(result.messages[0]?.payload.records?.map((r) => r.seq)).toEqual([1]);
      expect(result.ping).toEqual({ ok: true, engine: 'chromium' });
      expect(result.one.records.map((r) => r.diagnosis.reason)).toEqual(['CORSMissingAllowOrigin']);
      expect(result.all.tabs[String(tabId)]?.records).toHaveLength(1);
      expect(result.settings).toEqual({ preserveLog: false, scope: 'all-tabs' });
      expect(result.exportAnswer).not.toHaveProperty('reply.schema');
      // What the panel and the CLI make of getRecords' answer.
      const exported = buildExport(result.one.records, {
        tabId,
        pageUrl: page.url(),
        dropped: result.one.dropped,
        engine: result.ping.engine,
        generatedAt: new Date().toISOString(),
        extensionVersion: '0',
      });
      expect(exported).toMatchObject({ schema: 'cors-explainer/export', schemaVersion: 1, engine: 'chromium', tabId, dropped: 0, pageUrl: page.url() });
      expect(exported.records.map((r) => [r.id, r.reason, r.stage])).toEqual([[`${tabId}:1`, 'CORSMissingAllowOrigin', 'actual']]);

      // A new failure in the inspected tab arrives as `added`, once.
      await page.evaluate((url) => fetch(url).catch(() => undefined), `${lab.origins.api}/s/missing-allow-origin-get/data?n=again`);
      const added = await until(
        () => client.evaluate(() => (globalThis as unknown as { messages: Array<{ type: string }> }).messages.slice(1)),
        (m) => m.length > 0,
      );
      expect(added.map((m) => m.type)).toEqual(['added']);
      expect((added[0] as unknown as { payload: { records: CorsRecord[] } }).payload.records.map((r) => r.seq)).toEqual([2]);

      // Clear from the panel.
      await client.evaluate(
        (id) => (globalThis as unknown as { port: Browser.Runtime.Port }).port.postMessage({ type: 'clear', payload: { tabId: id } }),
        tabId,
      );
      expect((await until(() => tabRecords(tabId), (t) => t?.records.length === 0))?.records).toEqual([]);
      expect(await until(() => badge(tabId), (b) => b === '')).toBe('');
      const last = await client.evaluate(() => (globalThis as unknown as { messages: Array<{ type: string }> }).messages.at(-1)?.type);
      expect(last).toBe('cleared');

      // Settings changed by the panel are pushed to every panel and stored.
      await client.evaluate(() =>
        (globalThis as unknown as { port: Browser.Runtime.Port }).port.postMessage({ type: 'setSettings', payload: { preserveLog: true } }),
      );
      const pushed = await until(
        () => client.evaluate(() => (globalThis as unknown as { messages: Array<{ type: string; payload: unknown }> }).messages.at(-1)),
        (m) => m?.type === 'settings',
      );
      expect(pushed?.payload).toEqual({ preserveLog: true, scope: 'all-tabs' });
      expect(await sw.evaluate(() => chrome.storage.local.get('settings'))).toEqual({ settings: { preserveLog: true, scope: 'all-tabs' } });
    } finally {
      await sw.evaluate(() => chrome.storage.local.remove('settings'));
      await client.close();
      await page.close();
    }
  });
});

describe('recording scope "devtools-open"', () => {
  it('records only tabs whose panel is connected; other tabs do not even wake a stopped worker', async () => {
    const inspected = await chromium.context.newPage();
    const other = await chromium.context.newPage();
    const client = await chromium.context.newPage();
    const cdp = await chromium.context.newCDPSession(inspected);
    const workers = async () =>
      (await cdp.send('Target.getTargets')).targetInfos.filter(
        (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${chromium.extensionId}/`),
      );
    const fail = (page: Page, tag: string) =>
      page.evaluate((url) => fetch(url).then(() => 'passed', () => 'failed'), `${lab.origins.api}/s/missing-allow-origin-get/data?n=${tag}`);
    try {
      await inspected.goto(`${lab.origins.page}/?inspected`);
      await other.goto(`${lab.origins.page}/?other`);
      const [inspectedId, otherId] = [await tabIdOf(inspected), await tabIdOf(other)];
      await client.goto(`chrome-extension://${chromium.extensionId}/manifest.json`);
      await client.evaluate(() => chrome.storage.local.set({ settings: { preserveLog: false, scope: 'devtools-open' } }));
      await client.evaluate(
        ([id, name]) => {
          const port = chrome.runtime.connect({ name });
          (globalThis as unknown as { port: Browser.Runtime.Port }).port = port;
          port.postMessage({ type: 'hello', payload: { tabId: id } });
        },
        [inspectedId, 'cors-explainer-panel'] as const,
      );
      await until(
        () => session(),
        (s) => Array.isArray(s.inspected) && (s.inspected as number[]).includes(inspectedId),
      );
      expect(await fail(inspected, 'i1')).toBe('failed');
      expect(await fail(other, 'o1')).toBe('failed');
      expect((await until(() => tabRecords(inspectedId), (t) => t?.records.length === 1))?.records).toHaveLength(1);
      await inspected.waitForTimeout(300);
      expect(await tabRecords(otherId)).toBeUndefined();

      // With the worker stopped, a failure in a tab nobody inspects does not start it again.
      const [target] = await workers();
      await cdp.send('Target.closeTarget', { targetId: target!.targetId });
      await until(workers, (w) => w.length === 0);
      expect(await fail(other, 'o2')).toBe('failed');
      await other.waitForTimeout(500);
      expect(await workers()).toEqual([]);

      // The panel notices and reconnects (as src/panel does): the inspected tab is recorded again.
      await client.evaluate(
        ([id, name]) => {
          const port = chrome.runtime.connect({ name });
          (globalThis as unknown as { port: Browser.Runtime.Port }).port = port;
          port.postMessage({ type: 'hello', payload: { tabId: id } });
        },
        [inspectedId, 'cors-explainer-panel'] as const,
      );
      await until(workers, (w) => w.length === 1);
      await inspected.waitForTimeout(300);
      expect(await fail(inspected, 'i2')).toBe('failed');
      const tab = await until(() => tabRecords(inspectedId), (t) => t?.records.length === 2);
      expect(tab?.records.map((r) => new URL(r.exchange.url).searchParams.get('n'))).toEqual(['i1', 'i2']);
      expect(await tabRecords(otherId)).toBeUndefined();
    } finally {
      await client.evaluate(() => chrome.storage.local.remove('settings')).catch(() => undefined);
      await client.close();
      await other.close();
      await inspected.close();
    }
  });
});
