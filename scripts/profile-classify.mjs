#!/usr/bin/env node
// Micro-benchmark and equivalence check for the pure classifier (src/cors): classify() and reduceExchange()
// on a realistic mix of exchanges, in Node, on one core. Not the project's benchmark (bench/ is); this is
// the tool for working on src/cors itself. The TypeScript is bundled in-process with rolldown (vite's
// bundler) into a temporary directory. Times are CPU time of this process (the machine may be shared),
// medians of ~20 ms batches, ns per exchange.
//
//   node scripts/profile-classify.mjs                      time the working tree's src/cors
//   node scripts/profile-classify.mjs --baseline HEAD~3    also bundle src/cors as of a commit (or from a
//                                                          directory holding src/cors): check that every
//                                                          output is identical, and time both in turns
//   node scripts/profile-classify.mjs --record out.json    write every output on the corpus to a file
//   … --baseline REF --record-baseline old.json           the same for the baseline's outputs
//   node scripts/profile-classify.mjs --compare out.json   compare every output with such a file
//   node --cpu-prof --cpu-prof-dir=/tmp/prof scripts/profile-classify.mjs --only mix --ms 4000
//
// Options: --ms N (CPU time per measurement, default 1500), --only mix|failing|lab|tracker|cold|reduce|huge|read, --fuzz N
// (random exchanges added to the equivalence corpus, default 20000), --fixtures DIR (another copy of
// test/fixtures/events, to keep the mix fixed while recordings change).
//
// The mix: the event sequences recorded from the lab (test/fixtures/events/<engine>/*.json) replayed through
// the real tracker, keeping each exchange it hands to classify(): once as Chromium's tracker does (failures,
// and completions that had a preflight) and once classifying every completion (so passing CORS exchanges
// are in too); the same exchanges as Firefox would report them; and the classifier's case table
// (test/unit/cors/cases.ts). "failing" is the part of the mix that gets a diagnosis. "lab" is the replayed
// recordings alone (every completion classified), "tracker" the exchanges the trackers themselves hand to
// classify(). "cold" is the mix with a different query string on every URL of every exchange, so that
// nothing keyed by a URL string is reused. "reduce" times reduceExchange on the trackers' exchanges, "read"
// the classifier's reading of the lab exchanges (readExchange, validating and indexing their headers).
//
// The equivalence corpus is the mix, variants of each exchange (other engine, other error, no response,
// with a cookie, upper-case header names, a full-URL initiator…), hostile non-exchanges, and seeded random
// exchanges; for each, classify(x), reduceExchange(x) and classify(reduceExchange(x)) are compared.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { rolldown } from 'rolldown';

const ROOT = resolve(import.meta.dirname, '..');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1];
}
const MS = Number(option('--ms', '1500'));
const ONLY = option('--only', null);
const BASELINE = option('--baseline', null);
const RECORD = option('--record', null);
const RECORD_BASELINE = option('--record-baseline', null);
const COMPARE = option('--compare', null);
const FUZZ = Number(option('--fuzz', '20000'));
const FIXTURES = resolve(option('--fixtures', join(ROOT, 'test/fixtures/events')));

