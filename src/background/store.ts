/**
 * Per-tab records in storage.session (key `tab:<tabId>` → TabRecords), kept so that a stopped and
 * restarted service worker loses nothing (DESIGN.md §5).
 *
 * - Memory is the working copy; storage is loaded lazily, once per tab, on first use after a start.
 * - Writes are serialised per tab and coalesced: while one is in flight, new records accumulate and go
 *   out together in the next write. The first record of a burst is written at once, so the window in
 *   which a killed worker could lose a record stays one write long.
 * - `seq` is monotonic per tab and travels in the same write as the records, so a restart neither reuses
 *   nor skips a number.
 * - Listeners hear about records when the write that carries them starts: that is the natural batch.
 * Only plain data goes in; the caller has already reduced each exchange (secrets redacted).
 */
import type { Diagnosis } from '../cors/diagnosis.ts';
import type { Exchange } from '../cors/exchange.ts';
import type { CorsRecord, TabRecords } from '../cors/record.ts';

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

export const DEFAULT_CAP = 1000;
/** Below this, a failed write is not retried by trimming (the quota is used by other tabs). */
const MIN_RECORDS_TO_TRIM = 8;
const KEY_PREFIX = 'tab:';

export function tabKey(tabId: number): string {
  return `${KEY_PREFIX}${tabId}`;
}

export function tabIdOfKey(key: string): number | undefined {
  if (!key.startsWith(KEY_PREFIX)) return undefined;
  const id = Number(key.slice(KEY_PREFIX.length));
  return Number.isInteger(id) ? id : undefined;
}

interface TabState {
  tabId: number;
  data?: TabRecords;
  loading?: Promise<TabRecords>;
  /** Failures observed before the tab's stored state was loaded. */
  queued: Array<{ exchange: Exchange; diagnosis: Diagnosis }>;
  /** Records appended but not yet announced to listeners. */
  unannounced: CorsRecord[];
  writing: boolean;
  dirty: boolean;
  /** Records of requests that started before this time belong to a page the tab has left. */
  keepFrom: number;
}

export class RecordStore {
  readonly #area: StorageArea;
  readonly #listener: StoreListener;
  readonly #cap: number;
  readonly #tabs = new Map<number, TabState>();
  /** Tabs closed in this worker's life: late events for them are ignored. */
  readonly #closed = new Set<number>();
  /** Resolves when every write started so far has settled (tests and shutdown). */
  #idle: Promise<void> = Promise.resolve();
  #inFlight = 0;
  #idleResolve: (() => void) | undefined;

  constructor(area: StorageArea, listener: StoreListener, cap = DEFAULT_CAP) {
    this.#area = area;
    this.#listener = listener;
    this.#cap = cap;
  }

