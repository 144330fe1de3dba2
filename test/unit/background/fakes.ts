// Test doubles for browser storage and small builders, shared by the background unit tests.
import type { Diagnosis } from '../../../src/cors/diagnosis.ts';
import type { Exchange } from '../../../src/cors/exchange.ts';
import type { StorageArea } from '../../../src/background/store.ts';

/** storage.session as the browsers behave: values are cloned when set() is called, writes can be held
 * back to simulate a slow disk / busy browser, and every call is counted. */
export class MemoryArea implements StorageArea {
  data = new Map<string, unknown>();
  gets = 0;
  sets = 0;
  removes = 0;
  /** When true, set() waits until release() is called. */
  hold = false;
  #held: Array<() => void> = [];

  async get(keys: string | string[] | null): Promise<Record<string, unknown>> {
    this.gets++;
    await Promise.resolve();
    const out: Record<string, unknown> = {};
    const wanted = keys === null ? [...this.data.keys()] : typeof keys === 'string' ? [keys] : keys;
    for (const k of wanted) if (this.data.has(k)) out[k] = structuredClone(this.data.get(k));
    return out;
  }

  async getKeys(): Promise<string[]> {
    await Promise.resolve();
    return [...this.data.keys()];
  }

  set(items: Record<string, unknown>): Promise<void> {
    this.sets++;
    const copy = structuredClone(items);
    const apply = () => {
      for (const [k, v] of Object.entries(copy)) this.data.set(k, v);
    };
    if (!this.hold) return Promise.resolve().then(apply);
    return new Promise((resolve) => {
      this.#held.push(() => {
        apply();
        resolve();
      });
    });
  }

  async remove(keys: string | string[]): Promise<void> {
    this.removes++;
    await Promise.resolve();
    for (const k of typeof keys === 'string' ? [keys] : keys) this.data.delete(k);
  }

  /** Completes the held writes, in order. */
  release(): void {
    const held = this.#held;
    this.#held = [];
    for (const done of held) done();
  }

  get pendingWrites(): number {
    return this.#held.length;
  }
}

export function exchange(tabId: number, startedAt: number, url = 'http://api.test/data'): Exchange {
  return {
    engine: 'chromium',
    tabId,
    frameId: 0,
    type: 'xmlhttprequest',
    initiator: 'http://page.test',
    method: 'GET',
    url,
    requestHeaders: [['origin', 'http://page.test']],
    redirects: [],
    response: { status: 200, headers: [] },
    error: 'net::ERR_FAILED',
    startedAt,
    endedAt: startedAt + 5,
  };
}

export function diagnosis(reason: Diagnosis['reason'] = 'CORSMissingAllowOrigin'): Diagnosis {
  return { reason, engineName: 'MissingAllowOriginHeader', stage: 'actual', certainty: 'certain', alternatives: [], evidence: [], findings: [] };
}

export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}
