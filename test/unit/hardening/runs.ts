/**
 * How many cases each hardening property runs. In the test command the runs are modest (each property
 * takes about a second); `HARDENING_RUNS=100000` (npm run bench:fuzz) is the long mode: classify gets that
 * many cases and every other property a share of it. `HARDENING_SEED` (and `HARDENING_PATH`) replay a run that fast-check reported.
 */
import type fc from 'fast-check';

const LONG = Number(process.env.HARDENING_RUNS ?? '');

/** True in the long mode. */
export const LONG_MODE = Number.isFinite(LONG) && LONG > 0;

/** Cases for one property: `quick` in the test command; in the long mode `share` of HARDENING_RUNS (never
 * fewer than `quick`). */
export function runs(quick: number, share = 1): number {
  return LONG_MODE ? Math.max(quick, Math.round(LONG * share)) : quick;
}

/** Per-test timeout: vitest's default in the test command, none to speak of in the long mode. */
export const TIMEOUT = LONG_MODE ? 6 * 60 * 60_000 : 20_000;

const SEED = Number(process.env.HARDENING_SEED ?? '');

/** fast-check parameters: a random seed (printed on failure) unless HARDENING_SEED pins one; with
 * HARDENING_PATH as well (the `path` fast-check printed), the failing case is replayed at once (run one
 * property with `-t`). */
export function params<T>(numRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  const pinned = Number.isFinite(SEED) && process.env.HARDENING_SEED ? { seed: SEED } : {};
  const path = process.env.HARDENING_PATH ? { path: process.env.HARDENING_PATH, endOnFailure: true } : {};
  return { numRuns, ...pinned, ...path, ...extra };
}
