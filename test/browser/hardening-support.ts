/**
 * Shared by the hardening browser tests (test/browser/hardening-*.test.ts): loopback servers on port 0,
 * polling, and the extension seen from Chromium (its tab ids, storage, ping, service worker target).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { CDPSession, Page, Worker } from 'playwright-core';
import type Browser from 'webextension-polyfill';
import type { Requests } from '../../src/messages.ts';
import type { LaunchedChromium } from './support/chromium.ts';

// Functions given to evaluate() run in the extension, where `chrome` is the promise-based extension API.
declare const chrome: Browser.Browser;

export interface Running {
  origin: string;
  port: number;
  /** Every request the server saw: method, URL and the headers that tell who sent it. */
  seen: Array<{ method: string; url: string; origin?: string; secFetchSite?: string; userAgent?: string; from: string }>;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1, port 0. */
export async function httpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Running> {
  const seen: Running['seen'] = [];
  const server: Server = createServer((req, res) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      origin: req.headers.origin,
      secFetchSite: req.headers['sec-fetch-site'] as string | undefined,
      userAgent: req.headers['user-agent'],
      from: `${req.headers['sec-fetch-mode'] ?? ''}/${req.headers['sec-fetch-dest'] ?? ''}`,
    });
    handler(req, res);
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A raw TCP server on 127.0.0.1, port 0: answers every request with `respond(head)` and closes. For bytes
 * no HTTP library would write (header values in latin-1, 0xFF…). */
export async function rawServer(respond: (requestHead: string) => Buffer): Promise<Running> {
  const seen: Running['seen'] = [];
  const sockets = new Set<Socket>();
  const server: NetServer = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const request = head.slice(0, end);
      head = head.slice(end + 4);
      const [method = '', url = ''] = request.split(' ');
      seen.push({ method, url, from: 'raw' });
      socket.end(respond(request));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Polls until `read` satisfies `ok`; returns the last value either way (the caller asserts). */
export async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, everyMs));
    value = await read();
  }
  return value;
}

/**
 * The extension in a launched Chromium, seen from an extension page (it reads storage and sends requests
 * whether the service worker runs or not; reading storage does not wake the worker).
 */
export class ExtensionProbe {
  readonly chromium: LaunchedChromium;
  readonly page: Page;
  readonly cdp: CDPSession;

  private constructor(chromium: LaunchedChromium, page: Page, cdp: CDPSession) {
    this.chromium = chromium;
    this.page = page;
    this.cdp = cdp;
  }

  static async open(chromium: LaunchedChromium): Promise<ExtensionProbe> {
    const page = await chromium.context.newPage();
    await page.goto(`chrome-extension://${chromium.extensionId}/manifest.json`);
    const cdp = await chromium.context.browser()?.newBrowserCDPSession();
    if (!cdp) throw new Error('no browser-level CDP session');
    return new ExtensionProbe(chromium, page, cdp);
  }

  get id(): string {
    return this.chromium.extensionId ?? '';
  }

