#!/usr/bin/env node
// `npm run bench`: every figure of docs/PERFORMANCE.md in one run; prints a table, writes bench/results.json.
//   --rounds=N          Chromium page-load rounds (alternating configurations), default 5
//   --firefox-rounds=N  Firefox page-load rounds, default 3; 0 skips Firefox
//   --only=a,b          sections: throughput, memory, pageload, firefox, heap, panel, bundle
//   --diagnose          page load also with storage writes stubbed out, and a count of those writes
// Not part of the test command, and nothing here asserts: targets are compared and reported.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { OUT, ROOT, buildEntries, buildExtension, buildShell } from './build.mjs';
import { bundleSizes } from './bundle.mjs';
import { checkFloor } from './floor-check.mjs';
import { profileClassifier } from './profile-classifier.mjs';
import { backgroundHeap, recordSizes } from './memory.mjs';
import { chromiumPageLoad, firefoxPageLoad, writePermissionOnlyExtension } from './pageload.mjs';
import { startPages } from './pages/server.mjs';
import { panelLatency, shellTimings } from './panel.mjs';
import { fmt, kib } from './stats.mjs';
import { classifierThroughput, trackerCost } from './throughput.mjs';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k ?? '', v ?? 'true'];
  }),
);
const rounds = Number(args.get('rounds') ?? 5);
const firefoxRounds = Number(args.get('firefox-rounds') ?? 3);
const only = args.has('only') ? new Set(String(args.get('only')).split(',')) : undefined;
const want = (/** @type {string} */ section) => (only ? only.has(section) : section !== 'firefox' || firefoxRounds > 0);
const diagnose = args.has('diagnose');
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

const started = Date.now();
const log = (/** @type {string} */ s) => console.log(s);
const version = (/** @type {string} */ bin) => {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0] ?? '';
  } catch {
    return 'unknown';
  }
};

/** @param {string[]} a */
function git(a) {
  try {
    return execFileSync('git', a, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trimEnd();
  } catch {
    return '';
  }
}

/** @type {Record<string, any>} */
const results = {
  date: new Date().toISOString(),
  machine: {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? '',
    ramGiB: +(totalmem() / 2 ** 30).toFixed(1),
    freeGiBAtStart: +(freemem() / 2 ** 30).toFixed(1),
    loadAverageAtStart: loadavg().map((x) => +x.toFixed(2)),
    node: process.version,
    chromium: version(CHROMIUM),
    firefox: version(FIREFOX),
  },
  options: { rounds, firefoxRounds, only: only ? [...only] : 'all', diagnose },
  // Other work changes the tree while the bench runs; the figures belong to this state of it.
  tree: {
    head: git(['rev-parse', '--short', 'HEAD']),
    modified: git(['status', '--porcelain', '--untracked-files=no', 'src']).split('\n').filter(Boolean).map((l) => l.slice(3)),
  },
};

log('building (vite build API): bench entries, extension for chrome and firefox, panel shell…');
const m = await buildEntries();
const chromeDir = await buildExtension('chrome');
const firefoxDir = want('firefox') ? await buildExtension('firefox') : undefined;
const shellDir = want('panel') ? await buildShell() : undefined;
results.floor = checkFloor(m).map(({ engine, same }) => ({ engine, sameListenersAsOurs: same }));
if (results.floor.some((/** @type {any} */ f) => !f.sameListenersAsOurs)) {
  log('WARNING: bench/floor-extension no longer registers what src/background/adapter.ts registers; the floor comparison is off.');
}

const section = async (/** @type {string} */ name, /** @type {() => Promise<any> | any} */ run) => {
  if (!want(name)) return;
  const t = Date.now();
  log(`\n[${name}]`);
  try {
    results[name] = await run();
  } catch (error) {
    results[name] = { error: String(/** @type {Error} */ (error)?.stack ?? error) };
    log(`  failed: ${String(/** @type {Error} */ (error)?.message ?? error)}`);
  }
  log(`  (${((Date.now() - t) / 1000).toFixed(0)} s)`);
};

await section('throughput', async () => {
  const classifier = classifierThroughput(m);
  // Below the target: where the time goes (V8's CPU profiler; the profile is kept in the temp directory).
  const profile = classifier.classifyMixed.median < 1e6 ? await profileClassifier(m) : undefined;
  if (profile) {
    log(`  profile: ${profile.file}`);
    for (const r of profile.self.slice(0, 12)) log(`  ${r.pct.toFixed(1).padStart(5)}% self  ${r.fn}`);
  }
  return { classifier, profile, tracker: trackerCost(m) };
});
await section('memory', () => recordSizes(m));
await section('bundle', () => bundleSizes(chromeDir));

const pages = await startPages();
try {
  await section('pageload', () => chromiumPageLoad(m, { ours: chromeDir, permissionOnly: writePermissionOnlyExtension(join(OUT, 'permission-only')), origins: pages.origins, rounds, diagnose, log }));
  await section('firefox', () => firefoxPageLoad(m, { ours: /** @type {string} */ (firefoxDir), origins: pages.origins, rounds: firefoxRounds, log }));
  await section('heap', () => backgroundHeap(m, { ours: chromeDir, origins: pages.origins, log }));
  await section('panel', async () => ({
    shell: await shellTimings(/** @type {string} */ (shellDir), { executablePath: CHROMIUM }),
    latency: await panelLatency(m, { ours: chromeDir, origins: pages.origins }),
  }));
} finally {
  await pages.close();
}

results.machine.loadAverageAtEnd = loadavg().map((x) => +x.toFixed(2));
results.seconds = Math.round((Date.now() - started) / 1000);
writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);

