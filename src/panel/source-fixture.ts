/**
 * A PanelSource fed with recorded CorsRecords: the test shell and the component tests use it in place of the
 * extension's port. It behaves like the background: a snapshot on subscribe, `cleared` after clear(),
 * `settings` after setSettings(), and `added` (with the per-tab cap applied) after push().
 */
import type { CorsRecord } from '../cors/record.ts';
import { DEFAULT_SETTINGS, type PortMessageToPanel, type Settings } from '../messages.ts';
import type { PanelSource, SourceListener, SourceMeta } from './source.ts';

export interface FixtureOptions {
  records?: CorsRecord[];
  dropped?: number;
  settings?: Partial<Settings>;
  meta?: Partial<SourceMeta>;
  /** Per-tab cap, as the background applies it (oldest records dropped first). */
  cap?: number;
}

export type FixtureCall = { type: 'clear' } | { type: 'setSettings'; payload: Partial<Settings> };

export interface FixtureSource extends PanelSource {
  /** Every clear()/setSettings() the panel made, in order. */
  readonly calls: FixtureCall[];
  /** Deliver new records as the background would. */
  push(records: CorsRecord[]): void;
}

export function createFixtureSource(options: FixtureOptions = {}): FixtureSource {
  const meta: SourceMeta = { tabId: 1, engine: 'chromium', extensionVersion: '0.0.0-fixture', ...options.meta };
  const cap = options.cap ?? Number.POSITIVE_INFINITY;
  let records = [...(options.records ?? [])];
  let dropped = options.dropped ?? 0;
  let settings: Settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const listeners = new Set<SourceListener>();
  const calls: FixtureCall[] = [];

  const emit = (message: PortMessageToPanel) => {
    for (const listener of listeners) listener.message(message);
  };

  return {
    meta,
    calls,
    subscribe(listener) {
      listeners.add(listener);
      listener.status?.('connected');
      listener.message({ type: 'snapshot', payload: { tabId: meta.tabId, records: [...records], dropped, settings } });
      return () => listeners.delete(listener);
    },
    clear() {
      calls.push({ type: 'clear' });
      records = [];
      dropped = 0;
      emit({ type: 'cleared', payload: { tabId: meta.tabId } });
    },
    setSettings(patch) {
      calls.push({ type: 'setSettings', payload: patch });
      settings = { ...settings, ...patch };
      emit({ type: 'settings', payload: settings });
    },
    push(added) {
      records.push(...added);
      const over = records.length - cap;
      if (over > 0) {
        records.splice(0, over);
        dropped += over;
      }
      emit({ type: 'added', payload: { tabId: meta.tabId, records: added, dropped } });
    },
  };
}
