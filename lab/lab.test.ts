// The lab without a browser: the catalogue is complete and well-formed, and the servers answer each
// scenario the way its description says (raw HTTP, as a browser would receive it).
import { type IncomingMessage, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTRA_REASON_IDS, isReasonId, MDN_REASON_IDS, UNOBSERVABLE_REASON_IDS } from '../src/cors/reasons.ts';
import { GROUPS, runnableScenarios, scenarios } from './scenarios.mjs';
import { dedent, startLab } from './server.mjs';

describe('catalogue', () => {
  it('has unique kebab-case ids, known groups and one-line descriptions', () => {
    const ids = scenarios.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    const groups = new Set(GROUPS.map(([g]) => g));
    for (const s of scenarios) {
      expect(s.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(groups.has(s.group), s.id).toBe(true);
      expect(s.description.length, s.id).toBeGreaterThan(10);
      expect(s.description, s.id).not.toContain('\n');
    }
  });

  it('expects only known reason ids', () => {
    for (const s of scenarios) {
      for (const reason of [s.expected.chromium, s.expected.gecko]) {
        if (reason !== null) expect(isReasonId(reason), `${s.id}: ${reason}`).toBe(true);
      }
    }
  });

  it('covers every reason a page can trigger, in Chromium or Firefox', () => {
    const seen = new Set(runnableScenarios.flatMap((s) => [s.expected.chromium, s.expected.gecko]));
    const triggerable = [...MDN_REASON_IDS, ...EXTRA_REASON_IDS].filter((r) => !UNOBSERVABLE_REASON_IDS.has(r));
    expect(triggerable.filter((r) => !seen.has(r))).toEqual([]);
  });

  it('lists the unobservable reasons, not runnable, with a note', () => {
    const listed = scenarios.filter((s) => s.runnable === false);
    expect(listed.length).toBe(UNOBSERVABLE_REASON_IDS.size);
    for (const s of listed) {
      expect(s.note, s.id).toBeTruthy();
      expect(s.expected).toEqual({ chromium: null, gecko: null });
    }
  });

  it('expects nothing from controls and aborts, and a failure from everything else', () => {
    for (const s of runnableScenarios) {
      if (s.group === 'ok' || s.group === 'abort') expect(s.expected, s.id).toEqual({ chromium: null, gecko: null });
      else expect(s.expected.chromium, s.id).not.toBeNull();
    }
  });

  it('has the controls the brief asks for and each initiator kind', () => {
    expect(runnableScenarios.filter((s) => s.group === 'ok').length).toBeGreaterThanOrEqual(7);
    const kinds = new Set(runnableScenarios.map((s) => s.initiator));
    for (const kind of ['fetch', 'xhr', 'script', 'font', 'image']) expect(kinds.has(kind as never), kind).toBe(true);
  });

  it('ships run functions that stand alone (no closure over the catalogue module)', () => {
    for (const s of runnableScenarios) {
      const source = s.run.toString();
      expect(() => new Function(`return (${source});`), s.id).not.toThrow();
      expect(source, s.id).not.toMatch(/\b(reply|JSON_TYPE|OK_BODY|PNG|allowAll)\b/);
    }
  });
});

describe('dedent', () => {
  it('lines a bracketed body up with its closing bracket and keeps one step for a continuation', () => {
    expect(dedent('async (lab) => {\n      x;\n    }')).toBe('async (lab) => {\n  x;\n}');
    expect(dedent('(ctx) =>\n        reply(302)')).toBe('(ctx) =>\n  reply(302)');
    expect(dedent('() => 1')).toBe('() => 1');
  });
});

// ── The servers ─────────────────────────────────────────────────────────────────────────────────────────

interface RawResponse {
  status: number;
  rawHeaders: string[];
  body: string;
}

function get(url: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function headerLines(res: RawResponse, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    if (res.rawHeaders[i]?.toLowerCase() === name) out.push(res.rawHeaders[i + 1] ?? '');
  }
  return out;
}

describe('lab servers', () => {
  let lab: Awaited<ReturnType<typeof startLab>>;
  beforeAll(async () => {
    lab = await startLab();
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('puts page and api on the same host (same site) and third on localhost (another site)', () => {
    const page = new URL(lab.origins.page);
    const api = new URL(lab.origins.api);
    const third = new URL(lab.origins.third);
    expect(page.hostname).toBe('127.0.0.1');
    expect(api.hostname).toBe('127.0.0.1');
    expect(api.port).not.toBe(page.port);
    expect(third.hostname).toBe('localhost');
  });

  it('serves the index with a Run button per runnable scenario and a session cookie', async () => {
    const res = await get(`${lab.origins.page}/`);
    expect(res.status).toBe(200);
    for (const s of runnableScenarios) expect(res.body, s.id).toContain(`data-id="${s.id}"`);
    expect(res.body).toContain('id="run-failing"');
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(headerLines(res, 'set-cookie').join()).toContain('lab_session=');
  });

  it('serves one page per scenario that runs it on load, with the scenario’s own headers', async () => {
    const lna = await get(`${lab.origins.page}/scenario/local-network-access`);
    expect(lna.body).toContain('data-autorun="local-network-access"');
    expect(headerLines(lna, 'content-security-policy')).toEqual(['treat-as-public-address']);
    const notRunnable = await get(`${lab.origins.page}/scenario/cors-disabled`);
    expect(notRunnable.body).not.toContain('data-autorun');
    expect((await get(`${lab.origins.page}/scenario/no-such-thing`)).status).toBe(404);
  });

  it('serves the catalogue to the page as a module with every run function', async () => {
    const res = await get(`${lab.origins.page}/catalogue.js`);
    const mod = await import(`data:text/javascript,${encodeURIComponent(res.body)}`);
    expect(mod.origins).toEqual(lab.origins);
    expect(mod.scenarios.map((s: { id: string }) => s.id)).toEqual(scenarios.map((s) => s.id));
    for (const s of mod.scenarios) expect(typeof s.run).toBe('function');
  });

  it('sends two Access-Control-Allow-Origin lines where the scenario says so', async () => {
    const res = await get(`${lab.origins.api}/s/multiple-allow-origin-lines/data?n=1`);
    expect(headerLines(res, 'access-control-allow-origin')).toEqual([lab.origins.page, lab.origins.page]);
  });

  it('answers a preflight 404 without CORS headers and the actual request normally', async () => {
    const preflight = await get(`${lab.origins.api}/s/missing-allow-origin-preflight-404/item`, {
      method: 'OPTIONS',
      headers: { Origin: lab.origins.page, 'Access-Control-Request-Method': 'PUT' },
    });
    expect(preflight.status).toBe(404);
    expect(headerLines(preflight, 'access-control-allow-origin')).toEqual([]);
  });

  it('redirects to a URL with credentials, keeping the cache-busting query', async () => {
    const res = await get(`${lab.origins.api}/s/redirect-contains-credentials/start?n=abc`);
    expect(res.status).toBe(302);
    const location = new URL(headerLines(res, 'location')[0] ?? '');
    expect(location.username).toBe('user');
    expect(location.search).toBe('?n=abc');
  });

  it('drops the socket for the network scenario and has a port where nothing listens', async () => {
    await expect(get(`${lab.origins.api}/s/network-socket-destroyed/data`)).rejects.toThrow(/socket hang up|ECONNRESET/);
    await expect(get(`http://127.0.0.1:${lab.closedPort}/`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('answers only the scenario paths an origin is meant to serve', async () => {
    expect((await get(`${lab.origins.third}/s/missing-allow-origin-get/data`)).status).toBe(404);
    expect((await get(`${lab.origins.third}/s/null-origin-after-redirect/target`)).status).toBe(200);
    expect((await get(`${lab.origins.api}/`)).status).toBe(404);
  });

  it('never caches', async () => {
    const res = await get(`${lab.origins.api}/s/ok-simple-get/data`);
    expect(headerLines(res, 'cache-control')).toEqual(['no-store']);
  });
});

describe('applyFix: a scenario answers as if a fix had been applied (docs/EXPORT.md)', () => {
  let lab: Awaited<ReturnType<typeof startLab>>;
  beforeAll(async () => {
    lab = await startLab();
  });
  afterAll(async () => {
    await lab?.close();
  });
  const preflightTo = (url: string) =>
    get(url, { method: 'OPTIONS', headers: { Origin: lab.origins.page, 'Access-Control-Request-Method': 'PUT' } });

  it('answers the preflight at the requested URL in place, whatever the query, and leaves other paths alone', async () => {
    const id = 'preflight-redirect';
    const url = `${lab.origins.api}/s/${id}/item?n=1`;
    lab.applyFix(id, {
      url,
      fix: {
        credentials: false,
        preflight: { status: 204, setHeaders: [['Access-Control-Allow-Origin', lab.origins.page], ['Access-Control-Allow-Methods', 'PUT']] },
        actual: { setHeaders: [['Access-Control-Allow-Origin', lab.origins.page], ['Vary', 'Origin']] },
      },
    });
    try {
      const fixed = await preflightTo(`${lab.origins.api}/s/${id}/item?n=other`);
      expect(fixed.status).toBe(204);
      expect(headerLines(fixed, 'location')).toEqual([]);
      expect(headerLines(fixed, 'access-control-allow-methods')).toEqual(['PUT']);
      // One header line per name: the fix replaces, it does not add a second ACAO.
      expect(headerLines(fixed, 'access-control-allow-origin')).toEqual([lab.origins.page]);
      const actual = await get(`${lab.origins.api}/s/${id}/item?n=2`, { method: 'PUT' });
      expect(headerLines(actual, 'vary')).toEqual(['Origin']);
      // Another path of the same scenario is not the requested URL: it still redirects.
      expect((await preflightTo(`${lab.origins.api}/s/${id}/item/?n=1`)).status).toBe(302);
    } finally {
      lab.removeFix(id);
    }
    expect((await preflightTo(url)).status).toBe(302);
  });

  it('removes headers the fix says to remove, sets headers on redirects and on the final URL', async () => {
    const id = 'null-origin-after-redirect';
    lab.applyFix(id, {
      url: `${lab.origins.api}/s/${id}/start?n=1`,
      fix: {
        credentials: false,
        redirects: [{ url: `${lab.origins.api}/s/${id}/start`, setHeaders: [['Access-Control-Allow-Origin', lab.origins.page]], removeHeaders: ['Vary'] }],
        actual: { url: `${lab.origins.third}/s/${id}/target?n=1`, setHeaders: [['Access-Control-Allow-Origin', 'null']], removeHeaders: ['Content-Type'] },
      },
    });
    try {
      const target = await get(`${lab.origins.third}/s/${id}/target?n=9`);
      expect(headerLines(target, 'access-control-allow-origin')).toEqual(['null']);
      expect(headerLines(target, 'content-type')).toEqual([]);
      const start = await get(`${lab.origins.api}/s/${id}/start?n=9`);
      expect(start.status).toBe(302);
      expect(headerLines(start, 'access-control-allow-origin')).toEqual([lab.origins.page]);
    } finally {
      lab.removeFix(id);
    }
  });

  it('takes user:password out of a Location for remove-url-credentials', async () => {
    const id = 'redirect-contains-credentials';
    lab.applyFix(id, { url: `${lab.origins.api}/s/${id}/start?n=1`, fix: { credentials: false, other: 'remove-url-credentials' } });
    try {
      const res = await get(`${lab.origins.api}/s/${id}/start?n=abc`);
      const location = new URL(headerLines(res, 'location')[0] ?? '');
      expect([location.username, location.password, location.search]).toEqual(['', '', '?n=abc']);
    } finally {
      lab.removeFix(id);
    }
  });

  it('refuses an unknown scenario', () => {
    expect(() => lab.applyFix('no-such-scenario', { url: '', fix: { credentials: false } })).toThrow(/no scenario/);
  });
});
