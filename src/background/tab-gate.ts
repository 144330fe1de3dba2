/**
 * Lets a tab's failures through only once this worker knows the tab exists. A request can end after its
 * tab closed (a keepalive fetch, a beacon): the worker that saw the tab close ignores it (the store
 * remembers closed tabs), but a worker started after the close never saw it, and would store the late
 * failure under a key nothing removes until the next worker start. So the first failure of each tab in a
 * worker's life asks the browser once; later ones pass at once, in order.
 */
export class TabGate {
  readonly #exists: (tabId: number) => Promise<boolean>;
  /** Tabs seen to exist in this worker's life. */
  readonly #open = new Set<number>();
  /** Work waiting for the answer about a tab, in arrival order. */
  readonly #waiting = new Map<number, Array<() => void>>();

  constructor(exists: (tabId: number) => Promise<boolean>) {
    this.#exists = exists;
  }

  /** Runs `work` now if the tab is known to exist, later if it turns out to, never if it does not. */
  run(tabId: number, work: () => void): void {
    if (this.#open.has(tabId)) {
      work();
      return;
    }
    const waiting = this.#waiting.get(tabId);
    if (waiting !== undefined) {
      waiting.push(work);
      return;
    }
    const queue = [work];
    this.#waiting.set(tabId, queue);
    void this.#exists(tabId)
      .catch(() => false)
      .then((exists) => {
        if (this.#waiting.get(tabId) !== queue) return; // forgotten meanwhile: the tab closed
        this.#waiting.delete(tabId);
        if (!exists) return;
        this.#open.add(tabId);
        for (const w of queue) w();
      });
  }

  /** The tab closed: drop what waits for it, and ask again should it ever come back. */
  forget(tabId: number): void {
    this.#open.delete(tabId);
    this.#waiting.delete(tabId);
  }
}
