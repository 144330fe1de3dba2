// Section 2: what the extension costs a page. Each configuration gets a fresh browser per round (one
// browser at a time), the order rotating every round; in each launch a warm-up load, then the ordinary
// page, then the page of 2 000 cross-origin fetches. Page-load time is the page's own mark: window.__done
// (performance.now() when all its requests have settled; navigation start is time zero).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, pairedRatio } from './stats.mjs';

export const FLOOR_DIR = new URL('./floor-extension/', import.meta.url).pathname;

/** @typedef {'none' | 'floor' | 'ours' | 'unrecorded' | 'nostore' | 'permission'} Config */

/**
 * An extension that holds the webRequest permission and registers nothing: what Chromium charges for the
 * permission alone (its network service proxies every request of a profile where an extension with
 * webRequest is enabled, listeners or not). Written next to the other bench builds.
 * @param {string} dir
 */
export function writePermissionOnlyExtension(dir) {
  mkdirSync(dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(FLOOR_DIR, 'manifest.json'), 'utf8'));
  manifest.name = 'CORS Explainer bench: webRequest permission, no listener';
  manifest.background = { service_worker: 'background.js' };
  delete manifest.browser_specific_settings;
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'background.js'), '// Registers nothing.\n');
  return dir;
}

/** @param {Config[]} configs @param {number} round */
function rotate(configs, round) {
  const k = round % configs.length;
  return [...configs.slice(k), ...configs.slice(0, k)];
}

/** @param {(ms: number) => void} [_] */
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {Record<Config, { ordinary: number[], many: number[] }>} times
 * @param {Config[]} configs
 */
function ratios(times, configs) {
  /** @type {Record<string, any>} */
  const out = {};
  const pairs = /** @type {Array<[string, Config, Config]>} */ ([
    ['floor/none', 'floor', 'none'],
    ['ours/none', 'ours', 'none'],
    ['ours/floor', 'ours', 'floor'],
    ['unrecorded/none', 'unrecorded', 'none'],
    ['nostore/floor', 'nostore', 'floor'],
    ['permission/none', 'permission', 'none'],
  ]);
  for (const page of /** @type {const} */ (['many', 'ordinary'])) {
    for (const [name, a, b] of pairs) {
      if (!configs.includes(a) || !configs.includes(b)) continue;
      out[`${page} ${name}`] = pairedRatio(times[a][page], times[b][page]);
    }
  }
  return out;
}

/** @param {Record<Config, { ordinary: number[], many: number[] }>} times */
function medians(times) {
  /** @type {Record<string, { ordinary: number, many: number }>} */
  const out = {};
  for (const [config, t] of Object.entries(times)) out[config] = { ordinary: median(t.ordinary), many: median(t.many) };
  return out;
}

/**
 * Records per tab in the extension's storage.session (src/background/storage-layout.ts: tab:<id>:meta and
 * tab:<id>:c:<n>), and the bytes of those keys and values (a string counts its length, as Chromium counts it).
 * @param {any} m @param {Record<string, any>} items
 */
export function storedCounts(m, items) {
  let records = 0;
  let dropped = 0;
  let bytes = 0;
  for (const tab of m.tabsFromItems(items)) {
    records += tab.records.length;
    dropped += tab.dropped;
  }
  for (const [key, value] of Object.entries(items)) {
    if (m.tabIdOfKey(key) === undefined) continue;
    bytes += key.length + (typeof value === 'string' ? value.length : JSON.stringify(value).length);
  }
  return { records, dropped, bytes };
}

/**
 * `diagnose` adds two configurations: "nostore", ours with storage.session.set replaced by a no-op (how
 * much of ours-vs-floor the storage writes are), and "permission", an extension with the webRequest
 * permission and no listener (what an unrecorded tab cannot avoid); and one extra launch that counts the
 * storage writes.
 * @param {any} m bundled entries
 * @param {{ ours: string, permissionOnly: string, origins: { page: string }, rounds: number, diagnose?: boolean, configs?: Config[], log: (s: string) => void }} o
 */
