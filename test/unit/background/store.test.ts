import { describe, expect, it } from 'vitest';
import type { CorsRecord, TabRecords } from '../../../src/cors/record.ts';
import { chunkKey, metaKey, tabFromItems } from '../../../src/background/storage-layout.ts';
import { RecordStore, type StoreListener, type StoreOptions } from '../../../src/background/store.ts';
import { diagnosis, exchange, MemoryArea, settle } from './fakes.ts';

function listener() {
  const log: Array<{ kind: 'added'; tabId: number; seqs: number[]; dropped: number } | { kind: 'cleared'; tabId: number }> = [];
  const changed: Array<{ tabId: number; count: number }> = [];
  const l: StoreListener = {
    added: (tabId, records, dropped) => log.push({ kind: 'added', tabId, seqs: records.map((r) => r.seq), dropped }),
    cleared: (tabId) => log.push({ kind: 'cleared', tabId }),
    changed: (tabId, tab) => changed.push({ tabId, count: tab.records.length }),
  };
  return { l, log, changed };
}

/** The tab as storage holds it (header and chunks, decoded). */
function stored(area: MemoryArea, tabId: number): TabRecords {
  const tab = tabFromItems(Object.fromEntries(area.data), tabId);
  if (tab === undefined) throw new Error(`tab ${tabId} has no stored header`);
  return tab;
}

/** Keys of one tab in storage. */
function keysOf(area: MemoryArea, tabId: number): string[] {
  return [...area.data.keys()].filter((k) => k.startsWith(`tab:${tabId}:`)).sort();
}

/** Unpaced, so that the tests below are about what is written, not when (pacing has its own tests). */
function newStore(area: MemoryArea, l: StoreListener, options: StoreOptions = {}): RecordStore {
  return new RecordStore(area, l, { writeIntervalMs: 0, ...options });
}

const seqs = (records: CorsRecord[]) => records.map((r) => r.seq);

