// Shared by the agreement tests (lab-agreement-*.test.ts, fix-replay-chromium.test.ts): where the built
// extension is, which records belong to a lab scenario, a poll with a deadline, and a tally that prints
// one line per browser.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Stage } from '../../../src/cors/diagnosis.ts';
import type { CorsRecord } from '../../../src/cors/record.ts';
import type { ReasonId } from '../../../src/cors/reasons.ts';
import type { GeckoCorsVerdict } from './verdicts-gecko.ts';

/**
 * The unpacked extension for a target: CORS_EXTENSION_DIR (Chromium) or CORS_FIREFOX_EXTENSION_DIR
 * (Firefox) when set, else dist/<target>, built first when it is missing.
 */
export function extensionBuild(target: 'chrome' | 'firefox'): string {
  const fromEnv = target === 'chrome' ? process.env.CORS_EXTENSION_DIR : process.env.CORS_FIREFOX_EXTENSION_DIR;
  const dir = resolve(fromEnv ?? `dist/${target}`);
  if (!existsSync(resolve(dir, 'manifest.json'))) {
    if (fromEnv) throw new Error(`no extension build in ${dir}`);
    execFileSync('npm', ['run', '--silent', `build:${target}`], { stdio: 'inherit' });
  }
  return dir;
}

/** The records a scenario's requests made: every lab origin serves a scenario under /s/<id>/. */
export function recordsOfScenario(records: readonly CorsRecord[], id: string): CorsRecord[] {
  return records.filter((r) => r.exchange.url.includes(`/s/${id}/`));
}

/** Polls `read` until `ok` holds or the deadline passes; returns the last value read. */
export async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 5_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, everyMs));
    value = await read();
  }
  return value;
}

/** Where the browser says the request failed, from its own name for the failure. */
export type StageOf = (name: string | undefined) => Stage | undefined;

/** Chromium: `Preflight…` CorsErrors and the checks only a preflight has are preflight failures, a
 * net:: error of a cross-origin request is a network failure, the redirect check is a redirect failure. */
export const chromiumStage: StageOf = (name) => {
  if (name === undefined) return undefined;
  if (name.startsWith('net::')) return 'network';
  if (name.startsWith('Preflight') || name.endsWith('PreflightResponse') || name === 'AuthorizationCoveredByWildcard') return 'preflight';
  if (name === 'RedirectContainsCredentials') return 'redirect';
  return 'actual';
};

export interface Agreement {
  id: string;
  browser: string | null;
  extension: string | null;
  agrees: boolean;
  note?: string;
}

/** One row per scenario; `print` writes "<label>: A/N scenarios" and the disagreements. */
export class Tally {
  readonly rows: Agreement[] = [];
  /** How the two sides are named in the list of disagreements. */
  constructor(readonly sides: { browser: string; extension: string } = { browser: 'browser', extension: 'extension' }) {}
  add(row: Agreement): void {
    this.rows.push(row);
  }
  print(label: string): void {
    const agreed = this.rows.filter((r) => r.agrees).length;
    console.log(`${label}: ${agreed}/${this.rows.length} scenarios`);
    for (const r of this.rows.filter((x) => !x.agrees)) {
      const { browser, extension } = this.sides;
      console.log(`  ${r.id}: ${browser} ${r.browser ?? 'nothing'}, ${extension} ${r.extension ?? 'nothing'}${r.note ? ` (${r.note})` : ''}`);
    }
  }
}

/** Firefox's verdict for a scenario: the first key it logged for one of the scenario's requests
 * (verdictsFrom already keeps one per request), with the request's URL. */
export interface ScenarioGeckoVerdict {
  reason: ReasonId | null;
  /** Firefox's key, revision included; undefined when Firefox logged nothing. */
  key?: string;
  url?: string;
  /** Every key logged for the scenario's requests, in order (for messages). */
  keys: string[];
}

export function geckoScenarioVerdict(verdicts: readonly GeckoCorsVerdict[], id: string): ScenarioGeckoVerdict {
  const mine = verdicts.filter((v) => v.url.includes(`/s/${id}/`));
  const first = mine[0];
  const keys = mine.map((v) => v.key);
  if (!first) return { reason: null, keys };
  if (!first.reason) throw new Error(`Firefox key "${first.key}" has no reason in verdicts-gecko.ts`);
  return { reason: first.reason, key: first.key, url: first.url, keys };
}

const PREFLIGHT_ONLY = new Set([
  'CORSPreflightDidNotSucceed',
  'CORSInvalidAllowMethod',
  'CORSInvalidAllowHeader',
  'CORSMethodNotFound',
  'CORSMissingAllowHeaderFromPreflight',
  'CORSExternalRedirectNotAllowed',
  'CORSAllowHeaderFromPreflightDeprecation',
]);

/** The stages a Firefox key allows. Firefox does not say which response failed the origin and
 * credentials checks, so those keys allow any response stage; the record's own data must then back the
 * stage it names (see `stageBackedByExchange`). */
export function geckoStages(key: string | undefined): Stage[] {
  if (key === undefined) return [];
  const reason = key.replace(/\d+$/, '');
  if (PREFLIGHT_ONLY.has(reason)) return ['preflight'];
  // A transport failure, or a hop Firefox refused to follow without a message of its own.
  if (reason === 'CORSDidNotSucceed') return ['network', 'redirect'];
  return ['preflight', 'redirect', 'actual'];
}

/** A stage is sensible only when the exchange has the part it names. */
export function stageBackedByExchange(record: CorsRecord): boolean {
  const { stage } = record.diagnosis;
  const ex = record.exchange;
  if (stage === 'preflight') return ex.preflight !== undefined;
  if (stage === 'redirect') return ex.redirects.length > 0;
  if (stage === 'network') return ex.error !== undefined || ex.preflight?.error !== undefined;
  return ex.response !== undefined || ex.error !== undefined;
}
