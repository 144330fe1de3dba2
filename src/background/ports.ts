/**
 * The panel's live connection. A panel opens a runtime port named PANEL_PORT_NAME and sends `hello` with
 * its inspected tabId; it gets a `snapshot`, then `added` batches, `cleared` and `settings` as they happen.
 * Each port remembers the highest seq it has been sent, so a record is never delivered twice (a snapshot
 * can already contain records whose `added` batch is about to go out).
 *
 * The devtools page's port (DEVTOOLS_PORT_NAME) only says `inspect` with its tab: it is sent nothing, but
 * while it is connected the tab counts as inspected, like a tab with a panel.
 */
import type { CorsRecord } from '../cors/record.ts';
import {
  type BackgroundToPanel,
  DEVTOOLS_PORT_NAME,
  type DevtoolsToBackground,
  envelope,
  PANEL_PORT_NAME,
  type PortMessageFromDevtools,
  type PanelToBackground,
  type PortMessageToBackground,
  type PortMessageToPanel,
  type Settings,
} from '../messages.ts';
import type { TabRecords } from '../cors/record.ts';

/** The part of runtime.Port used here. */
export interface PortLike {
  name: string;
  postMessage(message: unknown): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export interface PanelBackend {
  records(tabId: number): Promise<TabRecords>;
  settings(): Promise<Settings>;
  clear(tabId: number): Promise<void>;
  setSettings(patch: Partial<Settings>): Promise<Settings>;
  /** A tab became inspected (a panel's hello, a devtools page's inspect) or stopped being (the last such
   * port disconnected). */
  inspecting?(tabId: number, open: boolean): void;
}

interface Subscriber {
  /** A devtools page's port is sent nothing; it only marks its tab as inspected. */
  kind: 'panel' | 'devtools';
  tabId: number | undefined;
  /** Highest seq delivered; -1 after a clear so survivors can be delivered again. */
  sentUpTo: number;
}

type PortHandlers = { [K in keyof PanelToBackground]: (port: PortLike, payload: PanelToBackground[K]) => Promise<void> };
type DevtoolsHandlers = { [K in keyof DevtoolsToBackground]: (port: PortLike, payload: DevtoolsToBackground[K]) => void };

export class PanelPorts {
  readonly #backend: PanelBackend;
  readonly #ports = new Map<PortLike, Subscriber>();
  readonly #handlers: PortHandlers = {
    hello: (port, { tabId }) => this.#hello(port, tabId),
    clear: async (_port, { tabId }) => this.#backend.clear(tabId),
    setSettings: async (_port, patch) => {
      await this.#backend.setSettings(patch);
    },
  };
  readonly #devtoolsHandlers: DevtoolsHandlers = {
    inspect: (port, { tabId }) => this.#inspect(port, tabId),
  };

  constructor(backend: PanelBackend) {
    this.#backend = backend;
  }

  /** runtime.onConnect: takes the panel's and the devtools page's ports, leaves any other. */
  accept(port: PortLike): boolean {
    const kind = port.name === PANEL_PORT_NAME ? 'panel' : port.name === DEVTOOLS_PORT_NAME ? 'devtools' : undefined;
    if (kind === undefined) return false;
    const sub: Subscriber = { kind, tabId: undefined, sentUpTo: -1 };
    this.#ports.set(port, sub);
    port.onMessage.addListener((message) => {
      const m = message as PortMessageToBackground | PortMessageFromDevtools | null;
      if (typeof m?.type !== 'string' || typeof m.payload !== 'object' || m.payload === null) return;
      if (kind === 'devtools') {
        if (!Object.hasOwn(this.#devtoolsHandlers, m.type)) return;
        (this.#devtoolsHandlers[m.type as keyof DevtoolsToBackground] as (port: PortLike, payload: unknown) => void)(port, m.payload);
        return;
      }
      if (!Object.hasOwn(this.#handlers, m.type)) return;
      const handler = this.#handlers[m.type as keyof PanelToBackground] as (port: PortLike, payload: unknown) => Promise<void>;
      handler(port, m.payload).catch((error: unknown) => console.warn('CORS Explainer: panel message failed', m.type, error));
    });
    port.onDisconnect.addListener(() => {
      this.#ports.delete(port);
      if (sub.tabId !== undefined) this.#backend.inspecting?.(sub.tabId, this.isInspected(sub.tabId));
    });
    return true;
  }

  /** Is any panel or devtools page connected for this tab? */
  isInspected(tabId: number): boolean {
    for (const sub of this.#ports.values()) if (sub.tabId === tabId) return true;
    return false;
  }

  inspectedTabs(): Set<number> {
    const tabs = new Set<number>();
    for (const sub of this.#ports.values()) if (sub.tabId !== undefined) tabs.add(sub.tabId);
    return tabs;
  }

  added(tabId: number, records: CorsRecord[], dropped: number): void {
    for (const [port, sub] of this.#ports) {
      if (sub.tabId !== tabId || sub.kind !== 'panel') continue;
      const fresh = records.filter((r) => r.seq > sub.sentUpTo);
      if (fresh.length === 0) continue;
      sub.sentUpTo = fresh[fresh.length - 1]?.seq ?? sub.sentUpTo;
      post(port, 'added', { tabId, records: fresh, dropped });
    }
  }

  cleared(tabId: number): void {
    for (const [port, sub] of this.#ports) {
      if (sub.tabId !== tabId || sub.kind !== 'panel') continue;
      sub.sentUpTo = -1;
      post(port, 'cleared', { tabId });
    }
  }

  settingsChanged(settings: Settings): void {
    for (const [port, sub] of this.#ports) if (sub.kind === 'panel') post(port, 'settings', settings);
  }

  /** A devtools page's tab (once per port: the inspected tab of a DevTools window does not change). */
  #inspect(port: PortLike, tabId: number): void {
    const sub = this.#ports.get(port);
    if (sub === undefined || sub.tabId !== undefined || !Number.isInteger(tabId) || tabId < 0) return;
    sub.tabId = tabId;
    this.#backend.inspecting?.(tabId, true);
  }

  async #hello(port: PortLike, tabId: number): Promise<void> {
    if (!Number.isInteger(tabId)) return;
    const [tab, settings] = await Promise.all([this.#backend.records(tabId), this.#backend.settings()]);
    const sub = this.#ports.get(port);
    if (sub === undefined) return; // disconnected meanwhile
    // Snapshot and subscription in one synchronous step: nothing can slip between them.
    const records = tab.records.slice();
    sub.tabId = tabId;
    sub.sentUpTo = records.length > 0 ? (records[records.length - 1]?.seq ?? -1) : -1;
    post(port, 'snapshot', { tabId, records, dropped: tab.dropped, settings });
    this.#backend.inspecting?.(tabId, true);
  }
}

function post<K extends keyof BackgroundToPanel>(port: PortLike, type: K, payload: BackgroundToPanel[K]): void {
  const message: PortMessageToPanel = envelope<BackgroundToPanel, K>(type, payload) as PortMessageToPanel;
  try {
    port.postMessage(message);
  } catch {
    // The panel went away between two events; its onDisconnect cleans up.
  }
}
