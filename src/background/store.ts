/**
 * Per-tab records in storage.session, kept so that a stopped and restarted service worker loses nothing
 * (DESIGN.md §5). The layout (a header and chunks of records per tab) is in storage-layout.ts.
 *
 * - Memory is the working copy; storage is loaded lazily, once per tab, on first use after a start.
 * - A write carries the tab's header and only the chunks that changed since the last write: new records
 *   go into the last chunk while it is small, else into a new one; the cap cuts the oldest chunk (or
 *   removes it once empty). A write costs about what is new, not the tab's whole list.
 * - Writes are serialised per tab and paced: the first record after a quiet spell is written at once; during
 *   a burst, records accumulate and go out together, at most one write per `writeIntervalMs`. A killed
 *   worker loses at most the records of that interval plus one write.
 * - `seq` is monotonic per tab and travels in the same storage.set call as the records (the header is in
 *   every write), so a restart neither reuses nor skips a number.
 * - Listeners hear about records when the write that carries them starts: that is the natural batch.
 * Only plain data goes in; the caller has already reduced each exchange (secrets redacted).
 */
import type { Diagnosis } from '../cors/diagnosis.ts';
import type { Exchange } from '../cors/exchange.ts';
import type { CorsRecord, TabRecords } from '../cors/record.ts';
import {
  chunkKey,
  decodeChunk,
  encodeChunk,
  metaKey,
  parseMeta,
  type StoredMeta,
  tabIdOfKey,
  tabKeyPrefix,
} from './storage-layout.ts';

/** The part of storage.session the store uses (same in both browsers). */
export interface StorageArea {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
  /** Chromium 130+, Firefox 143+: the keys without the values. */
  getKeys?(): Promise<string[]>;
}

export interface StoreListener {
  /** New records for a tab (the batch that is being written), with the tab's drop counter. */
  added(tabId: number, records: CorsRecord[], dropped: number): void;
  /** A tab's list was emptied (then `added` may follow with records that survived a navigation). */
  cleared(tabId: number): void;
  /** The tab's record list changed (for the badge). */
  changed(tabId: number, tab: Readonly<TabRecords>): void;
}

export interface StoreOptions {
  /** Records kept per tab; older ones are dropped and counted. */
  cap?: number;
  /** Most records per stored chunk. */
  chunkSize?: number;
  /** A chunk already written is not rewritten to append to it once it holds this many records: the next
   * record starts a new chunk. Keeps a write near the size of what is new. Default chunkSize / 5. */
  chunkReuseBelow?: number;
  /** Least time between the starts of two writes of one tab (ms). */
  writeIntervalMs?: number;
}

export const DEFAULT_CAP = 1000;
export const DEFAULT_CHUNK_SIZE = 50;
export const DEFAULT_WRITE_INTERVAL_MS = 100;
/** Below this, a failed write is not retried by trimming (the quota is used by other tabs). */
const MIN_RECORDS_TO_TRIM = 8;

/** Consecutive records of a tab stored under one key. */
interface Chunk {
  n: number;
  records: CorsRecord[];
  /** Changed since it was last handed to storage. */
  dirty: boolean;
  /** Handed to storage at least once (its key may exist). */
  sent: boolean;
}

interface TabState {
  tabId: number;
  data?: TabRecords;
  loading?: Promise<TabRecords>;
  /** data.records split into chunks numbered chunks[0].n, chunks[0].n + 1, … */
  chunks: Chunk[];
  /** The number the next new chunk gets; never reused. */
  nextChunk: number;
  /** Keys of chunks that left the tab: removed once a header without them is stored. */
  stale: string[];
  /** Failures observed before the tab's stored state was loaded. */
  queued: Array<{ exchange: Exchange; diagnosis: Diagnosis }>;
  /** Records appended but not yet announced to listeners. */
  unannounced: CorsRecord[];
  writing: boolean;
  dirty: boolean;
  /** When the last write started (performance.now()). */
  lastWriteAt: number;
  /** Stale chunks must go before the next write (the quota was hit). */
  freeFirst: boolean;
  /** Records of requests that started before this time belong to a page the tab has left. */
  keepFrom: number;
}