export async function chromiumPageLoad(m, { ours, permissionOnly, origins, rounds, diagnose = false, log, ...o }) {
  /** @type {Config[]} */
  const configs = o.configs ?? ['none', 'floor', 'ours', 'unrecorded', ...(diagnose ? /** @type {Config[]} */ (['nostore', 'permission']) : [])];
  /** @type {Record<Config, { ordinary: number[], many: number[] }>} */
  const times = {
    none: { ordinary: [], many: [] },
    floor: { ordinary: [], many: [] },
    ours: { ordinary: [], many: [] },
    unrecorded: { ordinary: [], many: [] },
    nostore: { ordinary: [], many: [] },
    permission: { ordinary: [], many: [] },
  };
  /** @type {number[]} */
  const recordLagMs = [];
  /** @type {string[]} */
  const problems = [];
  const checks = { oursRecorded: /** @type {number[]} */ ([]), unrecordedStored: /** @type {number[]} */ ([]) };

  for (let round = 0; round < rounds; round++) {
    for (const config of rotate(configs, round)) {
      const extension = config === 'none' ? undefined : config === 'floor' ? FLOOR_DIR : config === 'permission' ? permissionOnly : ours;
      const browser = await m.launchChromium({ extension });
      try {
        const sw = browser.serviceWorker;
        if (config === 'nostore') {
          await sw.evaluate(() => {
            chrome.storage.session.set = () => Promise.resolve();
          });
        }
        if (config === 'unrecorded') {
          // Settings.scope 'devtools-open' (storage.local `settings`): no panel is open, so no tab is recorded
          // and the background drops its unfiltered listeners (src/background/scope.ts).
          await sw.evaluate(async (key) => chrome.storage.local.set({ [key]: { preserveLog: false, scope: 'devtools-open' } }), m.SETTINGS_KEY);
          const listening = () =>
            sw.evaluate(() => ['onBeforeRequest', 'onSendHeaders', 'onHeadersReceived', 'onCompleted', 'onErrorOccurred'].some((e) => /** @type {any} */ (chrome.webRequest)[e].hasListeners()));
          for (let i = 0; i < 50 && (await listening()); i++) await sleep(100);
          if (await listening()) problems.push('unrecorded: webRequest listeners still registered after switching the scope');
        }
        const page = await browser.context.newPage();
        const load = async (/** @type {string} */ path) => {
          await page.goto(`${origins.page}${path}`, { waitUntil: 'load', timeout: 120_000 });
          return page.evaluate(() => /** @type {any} */ (window).__finished.then((/** @type {any} */ result) => ({ ...result, done: /** @type {any} */ (window).__done })));
        };
        await load('/ordinary');
        const ordinary = await load('/ordinary');
        const many = await load('/many');
        const doneAt = Date.now();
        if (many.ok !== 1000 || many.failed !== 1000) problems.push(`${config}: /many settled ${many.ok} ok / ${many.failed} failed (expected 1000/1000)`);
        if (ordinary.failed !== 1) problems.push(`${config}: /ordinary had ${ordinary.failed} failures (expected 1)`);
        times[config].ordinary.push(ordinary.done);
        times[config].many.push(many.done);
        if (config === 'ours') {
          // How long after the page settled the background had stored every failure (cap 1000 per tab).
          let counts = storedCounts(m, {});
          for (let i = 0; i < 600; i++) {
            counts = storedCounts(m, await sw.evaluate(() => chrome.storage.session.get(null)));
            if (counts.records + counts.dropped >= 1000) break;
            await sleep(50);
          }
          recordLagMs.push(Date.now() - doneAt);
          checks.oursRecorded.push(counts.records + counts.dropped);
        }
        if (config === 'unrecorded') {
          await sleep(300);
          checks.unrecordedStored.push(storedCounts(m, await sw.evaluate(() => chrome.storage.session.get(null))).records);
        }
        log(`  chromium round ${round + 1}/${rounds} ${config.padEnd(10)} ordinary ${ordinary.done.toFixed(0).padStart(6)} ms   many ${many.done.toFixed(0).padStart(6)} ms`);
      } finally {
        await browser.close();
      }
    }
  }
  const storageWrites = diagnose ? await countStorageWrites(m, ours, origins) : undefined;
  for (const config of Object.keys(times)) if (!configs.includes(/** @type {Config} */ (config))) delete times[/** @type {Config} */ (config)];
  return { rounds, medians: medians(times), ratios: ratios(times, configs), times, recordLagMs: { median: median(recordLagMs), all: recordLagMs }, checks, storageWrites, problems };
}

