/**
 * The recording scope (Settings.scope). Listening is what costs (DESIGN.md §8), and a webRequest filter on
 * one tabId makes every other tab almost free only when no unfiltered listener exists. So:
 * - 'all-tabs': one set of unfiltered listeners;
 * - 'devtools-open': no unfiltered listeners, one set filtered to each inspected tab: a tab with DevTools
 *   open (its devtools page keeps a port, from the moment DevTools opens) or with a CORS panel connected.
 * The worker always registers the unfiltered set at its top level (a stopped worker is woken only for
 * listeners registered there, and the scope is not known before storage answers); once the settings are
 * read, it narrows to the inspected tabs. The inspected tabs are kept in storage.session so that a restarted
 * worker narrows to the right tabs before their panels reconnect.
 */
import type { WebRequestAdapter } from './adapter.ts';
import type { StorageArea } from './store.ts';
import type { Settings } from '../messages.ts';

export const INSPECTED_KEY = 'inspected';

export class RecordingScope {
  readonly #all: WebRequestAdapter;
  readonly #forTab: (tabId: number) => WebRequestAdapter;
  readonly #area: StorageArea;
  readonly #perTab = new Map<number, WebRequestAdapter>();
  #inspected: Set<number> | undefined;
  #mode: Settings['scope'] | undefined;

  constructor(all: WebRequestAdapter, forTab: (tabId: number) => WebRequestAdapter, area: StorageArea) {
    this.#all = all;
    this.#forTab = forTab;
    this.#area = area;
  }

  /** Synchronous, at the worker's top level. */
  start(): void {
    this.#all.listen();
  }

  async apply(mode: Settings['scope']): Promise<void> {
    this.#mode = mode;
    await this.#loadInspected();
    this.#sync();
  }

  /** Is this tab recorded under the current scope? */
  records(tabId: number): boolean {
    return this.#mode !== 'devtools-open' || (this.#inspected?.has(tabId) ?? false);
  }

  async inspecting(tabId: number, open: boolean): Promise<void> {
    const inspected = await this.#loadInspected();
    if (open === inspected.has(tabId)) return;
    if (open) inspected.add(tabId);
    else inspected.delete(tabId);
    this.#sync();
    await this.#area.set({ [INSPECTED_KEY]: [...inspected] }).catch(() => undefined);
  }

  async #loadInspected(): Promise<Set<number>> {
    if (this.#inspected !== undefined) return this.#inspected;
    const items = await this.#area.get(INSPECTED_KEY).catch(() => ({}) as Record<string, unknown>);
    const stored = items[INSPECTED_KEY];
    this.#inspected ??= new Set(Array.isArray(stored) ? stored.filter((id): id is number => Number.isInteger(id)) : []);
    return this.#inspected;
  }

  #sync(): void {
    if (this.#mode === undefined) return;
    const wanted = this.#mode === 'devtools-open' ? (this.#inspected ?? new Set<number>()) : new Set<number>();
    // Wide listeners go before narrow ones come (and after they go): both at once would deliver a tab's
    // events twice. The switch happens in one synchronous step.
    if (this.#mode === 'devtools-open') this.#all.stop();
    for (const [tabId, adapter] of this.#perTab) {
      if (!wanted.has(tabId)) {
        adapter.stop();
        this.#perTab.delete(tabId);
      }
    }
    for (const tabId of wanted) {
      if (this.#perTab.has(tabId)) continue;
      const adapter = this.#forTab(tabId);
      adapter.listen({ tabId });
      this.#perTab.set(tabId, adapter);
    }
    if (this.#mode === 'all-tabs') this.#all.listen();
  }
}
