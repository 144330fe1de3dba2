// The panel's port protocol over a fake runtime.Port, against a real RecordStore on fake storage.
import { describe, expect, it } from 'vitest';
import { PanelPorts, type PortLike } from '../../../src/background/ports.ts';
import { RecordStore } from '../../../src/background/store.ts';
import type { CorsRecord } from '../../../src/cors/record.ts';
import { DEFAULT_SETTINGS, DEVTOOLS_PORT_NAME, PANEL_PORT_NAME, type PortMessageToPanel, type Settings } from '../../../src/messages.ts';
import { diagnosis, exchange, MemoryArea, settle } from './fakes.ts';

class FakePort implements PortLike {
  readonly received: PortMessageToPanel[] = [];
  #onMessage: Array<(m: unknown) => void> = [];
  #onDisconnect: Array<() => void> = [];
  constructor(readonly name: string) {}
  postMessage(message: unknown): void {
    this.received.push(structuredClone(message) as PortMessageToPanel);
  }
  onMessage = { addListener: (l: (m: unknown) => void) => this.#onMessage.push(l) };
  onDisconnect = { addListener: (l: () => void) => this.#onDisconnect.push(l) };
  send(message: unknown): void {
    for (const l of this.#onMessage) l(message);
  }
  disconnect(): void {
    for (const l of this.#onDisconnect) l();
  }
  types(): string[] {
    return this.received.map((m) => m.type);
  }
  seqs(type: 'snapshot' | 'added'): number[] {
    return this.received.flatMap((m) => (m.type === type ? (m.payload as { records: CorsRecord[] }).records.map((r) => r.seq) : []));
  }
}

function setup() {
  let settings: Settings = { ...DEFAULT_SETTINGS };
  const inspecting: Array<[number, boolean]> = [];
  const area = new MemoryArea();
  const ports: PanelPorts = new PanelPorts({
    records: (tabId) => store.get(tabId),
    settings: async () => settings,
    clear: (tabId) => store.clear(tabId),
    setSettings: async (patch) => {
      settings = { ...settings, ...patch };
      ports.settingsChanged(settings);
      return settings;
    },
    inspecting: (tabId, open) => inspecting.push([tabId, open]),
  });
  const store = new RecordStore(area, {
    added: (tabId, records, dropped) => ports.added(tabId, records, dropped),
    cleared: (tabId) => ports.cleared(tabId),
    changed: () => {},
  });
  return { ports, store, area, inspecting, settings: () => settings };
}

describe('PanelPorts', () => {
  it('ignores ports with another name', () => {
    const { ports } = setup();
    expect(ports.accept(new FakePort('something-else'))).toBe(false);
    expect(ports.accept(new FakePort(PANEL_PORT_NAME))).toBe(true);
    expect(ports.accept(new FakePort(DEVTOOLS_PORT_NAME))).toBe(true);
  });

  it('hello → snapshot with records, dropped and settings; then only new records, each once', async () => {
    const { ports, store, inspecting } = setup();
    store.add(exchange(5, 1), diagnosis());
    store.add(exchange(5, 2), diagnosis());
    store.add(exchange(6, 3), diagnosis());
    await store.flushed();
    const port = new FakePort(PANEL_PORT_NAME);
    ports.accept(port);
    port.send({ type: 'hello', payload: { tabId: 5 } });
    await settle();
    expect(port.types()).toEqual(['snapshot']);
    expect(port.received[0]?.payload).toMatchObject({ tabId: 5, dropped: 0, settings: DEFAULT_SETTINGS });
    expect(port.seqs('snapshot')).toEqual([1, 2]);
    expect(ports.isInspected(5)).toBe(true);
    expect(inspecting).toEqual([[5, true]]);

    for (let i = 0; i < 50; i++) store.add(exchange(5, 10 + i), diagnosis());
    store.add(exchange(6, 99), diagnosis()); // another tab: not for this panel
    await store.flushed();
    expect(port.seqs('added')).toEqual(Array.from({ length: 50 }, (_, i) => i + 3));
    // Batched: far fewer messages than records.
    expect(port.types().filter((t) => t === 'added').length).toBeLessThanOrEqual(3);
  });

  it('a snapshot taken while records wait to be announced does not deliver them twice', async () => {
    const { ports, store, area } = setup();
    area.hold = true;
    store.add(exchange(7, 1), diagnosis());
    await settle();
    store.add(exchange(7, 2), diagnosis()); // waits behind the held write, unannounced
    const port = new FakePort(PANEL_PORT_NAME);
    ports.accept(port);
    port.send({ type: 'hello', payload: { tabId: 7 } });
    await settle();
    expect(port.seqs('snapshot')).toEqual([1, 2]);
    area.hold = false;
    area.release();
    await store.flushed();
    expect(port.seqs('added')).toEqual([]);
  });

  it('clear empties the tab and says so; later records arrive as added', async () => {
    const { ports, store } = setup();
    store.add(exchange(8, 1), diagnosis());
    await store.flushed();
    const port = new FakePort(PANEL_PORT_NAME);
    ports.accept(port);
    port.send({ type: 'hello', payload: { tabId: 8 } });
    await settle();
    port.send({ type: 'clear', payload: { tabId: 8 } });
    await settle();
    await store.flushed();
    expect(port.types()).toEqual(['snapshot', 'cleared']);
    expect((await store.get(8)).records).toEqual([]);
    store.add(exchange(8, 5), diagnosis());
    await store.flushed();
    expect(port.seqs('added')).toEqual([2]);
  });

  it('a navigation that keeps the new page’s records sends cleared, then those records again', async () => {
    const { ports, store } = setup();
    store.add(exchange(9, 100), diagnosis());
    store.add(exchange(9, 300), diagnosis());
    await store.flushed();
    const port = new FakePort(PANEL_PORT_NAME);
    ports.accept(port);
    port.send({ type: 'hello', payload: { tabId: 9 } });
    await settle();
    await store.clearBefore(9, 200);
    expect(port.types()).toEqual(['snapshot', 'cleared', 'added']);
    expect(port.seqs('added')).toEqual([2]);
  });

  it('setSettings is applied and pushed to every panel', async () => {
    const { ports, settings } = setup();
    const a = new FakePort(PANEL_PORT_NAME);
    const b = new FakePort(PANEL_PORT_NAME);
    ports.accept(a);
    ports.accept(b);
    a.send({ type: 'setSettings', payload: { preserveLog: true } });
    await settle();
    expect(settings().preserveLog).toBe(true);
    for (const p of [a, b]) expect(p.received).toEqual([{ type: 'settings', payload: { preserveLog: true, scope: 'all-tabs' } }]);
  });

  it('malformed messages are ignored; a disconnect ends the inspection', async () => {
    const { ports, inspecting } = setup();
    const port = new FakePort(PANEL_PORT_NAME);
    ports.accept(port);
    port.send(null);
    port.send({ type: 'hello' });
    port.send({ type: 'toString', payload: {} });
    port.send({ type: 'hello', payload: { tabId: 'x' } });
    await settle();
    expect(port.received).toEqual([]);
    port.send({ type: 'hello', payload: { tabId: 3 } });
    await settle();
    port.disconnect();
    expect(ports.isInspected(3)).toBe(false);
    expect(inspecting).toEqual([
      [3, true],
      [3, false],
    ]);
  });

  it('a devtools page port makes its tab inspected until it disconnects, and is sent nothing', async () => {
    const { ports, store, inspecting } = setup();
    const devtools = new FakePort(DEVTOOLS_PORT_NAME);
    ports.accept(devtools);
    // A devtools page cannot subscribe to records nor change anything.
    devtools.send({ type: 'hello', payload: { tabId: 4 } });
    devtools.send({ type: 'setSettings', payload: { preserveLog: true } });
    devtools.send({ type: 'inspect', payload: { tabId: -1 } });
    devtools.send({ type: 'inspect', payload: { tabId: 'x' } });
    await settle();
    expect(inspecting).toEqual([]);
    devtools.send({ type: 'inspect', payload: { tabId: 4 } });
    expect(ports.isInspected(4)).toBe(true);
    expect(ports.inspectedTabs()).toEqual(new Set([4]));
    expect(inspecting).toEqual([[4, true]]);

    // A panel on the same tab: closing one of the two leaves the tab inspected; closing both ends it.
    const panel = new FakePort(PANEL_PORT_NAME);
    ports.accept(panel);
    panel.send({ type: 'hello', payload: { tabId: 4 } });
    await settle();
    store.add(exchange(4, 1), diagnosis());
    await store.flushed();
    await store.clear(4);
    ports.settingsChanged(DEFAULT_SETTINGS);
    expect(devtools.received).toEqual([]);
    expect(panel.types()).toEqual(['snapshot', 'added', 'cleared', 'settings']);
    panel.disconnect();
    expect(ports.isInspected(4)).toBe(true);
    devtools.disconnect();
    expect(ports.isInspected(4)).toBe(false);
    expect(inspecting).toEqual([
      [4, true],
      [4, true],
      [4, true],
      [4, false],
    ]);
  });
});
