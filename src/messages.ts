/**
 * Every message between the background and its clients (panel, devtools page, tests, CLI), typed once.
 * The panel opens a runtime port named PANEL_PORT_NAME and sends `hello` with its inspected tabId; the
 * background answers with `snapshot`, then pushes `added` / `cleared` / `settings` as they happen.
 * The devtools page opens a port named DEVTOOLS_PORT_NAME as soon as DevTools opens on a tab and sends
 * `inspect`; while it is connected the tab counts as inspected (the 'devtools-open' scope records it).
 */
import type { CorsRecord } from './cors/record.ts';

export interface Settings {
  /** Keep a tab's records across navigations (DevTools' "Preserve log"). */
  preserveLog: boolean;
  /** Which tabs are recorded: every tab, or only tabs with DevTools open (from the moment DevTools opens,
   * whether or not the CORS panel was shown yet). */
  scope: 'all-tabs' | 'devtools-open';
}

export const DEFAULT_SETTINGS: Settings = { preserveLog: false, scope: 'all-tabs' };

/** Client → background over the port. */
export interface PanelToBackground {
  hello: { tabId: number };
  clear: { tabId: number };
  setSettings: Partial<Settings>;
}

/** Devtools page → background over its port. Nothing goes the other way. */
export interface DevtoolsToBackground {
  inspect: { tabId: number };
}

/** Background → client over the port. */
export interface BackgroundToPanel {
  snapshot: { tabId: number; records: CorsRecord[]; dropped: number; settings: Settings };
  added: { tabId: number; records: CorsRecord[]; dropped: number };
  cleared: { tabId: number };
  settings: Settings;
}

/** One-shot requests (runtime.sendMessage) with their replies: used by tests and the CLI. The JSON export is
 * built by its readers (panel, CLI) from getRecords with src/explain buildExport: the background does not
 * carry src/explain. */
export interface Requests {
  getRecords: { request: { tabId: number }; reply: { records: CorsRecord[]; dropped: number } };
  getAllRecords: { request: Record<string, never>; reply: { tabs: Record<string, { records: CorsRecord[]; dropped: number }> } };
  getSettings: { request: Record<string, never>; reply: Settings };
  ping: { request: Record<string, never>; reply: { ok: true; engine: 'chromium' | 'gecko' } };
}

export type Envelope<M> = { [K in keyof M]: { type: K; payload: M[K] } }[keyof M];
export type PortMessageToBackground = Envelope<PanelToBackground>;
export type PortMessageToPanel = Envelope<BackgroundToPanel>;
export type PortMessageFromDevtools = Envelope<DevtoolsToBackground>;
export type RequestMessage = { [K in keyof Requests]: { type: K; payload: Requests[K]['request'] } }[keyof Requests];

export const PANEL_PORT_NAME = 'cors-explainer-panel';
export const DEVTOOLS_PORT_NAME = 'cors-explainer-devtools';

export function envelope<M, K extends keyof M>(type: K, payload: M[K]): { type: K; payload: M[K] } {
  return { type, payload };
}
