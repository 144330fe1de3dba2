// Shared by the agreement tests (lab-agreement-*.test.ts, fix-replay-chromium.test.ts): where the built
// extension is, which records belong to a lab scenario, a poll with a deadline, and a tally that prints
// one line per browser.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Stage } from '../../../src/cors/diagnosis.ts';
import type { CorsRecord } from '../../../src/cors/record.ts';

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
  add(row: Agreement): void {
    this.rows.push(row);
  }
  print(label: string): void {
    const agreed = this.rows.filter((r) => r.agrees).length;
    console.log(`${label}: ${agreed}/${this.rows.length} scenarios`);
    for (const r of this.rows.filter((x) => !x.agrees)) {
      console.log(`  ${r.id}: browser ${r.browser ?? 'nothing'}, extension ${r.extension ?? 'nothing'}${r.note ? ` (${r.note})` : ''}`);
    }
  }
}