const work = mkdtempSync(join(tmpdir(), 'profile-classify-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

/** Bundles `code` (an ES module importing repo files by absolute path) for Node and imports it. */
async function bundle(name, code) {
  const id = `\0entry-${name}`;
  const build = await rolldown({
    input: id,
    platform: 'node',
    logLevel: 'silent',
    plugins: [{ name: 'entry', resolveId: (s) => (s === id ? id : null), load: (s) => (s === id ? code : null) }],
  });
  const file = join(work, `${name}.mjs`);
  await build.write({ file, format: 'esm' });
  await build.close();
  return import(pathToFileURL(file).href);
}

const CURRENT = `
export * from ${JSON.stringify(join(ROOT, 'src/cors/index.ts'))};
export { Tracker } from ${JSON.stringify(join(ROOT, 'src/background/tracker.ts'))};
export { chromeProfile } from ${JSON.stringify(join(ROOT, 'src/background/adapter-chrome.ts'))};
export { firefoxProfile } from ${JSON.stringify(join(ROOT, 'src/background/adapter-firefox.ts'))};
export { rows } from ${JSON.stringify(join(ROOT, 'test/unit/cors/cases.ts'))};
${existsSync(join(ROOT, 'src/cors/url-facts.ts')) ? `export { urlFacts } from ${JSON.stringify(join(ROOT, 'src/cors/url-facts.ts'))};` : ''}
`;

/** readExchange (sanitize.ts), where the tree has it: timed on its own as "read". */
function readerExport(dir) {
  const sanitize = join(dir, 'src/cors/sanitize.ts');
  return existsSync(sanitize) && readFileSync(sanitize, 'utf8').includes('export function readExchange')
    ? `export { readExchange } from ${JSON.stringify(sanitize)};`
    : '';
}

const current = await bundle('current', CURRENT + readerExport(ROOT));
let baseline = null;
if (BASELINE) {
  // A directory holding src/cors (a reference copy), or a commit.
  let dir = resolve(BASELINE);
  if (!existsSync(join(dir, 'src/cors/index.ts'))) {
    dir = join(work, 'baseline');
    mkdirSync(dir);
    const tar = execFileSync('git', ['-C', ROOT, 'archive', BASELINE, 'src/cors'], { maxBuffer: 1 << 26 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
  }
  baseline = await bundle('baseline', `export * from ${JSON.stringify(join(dir, 'src/cors/index.ts'))};${readerExport(dir)}`);
}

// ---------------------------------------------------------------------------------------------------------
// The mix

function fixtures(engine) {
  const dir = join(FIXTURES, engine);
  let names = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {}
  return names.sort().map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')));
}

/** The exchanges the tracker hands to classify() while replaying every fixture. */
function replayed(everyCompletion) {
  const out = [];
  const logic = {
    isCandidate: current.isCorsCandidate,
    classify: (ex) => {
      out.push(structuredClone(ex));
      return current.classify(ex);
    },
    reduce: current.reduceExchange,
    isWarning: (d) => current.isWarningReason(d.reason),
  };
  for (const engine of ['chromium', 'gecko']) {
    const profile = engine === 'gecko' ? current.firefoxProfile : current.chromeProfile;
    const facts = everyCompletion ? { ...profile.facts, blockedMayComplete: true } : profile.facts;
    for (const fixture of fixtures(engine)) {
      const tracker = new current.Tracker(facts, logic, () => undefined);
      for (const event of fixture.events) tracker.handle(event);
    }
  }
  return out;
}

const GECKO_ERRORS = {
  'net::ERR_FAILED': 'NS_ERROR_DOM_BAD_URI',
  'net::ERR_ABORTED': 'NS_BINDING_ABORTED',
  'net::ERR_CONNECTION_REFUSED': 'NS_ERROR_CONNECTION_REFUSED',
};
/** The exchange as Firefox would hand it over: its error names, and a blocked simple request completed. */
function asGecko(ex) {
  const g = structuredClone(ex);
  g.engine = 'gecko';
  for (const holder of [g, g.preflight]) {
    if (holder?.error) holder.error = GECKO_ERRORS[holder.error] ?? 'NS_ERROR_NET_RESET';
  }
  if (g.error === 'NS_ERROR_DOM_BAD_URI' && g.response && !g.preflight) delete g.error;
  return g;
}

const trackersOwn = replayed(false);
const everyCompletion = replayed(true);
// The table's hostile rows (10 000 methods, a 100 KB value…) are no realistic traffic: timed on their own.
const isHuge = (ex) => JSON.stringify(ex).length > 8000;
const table = current.rows.map((r) => r.ex).filter((ex) => !isHuge(ex));
const huge = current.rows.map((r) => r.ex).filter(isHuge);
const mix = [...everyCompletion, ...everyCompletion.filter((ex) => ex.engine === 'chromium').map(asGecko), ...table];
const failing = mix.filter((ex) => (baseline ?? current).classify(ex) !== null);

/** The mix with a fresh query string on every URL, per round, so no per-URL cache can help. */
function coldCopies(list, rounds) {
  const copies = [];
  for (let r = 0; r < rounds; r++) {
    for (const ex of list) {
      const c = structuredClone(ex);
      const q = (u) => (typeof u === 'string' && /^https?:/.test(u) ? `${u}${u.includes('?') ? '&' : '?'}r=${r}` : u);
      c.url = q(c.url);
      for (const d of c.redirects ?? []) {
        d.from = q(d.from);
        d.location = q(d.location);
      }
      copies.push(c);
    }
  }
  return copies;
}

// ---------------------------------------------------------------------------------------------------------
// The equivalence corpus

function variants(ex) {
  const v = [];
  const c = () => structuredClone(ex);
  let x = c();
  x.engine = x.engine === 'gecko' ? 'chromium' : 'gecko';
  v.push(x);
  for (const error of [undefined, 'net::ERR_FAILED', 'NS_ERROR_DOM_BAD_URI', 'net::ERR_CONNECTION_RESET', 'net::ERR_ABORTED']) {
    x = c();
    if (error === undefined) delete x.error;
    else x.error = error;
    v.push(x);
  }
  x = c();
  delete x.response;
  v.push(x);
  x = c();
  x.requestHeaders = [...x.requestHeaders, ['cookie', 'a=1']];
  v.push(x);
  x = c();
  x.requestHeaders = x.requestHeaders.map(([n, val]) => [n.toUpperCase(), val]);
  if (x.response) x.response.headers = x.response.headers.map(([n, val]) => [n.replace(/^a/, 'A'), val]);
  v.push(x);
  x = c();
  if (x.initiator && x.initiator !== 'null') x.initiator = `${x.initiator}/page?x=1`;
  v.push(x);
  x = c();
  x.url = x.url.replace(/^(https?:\/\/)/, '$1user:pw@');
  v.push(x);
  x = c();
  x.url = x.url.replace(/^https?:\/\/([^/]+)/, (m) => m.toUpperCase());
  v.push(x);
  x = c();
  if (x.response) x.response.headers = [...x.response.headers, ['access-control-allow-origin', '*'], ['vary', 'Origin']];
  v.push(x);
  if (x.preflight?.response) {
    x = c();
    x.preflight.response.headers = [...x.preflight.response.headers, ['access-control-allow-headers', '*'], ['access-control-allow-methods', '*']];
    x.preflight.requestHeaders = [...x.preflight.requestHeaders, ['access-control-request-headers', 'authorization,x-a']];
    v.push(x);
  }
  x = c();
  x.redirects = [...(x.redirects ?? []), { status: 302, from: x.url, location: 'https://third.test:8443/next', headers: [] }];
  v.push(x);
  x = c();
  x.response = { ...(x.response ?? { status: 200, headers: [] }), status: '200', ip: 7, fromCache: 'yes' };
  v.push(x);
  return v;
}

const HOSTILE = [
  null,
  undefined,
  0,
  'exchange',
  [],
  { engine: 'webkit' },
  { url: 42, requestHeaders: { origin: 'http://a.test' } },
  { url: 'https://api.test/x', initiator: 'http://a.test', requestHeaders: [[null, null], ['origin'], ['origin', 5]], response: { status: 'ok', headers: 'none' } },
  { url: 'https://api.test/x', initiator: 'http://a.test', redirects: [null, 1, { location: 7 }], preflight: [] },
  { url: 'https://api.test/x', initiator: 'http://a.test', type: 'xmlhttprequest', requestHeaders: [], error: 'net::ERR_FAILED', tabId: Number.NaN },
];

function randomExchanges(n) {
  const PAGE = 'http://127.0.0.1:5173';
  const API = 'https://api.test';
  const name = fc.oneof(
    fc.constantFrom(
      'access-control-allow-origin',
      'Access-Control-Allow-Origin',
      'access-control-allow-methods',
      'access-control-allow-headers',
      'access-control-allow-credentials',
      'access-control-allow-private-network',
      'access-control-request-method',
      'access-control-request-headers',
      'access-control-request-private-network',
      'access-control-request-local-network',
      'origin',
      'cookie',
      'authorization',
      'sec-fetch-mode',
      'vary',
      'content-type',
      'location',
      'user-agent',
      'set-cookie',
      'x-b',
    ),
    fc.string(),
  );
  const value = fc.oneof(
    fc.constantFrom(
      '*',
      'null',
      PAGE,
      `${PAGE}/`,
      `${PAGE}, ${API}`,
      'true',
      'True',
      'GET, PUT',
      'patch',
      'x-token, authorization',
      'cors',
      'same-origin',
      'no-cors',
      'Origin',
      'text/plain',
      'application/json',
      '',
      ' , ,',
      'a'.repeat(3000),
    ),
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.integer(),
  );
  const headers = fc.array(fc.tuple(name, value), { maxLength: 8 });
  const url = fc.oneof(
    fc.constantFrom(
      `${API}/x`,
      `${PAGE}/x`,
      'HTTP://API.test/x',
      'https://api.test:443/x',
      'http://api.test:8080/x',
      'http://127.1/x',
      'http://0x7f.0.0.1/x',
      'http://[::1]:3000/x',
      'http://192.168.1.10/x',
      'http://xn--nxasmq6b.test/',
      'https://bücher.test/',
      'http:\\\\api.test\\x',
      ' https://api.test/x ',
      'https://api.test\t/x',
      'file:///x',
      'data:,x',
      `blob:${API}/1`,
      'chrome-extension://id/x',
      'moz-extension://id/x',
      'https://u:p@api.test/',
      'https://u@api.test/',
      'https://:p@api.test/',
      'http://[',
      'http://a:99999/',
      'http://a:/',
      'https:api.test',
      'ws://api.test/',
      'about:blank',
      'null',
      '',
    ),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.webUrl({ validSchemes: ['http', 'https'], authoritySettings: { withIPv4: true, withIPv6: true, withPort: true, withUserInfo: true } }),
    fc.string(),
  );
  const error = fc.option(
    fc.constantFrom(
      'net::ERR_FAILED',
      'net::ERR_ABORTED',
      'net::ERR_CONNECTION_REFUSED',
      'net::ERR_BLOCKED_BY_CLIENT',
      'net::ERR_UNSAFE_REDIRECT',
      'NS_ERROR_DOM_BAD_URI',
      'NS_BINDING_ABORTED',
      'NS_ERROR_CONTENT_BLOCKED',
      'NS_ERROR_NET_RESET',
      'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
      '',
    ),
    { nil: undefined },
  );
  const response = fc.option(
    fc.record({
      status: fc.oneof(fc.integer({ min: -1, max: 999 }), fc.constantFrom(200, 204, 302, 404)),
      headers,
      fromCache: fc.boolean(),
      ip: fc.constantFrom('127.0.0.1', '8.8.8.8', '::1', '10.0.0.2', 'x', ''),
    }),
    { nil: undefined },
  );
  const exchange = fc.record(
    {
      engine: fc.constantFrom('chromium', 'gecko'),
      tabId: fc.integer(),
      frameId: fc.integer(),
      type: fc.constantFrom('xmlhttprequest', 'font', 'image', 'script', 'main_frame', 'other', 'ping', 'websocket'),
      initiator: fc.option(fc.oneof(fc.constantFrom(PAGE, 'null', 'file://', API, `${PAGE}/page`, 'HTTP://A.test'), fc.string()), { nil: undefined }),
      documentUrl: fc.option(fc.constantFrom(`${PAGE}/`, 'file:///x.html', 'about:blank'), { nil: undefined }),
      method: fc.constantFrom('GET', 'POST', 'PUT', 'patch', 'OPTIONS', 'delete', ''),
      url,
      requestHeaders: headers,
      preflight: fc.option(fc.record({ requestHeaders: headers, response, error, redirectedTo: fc.option(url, { nil: undefined }) }, { requiredKeys: ['requestHeaders'] }), {
        nil: undefined,
      }),
      redirects: fc.array(fc.record({ status: fc.integer({ min: 300, max: 399 }), from: url, location: url, headers }), { maxLength: 3 }),
      response,
      error,
      startedAt: fc.integer(),
      endedAt: fc.integer(),
    },
    { requiredKeys: ['url'] },
  );
  return fc.sample(exchange, { numRuns: n, seed: 20260101 });
}

/** Everything the outputs are compared on (see the top of this file). */
function corpus() {
  const list = [...mix, ...huge, ...trackersOwn, ...HOSTILE];
  for (const ex of mix) list.push(...variants(ex));
  if (FUZZ > 0) list.push(...randomExchanges(FUZZ));
  return list;
}

/** urlFacts (src/cors/url-facts.ts) against the URL parser itself, on every URL string of the corpus and more. */
function checkUrlFacts(list) {
  if (!current.urlFacts) return 0;
  const strings = new Set();
  const walk = (v) => {
    if (typeof v === 'string') strings.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(list);
  const hosts = fc.oneof(fc.domain(), fc.ipV4(), fc.ipV4Extended(), fc.constantFrom('a..b', '.', 'a.', '1.2.3.a', '0x7f.1', 'a.0x', '09.1.1.1', '1.2.3.256', 'xn--a', 'a_b', 'A.b', '-a-'));
  const port = fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 70000 }).map((p) => `:${p}`), fc.constantFrom(':', ':080', ':443', ':80', ':1:2', ':x'));
  const rest = fc.oneof(fc.constantFrom('', '/', '/a?b#c', '?q', '#f', '\\x', ' ', '\t/x', '/ a'), fc.webPath());
  const built = fc.tuple(fc.constantFrom('http://', 'https://', 'HTTP://', 'http:/', 'http:', 'ws://'), fc.option(fc.constantFrom('u@', 'u:p@', ':p@', '@'), { nil: '' }), hosts, port, rest);
  for (const [a, b, c, d, e] of fc.sample(built, { numRuns: 20000, seed: 5 })) strings.add(a + b + c + d + e);
  for (const u of fc.sample(fc.webUrl({ withQueryParameters: true, withFragments: true, authoritySettings: { withIPv4: true, withIPv6: true, withPort: true, withUserInfo: true } }), { numRuns: 5000, seed: 6 })) strings.add(u);
  let differ = 0;
  for (const u of strings) {
    let expected = null;
    try {
      const p = new URL(u);
      const origin = p.origin === 'null' && p.protocol.endsWith('-extension:') && p.host !== '' ? `${p.protocol}//${p.host}` : p.origin;
      expected = { protocol: p.protocol, origin, hostname: p.hostname, hasCredentials: p.username !== '' || p.password !== '', hasPassword: p.password !== '' };
      if (expected.hasCredentials) {
        const redacted = new URL(u);
        if (redacted.password !== '') redacted.password = 'redacted';
        const bare = new URL(u);
        bare.username = '';
        bare.password = '';
        Object.assign(expected, { redactedHref: redacted.href, hrefWithoutCredentials: bare.href });
      }
    } catch {}
    if (u === '') expected = null;
    for (const got of [current.urlFacts(u), current.urlFacts(u)]) {
      if (!isDeepStrictEqual(got === null ? null : { ...got }, expected)) {
        if (differ++ < 5) console.log(`DIFFERENT urlFacts(${JSON.stringify(u)}): ${JSON.stringify(got)} expected ${JSON.stringify(expected)}`);
      }
    }
  }
  console.log(`urlFacts: ${strings.size} strings, ${differ === 0 ? 'all as the URL parser reads them' : `${differ} differ`}`);
  return differ;
}

function outputs(m, list) {
  return list.map((x) => {
    const input = structuredClone(x);
    const classified = m.classify(input);
    const reduced = m.reduceExchange(input);
    const again = m.classify(reduced);
    // Neither may change its input.
    const touched = !isDeepStrictEqual(input, x);
    return { classified, reduced, again, touched };
  });
}

/** Where two outputs first differ, as a path with both values. */
function firstDifference(a, b, path = '') {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.join() !== kb.join()) return `${path || '.'}: keys ${ka.join()} / ${kb.join()}`;
    for (const k of ka) {
      const d = firstDifference(a[k], b[k], `${path}.${k}`);
      if (d) return d;
    }
    return '';
  }
  return Object.is(a, b) ? '' : `${path}: ${JSON.stringify(a)?.slice(0, 300)} / ${JSON.stringify(b)?.slice(0, 300)}`;
}