  /** The id the extension gives a page's tab. */
  async tabIdOf(page: Page): Promise<number> {
    const url = page.url();
    const id = await this.page.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id, url);
    if (typeof id !== 'number') throw new Error(`no tab for ${url}`);
    return id;
  }

  session(): Promise<Record<string, unknown>> {
    return this.page.evaluate(() => chrome.storage.session.get(null));
  }

  local(): Promise<Record<string, unknown>> {
    return this.page.evaluate(() => chrome.storage.local.get(null));
  }

  /** The tab's records as the background answers them (getRecords: wakes a stopped worker). The storage
   * layout is the store's business; tests read through the product's own request. */
  async records(tabId: number): Promise<Requests['getRecords']['reply']> {
    return this.send<Requests['getRecords']['reply']>({ type: 'getRecords', payload: { tabId } });
  }

  /** The storage.session keys of a tab (`tab:<id>`, or `tab:<id>:…` for a layout in parts). */
  async keysOf(tabId: number): Promise<string[]> {
    const prefix = `tab:${tabId}`;
    return Object.keys(await this.session()).filter((k) => k === prefix || k.startsWith(`${prefix}:`));
  }

  /** storage.session keys of any tab. */
  async tabKeys(): Promise<string[]> {
    return Object.keys(await this.session()).filter((k) => k.startsWith('tab:'));
  }

  /** Bytes storage.session counts for a tab's keys (the unit of its 10 MB quota in Chromium). */
  async tabBytes(tabId: number): Promise<number> {
    const keys = await this.keysOf(tabId);
    return keys.length === 0 ? 0 : this.page.evaluate((k) => chrome.storage.session.getBytesInUse(k), keys);
  }

  /** Bytes storage.session counts for everything in it. */
  bytesInUse(): Promise<number> {
    return this.page.evaluate(() => chrome.storage.session.getBytesInUse(null));
  }

  /** runtime.sendMessage to the background (wakes a stopped worker). */
  send<T>(message: unknown): Promise<T> {
    return this.page.evaluate((m) => chrome.runtime.sendMessage(m), message) as Promise<T>;
  }

  async ping(): Promise<unknown> {
    return this.send({ type: 'ping', payload: {} });
  }

  /** The badge text of a tab, read in the running worker. */
  badge(sw: Worker, tabId: number): Promise<string> {
    return sw.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
  }

  /** targetIds of the extension's running service worker(s). */
  async workerTargets(): Promise<string[]> {
    const { targetInfos } = await this.cdp.send('Target.getTargets');
    return targetInfos.filter((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${this.id}/`)).map((t) => t.targetId);
  }

  /**
   * Stops the service worker as Chromium does when it is idle. Without `sw`, waits until it is gone (nothing
   * must wake it). With the Playwright handle of the worker (it follows restarts), waits instead until a
   * fresh worker runs, for pages that keep making requests (they wake one at once, maybe under the same
   * target id).
   */
  async stopWorker(sw?: Worker): Promise<void> {
    const [targetId] = await this.workerTargets();
    if (targetId === undefined) throw new Error('the extension has no running service worker');
    if (sw) {
      await sw.evaluate(() => {
        (globalThis as { stoppedByTest?: boolean }).stoppedByTest = true;
      });
    }
    await this.cdp.send('Target.closeTarget', { targetId });
    if (sw) {
      const fresh = () =>
        sw.evaluate(() => (globalThis as { stoppedByTest?: boolean }).stoppedByTest !== true).catch(() => false);
      if (!(await until(fresh, (f) => f, 10_000, 50))) throw new Error('no fresh service worker after the stop');
      return;
    }
    const left = await until(() => this.workerTargets(), (t) => !t.includes(targetId), 10_000, 50);
    if (left.includes(targetId)) throw new Error('the service worker did not stop');
  }

  /** JS heap of the running service worker (CDP Runtime.getHeapUsage on its target), after a GC. */
  async workerHeap(): Promise<{ usedSize: number; totalSize: number }> {
    const [targetId] = await this.workerTargets();
    if (targetId === undefined) throw new Error('the extension has no running service worker');
    // A non-flat session: its commands travel through the browser session (Playwright's CDPSession has no
    // sessionId parameter for flat ones).
    const { sessionId } = await this.cdp.send('Target.attachToTarget', { targetId, flatten: false });
    try {
      await rawSend(this.cdp, sessionId, 'HeapProfiler.enable', {});
      await rawSend(this.cdp, sessionId, 'HeapProfiler.collectGarbage', {});
      return await rawSend<{ usedSize: number; totalSize: number }>(this.cdp, sessionId, 'Runtime.getHeapUsage', {});
    } finally {
      await this.cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
    }
  }
}

/** A CDP command to a non-flat child session, through the browser session. */
async function rawSend<T>(cdp: CDPSession, sessionId: string, method: string, params: Record<string, unknown>): Promise<T> {
  // Target.sendMessageToTarget is deprecated but still answers through Target.receivedMessageFromTarget.
  const id = Math.floor(Math.random() * 1e9);
  return new Promise<T>((resolvePromise, reject) => {
    const onMessage = (event: { sessionId: string; message: string }) => {
      if (event.sessionId !== sessionId) return;
      const message = JSON.parse(event.message) as { id?: number; result?: T; error?: { message: string } };
      if (message.id !== id) return;
      cdp.off('Target.receivedMessageFromTarget', onMessage);
      if (message.error) reject(new Error(`${method}: ${message.error.message}`));
      else resolvePromise(message.result as T);
    };
    cdp.on('Target.receivedMessageFromTarget', onMessage);
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
  });
}

export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
