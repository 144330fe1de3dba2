/**
 * How a tab's records sit in storage.session. A tab is a small header and numbered chunks of records:
 *
 *   tab:<tabId>:meta    → StoredMeta { nextSeq, dropped, firstChunk, lastChunk }
 *   tab:<tabId>:c:<n>   → the JSON text of StoredRecord[] (at most the store's chunk size),
 *                         n = firstChunk … lastChunk
 *
 * so that a write carries the header and the chunks that changed, not the tab's whole list. Chunk numbers
 * only grow: a key that was removed is never used again, so a late removal can never hit a live chunk.
 *
 * A chunk is one string, not an array of objects: Chromium keeps storage.session values as trees of
 * base::Value and counts them against the 10 MB quota at about 32 bytes per list element and 64 per object
 * property (measured with getBytesInUse: ten small integers in a list count 320 bytes, a 100-character
 * string 104). A record as objects came to about 3 KB there; as text it counts its length. Converting one
 * string is also far less work for the browser than converting a tree on every write.
 *
 * A record is stored in a compact form that decodes to exactly the CorsRecord it was:
 * - every property name of the record's types is written as a short key (the map below is typed over all
 *   of them, so a field added to Exchange or Diagnosis without a short key does not compile; a name the
 *   map does not know is kept, behind a `_`);
 * - `id`, `tabId` and `exchange.tabId` are left out (the key has the tab, `seq` the rest);
 * - the always-present lists `redirects`, `alternatives`, `evidence` and `findings` are left out when
 *   empty;
 * - in header lists, a common header name is written as its index in HEADER_NAMES, and a line kept by
 *   name only (value "") as the name alone: `["origin","https://a.example"]` → `[0,"https://a.example"]`,
 *   `["date",""]` → `47`.
 * storage.session is emptied when the extension is updated or reloaded, so the encoding may change
 * between versions (append to the tables, never reorder within one).
 * Values are never changed. Only plain data is stored (storage.session serialises like JSON).
 */
import type { Culprit, Diagnosis, Evidence, Finding } from '../cors/diagnosis.ts';
import type { Exchange, ObservedPreflight, ObservedRedirect, ObservedResponse } from '../cors/exchange.ts';
import type { CorsRecord, TabRecords } from '../cors/record.ts';

export const TAB_KEY_PREFIX = 'tab:';

export interface StoredMeta {
  nextSeq: number;
  /** Records dropped because of the cap (or the storage quota), oldest first. */
  dropped: number;
  /** The tab's chunks are firstChunk … lastChunk; none when lastChunk < firstChunk. */
  firstChunk: number;
  lastChunk: number;
}

/** A record as stored: short keys (see SHORT_KEYS). */
export type StoredRecord = Record<string, unknown>;

export function metaKey(tabId: number): string {
  return `${TAB_KEY_PREFIX}${tabId}:meta`;
}

export function chunkKey(tabId: number, n: number): string {
  return `${TAB_KEY_PREFIX}${tabId}:c:${n}`;
}

/** Every key of a tab starts with this. */
export function tabKeyPrefix(tabId: number): string {
  return `${TAB_KEY_PREFIX}${tabId}:`;
}

/** The tab a storage key belongs to (its header or one of its chunks), else undefined. */
export function tabIdOfKey(key: string): number | undefined {
  if (!key.startsWith(TAB_KEY_PREFIX)) return undefined;
  const end = key.indexOf(':', TAB_KEY_PREFIX.length);
  if (end < 0) return undefined;
  const text = key.slice(TAB_KEY_PREFIX.length, end);
  const id = Number(text);
  return text !== '' && Number.isInteger(id) ? id : undefined;
}

/** Accepts a stored header only if it has the expected shape. */
export function parseMeta(value: unknown): StoredMeta | undefined {
  const v = value as Partial<StoredMeta> | null | undefined;
  if (typeof v !== 'object' || v === null) return undefined;
  const { nextSeq, dropped, firstChunk, lastChunk } = v;
  if (!isCount(nextSeq) || !isCount(dropped) || !isCount(firstChunk) || !Number.isInteger(lastChunk)) return undefined;
  if ((lastChunk as number) < firstChunk - 1) return undefined;
  return { nextSeq, dropped, firstChunk, lastChunk: lastChunk as number };
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0;
}

// ── The record encoding ───────────────────────────────────────────────────────────────────────────────