/** How many storage.session writes, of how many bytes in all, the background makes for the /many page.
 * @param {any} m @param {string} ours @param {{ page: string }} origins */
async function countStorageWrites(m, ours, origins) {
  const browser = await m.launchChromium({ extension: ours });
  try {
    const sw = browser.serviceWorker;
    await sw.evaluate(() => {
      const area = chrome.storage.session;
      const set = area.set.bind(area);
      const g = /** @type {any} */ (globalThis);
      g.__benchWrites = { writes: 0, bytes: 0 };
      area.set = (/** @type {any} */ items) => {
        g.__benchWrites.writes++;
        // A string value counts its length (not the escaped JSON of it), as in storedCounts.
        for (const [key, value] of Object.entries(items)) g.__benchWrites.bytes += key.length + (typeof value === 'string' ? value.length : JSON.stringify(value).length);
        return set(items);
      };
    });
    const page = await browser.context.newPage();
    await page.goto(`${origins.page}/many`, { waitUntil: 'load', timeout: 120_000 });
    await page.evaluate(() => /** @type {any} */ (window).__finished);
    for (let i = 0; i < 600; i++) {
      const items = await sw.evaluate(() => chrome.storage.session.get(null));
      const c = storedCounts(m, items);
      if (c.records + c.dropped >= 1000) break;
      await sleep(50);
    }
    const counted = await sw.evaluate(() => /** @type {any} */ (globalThis).__benchWrites);
    const final = storedCounts(m, await sw.evaluate(() => chrome.storage.session.get(null)));
    return { ...counted, finalBytes: final.bytes, records: final.records };
  } finally {
    await browser.close();
  }
}

/**
 * Firefox over WebDriver BiDi: none / floor / ours, the same pages.
 * @param {any} m @param {{ ours: string, origins: { page: string }, rounds: number, log: (s: string) => void }} o
 */
export async function firefoxPageLoad(m, { ours, origins, rounds, log }) {
  /** @type {Config[]} */
  const configs = ['none', 'floor', 'ours', 'unrecorded'];
  /** @type {Record<Config, { ordinary: number[], many: number[] }>} */
  const times = { none: { ordinary: [], many: [] }, floor: { ordinary: [], many: [] }, ours: { ordinary: [], many: [] }, unrecorded: { ordinary: [], many: [] } };
  /** @type {string[]} */
  const problems = [];
  for (let round = 0; round < rounds; round++) {
    for (const config of rotate(configs, round)) {
      const extension = config === 'none' ? undefined : config === 'floor' ? FLOOR_DIR : ours;
      const firefox = await m.launchFirefox({ extension });
      try {
        if (config === 'unrecorded') {
          await firefox.extensionEval(
            (/** @type {string} */ key) =>
              // @ts-expect-error `browser` exists in the extension page
              browser.storage.local.set({ [key]: { preserveLog: false, scope: 'devtools-open' } }),
            m.SETTINGS_KEY,
          );
          await sleep(500);
        }
        const tab = await firefox.openTab('about:blank');
        const load = async (/** @type {string} */ path) => {
          await firefox.navigate(tab, `${origins.page}${path}`);
          return firefox.evaluate(tab, () => /** @type {any} */ (window).__finished.then((/** @type {any} */ result) => ({ ...result, done: /** @type {any} */ (window).__done })));
        };
        await load('/ordinary');
        const ordinary = /** @type {any} */ (await load('/ordinary'));
        const many = /** @type {any} */ (await load('/many'));
        if (many.ok !== 1000 || many.failed !== 1000) problems.push(`firefox ${config}: /many settled ${many.ok} ok / ${many.failed} failed`);
        times[config].ordinary.push(ordinary.done);
        times[config].many.push(many.done);
        log(`  firefox  round ${round + 1}/${rounds} ${config.padEnd(10)} ordinary ${ordinary.done.toFixed(0).padStart(6)} ms   many ${many.done.toFixed(0).padStart(6)} ms`);
      } finally {
        await firefox.close();
      }
    }
  }
  return { rounds, medians: medians(times), ratios: ratios(times, configs), times, problems };
}