// ------------------------------------------------------------------------------------------------------
// The table

/** @type {Array<[string, string, string, string]>} */
const rows = [];
/** @param {string} what @param {string} value @param {string} [target] @param {boolean} [met] */
const row = (what, value, target = '', met) => rows.push([what, value, target, met === undefined ? '' : met ? 'ok' : 'MISSED']);
const r = results;
const ratio = (/** @type {any} */ x) => (x ? `${fmt(x.median, 2)}× (${fmt(x.min, 2)}–${fmt(x.max, 2)})` : 'n/a');

if (r.throughput?.classifier) {
  const c = r.throughput.classifier;
  row(`classify(), lab mix (${c.mix.exchanges} exchanges)`, `${fmt(c.classifyMixed.median, 0)} /s`, '≥ 1 000 000 /s', c.classifyMixed.median >= 1e6);
  row('classify(), failures only', `${fmt(c.classifyFailures.median, 0)} /s`);
  row('reduceExchange()', `${fmt(c.reduce.median, 0)} /s`);
  const t = r.throughput.tracker;
  row('tracker per request (assembly + classify + reduce)', `${fmt(t.fullUsPerRequest, 2)} µs`);
  row('tracker per request, classify stubbed', `${fmt(t.assemblyUsPerRequest, 2)} µs`);
  row('adapter header copy per event', `${fmt(t.adapterHeaderCopyUsPerEvent, 2)} µs`);
}
if (r.memory?.bytesPerRecord) {
  row(`stored record, as stored (${r.memory.records} lab failures), median`, `${fmt(r.memory.bytesPerRecord.median, 0)} B (max ${fmt(r.memory.bytesPerRecord.max, 0)})`, '≤ 1 KB', r.memory.bytesPerRecord.median <= 1024);
  if (r.memory.plainJsonBytesPerRecord) row('the same record as plain JSON, median', `${fmt(r.memory.plainJsonBytesPerRecord.median, 0)} B`);
}
if (r.pageload?.ratios) {
  const p = r.pageload;
  for (const page of ['many', 'ordinary']) {
    const label = page === 'many' ? '2 000 fetches' : 'ordinary page';
    row(`Chromium ${label}: none / floor / ours / unrecorded (median ms)`, ['none', 'floor', 'ours', 'unrecorded'].map((c) => fmt(p.medians[c]?.[page], 0)).join(' / '));
    row(`Chromium ${label}: floor ÷ none`, ratio(p.ratios[`${page} floor/none`]));
    row(`Chromium ${label}: ours ÷ none`, ratio(p.ratios[`${page} ours/none`]));
    row(`Chromium ${label}: ours ÷ floor`, ratio(p.ratios[`${page} ours/floor`]), '≤ 1.05', p.ratios[`${page} ours/floor`]?.median <= 1.05);
    row(`Chromium ${label}: unrecorded tab ÷ none`, ratio(p.ratios[`${page} unrecorded/none`]), '≤ 1.02', p.ratios[`${page} unrecorded/none`]?.median <= 1.02);
    if (p.ratios[`${page} nostore/floor`]) row(`Chromium ${label}: ours without storage writes ÷ floor`, ratio(p.ratios[`${page} nostore/floor`]));
    if (p.ratios[`${page} permission/none`]) row(`Chromium ${label}: webRequest permission, no listener ÷ none`, ratio(p.ratios[`${page} permission/none`]));
  }
  row('Chromium: page settled → all 1 000 failures stored', `${fmt(p.recordLagMs.median, 0)} ms`);
  if (p.storageWrites) row('Chromium: storage.session writes for the 2 000-fetch page', `${p.storageWrites.writes} writes, ${kib(p.storageWrites.bytes)} in all`);
  for (const problem of p.problems) row('Chromium problem', problem);
}
if (r.firefox?.ratios) {
  const f = r.firefox;
  for (const page of ['many', 'ordinary']) {
    const label = page === 'many' ? '2 000 fetches' : 'ordinary page';
    row(`Firefox ${label}: none / floor / ours / unrecorded (median ms)`, ['none', 'floor', 'ours', 'unrecorded'].map((c) => fmt(f.medians[c]?.[page], 0)).join(' / '));
    row(`Firefox ${label}: floor ÷ none`, ratio(f.ratios[`${page} floor/none`]));
    row(`Firefox ${label}: ours ÷ none`, ratio(f.ratios[`${page} ours/none`]));
    row(`Firefox ${label}: ours ÷ floor`, ratio(f.ratios[`${page} ours/floor`]), '≤ 1.05', f.ratios[`${page} ours/floor`]?.median <= 1.05);
    row(`Firefox ${label}: unrecorded tab ÷ none`, ratio(f.ratios[`${page} unrecorded/none`]), '≤ 1.02', f.ratios[`${page} unrecorded/none`]?.median <= 1.02);
  }
}
if (r.heap?.after) {
  const h = r.heap;
  row('background heap, idle (after GC)', kib(h.before.heapUsed));
  row('background heap after 1 000 failures', kib(h.after[1000].heapUsed));
  row(`background heap after 10 000 failures (cap ${h.cap}/tab)`, kib(h.after[10000].heapUsed), 'bounded by the cap', h.after[10000].heapUsed < h.after[1000].heapUsed * 1.25);
  row('storage.session per record (live, capped tab)', `${fmt(h.after[10000].storageBytesPerRecord, 0)} B`, '≤ 1 KB', h.after[10000].storageBytesPerRecord <= 1024);
  if (h.after[10000].quotaBytesPerRecord) row('the same, as Chromium counts it (getBytesInUse)', `${fmt(h.after[10000].quotaBytesPerRecord, 0)} B`);
}
if (r.panel?.shell) {
  const s = r.panel.shell;
  row(`panel first render, ${s.records} records (shell)`, `${fmt(s.firstRenderMs.median, 1)} ms`, '≤ 100 ms', s.firstRenderMs.median <= 100);
  row('panel detail open (render + layout)', `${fmt(s.detailOpenMs.median, 1)} ms`, '≤ 16 ms', s.detailOpenMs.median <= 16);
  row('panel detail open, to next frame', `${fmt(s.detailOpenToFrameMs.median, 1)} ms`);
  row('panel filter (type a query), to next frame', `${fmt(s.filterMs.median, 1)} ms`);
}
if (r.panel?.latency) {
  const l = r.panel.latency;
  row(`failing request → its row in the open panel (${l.rowsSeen}/${l.samples})`, `${fmt(l.failureToRowMs.median, 1)} ms (max ${fmt(l.failureToRowMs.max, 1)})`, '≤ 100 ms', l.failureToRowMs.median <= 100);
}
if (r.bundle?.background) {
  row('bundle: background (raw / gzip)', `${kib(r.bundle.background.raw)} / ${kib(r.bundle.background.gzip)}`);
  row('bundle: panel incl. CSS (raw / gzip)', `${kib(r.bundle.panel.raw)} / ${kib(r.bundle.panel.gzip)}`);
  row('bundle: devtools page (raw / gzip)', `${kib(r.bundle.devtools.raw)} / ${kib(r.bundle.devtools.gzip)}`);
}
for (const name of ['throughput', 'memory', 'bundle', 'pageload', 'firefox', 'heap', 'panel']) {
  if (r[name]?.error) row(`${name} failed`, String(r[name].error).split('\n')[0] ?? '');
}

const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((x) => x[i]?.length ?? 0), 6));
const line = (/** @type {string[]} */ cells) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
log(`\n${line(['measure', 'value', 'target', ''])}`);
log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const x of rows) log(line(x));
log(
  `\n${r.machine.chromium}; ${r.machine.nproc} cores, ${r.machine.ramGiB} GiB; load average ${r.machine.loadAverageAtStart.join(' ')} → ${r.machine.loadAverageAtEnd.join(' ')}; ${r.seconds} s. Written: bench/results.json`,
);
