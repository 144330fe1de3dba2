#!/usr/bin/env node
// The CORS lab: three loopback origins that reproduce every CORS failure a page can meet.
//   page  http://127.0.0.1:P1  the lab's pages (index, one page per scenario, the client script)
//   api   http://127.0.0.1:P2  same site as the page, another origin: the misconfigured APIs
//   third http://localhost:P3  another site: redirect targets
// `npm run lab` starts it on fixed ports and prints the index URL; tests call startLab() (OS-chosen ports).

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { GROUPS, scenarioById, scenarios } from './scenarios.mjs';

/** @typedef {import('./scenarios.d.mts').LabOrigins} LabOrigins */
/** @typedef {import('./scenarios.d.mts').Reply} Reply */
/** @typedef {import('./scenarios.d.mts').Scenario} Scenario */
/** @typedef {import('./server.d.mts').FixToApply} FixToApply */

const CLIENT_DIR = new URL('./client/', import.meta.url);
const SESSION_COOKIE = 'lab_session=demo; Path=/; SameSite=Lax';

/**
 * @param {{ host?: string, ports?: { page?: number, api?: number, third?: number } }} [options]
 * @returns {Promise<{ origins: LabOrigins, closedPort: number, close(): Promise<void> }>}
 */
export async function startLab({ host = '127.0.0.1', ports = {} } = {}) {
  const closedPort = await findClosedPort(host);
  /** @type {LabOrigins} */
  const origins = { page: '', api: '', third: '' };
  const timers = new Set();
  /** Fixes applied by tests (applyFix), by scenario id. */
  /** @type {Map<string, FixToApply>} */
  const fixes = new Map();
  const servers = {
    page: createServer((req, res) => handle('page', req, res)),
    api: createServer((req, res) => handle('api', req, res)),
    third: createServer((req, res) => handle('third', req, res)),
  };

  /**
   * @param {keyof LabOrigins} which
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  function handle(which, req, res) {
    const url = new URL(req.url ?? '/', origins[which]);
    const scenarioPath = /^\/s\/([a-z0-9-]+)\/(.*)$/.exec(url.pathname);
    if (scenarioPath) return serveScenario(which, scenarioPath[1] ?? '', scenarioPath[2] ?? '', url, req, res);
    if (which === 'page') return servePage(url, res);
    send(res, { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not a lab path.' });
  }

  /**
   * @param {keyof LabOrigins} which
   * @param {string} id
   * @param {string} rest
   * @param {URL} url
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  function serveScenario(which, id, rest, url, req, res) {
    const handler = scenarioById(id)?.serve[which];
    if (!handler) {
      send(res, { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'No such scenario path.' });
      return;
    }
    /** @type {Record<string, string | undefined>} */
    const headers = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const method = req.method ?? 'GET';
    const served = handler({
      origins,
      method,
      rest,
      url,
      headers,
      link: (origin, path) => `${origins[origin]}/s/${id}/${path}${url.search}`,
    });
    const fix = fixes.get(id);
    const reply = fix ? withFix(served, fix, method, url, headers) : served;
    if (reply.destroy) {
      req.socket.destroy();
      return;
    }
    if (reply.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) send(res, reply);
      }, reply.delayMs);
      timers.add(timer);
      return;
    }
    send(res, reply);
  }

  /**
   * @param {URL} url
   * @param {import('node:http').ServerResponse} res
   */
  async function servePage(url, res) {
    const html = { 'Content-Type': 'text/html; charset=utf-8', 'Set-Cookie': SESSION_COOKIE };
    try {
      if (url.pathname === '/') return send(res, { status: 200, headers: html, body: renderIndex(origins) });
      const page = /^\/scenario\/([a-z0-9-]+)$/.exec(url.pathname);
      if (page) {
        const scenario = scenarioById(page[1] ?? '');
        if (!scenario) return send(res, { status: 404, headers: html, body: renderNotFound(page[1] ?? '') });
        return send(res, { status: 200, headers: { ...html, ...scenario.pageHeaders }, body: renderScenarioPage(scenario) });
      }
      if (url.pathname === '/catalogue.js') {
        return send(res, { status: 200, headers: { 'Content-Type': 'text/javascript' }, body: renderCatalogue(origins, closedPort) });
      }
      if (url.pathname === '/lab.js' || url.pathname === '/lab.css') {
        const body = await readFile(new URL(`.${url.pathname}`, CLIENT_DIR), 'utf8');
        const type = url.pathname.endsWith('.js') ? 'text/javascript' : 'text/css';
        return send(res, { status: 200, headers: { 'Content-Type': `${type}; charset=utf-8` }, body });
      }
      if (url.pathname === '/favicon.ico') return send(res, { status: 204, headers: {} });
      send(res, { status: 404, headers: html, body: renderNotFound(url.pathname) });
    } catch (error) {
      send(res, { status: 500, headers: { 'Content-Type': 'text/plain' }, body: String(error) });
    }
  }

  await Promise.all(
    /** @type {const} */ (['page', 'api', 'third']).map(
      (which) =>
        new Promise((resolve, reject) => {
          const server = servers[which];
          server.once('error', reject);
          server.listen(ports[which] ?? 0, host, () => {
            const address = server.address();
            const port = typeof address === 'object' && address ? address.port : 0;
            // The third origin uses the name "localhost": another site than 127.0.0.1.
            origins[which] = `http://${which === 'third' ? 'localhost' : hostForUrl(host)}:${port}`;
            resolve(undefined);
          });
        }),
    ),
  );

  return {
    origins,
    closedPort,
    applyFix(scenarioId, fix) {
      if (!scenarioById(scenarioId)) throw new Error(`no scenario ${scenarioId}`);
      fixes.set(scenarioId, fix);
    },
    removeFix(scenarioId) {
      fixes.delete(scenarioId);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all(
        Object.values(servers).map(
          (server) =>
            new Promise((resolve) => {
              server.close(() => resolve(undefined));
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}

// ── Applying a fix (tests) ──────────────────────────────────────────────────────────────────────────

/** A URL without its query (the page adds a cache-busting nonce) and without user:password. */
function withoutQuery(/** @type {string} */ href) {
  try {
    const u = new URL(href);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return href;
  }
}

/**
 * Headers after a fix step: `remove` names go, `set` names replace any header of the same name
 * (names compare case-insensitively).
 * @param {Record<string, string | string[]>} headers
 * @param {ReadonlyArray<readonly [string, string]>} set
 * @param {readonly string[]} [remove]
 */
function patchHeaders(headers, set, remove = []) {
  const drop = new Set([...remove, ...set.map(([name]) => name)].map((name) => name.toLowerCase()));
  /** @type {Record<string, string | string[]>} */
  const out = {};
  for (const [name, value] of Object.entries(headers)) if (!drop.has(name.toLowerCase())) out[name] = value;
  for (const [name, value] of set) out[name] = value;
  return out;
}

/**
 * What the server answers once the fix is applied, as docs/EXPORT.md says to replay one: an OPTIONS request
 * carrying Access-Control-Request-Method to the requested URL gets `preflight.status` and
 * `preflight.setHeaders` (answered in place: no Location); any other request gets `actual.setHeaders` at
 * `actual.url` (else the requested URL) and `redirects[i].setHeaders` at `redirects[i].url`; with
 * `other: 'remove-url-credentials'` a Location loses its user:password. URLs compare without their query.
 * @param {Reply} reply @param {FixToApply} applied @param {string} method @param {URL} url
 * @param {Record<string, string | undefined>} headers
 * @returns {Reply}
 */
function withFix(reply, applied, method, url, headers) {
  const { fix } = applied;
  const here = withoutQuery(url.href);
  let out = reply;
  const preflight = method === 'OPTIONS' && headers['access-control-request-method'] !== undefined;
  if (preflight) {
    if (fix.preflight && here === withoutQuery(applied.url)) {
      const remove = [...(fix.preflight.removeHeaders ?? []), 'Location'];
      out = { ...out, status: fix.preflight.status, headers: patchHeaders(out.headers, fix.preflight.setHeaders, remove) };
    }
  } else {
    for (const hop of fix.redirects ?? []) {
      if (here === withoutQuery(hop.url)) out = { ...out, headers: patchHeaders(out.headers, hop.setHeaders, hop.removeHeaders) };
    }
    if (fix.actual && here === withoutQuery(fix.actual.url ?? applied.url)) {
      out = { ...out, headers: patchHeaders(out.headers, fix.actual.setHeaders, fix.actual.removeHeaders) };
    }
  }
  if (fix.other === 'remove-url-credentials') {
    const name = Object.keys(out.headers).find((n) => n.toLowerCase() === 'location');
    const location = name ? out.headers[name] : undefined;
    if (name && typeof location === 'string') {
      const target = new URL(location, url);
      target.username = '';
      target.password = '';
      out = { ...out, headers: { ...out.headers, [name]: target.href } };
    }
  }
  return out;
}

/** @param {string} host */
function hostForUrl(host) {
  return host.includes(':') ? `[${host}]` : host;
}

/** A port on `host` where nothing listens: bind one, note it, let it go. */
function findClosedPort(host) {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {Reply} reply
 */
function send(res, reply) {
  const headers = { ...reply.headers };
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'cache-control')) headers['Cache-Control'] = 'no-store';
  res.statusCode = reply.status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(reply.body ?? '');
}

// ── Pages ─────────────────────────────────────────────────────────────────────────────────────────────

/** @param {string} text */
function esc(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A function's source with the indentation it had inside the catalogue removed.
 * @param {string} source */
export function dedent(source) {
  const lines = source.split('\n');
  const indentOf = (/** @type {string} */ line) => /^ */.exec(line)?.[0].length ?? 0;
  const indents = lines.slice(1).filter((line) => line.trim()).map(indentOf);
  const last = lines[lines.length - 1] ?? '';
  // A body closed by a bracket lines up with that bracket; a bare continuation keeps one step of indent.
  let cut = 0;
  if (lines.length > 1 && /^\s*[}\])]/.test(last)) cut = indentOf(last);
  else if (indents.length) cut = Math.max(0, Math.min(...indents) - 2);
  return [lines[0], ...lines.slice(1).map((line) => line.slice(cut))].join('\n');
}

/** The page code and the server code of a scenario, for people to read.
 * @param {Scenario} s @param {boolean} open */
function renderCode(s, open) {
  const server = Object.entries(s.serve)
    .map(([origin, handler]) => `// ${origin} origin, /s/${s.id}/…\n${dedent(String(handler))}`)
    .join('\n\n');
  return `<details${open ? ' open' : ''}><summary>What the page does</summary><pre><code>${esc(dedent(s.run.toString()))}</code></pre></details>
${server ? `<details${open ? ' open' : ''}><summary>What the server answers</summary><pre><code>${esc(server)}</code></pre></details>` : ''}`;
}

/** @param {string} title @param {string} body @param {string} [bodyAttrs] */
function layout(title, body, bodyAttrs = '') {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="/lab.css">
<script type="module" src="/lab.js"></script>
</head>
<body${bodyAttrs}>
${body}
</body>
</html>
`;
}

/** @param {Scenario['expected']} expected */
function renderExpected(expected) {
  /** @param {string} browser @param {string | null} reason */
  const badge = (browser, reason) =>
    `<span class="verdict ${reason ? 'verdict-fail' : 'verdict-none'}" title="What ${browser} reports">${browser}: ${reason ? esc(reason) : 'nothing'}</span>`;
  return `${badge('Chromium', expected.chromium)} ${badge('Firefox', expected.gecko)}`;
}

/** @param {LabOrigins} origins */
function renderIndex(origins) {
  const sections = GROUPS.map(([group, heading]) => {
    const items = scenarios.filter((s) => s.group === group && s.runnable !== false);
    return `<section class="group" id="group-${group}">
<h2>${esc(heading)} <span class="count">${items.length}</span></h2>
<ol class="scenarios">
${items.map(renderScenarioItem).join('\n')}
</ol>
</section>`;
  }).join('\n');
  const unobservable = scenarios.filter((s) => s.runnable === false);
  const body = `<header class="masthead">
<h1>CORS lab</h1>
<p>Each scenario below makes one cross-origin request that a real site could get wrong. Press <b>Run</b> and
the page tells you what JavaScript saw; open DevTools (or the CORS panel) to see why the browser said no.</p>
<dl class="origins">
<dt>This page</dt><dd><code>${esc(origins.page)}</code></dd>
<dt>API (same site, another origin)</dt><dd><code>${esc(origins.api)}</code></dd>
<dt>Third party (another site)</dt><dd><code>${esc(origins.third)}</code></dd>
</dl>
<p class="actions"><button type="button" id="run-failing" class="primary">Run all failing</button>
<button type="button" id="run-everything">Run everything</button>
<span id="summary" role="status"></span></p>
</header>
<main>
${sections}
<section class="group" id="group-unobservable">
<h2>Listed, not run <span class="count">${unobservable.length}</span></h2>
<p class="hint">No page served over HTTP can trigger these, and no extension can observe them.</p>
<ul class="scenarios">
${unobservable.map((s) => `<li class="scenario" id="s-${s.id}"><div class="head"><h3>${esc(s.title)}</h3><code class="id">${s.id}</code></div><p>${esc(s.description)}</p><p class="note">${esc(s.note ?? '')}</p></li>`).join('\n')}
</ul>
</section>
</main>`;
  return layout('CORS lab', body, ' class="index"');
}

/** @param {Scenario} s */
function renderScenarioItem(s) {
  return `<li class="scenario" id="s-${s.id}" data-id="${s.id}" data-group="${s.group}">
<div class="head"><h3>${esc(s.title)}</h3><code class="id">${s.id}</code><span class="kind">${s.initiator}</span></div>
<p>${esc(s.description)}</p>
<p class="expected">${renderExpected(s.expected)}</p>
<div class="run-row"><button type="button" class="run" data-id="${s.id}">Run</button>
<a href="/scenario/${s.id}">own page</a>
<output class="result" data-state="idle">not run yet</output></div>
${renderCode(s, false)}
</li>`;
}

/** @param {Scenario} s */
function renderScenarioPage(s) {
  const body = `<main class="single">
<p class="crumbs"><a href="/">CORS lab</a> › ${esc(GROUPS.find(([g]) => g === s.group)?.[1] ?? s.group)}</p>
<h1>${esc(s.title)}</h1>
<p>${esc(s.description)}</p>
<p class="expected">${renderExpected(s.expected)}</p>
${s.note ? `<p class="note">${esc(s.note)}</p>` : ''}
<p class="run-row"><button type="button" class="run" data-id="${s.id}">Run again</button>
<output class="result" id="result" data-state="idle">${s.runnable === false ? 'not runnable from here' : 'starting…'}</output></p>
<div id="stage" class="stage"></div>
${renderCode(s, true)}
<p class="hint">The page only learns that the request failed. The reason is in DevTools: the Console, the Network
panel, or the CORS panel of CORS Explainer.</p>
</main>`;
  const auto = s.runnable === false ? '' : ` data-autorun="${s.id}"`;
  return layout(`${s.id} — CORS lab`, body, ` class="scenario-page"${auto}`);
}

/** @param {string} what */
function renderNotFound(what) {
  return layout('Not found — CORS lab', `<main class="single"><h1>Not found</h1><p><code>${esc(what)}</code> is not part of the lab. <a href="/">Back to the index</a>.</p></main>`);
}

/** The catalogue as the page sees it: metadata plus each scenario's run function as source.
 * @param {LabOrigins} origins @param {number} closedPort */
function renderCatalogue(origins, closedPort) {
  const entries = scenarios.map((s) => {
    const meta = { id: s.id, title: s.title, group: s.group, ownPage: s.ownPage === true, runnable: s.runnable !== false };
    return `  { ...${JSON.stringify(meta)}, run: ${s.run.toString()} },`;
  });
  return `// Generated by lab/server.mjs from lab/scenarios.mjs.
export const origins = ${JSON.stringify(origins)};
export const closedPort = ${closedPort};
export const scenarios = [
${entries.join('\n')}
];
`;
}

// ── CLI: npm run lab ──────────────────────────────────────────────────────────────────────────────────

/** @param {string | undefined} value @param {number} fallback */
function portFromEnv(value, fallback) {
  const port = Number(value);
  return Number.isInteger(port) && port >= 0 && port < 65536 && value !== undefined && value !== '' ? port : fallback;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const lab = await startLab({
    host: process.env.LAB_HOST ?? '127.0.0.1',
    ports: {
      page: portFromEnv(process.env.LAB_PORT_PAGE, 8700),
      api: portFromEnv(process.env.LAB_PORT_API, 8701),
      third: portFromEnv(process.env.LAB_PORT_THIRD, 8702),
    },
  });
  console.log(`CORS lab running. Open ${lab.origins.page}/`);
  console.log(`  api origin:   ${lab.origins.api}`);
  console.log(`  third origin: ${lab.origins.third}`);
  console.log('Press Ctrl+C to stop.');
  const stop = async () => {
    await lab.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
