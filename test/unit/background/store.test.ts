import { describe, expect, it } from 'vitest';
import type { CorsRecord, TabRecords } from '../../../src/cors/record.ts';
import { RecordStore, type StoreListener, tabKey } from '../../../src/background/store.ts';
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

function stored(area: MemoryArea, tabId: number): TabRecords {
  return area.data.get(tabKey(tabId)) as TabRecords;
}

const seqs = (records: CorsRecord[]) => records.map((r) => r.seq);

describe('RecordStore', () => {
  it('persists a record under tab:<id> with seq, id and the exchange as given', async () => {
    const area = new MemoryArea();
    const store = new RecordStore(area, listener().l);
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
  });

  it('coalesces a burst of 1000 failures into a few writes, losing and doubling nothing', async () => {
    const area = new MemoryArea();
    area.hold = true;
    const { l, log } = listener();
    const store = new RecordStore(area, l);
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
    const store = new RecordStore(area, listener().l, 10);
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
    const first = new RecordStore(area, listener().l);
    for (let i = 0; i < 5; i++) first.add(exchange(4, 1000 + i), diagnosis());
    await first.flushed();

    const { l, log } = listener();
    const gets = area.gets;
    const second = new RecordStore(area, l);
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
    const dying = new RecordStore(area, listener().l);
    dying.add(exchange(5, 1000), diagnosis());
    await dying.flushed();
    area.hold = true;
    for (let i = 0; i < 4; i++) dying.add(exchange(5, 1001 + i), diagnosis());
    await settle();
    // Killed now: the held write is lost with the worker (never applied).
    area.hold = false;
    const next = new RecordStore(area, listener().l);
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
    const store = new RecordStore(area, l);
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
    const store = new RecordStore(area, l);
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
    const store = new RecordStore(area, listener().l, 2);
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
    const store = new RecordStore(area, listener().l);
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
    expect(area.data.has(tabKey(9))).toBe(false);
  });

  it('retainTabs removes keys of tabs that are gone, keeps the others', async () => {
    const area = new MemoryArea();
    area.data.set(tabKey(1), { tabId: 1, records: [], dropped: 0, nextSeq: 4 });
    area.data.set(tabKey(2), { tabId: 2, records: [], dropped: 0, nextSeq: 2 });
    area.data.set('inspected', [2]);
    const store = new RecordStore(area, listener().l);
    await store.retainTabs(new Set([2]));
    expect([...area.data.keys()].sort()).toEqual(['inspected', 'tab:2']);
  });

  it('ignores stored values of the wrong shape', async () => {
    const area = new MemoryArea();
    area.data.set(tabKey(3), { records: 'nope' });
    const store = new RecordStore(area, listener().l);
    expect(await store.get(3)).toEqual({ tabId: 3, records: [], dropped: 0, nextSeq: 1 });
  });

  it('all() lists every tab, in memory or only in storage', async () => {
    const area = new MemoryArea();
    const old = new RecordStore(area, listener().l);
    old.add(exchange(11, 1), diagnosis());
    await old.flushed();
    const store = new RecordStore(area, listener().l);
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
  it('drops the oldest quarter of the tab (counted) and writes again until it fits', async () => {
    const area = new MemoryArea();
    const realSet = area.set.bind(area);
    // A quota of 20 records for this tab.
    area.set = (items) => {
      const tab = Object.values(items)[0] as TabRecords;
      return tab.records.length > 20 ? Promise.reject(new Error('Session storage quota bytes exceeded.')) : realSet(items);
    };
    const store = new RecordStore(area, listener().l);
    for (let i = 0; i < 40; i++) store.add(exchange(2, 1000 + i), diagnosis());
    await store.flushed();
    const tab = stored(area, 2);
    expect(tab.records.length).toBeLessThanOrEqual(20);
    expect(tab.records.length + tab.dropped).toBe(40);
    expect(tab.records.at(-1)?.seq).toBe(40);
    expect(seqs(tab.records)).toEqual(Array.from({ length: tab.records.length }, (_, i) => 41 - tab.records.length + i));
  });

  it('gives up quietly on a tab with few records', async () => {
    const area = new MemoryArea();
    area.set = () => Promise.reject(new Error('Session storage quota bytes exceeded.'));
    const store = new RecordStore(area, listener().l);
    store.add(exchange(2, 1000), diagnosis());
    await store.flushed();
    expect((await store.get(2)).records).toHaveLength(1);
  });
});
