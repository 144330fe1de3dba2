import type { Diagnosis } from './diagnosis.ts';
import type { Exchange } from './exchange.ts';

/** One diagnosed failure as stored per tab and shown in the panel. The exchange is the reduced form
 * (deciding headers kept, others by name, secrets redacted) made by the tracker before storage. */
export interface CorsRecord {
  /** Unique within the browser session: `${tabId}:${seq}`. */
  id: string;
  tabId: number;
  /** Monotonic per tab, survives worker restarts (kept in storage). */
  seq: number;
  exchange: Exchange;
  diagnosis: Diagnosis;
}

/** A tab's stored state. */
export interface TabRecords {
  tabId: number;
  records: CorsRecord[];
  /** Records dropped because the per-tab cap was reached (oldest first). */
  dropped: number;
  nextSeq: number;
}
