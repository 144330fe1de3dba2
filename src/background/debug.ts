/**
 * A debug hook for tests: `globalThis.corsExplainerDebug.startRecording()` makes the adapter also keep
 * every normalised event; `takeRecording()` returns and clears them. Used to record the fixtures in
 * test/fixtures/events/** from a real browser (serviceWorker.evaluate / chrome-scope evaluation). It holds
 * nothing until started, and what it holds is what the tracker sees anyway (secrets already redacted).
 */
import type { RecordingHolder } from './adapter.ts';
import type { TrackerEvent } from './events.ts';

export interface DebugHook {
  startRecording(): void;
  takeRecording(): TrackerEvent[];
  stopRecording(): TrackerEvent[];
}

export function installDebugHook(holder: RecordingHolder): DebugHook {
  const hook: DebugHook = {
    startRecording() {
      holder.events = [];
    },
    takeRecording() {
      const events = holder.events ?? [];
      if (holder.events) holder.events = [];
      return events;
    },
    stopRecording() {
      const events = holder.events ?? [];
      holder.events = undefined;
      return events;
    },
  };
  (globalThis as { corsExplainerDebug?: DebugHook }).corsExplainerDebug = hook;
  return hook;
}
