import type { Fix } from '../src/explain/types.ts';
import type { LabOrigins } from './scenarios.d.mts';

export interface StartLabOptions {
  /** Address the three servers listen on (default 127.0.0.1). The third origin is always named "localhost". */
  host?: string;
  /** Fixed ports; each defaults to 0 (OS-chosen). */
  ports?: { page?: number; api?: number; third?: number };
}

/** A fix and the URL it was made for: a record of the extension's JSON export has both (docs/EXPORT.md). */
export interface FixToApply {
  /** The URL the page requested (the record's `url`); compared without its query. */
  url: string;
  fix: Fix;
}

export interface RunningLab {
  origins: LabOrigins;
  /** A loopback port where nothing listens (for the connection-refused scenario). */
  closedPort: number;
  /** For tests: from now on the scenario's servers answer as if `fix` had been applied to them, replayed the
   * way docs/EXPORT.md describes (preflight at the requested URL, actual and redirect headers by URL, URL
   * credentials removed from a Location). Replaces an earlier fix for the scenario. */
  applyFix(scenarioId: string, fix: FixToApply): void;
  /** The scenario answers as its catalogue entry says again. */
  removeFix(scenarioId: string): void;
  close(): Promise<void>;
}

export declare function startLab(options?: StartLabOptions): Promise<RunningLab>;

/** A function's source with its catalogue indentation removed (for display). */
export declare function dedent(source: string): string;
