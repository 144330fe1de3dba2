/**
 * A small WebDriver BiDi client over `ws`: numbered commands, their answers, and events by name.
 * Only what the Firefox harness needs; the protocol is https://w3c.github.io/webdriver-bidi/.
 */
import WebSocket from 'ws';

export class BidiError extends Error {
  constructor(
    readonly method: string,
    readonly error: string,
    readonly detail: string,
  ) {
    super(`${method}: ${error}: ${detail}`);
    this.name = 'BidiError';
  }
}

type EventHandler = (params: Record<string, unknown>) => void;

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class BidiConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, Set<EventHandler>>();
  private closedReason: Error | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.receive(String(data)));
    socket.on('close', () => this.failAll(new Error('WebDriver BiDi connection closed')));
    socket.on('error', (error) => this.failAll(error));
  }

  static async connect(url: string, timeoutMs = 10_000): Promise<BidiConnection> {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error(`WebDriver BiDi: no connection to ${url} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('open', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    return new BidiConnection(socket);
  }

  get isOpen(): boolean {
    return this.closedReason === undefined && this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends one command and resolves with its `result`, or rejects with a BidiError. */
  send<T = Record<string, unknown>>(method: string, params: object = {}, timeoutMs = 30_000): Promise<T> {
    if (this.closedReason) return Promise.reject(this.closedReason);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`WebDriver BiDi: ${method} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject, timer });
      this.socket.send(JSON.stringify({ id, method, params }), (error) => {
        if (!error) return;
        clearTimeout(timer);
        this.pending.delete(id);
        reject(error);
      });
    });
  }

  /** Listens to an event by its method name (`log.entryAdded`); returns the function that stops listening.
   * The event still has to be subscribed to with `session.subscribe`. */
  on(method: string, handler: EventHandler): () => void {
    let set = this.handlers.get(method);
    if (!set) {
      set = new Set();
      this.handlers.set(method, set);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.socket.terminate();
        resolve();
      }, 1_000);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.close();
    });
  }

  private receive(text: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    if (message.type === 'event') {
      const method = String(message.method);
      for (const handler of this.handlers.get(method) ?? []) handler(message.params as Record<string, unknown>);
      return;
    }
    const id = typeof message.id === 'number' ? message.id : undefined;
    const waiting = id === undefined ? undefined : this.pending.get(id);
    if (!waiting || id === undefined) return;
    this.pending.delete(id);
    clearTimeout(waiting.timer);
    if (message.type === 'success') waiting.resolve(message.result);
    else waiting.reject(new BidiError(waiting.method, String(message.error), String(message.message ?? '')));
  }

  private failAll(error: Error): void {
    this.closedReason ??= error;
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(error);
      this.pending.delete(id);
    }
  }
}

/** The shape of `script.evaluate` / `script.callFunction` results. */
export type EvaluateResult =
  | { type: 'success'; realm: string; result: RemoteValue }
  | { type: 'exception'; realm: string; exceptionDetails: { text: string; lineNumber?: number; columnNumber?: number } };

export interface RemoteValue {
  type: string;
  value?: unknown;
}