function compare(label, a, b, list) {
  let differ = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    for (const key of ['classified', 'reduced', 'again', 'touched']) {
      const same = isDeepStrictEqual(x[key], y[key]) && JSON.stringify(x[key]) === JSON.stringify(y[key]);
      if (!same) {
        if (differ < 5) {
          console.log(`DIFFERENT ${label} #${i} ${key} at ${firstDifference(x[key], y[key])}\n input ${JSON.stringify(list?.[i])?.slice(0, 1500)}`);
          console.log(` before ${JSON.stringify(x[key])?.slice(0, 1500)}\n after  ${JSON.stringify(y[key])?.slice(0, 1500)}`);
        }
        differ++;
      }
    }
  }
  console.log(`${label}: ${a.length} inputs, ${differ === 0 ? 'all outputs identical' : `${differ} outputs differ`}`);
  return differ;
}

// ---------------------------------------------------------------------------------------------------------
// Timing

let sink = 0;

function classifyAll(m, list) {
  return () => {
    for (const ex of list) {
      const d = m.classify(ex);
      sink += d === null ? 1 : d.reason.length;
    }
    return list.length;
  };
}

function reduceAll(m, list) {
  return () => {
    for (const ex of list) sink += m.reduceExchange(ex).requestHeaders.length;
    return list.length;
  };
}