  /** Records one failure. Synchronous for the caller; persistence follows at once. */
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
    state.unannounced = state.unannounced.filter((r) => r.exchange.startedAt >= time);
    this.#listener.cleared(tabId);
    if (kept.length > 0) this.#listener.added(tabId, kept, 0);
    this.#listener.changed(tabId, data);
    this.#schedule(state);
  }

  /** The tab was closed: forget it and remove its key. */
  async removeTab(tabId: number): Promise<void> {
    this.#closed.add(tabId);
    const state = this.#tabs.get(tabId);
    this.#tabs.delete(tabId);
    if (state !== undefined) {
      state.queued = [];
      state.unannounced = [];
      // A write in flight for this tab finishes first; then the key goes.
      while (state.writing) await this.#nextSettle();
    }
    await this.#track(this.#area.remove(tabKey(tabId)));
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

  /** Resolves once no write is in flight. */
  async flushed(): Promise<void> {
    while (this.#inFlight > 0 || [...this.#tabs.values()].some((s) => s.writing || s.loading)) await this.#nextSettle();
  }

  async #storedKeys(): Promise<string[]> {
    if (typeof this.#area.getKeys === 'function') return this.#area.getKeys();
    return Object.keys(await this.#area.get(null));
  }

  #state(tabId: number): TabState {
    let state = this.#tabs.get(tabId);
    if (state === undefined) {
      state = { tabId, queued: [], unannounced: [], writing: false, dirty: false, keepFrom: Number.NEGATIVE_INFINITY };
      this.#tabs.set(tabId, state);
    }
    return state;
  }

  #load(state: TabState): Promise<TabRecords> {
    if (state.data !== undefined) return Promise.resolve(state.data);
    if (state.loading !== undefined) return state.loading;
    const key = tabKey(state.tabId);
    const loading = this.#track(this.#area.get(key)).then(
      (items) => parseTab(state.tabId, items[key]),
      (error: unknown) => {
        console.warn('CORS Explainer: could not read stored records', error);
        return emptyTab(state.tabId);
      },
    );
    state.loading = loading.then((data) => {
      state.loading = undefined;
      if (this.#tabs.get(state.tabId) !== state) return data; // closed meanwhile
      state.data = data;
      const queued = state.queued;
      state.queued = [];
      for (const q of queued) if (q.exchange.startedAt >= state.keepFrom) this.#append(state, data, q.exchange, q.diagnosis);
      if (queued.length > 0) this.#schedule(state);
      return data;
    });
    return state.loading;
  }

  #append(state: TabState, data: TabRecords, exchange: Exchange, diagnosis: Diagnosis): void {
    const seq = data.nextSeq;
    data.nextSeq = seq + 1;
    const record: CorsRecord = { id: `${data.tabId}:${seq}`, tabId: data.tabId, seq, exchange, diagnosis };
    data.records.push(record);
    state.unannounced.push(record);
    const over = data.records.length - this.#cap;
    if (over > 0) {
      const gone = data.records.splice(0, over);
      data.dropped += over;
      if (state.unannounced.length > data.records.length) {
        const first = gone[gone.length - 1]?.seq ?? -1;
        state.unannounced = state.unannounced.filter((r) => r.seq > first);
      }
    }
  }

  #schedule(state: TabState): void {
    state.dirty = true;
    if (!state.writing) void this.#writeLoop(state);
  }

  async #writeLoop(state: TabState): Promise<void> {
    state.writing = true;
    try {
      while (state.dirty && this.#tabs.get(state.tabId) === state) {
        state.dirty = false;
        const data = state.data;
        if (data === undefined) break;
        const batch = state.unannounced;
        state.unannounced = [];
        if (batch.length > 0) this.#listener.added(state.tabId, batch, data.dropped);
        this.#listener.changed(state.tabId, data);
        try {
          // storage serialises its argument at call time: later appends do not leak into this write.
          await this.#track(this.#area.set({ [tabKey(state.tabId)]: data }));
        } catch (error) {
          // storage.session is capped (10 MB in Chromium) for all tabs together: make room in this tab by
          // dropping its oldest quarter, counted like the cap's drops, and write again.
          if (data.records.length >= MIN_RECORDS_TO_TRIM) {
            const n = Math.ceil(data.records.length / 4);
            data.records.splice(0, n);
            data.dropped += n;
            state.dirty = true;
          } else {
            console.warn('CORS Explainer: could not store records', error);
          }
        }
      }
    } finally {
      state.writing = false;
      this.#settled();
    }
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

/** Accepts what storage holds only if it has the expected shape. */
function parseTab(tabId: number, value: unknown): TabRecords {
  const v = value as Partial<TabRecords> | undefined;
  if (v === undefined || v === null || !Array.isArray(v.records) || typeof v.nextSeq !== 'number') return emptyTab(tabId);
  return { tabId, records: v.records, dropped: typeof v.dropped === 'number' ? v.dropped : 0, nextSeq: v.nextSeq };
}

/** Failures that count for the badge: warnings (the request still worked) do not. */
export function failureCount(tab: Readonly<TabRecords>, isWarning: (record: CorsRecord) => boolean): number {
  let n = 0;
  for (const r of tab.records) if (!isWarning(r)) n++;
  return n;
}
