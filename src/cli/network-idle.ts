/**
 * "The page is done": no request of the page in flight for a while. Callers report each request's start
 * and end (any object or string identifies it); waitForIdle resolves once nothing has been in flight for
 * `idleMs`, or at the deadline.
 */
export class NetworkIdle {
  /** Each request in flight, with its URL for progress messages. */
  private readonly pending = new Map<unknown, string>();
  private lastChange = Date.now();

  started(request: unknown, url: string): void {
    this.pending.set(request, url);
    this.lastChange = Date.now();
  }

  ended(request: unknown): void {
    if (this.pending.delete(request)) this.lastChange = Date.now();
  }

  /** URLs of the requests still in flight. */
  inFlight(): string[] {
    return [...this.pending.values()];
  }

  /** True when the network went idle, false when the deadline (epoch ms) came first. */
  async waitForIdle(idleMs: number, deadline: number): Promise<boolean> {
    for (;;) {
      const now = Date.now();
      if (this.pending.size === 0 && now - this.lastChange >= idleMs) return true;
      if (now >= deadline) return false;
      const untilIdle = this.pending.size === 0 ? idleMs - (now - this.lastChange) : 50;
      await sleep(Math.max(10, Math.min(untilIdle, 50, deadline - now)));
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