type KeysOfUnion<T> = T extends unknown ? keyof T : never;
type RecordKey =
  | keyof CorsRecord
  | keyof Exchange
  | keyof ObservedPreflight
  | keyof ObservedResponse
  | keyof ObservedRedirect
  | keyof Diagnosis
  | keyof Culprit
  | keyof Evidence
  | KeysOfUnion<Finding>;

/** One short key per property name, whatever object it is on (names mean the same everywhere). */
export const SHORT_KEYS: { readonly [K in RecordKey]: string } = {
  // CorsRecord
  id: 'I',
  tabId: 'T',
  seq: 'q',
  exchange: 'x',
  diagnosis: 'd',
  // Exchange and what it holds
  engine: 'g',
  frameId: 'f',
  type: 'y',
  initiator: 'o',
  documentUrl: 'D',
  method: 'm',
  url: 'u',
  requestHeaders: 'H',
  preflight: 'P',
  redirects: 'R',
  response: 'S',
  error: 'E',
  startedAt: 'a',
  endedAt: 'z',
  status: 's',
  headers: 'h',
  fromCache: 'C',
  ip: 'A',
  redirectedTo: 'G',
  from: 'F',
  location: 'L',
  // Diagnosis and what it holds
  reason: 'r',
  engineName: 'n',
  stage: 't',
  certainty: 'c',
  alternatives: 'l',
  unseen: 'U',
  culprit: 'k',
  evidence: 'e',
  findings: 'i',
  kind: 'K',
  name: 'N',
  value: 'v',
  header: 'j',
  got: 'b',
  needed: 'w',
  ok: 'O',
  code: 'p',
  via: 'V',
  redirectCount: 'Q',
  address: 'B',
  cause: 'W',
};

/** Header names written as their index in header lists. Order is part of the stored format. */
export const HEADER_NAMES: readonly string[] = [
  // request
  'origin',
  'access-control-request-method',
  'access-control-request-headers',
  'access-control-request-private-network',
  'access-control-request-local-network',
  'content-type',
  'sec-fetch-mode',
  'sec-fetch-site',
  'sec-fetch-dest',
  'referer',
  'accept',
  'accept-language',
  'content-language',
  'range',
  'cookie',
  'authorization',
  'user-agent',
  'accept-encoding',
  'connection',
  'host',
  'pragma',
  'priority',
  'sec-ch-ua',
  'sec-ch-ua-mobile',
  'sec-ch-ua-platform',
  'if-none-match',
  'if-modified-since',
  'upgrade-insecure-requests',
  'x-requested-with',
  // response
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
  'access-control-allow-private-network',
  'access-control-allow-local-network',
  'vary',
  'location',
  'content-length',
  'cache-control',
  'age',
  'timing-allow-origin',
  'cross-origin-resource-policy',
  'server',
  'x-powered-by',
  'date',
  'etag',
  'last-modified',
  'expires',
  'set-cookie',
  'content-encoding',
  'transfer-encoding',
  'keep-alive',
  'accept-ranges',
  'strict-transport-security',
  'x-content-type-options',
  'content-security-policy',
  'x-frame-options',
  'alt-svc',
  'via',
];
const HEADER_CODES: ReadonlyMap<string, number> = new Map(HEADER_NAMES.map((name, i) => [name, i]));
/** Properties whose value is a HeaderList. */
const HEADER_LIST_KEYS: ReadonlySet<string> = new Set(['requestHeaders', 'headers'] satisfies RecordKey[]);

function encodeHeaderList(list: unknown): unknown {
  if (!Array.isArray(list)) return encodeValue(list);
  return list.map((entry: unknown) => {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') return [entry];
    const name = HEADER_CODES.get(entry[0]) ?? entry[0];
    return entry[1] === '' ? name : [name, entry[1]];
  });
}

function decodeHeaderList(list: unknown): unknown {
  if (!Array.isArray(list)) return decodeValue(list);
  return list.map((entry: unknown) => {
    if (typeof entry === 'number' || typeof entry === 'string') return [headerName(entry), ''];
    if (Array.isArray(entry) && entry.length === 2) return [headerName(entry[0]), entry[1]];
    return Array.isArray(entry) ? entry[0] : entry;
  });
}

function headerName(code: unknown): unknown {
  return typeof code === 'number' ? (HEADER_NAMES[code] ?? '') : code;
}

const LONG_KEYS: ReadonlyMap<string, string> = new Map(Object.entries(SHORT_KEYS).map(([long, short]) => [short, long]));
/** Prefix of a property name the map does not know (no short key starts with it). */
const VERBATIM = '_';

function encodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(encodeValue);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[Object.hasOwn(SHORT_KEYS, key) ? SHORT_KEYS[key as RecordKey] : VERBATIM + key] = HEADER_LIST_KEYS.has(key) ? encodeHeaderList(v) : encodeValue(v);
  }
  return out;
}

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const long = key.startsWith(VERBATIM) ? key.slice(VERBATIM.length) : LONG_KEYS.get(key);
    if (long !== undefined) out[long] = HEADER_LIST_KEYS.has(long) ? decodeHeaderList(v) : decodeValue(v);
  }
  return out;
}

/** Lists that every record has: left out of storage when empty. */
const EXCHANGE_LISTS = ['redirects'] as const satisfies ReadonlyArray<keyof Exchange>;
const DIAGNOSIS_LISTS = ['alternatives', 'evidence', 'findings'] as const satisfies ReadonlyArray<keyof Diagnosis>;

export function encodeRecord(record: CorsRecord): StoredRecord {
  const { id: _id, tabId: _tabId, exchange, diagnosis, ...rest } = record;
  const { tabId: _exchangeTabId, ...x } = exchange;
  const lean = { ...rest, exchange: withoutEmpty(x, EXCHANGE_LISTS), diagnosis: withoutEmpty(diagnosis, DIAGNOSIS_LISTS) };
  return encodeValue(lean) as StoredRecord;
}

/** The record as it was given to encodeRecord; undefined when the stored value is not a record. */
export function decodeRecord(tabId: number, stored: unknown): CorsRecord | undefined {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return undefined;
  const v = decodeValue(stored) as Partial<Omit<CorsRecord, 'exchange' | 'diagnosis'>> & { exchange?: unknown; diagnosis?: unknown };
  const { seq, exchange, diagnosis } = v;
  if (typeof seq !== 'number' || !isObject(exchange) || !isObject(diagnosis)) return undefined;
  const x = { ...withEmpty(exchange, EXCHANGE_LISTS), tabId } as unknown as Exchange;
  const d = withEmpty(diagnosis, DIAGNOSIS_LISTS) as unknown as Diagnosis;
  if (typeof x.url !== 'string' || typeof x.startedAt !== 'number' || typeof d.reason !== 'string') return undefined;
  const { seq: _seq, exchange: _x, diagnosis: _d, ...rest } = v;
  return { id: `${tabId}:${seq}`, tabId, seq, ...rest, exchange: x, diagnosis: d } as CorsRecord;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutEmpty<T extends object>(value: T, lists: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const name of lists) {
    const list = out[name];
    if (Array.isArray(list) && list.length === 0) delete out[name];
  }
  return out as Partial<T>;
}

function withEmpty(value: Record<string, unknown>, lists: readonly string[]): Record<string, unknown> {
  const out = { ...value };
  for (const name of lists) if (!Array.isArray(out[name])) out[name] = [];
  return out;
}

/** A chunk's stored value. */
export function encodeChunk(records: readonly CorsRecord[]): string {
  return JSON.stringify(records.map(encodeRecord));
}

/** The records of a stored chunk; what cannot be read is skipped. */
export function decodeChunk(tabId: number, value: unknown): CorsRecord[] {
  let list: unknown = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(list)) return [];
  const out: CorsRecord[] = [];
  for (const stored of list) {
    const record = decodeRecord(tabId, stored);
    if (record !== undefined) out.push(record);
  }
  return out;
}

// ── Reading a whole storage dump (tests, bench, diagnostics) ──────────────────────────────────────────

/** A tab's records from a dump of storage.session (`get(null)`); undefined when the tab has no header. */
export function tabFromItems(items: Record<string, unknown>, tabId: number): TabRecords | undefined {
  const meta = parseMeta(items[metaKey(tabId)]);
  if (meta === undefined) return undefined;
  const records: CorsRecord[] = [];
  for (let n = meta.firstChunk; n <= meta.lastChunk; n++) records.push(...decodeChunk(tabId, items[chunkKey(tabId, n)]));
  return { tabId, records, dropped: meta.dropped, nextSeq: meta.nextSeq };
}

/** Every tab in a dump of storage.session, by tab id. */
export function tabsFromItems(items: Record<string, unknown>): TabRecords[] {
  const ids = new Set<number>();
  for (const key of Object.keys(items)) {
    const id = tabIdOfKey(key);
    if (id !== undefined) ids.add(id);
  }
  const out: TabRecords[] = [];
  for (const id of [...ids].sort((a, b) => a - b)) {
    const tab = tabFromItems(items, id);
    if (tab !== undefined) out.push(tab);
  }
  return out;
}