export class RecordStore {
  readonly #area: StorageArea;
  readonly #listener: StoreListener;
  readonly #cap: number;
  readonly #chunkSize: number;
  readonly #reuseBelow: number;
  readonly #interval: number;
  readonly #tabs = new Map<number, TabState>();
  /** Tabs closed in this worker's life: late events for them are ignored. */
  readonly #closed = new Set<number>();
  /** Resolves when every write started so far has settled (tests and shutdown). */
  #idle: Promise<void> = Promise.resolve();
  #inFlight = 0;
  #idleResolve: (() => void) | undefined;

  constructor(area: StorageArea, listener: StoreListener, options: StoreOptions = {}) {
    this.#area = area;
    this.#listener = listener;
    this.#cap = Math.max(1, options.cap ?? DEFAULT_CAP);
    this.#chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
    this.#reuseBelow = Math.max(1, options.chunkReuseBelow ?? Math.ceil(this.#chunkSize / 5));
    this.#interval = Math.max(0, options.writeIntervalMs ?? DEFAULT_WRITE_INTERVAL_MS);
  }

  /** Records one failure. Synchronous for the caller; persistence follows. */
  add(exchange: Exchange, diagnosis: Diagnosis): void {
    const tabId = exchange.tabId;
    if (tabId < 0 || this.#closed.has(tabId)) return;
    const state = this.#state(tabId);
    if (exchange.startedAt < state.keepFrom) return;
    if (state.data === undefined) {
      state.queued.push({ exchange, diagnosis });
      void this.#load(state);
      return;
    }
    this.#append(state, state.data, exchange, diagnosis);
    this.#schedule(state);
  }

  /** The tab's records (loaded from storage on first use). */
  async get(tabId: number): Promise<TabRecords> {
    const state = this.#state(tabId);
    return state.data ?? (await this.#load(state));
  }

  /** Every tab with stored records: those in memory and those only in storage. */
  async all(): Promise<TabRecords[]> {
    const ids = new Set<number>();
    for (const key of await this.#storedKeys()) {
      const id = tabIdOfKey(key);
      if (id !== undefined) ids.add(id);
    }
    for (const id of this.#tabs.keys()) ids.add(id);
    const out: TabRecords[] = [];
    for (const id of [...ids].sort((a, b) => a - b)) {
      if (this.#closed.has(id)) continue;
      out.push(await this.get(id));
    }
    return out;
  }

  /** Empties a tab's list (the panel's Clear button). The seq counter goes on. */
  async clear(tabId: number): Promise<void> {
    await this.clearBefore(tabId, Number.POSITIVE_INFINITY);
  }

  /**
   * The tab's top frame navigated at `time`: drop the records of requests that started before it. The
   * comparison is on the requests' own start times, so a navigation signal that arrives late never wipes
   * records of the new page, and a late failure of the old page is not added afterwards.
   */
  async clearBefore(tabId: number, time: number): Promise<void> {
    if (this.#closed.has(tabId)) return;
    const state = this.#state(tabId);
    if (time !== Number.POSITIVE_INFINITY) state.keepFrom = Math.max(state.keepFrom, time);
    state.queued = state.queued.filter((q) => q.exchange.startedAt >= time);
    const data = state.data ?? (await this.#load(state));
    const kept = data.records.filter((r) => r.exchange.startedAt >= time);
    if (kept.length === data.records.length && data.dropped === 0 && time !== Number.POSITIVE_INFINITY) return;
    data.records = kept;
    data.dropped = 0;
    // The survivors are not a run of whole chunks in general (a request can start before a navigation and
    // fail after a later one): they go into new chunks, and every old chunk leaves. Rare, and usually few.
    for (const chunk of state.chunks) this.#retire(state, chunk);
    state.chunks = [];
    for (const record of kept) this.#chunkFor(state).records.push(record);
    state.unannounced = state.unannounced.filter((r) => r.exchange.startedAt >= time);
    this.#listener.cleared(tabId);
    if (kept.length > 0) this.#listener.added(tabId, kept, 0);
    this.#listener.changed(tabId, data);
    this.#schedule(state);
  }

  /** The tab was closed: forget it and remove its keys. */
  async removeTab(tabId: number): Promise<void> {
    this.#closed.add(tabId);
    const state = this.#tabs.get(tabId);
    this.#tabs.delete(tabId);
    const known = new Set<string>([metaKey(tabId)]);
    if (state !== undefined) {
      state.queued = [];
      state.unannounced = [];
      // A write in flight for this tab finishes first; then the keys go.
      while (state.writing) await this.#nextSettle();
      for (const chunk of state.chunks) if (chunk.sent) known.add(chunkKey(tabId, chunk.n));
      for (const key of state.stale) known.add(key);
    }
    const prefix = tabKeyPrefix(tabId);
    const keys = typeof this.#area.getKeys === 'function' ? await this.#track(this.#area.getKeys()).catch(() => []) : await this.#storedChunkKeys(tabId);
    for (const key of keys) if (key.startsWith(prefix)) known.add(key);
    await this.#track(this.#area.remove([...known]));
  }

  /** Removes stored tabs that no longer exist (closed while the worker was stopped). */
  async retainTabs(openTabIds: ReadonlySet<number>): Promise<void> {
    const gone: string[] = [];
    for (const key of await this.#storedKeys()) {
      const id = tabIdOfKey(key);
      if (id !== undefined && !openTabIds.has(id) && !this.#tabs.has(id)) gone.push(key);
    }
    if (gone.length > 0) await this.#track(this.#area.remove(gone));
  }

  /** Resolves once no write is in flight or waiting. */
  async flushed(): Promise<void> {
    while (this.#inFlight > 0 || [...this.#tabs.values()].some((s) => s.writing || s.loading)) await this.#nextSettle();
  }

  async #storedKeys(): Promise<string[]> {
    if (typeof this.#area.getKeys === 'function') return this.#area.getKeys();
    return Object.keys(await this.#area.get(null));
  }

  /** Without getKeys: the keys the stored header names. */
  async #storedChunkKeys(tabId: number): Promise<string[]> {
    const key = metaKey(tabId);
    const items = await this.#track(this.#area.get(key)).catch(() => ({}) as Record<string, unknown>);
    const meta = parseMeta(items[key]);
    if (meta === undefined) return [];
    const keys: string[] = [];
    for (let n = meta.firstChunk; n <= meta.lastChunk; n++) keys.push(chunkKey(tabId, n));
    return keys;
  }

  #state(tabId: number): TabState {
    let state = this.#tabs.get(tabId);
    if (state === undefined) {
      state = {
        tabId,
        chunks: [],
        nextChunk: 0,
        stale: [],
        queued: [],
        unannounced: [],
        writing: false,
        dirty: false,
        lastWriteAt: Number.NEGATIVE_INFINITY,
        freeFirst: false,
        keepFrom: Number.NEGATIVE_INFINITY,
      };
      this.#tabs.set(tabId, state);
    }
    return state;
  }

  #load(state: TabState): Promise<TabRecords> {
    if (state.data !== undefined) return Promise.resolve(state.data);
    if (state.loading !== undefined) return state.loading;
    const loading = this.#read(state.tabId).catch((error: unknown) => {
      console.warn('CORS Explainer: could not read stored records', error);
      return { tab: emptyTab(state.tabId), chunks: [] as Chunk[], nextChunk: 0 };
    });
    state.loading = loading.then(({ tab, chunks, nextChunk }) => {
      state.loading = undefined;
      if (this.#tabs.get(state.tabId) !== state) return tab; // closed meanwhile
      state.data = tab;
      state.chunks = chunks;
      state.nextChunk = nextChunk;
      const queued = state.queued;
      state.queued = [];
      for (const q of queued) if (q.exchange.startedAt >= state.keepFrom) this.#append(state, tab, q.exchange, q.diagnosis);
      if (queued.length > 0) this.#schedule(state);
      return tab;
    });
    return state.loading;
  }

  /** The tab as stored: its header, then its chunks in one read. */
  async #read(tabId: number): Promise<{ tab: TabRecords; chunks: Chunk[]; nextChunk: number }> {
    const key = metaKey(tabId);
    const meta = parseMeta((await this.#track(this.#area.get(key)))[key]);
    if (meta === undefined) return { tab: emptyTab(tabId), chunks: [], nextChunk: 0 };
    const keys: string[] = [];
    for (let n = meta.firstChunk; n <= meta.lastChunk; n++) keys.push(chunkKey(tabId, n));
    const items = keys.length > 0 ? await this.#track(this.#area.get(keys)) : {};
    void this.#removeOrphans(tabId, meta);
    const chunks: Chunk[] = [];
    const records: CorsRecord[] = [];
    for (let n = meta.firstChunk; n <= meta.lastChunk; n++) {
      const stored = items[chunkKey(tabId, n)];
      // A missing chunk can only follow a quota emergency cut short by a stop (see #freeStorage).
      const chunk: Chunk = { n, records: decodeChunk(tabId, stored), dirty: false, sent: true };
      chunks.push(chunk);
      records.push(...chunk.records);
    }
    return { tab: { tabId, records, dropped: meta.dropped, nextSeq: meta.nextSeq }, chunks, nextChunk: meta.lastChunk + 1 };
  }

  /**
   * Chunks older than the stored header's first: a worker stopped between a write and the removal of the
   * chunks that write had dropped. Chunk numbers only grow, so those can only be left-overs (a chunk above
   * the range may be one this worker is writing right now: never touched).
   */
  async #removeOrphans(tabId: number, meta: StoredMeta): Promise<void> {
    if (typeof this.#area.getKeys !== 'function') return;
    const prefix = `${tabKeyPrefix(tabId)}c:`;
    const orphans: string[] = [];
    try {
      for (const key of await this.#track(this.#area.getKeys())) {
        if (!key.startsWith(prefix)) continue;
        const n = Number(key.slice(prefix.length));
        if (Number.isInteger(n) && n < meta.firstChunk) orphans.push(key);
      }
      if (orphans.length > 0) await this.#track(this.#area.remove(orphans));
    } catch {
      // Left for the tab's close.
    }
  }

  #append(state: TabState, data: TabRecords, exchange: Exchange, diagnosis: Diagnosis): void {
    const seq = data.nextSeq;
    data.nextSeq = seq + 1;
    const record: CorsRecord = { id: `${data.tabId}:${seq}`, tabId: data.tabId, seq, exchange, diagnosis };
    data.records.push(record);
    this.#chunkFor(state).records.push(record);
    state.unannounced.push(record);
    const over = data.records.length - this.#cap;
    if (over > 0) {
      this.#dropOldest(state, data, over);
      if (state.unannounced.length > data.records.length) {
        const first = data.records[0]?.seq ?? Number.POSITIVE_INFINITY;
        state.unannounced = state.unannounced.filter((r) => r.seq >= first);
      }
    }
  }

  /**
   * The chunk a new record goes into, marked dirty: the last one, unless it is full, or already written and
   * big enough that rewriting it would cost more than the new records (then a new one). So every chunk but
   * the last holds at least #reuseBelow records (the oldest may have been cut since).
   */
  #chunkFor(state: TabState): Chunk {
    let last = state.chunks[state.chunks.length - 1];
    const n = last?.records.length ?? 0;
    if (last === undefined || n >= this.#chunkSize || (!last.dirty && n >= this.#reuseBelow)) {
      last = { n: state.nextChunk++, records: [], dirty: true, sent: false };
      state.chunks.push(last);
    }
    last.dirty = true;
    return last;
  }

  /** Drops the `count` oldest records, counted in `dropped`: whole chunks leave, the oldest left is cut. */
  #dropOldest(state: TabState, data: TabRecords, count: number): void {
    data.records.splice(0, count);
    data.dropped += count;
    let left = count;
    while (left > 0) {
      const first = state.chunks[0];
      if (first === undefined) break;
      if (first.records.length <= left) {
        left -= first.records.length;
        state.chunks.shift();
        this.#retire(state, first);
      } else {
        first.records.splice(0, left);
        first.dirty = true;
        left = 0;
      }
    }
  }

  #retire(state: TabState, chunk: Chunk): void {
    if (chunk.sent) state.stale.push(chunkKey(state.tabId, chunk.n));
  }

  #schedule(state: TabState): void {
    state.dirty = true;
    if (!state.writing) void this.#writeLoop(state);
  }

  async #writeLoop(state: TabState): Promise<void> {
    state.writing = true;
    try {
      while (state.dirty && this.#tabs.get(state.tabId) === state) {
        const wait = state.lastWriteAt + this.#interval - performance.now();
        // Records that arrive meanwhile join this write.
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (this.#tabs.get(state.tabId) !== state) break;
        state.dirty = false;
        const data = state.data;
        if (data === undefined) break;
        const batch = state.unannounced;
        state.unannounced = [];
        if (batch.length > 0) this.#listener.added(state.tabId, batch, data.dropped);
        this.#listener.changed(state.tabId, data);
        state.lastWriteAt = performance.now();
        await this.#write(state, data);
      }
    } finally {
      state.writing = false;
      this.#settled();
    }
  }

  /** One storage.set with the header and the changed chunks; then the chunks that left are removed. */
  async #write(state: TabState, data: TabRecords): Promise<void> {
    if (state.freeFirst) await this.#freeStorage(state);
    const first = state.chunks[0];
    const meta: StoredMeta = {
      nextSeq: data.nextSeq,
      dropped: data.dropped,
      firstChunk: first?.n ?? state.nextChunk,
      lastChunk: first === undefined ? state.nextChunk - 1 : first.n + state.chunks.length - 1,
    };
    const items: Record<string, unknown> = { [metaKey(state.tabId)]: meta };
    const written: Chunk[] = [];
    for (const chunk of state.chunks) {
      if (!chunk.dirty) continue;
      items[chunkKey(state.tabId, chunk.n)] = encodeChunk(chunk.records);
      chunk.dirty = false;
      chunk.sent = true;
      written.push(chunk);
    }
    const stale = state.stale;
    state.stale = [];
    try {
      // storage serialises its argument at call time: later appends do not leak into this write.
      await this.#track(this.#area.set(items));
    } catch (error) {
      for (const chunk of written) chunk.dirty = true;
      state.stale = [...stale, ...state.stale];
      this.#onWriteFailed(state, data, error);
      return;
    }
    // The stored header no longer names these chunks: removing them now cannot lose a record.
    if (stale.length > 0) await this.#track(this.#area.remove(stale)).catch(() => undefined);
  }

