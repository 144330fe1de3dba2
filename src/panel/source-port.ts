/**
 * The PanelSource of the real extension: a runtime port to the background, named PANEL_PORT_NAME.
 * It says `hello` with the inspected tab, receives a snapshot, then pushes. An MV3 service worker is stopped
 * when idle, which drops the port: the source reconnects (connecting wakes the worker again), says hello
 * again, and the fresh snapshot replaces the panel's state. Calls made while disconnected are sent after the
 * next hello.
 *
 * `connect` is injected (main.tsx passes `browser.runtime.connect`), so this file runs in tests without the
 * extension APIs.
 */
import { PANEL_PORT_NAME, type PortMessageToBackground, type Settings } from '../messages.ts';
import { isPanelMessage, type ConnectionStatus, type PanelSource, type SourceListener, type SourceMeta } from './source.ts';

/** The part of runtime.Port the source uses. */
export interface PortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export interface PortSourceOptions {
  meta: SourceMeta;
  connect: (info: { name: string }) => PortLike;
  /** Delays before reconnect attempts, in ms; the last one repeats. */
  backoff?: number[];
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

const DEFAULT_BACKOFF = [0, 100, 250, 500, 1000, 2000, 5000];

export function createPortSource(options: PortSourceOptions): PanelSource {
  const { meta, connect } = options;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));

  const listeners = new Set<SourceListener>();
  let port: PortLike | undefined;
  let attempt = 0;
  let timer: unknown;
  let status: ConnectionStatus = 'reconnecting';
  /** Calls made while no port was open, sent after the next hello. */
  let pending: PortMessageToBackground[] = [];

  const setStatus = (next: ConnectionStatus) => {
    if (next === status) return;
    status = next;
    for (const listener of listeners) listener.status?.(next);
  };

  const send = (message: PortMessageToBackground) => {
    if (!port) {
      pending.push(message);
      return;
    }
    try {
      port.postMessage(message);
    } catch {
      // The port died between its disconnect event and this call: keep the message for the next port.
      pending.push(message);
    }
  };

  const open = () => {
    timer = undefined;
    let next: PortLike;
    try {
      next = connect({ name: PANEL_PORT_NAME });
    } catch (error) {
      // After the extension is reloaded or removed this panel's context is dead for good.
      if (String((error as Error)?.message ?? error).includes('context invalidated')) setStatus('disconnected');
      else scheduleReconnect();
      return;
    }
    port = next;
    next.onMessage.addListener((message) => {
      if (port !== next || !isPanelMessage(message)) return;
      if ('tabId' in message.payload && message.payload.tabId !== meta.tabId) return;
      if (message.type === 'snapshot') {
        attempt = 0;
        setStatus('connected');
      }
      for (const listener of listeners) listener.message(message);
    });
    next.onDisconnect.addListener(() => {
      if (port !== next) return;
      port = undefined;
      if (listeners.size > 0) scheduleReconnect();
    });
    next.postMessage({ type: 'hello', payload: { tabId: meta.tabId } } satisfies PortMessageToBackground);
    const queued = pending;
    pending = [];
    for (const message of queued) send(message);
  };

  const scheduleReconnect = () => {
    setStatus('reconnecting');
    const delay = backoff[Math.min(attempt, backoff.length - 1)] ?? 1000;
    attempt++;
    timer = setTimer(open, delay);
  };

  return {
    meta,
    subscribe(listener) {
      listeners.add(listener);
      listener.status?.(status);
      if (!port && timer === undefined) open();
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        if (timer !== undefined) clearTimer(timer);
        timer = undefined;
        const last = port;
        port = undefined;
        last?.disconnect();
      };
    },
    clear() {
      send({ type: 'clear', payload: { tabId: meta.tabId } });
    },
    setSettings(patch: Partial<Settings>) {
      send({ type: 'setSettings', payload: patch });
    },
  };
}