/** CPU time of this process in ms (the machine is shared: wall time would count other processes' turns). */
function cpuNow() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Runs each job in turn, in batches of ~20 ms of CPU, for `ms` of CPU in all after a warm-up; median ns per
 * operation. */
function timeInTurns(jobs, ms) {
  const samples = jobs.map(() => []);
  const reps = jobs.map(() => 1);
  for (let j = 0; j < jobs.length; j++) {
    const warmEnd = cpuNow() + 300;
    while (cpuNow() < warmEnd) {
      const t = cpuNow();
      for (let r = 0; r < reps[j]; r++) jobs[j]();
      if (cpuNow() - t < 20) reps[j] *= 2;
    }
  }
  const end = cpuNow() + ms;
  while (cpuNow() < end) {
    for (let j = 0; j < jobs.length; j++) {
      const t = cpuNow();
      let ops = 0;
      for (let r = 0; r < reps[j]; r++) ops += jobs[j]();
      samples[j].push(((cpuNow() - t) * 1e6) / ops);
    }
  }
  return samples.map((s) => {
    const sorted = s.sort((a, b) => a - b);
    return { median: sorted[sorted.length >> 1], min: sorted[0], batches: sorted.length };
  });
}

function report(label, results, names) {
  const cells = results.map((r, i) => `${names[i]} ${r.median.toFixed(0)} ns (min ${r.min.toFixed(0)}) = ${(1e9 / r.median / 1e6).toFixed(2)} M/s`);
  const ratio = results.length === 2 ? `  → ×${(results[0].median / results[1].median).toFixed(1)}` : '';
  console.log(`${label.padEnd(9)} ${cells.join(' | ')}${ratio}`);
}