  /**
   * storage.session is capped (10 MB in Chromium) for all tabs together: make room in this tab by dropping
   * its oldest quarter (whole chunks, counted like the cap's drops), remove their keys, and write again.
   */
  #onWriteFailed(state: TabState, data: TabRecords, error: unknown): void {
    if (data.records.length < MIN_RECORDS_TO_TRIM) {
      console.warn('CORS Explainer: could not store records', error);
      return;
    }
    const target = Math.ceil(data.records.length / 4);
    let count = 0;
    for (const chunk of state.chunks) {
      if (count >= target) break;
      count += chunk.records.length;
    }
    this.#dropOldest(state, data, Math.min(count, data.records.length - 1));
    state.freeFirst = true;
    state.dirty = true;
  }

  /**
   * Removes the chunks that left before writing the header that no longer names them: only after the quota
   * was hit, when the new write would not fit otherwise. A stop between the two leaves a header naming
   * missing chunks; the next start reads them as empty (those records were being dropped anyway).
   */
  async #freeStorage(state: TabState): Promise<void> {
    state.freeFirst = false;
    const stale = state.stale;
    if (stale.length === 0) return;
    state.stale = [];
    await this.#track(this.#area.remove(stale)).catch(() => undefined);
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#inFlight++;
    return p.finally(() => {
      this.#inFlight--;
      this.#settled();
    });
  }

  #settled(): void {
    const resolve = this.#idleResolve;
    this.#idleResolve = undefined;
    this.#idle = Promise.resolve();
    resolve?.();
  }

  #nextSettle(): Promise<void> {
    if (this.#idleResolve === undefined) {
      this.#idle = new Promise((resolve) => {
        this.#idleResolve = resolve;
      });
    }
    return this.#idle;
  }
}

export function emptyTab(tabId: number): TabRecords {
  return { tabId, records: [], dropped: 0, nextSeq: 1 };
}

/** Failures that count for the badge: warnings (the request still worked) do not. */
export function failureCount(tab: Readonly<TabRecords>, isWarning: (record: CorsRecord) => boolean): number {
  let n = 0;
  for (const r of tab.records) if (!isWarning(r)) n++;
  return n;
}