describe('RecordStore', () => {
  it('persists a record under tab:<id>:meta and tab:<id>:c:0 with seq, id and the exchange as given', async () => {
    const area = new MemoryArea();
    const store = newStore(area, listener().l);
    store.add(exchange(7, 1000), diagnosis());
    await store.flushed();
    const tab = stored(area, 7);
    expect(tab.tabId).toBe(7);
    expect(tab.nextSeq).toBe(2);
    expect(tab.dropped).toBe(0);
    expect(tab.records).toHaveLength(1);
    expect(tab.records[0]?.id).toBe('7:1');
    expect(tab.records[0]?.exchange.url).toBe('http://api.test/data');
    expect(tab.records[0]?.diagnosis.reason).toBe('CORSMissingAllowOrigin');
    expect(tab.records[0]).toEqual({ id: '7:1', tabId: 7, seq: 1, exchange: exchange(7, 1000), diagnosis: diagnosis() });
    expect(keysOf(area, 7)).toEqual([chunkKey(7, 0), metaKey(7)]);
    expect(area.data.get(metaKey(7))).toEqual({ nextSeq: 2, dropped: 0, firstChunk: 0, lastChunk: 0 });
  });

  it('coalesces a burst of 1000 failures into a few writes, losing and doubling nothing', async () => {
    const area = new MemoryArea();
    area.hold = true;
    const { l, log } = listener();
    const store = newStore(area, l);
    for (let i = 0; i < 1000; i++) store.add(exchange(1, 1000 + i), diagnosis());
    await settle();
    // The first write left at once, while the tab's state was loaded; all others wait behind it.
    expect(area.pendingWrites).toBe(1);
    while (area.pendingWrites > 0) {
      area.release();
      await settle();
    }
    await store.flushed();
    expect(area.sets).toBeLessThanOrEqual(3);
    const tab = stored(area, 1);
    expect(seqs(tab.records)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    // Each record announced exactly once, in order, in batches.
    const announced = log.flatMap((e) => (e.kind === 'added' ? e.seqs : []));
    expect(announced).toEqual(seqs(tab.records));
    expect(log.length).toBeLessThanOrEqual(3);
  });

  it('keeps at most `cap` records per tab, oldest dropped and counted', async () => {
    const area = new MemoryArea();
    const store = newStore(area, listener().l, { cap: 10 });
    for (let i = 0; i < 25; i++) {
      store.add(exchange(3, 1000 + i), diagnosis());
      if (i % 7 === 0) await settle(2);
    }
    await store.flushed();
    const tab = stored(area, 3);
    expect(seqs(tab.records)).toEqual(Array.from({ length: 10 }, (_, i) => i + 16));
    expect(tab.dropped).toBe(15);
    expect(tab.nextSeq).toBe(26);
  });

  it('continues seq after a restart: a new store loads lazily and neither reuses nor skips a number', async () => {
    const area = new MemoryArea();
    const first = newStore(area, listener().l);
    for (let i = 0; i < 5; i++) first.add(exchange(4, 1000 + i), diagnosis());
    await first.flushed();

    const { l, log } = listener();
    const gets = area.gets;
    const second = newStore(area, l);
    await settle();
    // Nothing is read until the tab is first used.
    expect(area.gets).toBe(gets);
    for (let i = 0; i < 3; i++) second.add(exchange(4, 2000 + i), diagnosis());
    await second.flushed();
    const tab = stored(area, 4);
    expect(seqs(tab.records)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(log.flatMap((e) => (e.kind === 'added' ? e.seqs : []))).toEqual([6, 7, 8]);
    expect(seqs((await second.get(4)).records)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('a worker killed with writes pending leaves storage consistent: the next life continues from it', async () => {
    const area = new MemoryArea();
    const dying = newStore(area, listener().l);
    dying.add(exchange(5, 1000), diagnosis());
    await dying.flushed();
    area.hold = true;
    for (let i = 0; i < 4; i++) dying.add(exchange(5, 1001 + i), diagnosis());
    await settle();
    // Killed now: the held write is lost with the worker (never applied).
    area.hold = false;
    const next = newStore(area, listener().l);
    next.add(exchange(5, 3000), diagnosis());
    await next.flushed();
    const tab = stored(area, 5);
    const s = seqs(tab.records);
    expect(new Set(s).size).toBe(s.length);
    expect(s).toEqual([1, 2]);
    expect(tab.nextSeq).toBe(3);
  });

  it('a navigation drops only records of requests that started before it, however late it is handled', async () => {
    const area = new MemoryArea();
    const { l, log } = listener();
    const store = newStore(area, l);
    store.add(exchange(6, 1000, 'http://api.test/old-1'), diagnosis());
    store.add(exchange(6, 1500, 'http://api.test/old-2'), diagnosis());
    store.add(exchange(6, 2500, 'http://api.test/new-page'), diagnosis());
    await store.flushed();
    log.length = 0;
    // The navigation started at 2000; its signal arrives after the new page's first failure.
    await store.clearBefore(6, 2000);
    // A late failure of the old page is not added to the new page's list.
    store.add(exchange(6, 1900, 'http://api.test/old-late'), diagnosis());
    store.add(exchange(6, 2600, 'http://api.test/new-2'), diagnosis());
    await store.flushed();
    const tab = stored(area, 6);
    expect(tab.records.map((r) => r.exchange.url)).toEqual(['http://api.test/new-page', 'http://api.test/new-2']);
    expect(seqs(tab.records)).toEqual([3, 4]);
    expect(log[0]).toEqual({ kind: 'cleared', tabId: 6 });
    expect(log[1]).toEqual({ kind: 'added', tabId: 6, seqs: [3], dropped: 0 });
    expect(log[2]).toEqual({ kind: 'added', tabId: 6, seqs: [4], dropped: 0 });
  });

  it('a navigation with nothing older to drop changes nothing', async () => {
    const area = new MemoryArea();
    const { l, log } = listener();
    const store = newStore(area, l);
    store.add(exchange(2, 5000), diagnosis());
    await store.flushed();
    log.length = 0;
    const sets = area.sets;
    await store.clearBefore(2, 4000);
    await store.flushed();
    expect(log).toEqual([]);
    expect(area.sets).toBe(sets);
  });

  it('clear empties the list and resets dropped, but seq goes on', async () => {
    const area = new MemoryArea();
    const store = newStore(area, listener().l, { cap: 2 });
    for (let i = 0; i < 3; i++) store.add(exchange(8, 1000 + i), diagnosis());
    await store.flushed();
    expect(stored(area, 8).dropped).toBe(1);
    await store.clear(8);
    store.add(exchange(8, 900), diagnosis());
    await store.flushed();
    const tab = stored(area, 8);
    expect(tab.dropped).toBe(0);
    expect(seqs(tab.records)).toEqual([4]);
  });

  it('a closed tab loses its key, even with a write in flight, and late failures are ignored', async () => {
    const area = new MemoryArea();
    const store = newStore(area, listener().l);
    store.add(exchange(9, 1000), diagnosis());
    await store.flushed();
    area.hold = true;
    store.add(exchange(9, 1001), diagnosis());
    await settle();
    const removing = store.removeTab(9);
    area.release();
    area.hold = false;
    await removing;
    store.add(exchange(9, 1002), diagnosis());
    await store.flushed();
    expect(keysOf(area, 9)).toEqual([]);
  });

  it('retainTabs removes keys of tabs that are gone, keeps the others', async () => {
    const area = new MemoryArea();
    const before = newStore(area, listener().l, { chunkSize: 2 });
    for (let i = 0; i < 3; i++) before.add(exchange(1, 1000 + i), diagnosis());
    before.add(exchange(2, 1000), diagnosis());
    await before.flushed();
    area.data.set('inspected', [2]);
    area.data.set('tab:12:meta', { nextSeq: 1, dropped: 0, firstChunk: 0, lastChunk: -1 });
    const store = newStore(area, listener().l);
    await store.retainTabs(new Set([2]));
    expect([...area.data.keys()].sort()).toEqual(['inspected', 'tab:2:c:0', 'tab:2:meta']);
  });

  it('ignores stored values of the wrong shape', async () => {
    const area = new MemoryArea();
    area.data.set(metaKey(3), { records: 'nope' });
    const store = newStore(area, listener().l);
    expect(await store.get(3)).toEqual({ tabId: 3, records: [], dropped: 0, nextSeq: 1 });
  });

  it('all() lists every tab, in memory or only in storage', async () => {
    const area = new MemoryArea();
    const old = newStore(area, listener().l);
    old.add(exchange(11, 1), diagnosis());
    await old.flushed();
    const store = newStore(area, listener().l);
    store.add(exchange(12, 1), diagnosis());
    await store.flushed();
    const all = await store.all();
    expect(all.map((t) => [t.tabId, t.records.length])).toEqual([
      [11, 1],
      [12, 1],
    ]);
  });
});

describe('RecordStore when storage is full', () => {
  it('drops the oldest quarter of the tab (counted), frees its chunks first, and writes again until it fits', async () => {
    const area = new MemoryArea();
    const realSet = area.set.bind(area);
    // A quota of 20 records in all of storage (stale chunks count until they are removed).
    area.set = (items) => {
      const after = new Map(area.data);
      for (const [k, v] of Object.entries(items)) after.set(k, v);
      const total = [...after].filter(([k]) => k.includes(':c:')).reduce((n, [, v]) => n + (JSON.parse(v as string) as unknown[]).length, 0);
      return total > 20 ? Promise.reject(new Error('Session storage quota bytes exceeded.')) : realSet(items);
    };
    const store = newStore(area, listener().l, { chunkSize: 5 });
    for (let i = 0; i < 40; i++) {
      store.add(exchange(2, 1000 + i), diagnosis());
      if (i % 3 === 0) await settle(2);
    }
    await store.flushed();
    const tab = stored(area, 2);
    expect(tab.records.length).toBeLessThanOrEqual(20);
    expect(tab.records.length + tab.dropped).toBe(40);
    expect(tab.records.at(-1)?.seq).toBe(40);
    expect(seqs(tab.records)).toEqual(Array.from({ length: tab.records.length }, (_, i) => 41 - tab.records.length + i));
    expect(seqs((await store.get(2)).records)).toEqual(seqs(tab.records));
    expect(orphanChunks(area, 2)).toEqual([]);
  });

  it('gives up quietly on a tab with few records', async () => {
    const area = new MemoryArea();
    area.set = () => Promise.reject(new Error('Session storage quota bytes exceeded.'));
    const store = newStore(area, listener().l);
    store.add(exchange(2, 1000), diagnosis());
    await store.flushed();
    expect((await store.get(2)).records).toHaveLength(1);
  });
});

/** Chunk keys of a tab that its stored header does not name (left behind). */
function orphanChunks(area: MemoryArea, tabId: number): string[] {
  const meta = area.data.get(metaKey(tabId)) as { firstChunk: number; lastChunk: number } | undefined;
  return keysOf(area, tabId).filter((k) => {
    if (k === metaKey(tabId)) return false;
    const n = Number(k.split(':').at(-1));
    return meta === undefined || n < meta.firstChunk || n > meta.lastChunk;
  });
}

/** Bytes a set() call carries, as JSON (what storage serialises). */
function countingArea(): { area: MemoryArea; writes: number[] } {
  const area = new MemoryArea();
  const writes: number[] = [];
  const realSet = area.set.bind(area);
  area.set = (items) => {
    writes.push(JSON.stringify(items).length);
    return realSet(items);
  };
  return { area, writes };
}

describe('RecordStore chunked layout', () => {
  it('a burst of 1000 failures written in many small writes costs about the data once, not its square', async () => {
    const { area, writes } = countingArea();
    const { l, log } = listener();
    const store = newStore(area, l);
    // Groups of 10 new records, each group written before the next: the old layout rewrote the whole list
    // every time (~100× the data in all).
    for (let i = 0; i < 1000; i++) {
      store.add(exchange(1, 1000 + i), diagnosis());
      if (i % 10 === 9) await store.flushed();
    }
    await store.flushed();
    const finalBytes = [...area.data].filter(([k]) => k.startsWith('tab:1:')).reduce((n, [k, v]) => n + k.length + JSON.stringify(v).length, 0);
    const written = writes.reduce((a, b) => a + b, 0);
    // Unpaced: each group's first record goes out at once, the other nine in the next write.
    expect(writes.length).toBeGreaterThanOrEqual(100);
    expect(writes.length).toBeLessThanOrEqual(200);
    // Each write carries the header, the new records and at most a small last chunk, never the whole list.
    expect(Math.max(...writes)).toBeLessThan(finalBytes / 40);
    expect(written).toBeLessThan(finalBytes * 2);
    const tab = stored(area, 1);
    expect(seqs(tab.records)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(keysOf(area, 1)).toHaveLength(101); // 100 chunks of 10 (one per group) and the header
    expect(log.flatMap((e) => (e.kind === 'added' ? e.seqs : []))).toEqual(seqs(tab.records));
  });

  it('10 000 failures with the default cap: exactly 1000 kept, exactly 9000 dropped, no chunk left behind', async () => {
    const { area, writes } = countingArea();
    const { l, log } = listener();
    const store = newStore(area, l);
    for (let i = 0; i < 10_000; i++) {
      store.add(exchange(4, 1000 + i), diagnosis());
      if (i % 37 === 0) await store.flushed();
    }
    await store.flushed();
    const tab = stored(area, 4);
    expect(tab.records).toHaveLength(1000);
    expect(tab.dropped).toBe(9000);
    expect(tab.nextSeq).toBe(10_001);
    expect(seqs(tab.records)).toEqual(Array.from({ length: 1000 }, (_, i) => 9001 + i));
    expect(orphanChunks(area, 4)).toEqual([]);
    // Every chunk but the first and the last holds at least chunkSize / 5 = 10 records.
    expect(keysOf(area, 4).length).toBeLessThanOrEqual(1000 / 10 + 3);
    // At the cap a write carries the cut oldest chunk and the last one: bounded, whatever the total.
    const oneRecord = JSON.stringify(stored(area, 4).records.at(-1)).length;
    expect(Math.max(...writes)).toBeLessThan(oneRecord * 140);
    // The in-memory view agrees, and every record that is still there was announced once.
    const mem = await store.get(4);
    expect(seqs(mem.records)).toEqual(seqs(tab.records));
    expect(mem.dropped).toBe(9000);
    const announced = log.flatMap((e) => (e.kind === 'added' ? e.seqs : []));
    expect(new Set(announced).size).toBe(announced.length);
    expect(announced.slice(-1000)).toEqual(seqs(tab.records));
  });

  it('a restarted worker appends to the partly filled last chunk and reads every chunk back', async () => {
    const area = new MemoryArea();
    const first = newStore(area, listener().l, { chunkSize: 4, cap: 10 });
    for (let i = 0; i < 13; i++) first.add(exchange(3, 1000 + i), diagnosis());
    await first.flushed();
    const second = newStore(area, listener().l, { chunkSize: 4, cap: 10 });
    expect(seqs((await second.get(3)).records)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    for (let i = 0; i < 6; i++) second.add(exchange(3, 2000 + i), diagnosis());
    await second.flushed();
    const tab = stored(area, 3);
    expect(seqs(tab.records)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(tab.dropped).toBe(9);
    expect(orphanChunks(area, 3)).toEqual([]);
  });

  it('a navigation keeps records that started after it even when they sit between older ones', async () => {
    const area = new MemoryArea();
    const store = newStore(area, listener().l, { chunkSize: 2 });
    // A long request of the old page can fail after the new page's first failure.
    for (const [t, url] of [
      [1000, 'old-a'],
      [3000, 'new-a'],
      [1500, 'old-b'],
      [3500, 'new-b'],
      [1200, 'old-c'],
    ] as const) {
      store.add(exchange(6, t, `http://api.test/${url}`), diagnosis());
    }
    await store.flushed();
    await store.clearBefore(6, 2000);
    store.add(exchange(6, 4000, 'http://api.test/new-c'), diagnosis());
    await store.flushed();
    const tab = stored(area, 6);
    expect(tab.records.map((r) => r.exchange.url)).toEqual(['http://api.test/new-a', 'http://api.test/new-b', 'http://api.test/new-c']);
    expect(seqs(tab.records)).toEqual([2, 4, 6]);
    expect(tab.dropped).toBe(0);
    expect(orphanChunks(area, 6)).toEqual([]);
    expect(seqs((await newStore(area, listener().l).get(6)).records)).toEqual([2, 4, 6]);
  });

  it('a closed tab loses its header and every chunk', async () => {
    const area = new MemoryArea();
    const store = newStore(area, listener().l, { chunkSize: 3 });
    for (let i = 0; i < 10; i++) store.add(exchange(9, 1000 + i), diagnosis());
    store.add(exchange(8, 1000), diagnosis());
    await store.flushed();
    expect(keysOf(area, 9)).toHaveLength(5);
    // A new worker life, the tab never touched in it.
    const next = newStore(area, listener().l);
    await next.removeTab(9);
    expect(keysOf(area, 9)).toEqual([]);
    expect(keysOf(area, 8)).toHaveLength(2);
  });

  it('without storage.getKeys, a closed tab still loses every chunk its header names', async () => {
    const area = new MemoryArea();
    const store = newStore(area, listener().l, { chunkSize: 3 });
    for (let i = 0; i < 10; i++) store.add(exchange(9, 1000 + i), diagnosis());
    await store.flushed();
    const bare = Object.assign(Object.create(area) as MemoryArea, { getKeys: undefined });
    await newStore(bare, listener().l).removeTab(9);
    expect(keysOf(area, 9)).toEqual([]);
  });
});

describe('RecordStore pacing', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('writes the first failure at once, then at most one write per interval during a burst', async () => {
    const { area, writes } = countingArea();
    const { l, log } = listener();
    const store = new RecordStore(area, l, { writeIntervalMs: 60 });
    store.add(exchange(1, 1000), diagnosis());
    await settle(4);
    expect(writes.length).toBe(1);
    expect(log).toEqual([{ kind: 'added', tabId: 1, seqs: [1], dropped: 0 }]);
    const started = performance.now();
    for (let i = 0; i < 30; i++) {
      store.add(exchange(1, 2000 + i), diagnosis());
      await sleep(10);
    }
    const elapsed = performance.now() - started;
    await store.flushed();
    // At most one write per 60 ms (plus the one at the start and the one after the burst).
    expect(writes.length).toBeLessThanOrEqual(2 + Math.ceil(elapsed / 60));
    // …and not one write for the whole burst: records reach storage while it goes on.
    expect(writes.length).toBeGreaterThanOrEqual(3);
    expect(seqs(stored(area, 1).records)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(log.flatMap((e) => (e.kind === 'added' ? e.seqs : []))).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
  });

  it('a record that arrives right after a write waits for the interval, and at most about that long', async () => {
    const area = new MemoryArea();
    const store = new RecordStore(area, listener().l, { writeIntervalMs: 300 });
    store.add(exchange(1, 1000), diagnosis());
    await settle(4);
    store.add(exchange(1, 1001), diagnosis());
    const added = performance.now();
    await settle(2);
    // Paced: not written at once…
    expect(stored(area, 1).records).toHaveLength(1);
    while (!(stored(area, 1).records.length === 2) && performance.now() - added < 3000) await sleep(5);
    // …but within the interval (plus scheduling slack).
    expect(stored(area, 1).records).toHaveLength(2);
    expect(performance.now() - added).toBeLessThan(300 + 500);
  });
});

describe('RecordStore left-overs', () => {
  it('a new worker life removes chunks a stopped worker had dropped but not yet removed', async () => {
    const area = new MemoryArea();
    const first = newStore(area, listener().l, { chunkSize: 2, cap: 4 });
    for (let i = 0; i < 4; i++) first.add(exchange(5, 1000 + i), diagnosis());
    await first.flushed();
    // Stopped between the write that dropped chunk 0 and the removal of its key.
    const realRemove = area.remove.bind(area);
    area.remove = async () => {};
    for (let i = 0; i < 2; i++) first.add(exchange(5, 2000 + i), diagnosis());
    await first.flushed();
    area.remove = realRemove;
    expect(orphanChunks(area, 5)).toEqual([chunkKey(5, 0)]);
    const next = newStore(area, listener().l, { chunkSize: 2, cap: 4 });
    next.add(exchange(5, 3000), diagnosis());
    await next.flushed();
    expect(orphanChunks(area, 5)).toEqual([]);
    expect(seqs(stored(area, 5).records)).toEqual([4, 5, 6, 7]);
    expect(stored(area, 5).dropped).toBe(3);
  });
});
