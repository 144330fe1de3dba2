#!/usr/bin/env node
// The benchmark's test pages, generated on the fly and served on loopback from two origins:
//   page  http://127.0.0.1:P1   the pages and their same-origin assets
//   api   http://127.0.0.1:P2   another origin (same site): the cross-origin API, half of it misconfigured
// Every response is `Cache-Control: no-store`, so each load hits the network as a first visit does.
// Each page sets window.__done = performance.now() once all its requests have settled (navigation start
// is performance's time origin), and window.__result with what happened, for checking.
//
//   /many?n=2000        n cross-origin fetches, 200 in flight; every other one fails CORS (no ACAO)
//   /ordinary           ~100 requests: scripts, stylesheets, images, same-origin fetches, 5 cross-origin
//                       API calls (one preflighted PUT, one failing)
//   /failures?n=10000   n failing cross-origin fetches, 200 in flight (memory runs)
//   /blank              an empty page (a tab to fire single requests from)
// `node bench/pages/server.mjs` serves them on fixed ports 41101/41102 for a look in a browser.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

/** Requests a page keeps in flight at most. */
const POOL = 200;
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
const NO_STORE = { 'Cache-Control': 'no-store' };

/** What the page script does when everything has settled. */
const DONE = `
function finish(result) {
  window.__result = result;
  window.__done = performance.now();
  document.title = 'done';
  window.__resolveFinished(result);
}`;

/** The page's own head: a promise the driver can await (defined before anything else runs). */
const HEAD = `<script>window.__finished = new Promise((r) => { window.__resolveFinished = r; });</script>`;

/** n cross-origin fetches, POOL in flight; request i passes CORS when pass(i).
 * @param {string} api @param {number} n @param {string} title @param {string} pass JS expression of i */
function fetchPage(api, n, title, pass) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${HEAD}</head><body>
<p>${n} cross-origin fetches, ${POOL} in flight.</p>
<script>
${DONE}
const run = String(Math.random()).slice(2);
// At most POOL in flight: Chromium refuses thousands of simultaneous requests from one page
// (net::ERR_INSUFFICIENT_RESOURCES), which would turn passing requests into failures.
const POOL = ${POOL};
let next = 0;
let ok = 0;
let failed = 0;
async function worker() {
  while (next < ${n}) {
    const i = next++;
    const pass = ${pass};
    try {
      await (await fetch('${api}/api/item/' + i + '?ok=' + (pass ? 1 : 0) + '&r=' + run)).text();
      ok++;
    } catch {
      failed++;
    }
  }
}
Promise.all(Array.from({ length: POOL }, worker)).then(() => finish({ ok, failed }));
</script></body></html>`;
}

/** A page like many sites: parser-found scripts, stylesheets and images, then a few API calls. */
function ordinaryPage(/** @type {string} */ api) {
  const scripts = Array.from({ length: 8 }, (_, i) => `<script src="/assets/app-${i}.js"></script>`).join('\n');
  const styles = Array.from({ length: 4 }, (_, i) => `<link rel="stylesheet" href="/assets/style-${i}.css">`).join('\n');
  const images = Array.from({ length: 75 }, (_, i) => `<img src="/assets/img-${i}.gif" width="16" height="16" alt="">`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>ordinary</title>${HEAD}
${styles}
</head><body>
<h1>An ordinary page</h1>
<div>${images}</div>
${scripts}
<script>
${DONE}
const run = String(Math.random()).slice(2);
const same = Array.from({ length: 8 }, (_, i) => fetch('/data/' + i + '.json?r=' + run).then((r) => r.json()).then(() => 'ok', () => 'failed'));
const cross = [
  fetch('${api}/api/user?ok=1&r=' + run).then((r) => r.json()),
  fetch('${api}/api/cart?ok=1&r=' + run).then((r) => r.json()),
  fetch('${api}/api/prices?ok=1&r=' + run, { headers: { 'Content-Type': 'application/json' }, method: 'PUT', body: '{}' }).then((r) => r.json()),
  fetch('${api}/api/recommendations?ok=1&r=' + run).then((r) => r.json()),
  fetch('${api}/api/ads?ok=0&r=' + run).then((r) => r.json()),
].map((p) => p.then(() => 'ok', () => 'failed'));
const loaded = new Promise((r) => (document.readyState === 'complete' ? r() : addEventListener('load', () => r())));
Promise.all([loaded, Promise.all(same), Promise.all(cross)]).then(([, s, c]) => {
  const all = [...s, ...c];
  finish({ ok: all.filter((o) => o === 'ok').length, failed: all.filter((o) => o === 'failed').length, resources: performance.getEntriesByType('resource').length + 1 });
});
</script></body></html>`;
}

