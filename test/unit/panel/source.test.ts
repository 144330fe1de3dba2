import { type PortMessageToBackground, PANEL_PORT_NAME } from '../../../src/messages.ts';
import { createFixtureSource } from '../../../src/panel/source-fixture.ts';
import { type PortLike, createPortSource } from '../../../src/panel/source-port.ts';
import type { ConnectionStatus } from '../../../src/panel/source.ts';
import { demoRecords } from '../../shell/records.ts';

/** A fake runtime port pair: the test plays the background. */
function fakeRuntime() {
  const ports: Array<{ port: PortLike; sent: unknown[]; deliver(m: unknown): void; drop(): void; disconnected: boolean }> = [];
  let failNext = 0;
  const connect = (info: { name: string }): PortLike => {
    expect(info.name).toBe(PANEL_PORT_NAME);
    if (failNext > 0) {
      failNext--;
      throw new Error('Could not establish connection. Receiving end does not exist.');
    }
    const onMessage: Array<(m: unknown) => void> = [];
    const onDisconnect: Array<() => void> = [];
    const entry = {
      sent: [] as unknown[],
      disconnected: false,
      port: {
        postMessage: (m: unknown) => entry.sent.push(m),
        disconnect: () => {
          entry.disconnected = true;
        },
        onMessage: { addListener: (fn: (m: unknown) => void) => onMessage.push(fn) },
        onDisconnect: { addListener: (fn: () => void) => onDisconnect.push(fn) },
      } satisfies PortLike,
      deliver: (m: unknown) => {
        for (const fn of onMessage) fn(m);
      },
      drop: () => {
        for (const fn of onDisconnect) fn();
      },
    };
    ports.push(entry);
    return entry.port;
  };
  return { ports, connect, failTimes: (n: number) => (failNext = n) };
}

/** Timers run by hand. */
function manualTimers() {
  const queue: Array<{ fn: () => void; ms: number }> = [];
  return {
    queue,
    setTimer: (fn: () => void, ms: number) => {
      const entry = { fn, ms };
      queue.push(entry);
      return entry;
    },
    clearTimer: (handle: unknown) => {
      const i = queue.indexOf(handle as { fn: () => void; ms: number });
      if (i >= 0) queue.splice(i, 1);
    },
    runNext: () => queue.shift()?.fn(),
  };
}

const meta = { tabId: 42, engine: 'chromium' as const, extensionVersion: '1.0.0' };
const snapshot = (records = demoRecords(42).slice(0, 2)) => ({
  type: 'snapshot',
  payload: { tabId: 42, records, dropped: 0, settings: { preserveLog: false, scope: 'all-tabs' } },
});

describe('port source', () => {
  test('says hello with the inspected tab, forwards valid messages of this tab only', () => {
    const runtime = fakeRuntime();
    const source = createPortSource({ meta, connect: runtime.connect });
    const got: string[] = [];
    source.subscribe({ message: (m) => got.push(m.type) });
    const port = runtime.ports[0]!;
    expect(port.sent).toEqual([{ type: 'hello', payload: { tabId: 42 } } satisfies PortMessageToBackground]);
    port.deliver(snapshot());
    port.deliver({ type: 'added', payload: { tabId: 7, records: [], dropped: 0 } });
    port.deliver({ type: 'bogus', payload: {} });
    port.deliver('junk');
    port.deliver({ type: 'cleared', payload: { tabId: 42 } });
    expect(got).toEqual(['snapshot', 'cleared']);
  });

  test('reconnects after the service worker drops the port, says hello again and resends queued calls', () => {
    const runtime = fakeRuntime();
    const timers = manualTimers();
    const source = createPortSource({ meta, connect: runtime.connect, setTimer: timers.setTimer, clearTimer: timers.clearTimer, backoff: [0, 50] });
    const statuses: ConnectionStatus[] = [];
    const got: string[] = [];
    source.subscribe({ message: (m) => got.push(m.type), status: (s) => statuses.push(s) });
    runtime.ports[0]!.deliver(snapshot());
    runtime.ports[0]!.drop();
    expect(statuses.at(-1)).toBe('reconnecting');
    source.setSettings({ preserveLog: true });
    source.clear();
    // First attempt fails (the worker is still starting), the second succeeds.
    runtime.failTimes(1);
    timers.runNext();
    expect(runtime.ports).toHaveLength(1);
    expect(timers.queue.at(-1)?.ms).toBe(50);
    timers.runNext();
    expect(runtime.ports).toHaveLength(2);
    const second = runtime.ports[1]!;
    expect(second.sent).toEqual([
      { type: 'hello', payload: { tabId: 42 } },
      { type: 'setSettings', payload: { preserveLog: true } },
      { type: 'clear', payload: { tabId: 42 } },
    ]);
    // Messages from the dead port are ignored; the new snapshot restores the state.
    runtime.ports[0]!.deliver({ type: 'cleared', payload: { tabId: 42 } });
    second.deliver(snapshot());
    expect(got).toEqual(['snapshot', 'snapshot']);
    expect(statuses.at(-1)).toBe('connected');
  });

  test('unsubscribing disconnects and stops reconnecting', () => {
    const runtime = fakeRuntime();
    const timers = manualTimers();
    const source = createPortSource({ meta, connect: runtime.connect, setTimer: timers.setTimer, clearTimer: timers.clearTimer });
    const off = source.subscribe({ message: () => {} });
    off();
    expect(runtime.ports[0]!.disconnected).toBe(true);
    runtime.ports[0]!.drop();
    expect(timers.queue).toHaveLength(0);
  });

  test('an invalidated extension context ends in "disconnected" without retry storms', () => {
    const timers = manualTimers();
    const source = createPortSource({
      meta,
      connect: () => {
        throw new Error('Extension context invalidated.');
      },
      setTimer: timers.setTimer,
      clearTimer: timers.clearTimer,
    });
    const statuses: ConnectionStatus[] = [];
    source.subscribe({ message: () => {}, status: (s) => statuses.push(s) });
    expect(statuses.at(-1)).toBe('disconnected');
    expect(timers.queue).toHaveLength(0);
  });
});

describe('fixture source', () => {
  test('snapshot on subscribe, records calls, applies the cap on push', () => {
    const records = demoRecords();
    const source = createFixtureSource({ records: records.slice(0, 3), cap: 4, dropped: 1 });
    const got: Array<{ type: string; dropped?: number; n?: number }> = [];
    source.subscribe({
      message: (m) =>
        got.push({ type: m.type, ...('dropped' in m.payload ? { dropped: m.payload.dropped } : {}), ...('records' in m.payload ? { n: m.payload.records.length } : {}) }),
    });
    source.push(records.slice(3, 5));
    source.setSettings({ preserveLog: true });
    source.clear();
    expect(got).toEqual([
      { type: 'snapshot', dropped: 1, n: 3 },
      { type: 'added', dropped: 2, n: 2 },
      { type: 'settings' },
      { type: 'cleared' },
    ]);
    expect(source.calls).toEqual([{ type: 'setSettings', payload: { preserveLog: true } }, { type: 'clear' }]);
  });
});
