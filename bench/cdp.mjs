// A raw CDP connection to one target (the extension's service worker) of a Chromium started with
// --remote-debugging-port=0: Playwright has no CDP session for service workers.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';

/** @param {string} userDataDir @returns {Promise<number>} */
export async function debuggingPort(userDataDir) {
  for (let i = 0; i < 50; i++) {
    const text = await readFile(join(userDataDir, 'DevToolsActivePort'), 'utf8').catch(() => '');
    const port = Number(text.split('\n')[0]);
    if (port > 0) return port;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('DevToolsActivePort never appeared (was --remote-debugging-port=0 passed?)');
}

/**
 * @param {number} port
 * @param {(t: { type: string, url: string }) => boolean} match
 * @param {number} [timeoutMs] how long to wait for the target to appear
 * @returns {Promise<{ send(method: string, params?: object): Promise<any>, on(method: string, fn: (params: any) => void): void, close(): void }>}
 */
export async function connectTarget(port, match, timeoutMs = 20_000) {
  /** @type {any} */
  let target;
  const until = Date.now() + timeoutMs;
  while (!target && Date.now() < until) {
    const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    target = list.find(match);
    if (!target) await new Promise((r) => setTimeout(r, 100));
  }
  if (!target?.webSocketDebuggerUrl) throw new Error(`no such CDP target (${target ? 'no webSocketDebuggerUrl' : 'none matched'}): ${JSON.stringify(await (await fetch(`http://127.0.0.1:${port}/json/list`)).json().then((l) => l.map((/** @type {any} */ t) => [t.type, t.url.slice(0, 90)])))}`);
  const ws = new WebSocket(target.webSocketDebuggerUrl, { perMessageDeflate: false, maxPayload: 1 << 30 });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let nextId = 1;
  /** @type {Map<number, { resolve: (v: any) => void, reject: (e: Error) => void }>} */
  const pending = new Map();
  /** @type {Map<string, Array<(p: any) => void>>} */
  const listeners = new Map();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    if (msg.id !== undefined) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(`${msg.error.message} (${msg.error.code})`));
      else p?.resolve(msg.result);
    } else {
      for (const fn of listeners.get(msg.method) ?? []) fn(msg.params);
    }
  });
  return {
    send(method, params = {}) {
      const id = nextId++;
      ws.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    on(method, fn) {
      listeners.set(method, [...(listeners.get(method) ?? []), fn]);
    },
    close() {
      ws.close();
    },
  };
}
