/**
 * Header lookup as Fetch defines it: names compared ignoring case, values stripped of HTTP whitespace,
 * repeated entries combined with ", ". Re-exported by headers.ts.
 *
 * The classifier asks the same few questions of the same lists many times per exchange; inside
 * readingHeadersOnce, those questions are answered from one pass over each list.
 */
import type { HeaderList } from './exchange.ts';

/** What a header list holds under one name. */
export interface HeaderLookup {
  /** Each entry with that name, leading/trailing HTTP whitespace removed, in arrival order. */
  values: string[];
  /** Fetch "get" (a header list): the values joined with ", ", or null when the name is absent. */
  combined: string | null;
  /** More than one entry carried the name: the engine kept repeated lines apart. */
  repeated: boolean;
  /** Some entry contains a comma: a list sent in one line, or lines the engine merged with ", ". */
  commaJoined: boolean;
}

function isHttpWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Fetch "HTTP whitespace": tab, LF, CR and space. */
export function trimHttpWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isHttpWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isHttpWhitespace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** `name` equals the lower-case `lower`, ignoring case. ASCII letters are folded here; a name with any other
 * character is left to toLowerCase (the Kelvin sign lower-cases to "k"). Lower-casing keeps a string's
 * length but for U+0130 (İ), which becomes "i" and U+0307: names of another length can match only when
 * `lower` holds a U+0307 (`loose`). */
function isNamed(name: string, lower: string, loose: boolean): boolean {
  if (name === lower) return true;
  if (name.length !== lower.length) return loose && name.toLowerCase() === lower;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const w = lower.charCodeAt(i);
    if (c === w || (c >= 0x41 && c <= 0x5a && c + 0x20 === w)) continue;
    return c >= 0x80 && name.toLowerCase() === lower;
  }
  return true;
}

/** Whether names compared with the lower-case `lower` may differ in length (see isNamed). */
function isLoose(lower: string): boolean {
  return lower.includes('\u0307');
}

function isEntry(entry: unknown): entry is readonly [string, string] {
  return Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'string';
}

function lookupOf(values: string[]): HeaderLookup {
  return {
    values,
    combined: values.length === 0 ? null : values.join(', '),
    repeated: values.length > 1,
    commaJoined: values.some((v) => v.includes(',')),
  };
}

/** All entries of `list` named `name` (compared lower-case). */
export function lookupHeader(list: HeaderList | undefined, name: string): HeaderLookup {
  if (readingOnce !== null) {
    const indexed = indexedLookup(readingOnce, list, name);
    if (indexed !== undefined) return indexed;
  }
  const wanted = name.toLowerCase();
  const loose = isLoose(wanted);
  const values: string[] = [];
  if (Array.isArray(list)) {
    for (const entry of list) {
      if (isEntry(entry) && isNamed(entry[0], wanted, loose)) values.push(trimHttpWhitespace(entry[1]));
    }
  }
  return lookupOf(values);
}

/** Fetch "get" (a header list): the entries joined with ", ", or null when absent. */
export function getHeader(list: HeaderList | undefined, name: string): string | null {
  if (readingOnce !== null) {
    const slot = indexedSlot(readingOnce, list, name);
    if (slot !== undefined) return slot === null || typeof slot === 'string' ? slot : slot.combined;
  }
  if (!Array.isArray(list)) return null;
  const wanted = name.toLowerCase();
  const loose = isLoose(wanted);
  let combined: string | null = null;
  for (const entry of list) {
    if (!isEntry(entry) || !isNamed(entry[0], wanted, loose)) continue;
    const value = trimHttpWhitespace(entry[1]);
    combined = combined === null ? value : `${combined}, ${value}`;
  }
  return combined;
}