// ---------------------------------------------------------------------------------------------------------

const count = (list, f) => list.filter(f).length;
console.log(
  `mix: ${mix.length} exchanges (${everyCompletion.length} replayed from ${fixtures('chromium').length + fixtures('gecko').length} fixtures, ` +
    `the same as Firefox would report them, ${table.length} from the case table); ` +
    `${failing.length} get a diagnosis; ${count(mix, (e) => e.engine === 'gecko')} Firefox; ` +
    `${count(mix, (e) => e.preflight)} preflighted; ${count(mix, (e) => e.redirects.length > 0)} redirected; ` +
    `the trackers' own choice (Chromium: failures and preflighted completions): ${trackersOwn.length}`,
);

if (RECORD || RECORD_BASELINE || COMPARE || baseline) {
  const list = corpus();
  const mine = outputs(current, list);
  if (RECORD) {
    writeFileSync(RECORD, JSON.stringify({ count: list.length, outputs: mine }));
    console.log(`recorded ${list.length} outputs to ${RECORD}`);
  }
  if (RECORD_BASELINE && baseline) {
    writeFileSync(RECORD_BASELINE, JSON.stringify({ count: list.length, outputs: outputs(baseline, list) }));
    console.log(`recorded ${list.length} outputs of ${BASELINE} to ${RECORD_BASELINE}`);
  }
  let differ = checkUrlFacts(list);
  if (COMPARE) {
    const theirs = JSON.parse(readFileSync(COMPARE, 'utf8')).outputs;
    // Round-trip ours through JSON too, so both sides lose the same things (undefined fields).
    differ += compare(`vs ${COMPARE}`, theirs, JSON.parse(JSON.stringify(mine)), list);
  }
  if (baseline) differ += compare(`vs ${BASELINE}`, outputs(baseline, list), mine, list);
  if (differ > 0) process.exitCode = 1;
}

const cold = coldCopies(mix, 20);
const jobsFor = (m) => ({
  mix: classifyAll(m, mix),
  lab: classifyAll(m, everyCompletion),
  tracker: classifyAll(m, trackersOwn),
  failing: classifyAll(m, failing),
  cold: classifyAll(m, cold),
  reduce: reduceAll(m, trackersOwn),
  huge: classifyAll(m, huge),
  read: () => {
    if (!m.readExchange) return 1;
    for (const ex of everyCompletion) sink += m.readExchange(ex, []).url.length;
    return everyCompletion.length;
  },
});
const versions = baseline ? [baseline, current] : [current];
const names = baseline ? ['before', 'after'] : ['now'];
for (const job of ['mix', 'failing', 'lab', 'tracker', 'cold', 'reduce', 'huge', 'read']) {
  if (ONLY && ONLY !== job) continue;
  report(
    job,
    timeInTurns(
      versions.map((m) => jobsFor(m)[job]),
      MS,
    ),
    names,
  );
}
if (sink === 0.5) console.log(sink);
