// Section 3: memory. (a) Bytes per stored record: the JSON of CorsRecords as the store writes them
// (exchange after reduceExchange, diagnosis), for the failures of the lab's recorded pages. (b) In
// Chromium: the service worker's heap (CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage) before
// any failure, after 1 000 and after 10 000 failures in one tab (the store keeps DEFAULT_CAP per tab), and
// what storage.session then holds.
import { connectTarget, debuggingPort } from './cdp.mjs';
import { storedCounts } from './pageload.mjs';
import { loadFixtures } from './throughput.mjs';
import { median } from './stats.mjs';

/** @param {any} m */
export function recordSizes(m) {
  /** @type {any[]} */
  const records = [];
  for (const fixture of loadFixtures()) {
    let seq = 1;
    const tracker = new m.Tracker(m.chromeProfile.facts, m.corsLogic, (/** @type {any} */ exchange, /** @type {any} */ diagnosis) => {
      records.push({ id: `${exchange.tabId}:${seq}`, tabId: exchange.tabId, seq: seq++, exchange, diagnosis });
    });
    for (const event of fixture.events) tracker.handle(event);
  }
  // What storage.session holds per record: the compact encoding of src/background/storage-layout.ts.
  const sizes = records.map((r) => Buffer.byteLength(JSON.stringify(m.encodeRecord(r))));
  // The record as plain JSON (in the worker's memory, in the panel's port messages).
  const plainSizes = records.map((r) => Buffer.byteLength(JSON.stringify(r)));
  const exchangeSizes = records.map((r) => Buffer.byteLength(JSON.stringify(r.exchange)));
  const tab = { tabId: 1, records, dropped: 0, nextSeq: records.length + 1 };
  const sorted = [...sizes].sort((a, b) => a - b);
  return {
    records: records.length,
    bytesPerRecord: { median: median(sizes), mean: sizes.reduce((a, b) => a + b, 0) / sizes.length, max: sorted.at(-1) ?? 0, min: sorted[0] ?? 0 },
    plainJsonBytesPerRecord: { median: median(plainSizes), mean: plainSizes.reduce((a, b) => a + b, 0) / plainSizes.length },
    exchangeBytes: { median: median(exchangeSizes) },
    tabRecordsBytesPerRecord: Buffer.byteLength(JSON.stringify(tab)) / records.length,
    largest: records
      .map((r, i) => ({ reason: r.diagnosis.reason, bytes: sizes[i] ?? 0 }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 3),
  };
}

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {any} m @param {{ ours: string, origins: { page: string }, log: (s: string) => void }} o
 */
export async function backgroundHeap(m, { ours, origins, log }) {
  const browser = await m.launchChromium({ extension: ours, args: ['--remote-debugging-port=0'] });
  /** @type {any} */
  let sw;
  try {
    const port = await debuggingPort(browser.userDataDir);
    sw = await connectTarget(port, (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${browser.extensionId}/`));
    const heap = async () => {
      await sw.send('HeapProfiler.collectGarbage');
      await sleep(100);
      await sw.send('HeapProfiler.collectGarbage');
      return sw.send('Runtime.getHeapUsage');
    };
    const page = await browser.context.newPage();
    await page.goto(`${origins.page}/blank`);
    const before = await heap();
    /** @type {Record<string, any>} */
    const after = {};
    for (const n of [1000, 10_000]) {
      const started = Date.now();
      // A new navigation clears the tab's records (preserve log is off): each run starts from an empty tab.
      await page.goto(`${origins.page}/failures?n=${n}`, { timeout: 300_000 });
      const result = await page.evaluate(() => /** @type {any} */ (window).__finished, undefined);
      let stored = { records: 0, dropped: 0, bytes: 0 };
      for (let i = 0; i < 600; i++) {
        stored = storedCounts(m, await browser.serviceWorker.evaluate(() => chrome.storage.session.get(null)));
        if (stored.records + stored.dropped >= n) break;
        await sleep(100);
      }
      // What Chromium itself counts against the 10 MB quota (it counts a value's tree, not its JSON text).
      const quotaBytes = await browser.serviceWorker.evaluate(async () => {
        const keys = Object.keys(await chrome.storage.session.get(null)).filter((k) => k.startsWith('tab:'));
        return keys.length > 0 ? chrome.storage.session.getBytesInUse(keys) : 0;
      });
      const usage = await heap();
      after[n] = {
        failedInPage: result.failed,
        seconds: (Date.now() - started) / 1000,
        storedRecords: stored.records,
        dropped: stored.dropped,
        storageBytes: stored.bytes,
        storageBytesPerRecord: stored.records > 0 ? stored.bytes / stored.records : Number.NaN,
        quotaBytes,
        quotaBytesPerRecord: stored.records > 0 ? quotaBytes / stored.records : Number.NaN,
        heapUsed: usage.usedSize,
        heapTotal: usage.totalSize,
      };
      log(`  heap after ${n} failures: ${(usage.usedSize / 1024 / 1024).toFixed(2)} MiB used; stored ${stored.records} records + ${stored.dropped} dropped`);
    }
    return { cap: m.DEFAULT_CAP, before: { heapUsed: before.usedSize, heapTotal: before.totalSize }, after };
  } finally {
    sw?.close();
    await browser.close();
  }
}