export function hasHeader(list: HeaderList | undefined, name: string): boolean {
  if (readingOnce !== null) {
    const slot = indexedSlot(readingOnce, list, name);
    if (slot !== undefined) return slot !== null;
  }
  if (!Array.isArray(list)) return false;
  const wanted = name.toLowerCase();
  const loose = isLoose(wanted);
  for (const entry of list) if (isEntry(entry) && isNamed(entry[0], wanted, loose)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// Header lookups while one exchange is read

/** The headers the classifier asks for, often several times for the same list. */
const INDEXED_NAMES = [
  'origin',
  'cookie',
  'authorization',
  'content-type',
  'sec-fetch-mode',
  'vary',
  'access-control-request-method',
  'access-control-request-headers',
  'access-control-request-private-network',
  'access-control-request-local-network',
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-allow-private-network',
  'access-control-allow-local-network',
] as const;

/** For each name length up to the longest, the positions in INDEXED_NAMES of the names that long, or null. */
const INDEXED_BY_LENGTH: Array<number[] | null> = [];
for (let id = 0; id < INDEXED_NAMES.length; id++) {
  const length = INDEXED_NAMES[id]?.length ?? 0;
  while (INDEXED_BY_LENGTH.length <= length) INDEXED_BY_LENGTH.push(null);
  const ids = INDEXED_BY_LENGTH[length] ?? [];
  ids.push(id);
  INDEXED_BY_LENGTH[length] = ids;
}

/** What indexedId found for each name string it was asked about (of a length some indexed name has). */
const IDS = new Map<string, number>();

/** The position of `name` (any case) in INDEXED_NAMES, or -1. None of them holds U+0307, so only names of
 * the same length can match: the others are answered at once. The rest (origin, accept, sec-fetch-site…)
 * are compared once per string and remembered: pages send the same few dozen names. */
function indexedId(name: string): number {
  const ids = name.length < INDEXED_BY_LENGTH.length ? INDEXED_BY_LENGTH[name.length] : null;
  if (!ids) return -1;
  const known = IDS.get(name);
  if (known !== undefined) return known;
  const found = ids.find((id) => isNamed(name, INDEXED_NAMES[id] as string, false)) ?? -1;
  if (IDS.size >= 512) IDS.clear();
  IDS.set(name, found);
  return found;
}

/** What one pass over a list found, by position in INDEXED_NAMES: null when the name is absent, the value
 * when one entry has it, the lookup when several do (or once one was asked for). */
type Slot = HeaderLookup | string | null;
type ListIndex = Slot[];

/** Header lists and their indexes, in turn: [list, index, list, index, …]. */
export type HeaderIndexes = unknown[];

const ABSENT: HeaderLookup = { values: [], combined: null, repeated: false, commaJoined: false };
const EMPTY_INDEX: readonly Slot[] = INDEXED_NAMES.map(() => null);

/** The indexes of the lists read so far. Set while readingHeadersOnce runs. */
let readingOnce: HeaderIndexes | null = null;

/** `list`'s index, made now if the list was not read yet. */
function indexOf(reading: HeaderIndexes, list: readonly unknown[]): ListIndex {
  let at = 0;
  while (at < reading.length && reading[at] !== list) at += 2;
  if (at === reading.length) reading.push(list, indexEntries(list, false));
  return reading[at + 1] as ListIndex;
}

/** The slot of `name` in `list`'s index; undefined when the name is not indexed. */
function indexedSlot(reading: HeaderIndexes, list: unknown, name: string): Slot | undefined {
  if (!Array.isArray(list)) return undefined;
  const id = indexedId(name);
  return id === -1 ? undefined : indexOf(reading, list)[id];
}

function indexedLookup(reading: HeaderIndexes, list: unknown, name: string): HeaderLookup | undefined {
  if (!Array.isArray(list)) return undefined;
  const id = indexedId(name);
  if (id === -1) return undefined;
  const index = indexOf(reading, list);
  const slot = index[id];
  if (slot === null || slot === undefined) return ABSENT;
  if (typeof slot !== 'string') return slot;
  const lookup = { values: [slot], combined: slot, repeated: false, commaJoined: slot.includes(',') };
  index[id] = lookup;
  return lookup;
}

/** Every entry a [string, string] pair. */
export function isHeaderList(value: unknown): value is HeaderList {
  if (!Array.isArray(value)) return false;
  for (const entry of value) if (!isEntry(entry)) return false;
  return true;
}

/** The index of a header list whose entries are all [string, string] pairs, else null. */
export function indexHeaderList(list: unknown): ListIndex | null {
  return Array.isArray(list) ? indexEntries(list, true) : null;
}

/** The index of `list`'s [string, string] entries; null at the first other one when `strict`. */
function indexEntries(list: readonly unknown[], strict: boolean): ListIndex | null {
  const index = EMPTY_INDEX.slice();
  for (const entry of list) {
    if (!isEntry(entry)) {
      if (strict) return null;
      continue;
    }
    const id = indexedId(entry[0]);
    if (id === -1) continue;
    const value = trimHttpWhitespace(entry[1]);
    const seen = index[id];
    if (seen === null) {
      index[id] = value;
    } else if (typeof seen === 'string') {
      index[id] = { values: [seen, value], combined: `${seen}, ${value}`, repeated: true, commaJoined: seen.includes(',') || value.includes(',') };
    } else if (seen !== undefined) {
      seen.values.push(value);
      seen.combined = `${seen.combined}, ${value}`;
      seen.commaJoined ||= value.includes(',');
    }
  }
  return index;
}

/**
 * Runs `read` with the lookups above answered from one pass over each header list it reads, instead of a
 * pass per question: from `indexes` (made by readExchange on its way through the exchange), else from an
 * index made on the first question. The answers are the same; header lists are read-only, and the
 * indexes live only while `read` runs, which must not change or hand out the lookups it gets (they are
 * shared).
 */
export function readingHeadersOnce<T>(indexes: HeaderIndexes, read: () => T): T {
  if (readingOnce !== null) return read();
  readingOnce = indexes;
  try {
    return read();
  } finally {
    readingOnce = null;
  }
}
