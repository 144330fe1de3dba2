/**
 * Where the panel's data comes from. The App receives a PanelSource and never knows whether it talks to the
 * extension's background (source-port.ts) or replays recorded records (source-fixture.ts, tests and the shell).
 */
import type { Engine } from '../cors/exchange.ts';
import type { PortMessageToPanel, Settings } from '../messages.ts';

export type ConnectionStatus = 'connected' | 'reconnecting' | 'disconnected';

/** Facts about the inspected tab and the extension, for exports. */
export interface SourceMeta {
  tabId: number;
  engine: Engine;
  extensionVersion: string;
}

export interface SourceListener {
  /** snapshot / added / cleared / settings, exactly as the background sends them. */
  message(message: PortMessageToPanel): void;
  /** Connection changes (the port source reconnects when the service worker restarts). */
  status?(status: ConnectionStatus): void;
}

export interface PanelSource {
  readonly meta: SourceMeta;
  /** Starts delivering messages; the first one is a `snapshot`. Returns the unsubscribe function. */
  subscribe(listener: SourceListener): () => void;
  /** Forget the tab's records. */
  clear(): void;
  setSettings(patch: Partial<Settings>): void;
}

const MESSAGE_TYPES: ReadonlySet<string> = new Set(['snapshot', 'added', 'cleared', 'settings']);

/** A message from outside the panel, checked just enough that the reducer cannot trip over it. */
export function isPanelMessage(value: unknown): value is PortMessageToPanel {
  if (typeof value !== 'object' || value === null) return false;
  const { type, payload } = value as { type?: unknown; payload?: unknown };
  if (typeof type !== 'string' || !MESSAGE_TYPES.has(type)) return false;
  if (typeof payload !== 'object' || payload === null) return false;
  if (type === 'snapshot' || type === 'added') return Array.isArray((payload as { records?: unknown }).records);
  return true;
}