/**
 * @param {{ host?: string, ports?: { page?: number, api?: number } }} [options]
 * @returns {Promise<{ origins: { page: string, api: string }, requests: () => number, close(): Promise<void> }>}
 */
export async function startPages({ host = '127.0.0.1', ports = {} } = {}) {
  const origins = { page: '', api: '' };
  let requests = 0;

  /** @param {'page' | 'api'} which @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  function handle(which, req, res) {
    requests++;
    const url = new URL(req.url ?? '/', origins[which]);
    const path = url.pathname;
    if (which === 'api' && path.startsWith('/api/')) {
      const ok = url.searchParams.get('ok') === '1';
      const origin = req.headers.origin;
      const cors = ok && origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {};
      if (req.method === 'OPTIONS') {
        const allow = ok ? { 'Access-Control-Allow-Methods': 'GET, POST, PUT', 'Access-Control-Allow-Headers': 'content-type', 'Access-Control-Max-Age': '0' } : {};
        res.writeHead(204, { ...NO_STORE, ...cors, ...allow }).end();
        return;
      }
      res.writeHead(200, { ...NO_STORE, ...cors, 'Content-Type': 'application/json' }).end(`{"path":"${path}"}`);
      return;
    }
    if (which !== 'page') {
      res.writeHead(404, NO_STORE).end();
      return;
    }
    const html = { ...NO_STORE, 'Content-Type': 'text/html; charset=utf-8' };
    const n = Number(url.searchParams.get('n') ?? '') || undefined;
    if (path === '/many') return void res.writeHead(200, html).end(fetchPage(origins.api, n ?? 2000, 'many', 'i % 2 === 0'));
    if (path === '/failures') return void res.writeHead(200, html).end(fetchPage(origins.api, n ?? 10_000, 'failures', 'false'));
    if (path === '/ordinary') return void res.writeHead(200, html).end(ordinaryPage(origins.api));
    if (path === '/blank') return void res.writeHead(200, html).end(`<!doctype html><title>blank</title>${HEAD}`);
    if (/^\/assets\/app-\d+\.js$/.test(path)) {
      const body = `window.__app = (window.__app || 0) + 1;\n/* ${'x'.repeat(2000)} */\n`;
      return void res.writeHead(200, { ...NO_STORE, 'Content-Type': 'text/javascript' }).end(body);
    }
    if (/^\/assets\/style-\d+\.css$/.test(path)) {
      return void res.writeHead(200, { ...NO_STORE, 'Content-Type': 'text/css' }).end(`h1 { margin: 4px; }\n/* ${'y'.repeat(1000)} */\n`);
    }
    if (/^\/assets\/img-\d+\.gif$/.test(path)) return void res.writeHead(200, { ...NO_STORE, 'Content-Type': 'image/gif' }).end(GIF);
    if (/^\/data\/\d+\.json$/.test(path)) return void res.writeHead(200, { ...NO_STORE, 'Content-Type': 'application/json' }).end('{"ok":true}');
    if (path === '/favicon.ico') return void res.writeHead(204, NO_STORE).end();
    res.writeHead(404, NO_STORE).end();
  }

  const servers = { page: createServer((q, s) => handle('page', q, s)), api: createServer((q, s) => handle('api', q, s)) };
  for (const server of Object.values(servers)) server.keepAliveTimeout = 30_000;
  await Promise.all(
    /** @type {const} */ (['page', 'api']).map(
      (which) =>
        new Promise((done, fail) => {
          servers[which].once('error', fail);
          servers[which].listen(ports[which] ?? 0, host, () => {
            const address = servers[which].address();
            origins[which] = `http://${host}:${typeof address === 'object' && address ? address.port : 0}`;
            done(undefined);
          });
        }),
    ),
  );
  return {
    origins,
    requests: () => requests,
    async close() {
      await Promise.all(
        Object.values(servers).map((s) => {
          s.closeAllConnections();
          return new Promise((done) => s.close(() => done(undefined)));
        }),
      );
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const pages = await startPages({ ports: { page: 41101, api: 41102 } });
  console.log(`bench pages: ${pages.origins.page}/many  ${pages.origins.page}/ordinary  ${pages.origins.page}/failures?n=1000`);
}
