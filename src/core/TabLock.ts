/** What {@link TabLock} tells the tab. */
export interface TabLockEvents {
  /** The tab holds the lock: it leads until `release()`, or until another tab takes the lock. */
  lead(): void;
  /** Another tab took the lock from this one (it had stopped answering): follow. */
  deposed(): void;
}

/**
 * The Web Locks of one tab of a shared connection: the leader's lock, which the tab waits in line
 * for (or takes from a leader that stopped answering), and a lock of its own held for its life, from
 * which the leader learns which tabs are gone.
 */
export class TabLock {
  readonly #locks: LockManager;
  readonly #name: string;
  readonly #events: TabLockEvents;
  /** Bumped by every request, so that the end of an older one changes nothing. */
  #request = 0;
  #abort: AbortController | null = null;
  #release: (() => void) | null = null;
  #releasePresence: (() => void) | null = null;
  #disposed = false;

  constructor(locks: LockManager, name: string, tab: string, events: TabLockEvents) {
    this.#locks = locks;
    this.#name = `rwc-tabs:${name}`;
    this.#events = events;
    const held = () => new Promise<void>((release) => (this.#releasePresence = release));
    void locks.request(this.presenceName(tab), held).catch(() => {});
  }

  /** The name of the lock `tab` holds for its life. */
  presenceName(tab: string): string {
    return `${this.#name}:tab:${tab}`;
  }

  /** The tabs whose presence lock is held: the tabs alive (this one too). */
  async presentTabs(): Promise<Set<string>> {
    const prefix = this.presenceName('');
    const { held = [] } = await this.#locks.query();
    return new Set(held.flatMap(({ name = '' }) => (name.startsWith(prefix) ? [name.slice(prefix.length)] : [])));
  }

  /** Wait in line for the leader's lock, or (`steal`) take it at once from a leader that stopped answering. */
  request(steal: boolean): void {
    if (this.#disposed) return;
    const request = ++this.#request;
    this.#abort?.abort();
    const abort = steal ? null : new AbortController();
    this.#abort = abort;
    const held = () =>
      new Promise<void>((release) => {
        if (this.#disposed || request !== this.#request) return release();
        this.#release = release;
        this.#events.lead();
      });
    // `steal` cannot be combined with `signal`.
    void this.#locks.request(this.#name, abort ? { signal: abort.signal } : { steal: true }, held).catch(() => {
      // Taken from this tab while it led (it had hung), or its wait aborted (then nothing to do).
      if (request === this.#request && this.#release) {
        this.#release = null;
        this.#events.deposed();
      }
    });
  }

  /** Stop leading (the lock goes to the next tab in line), or stop waiting in line. */
  release(): void {
    this.#request++;
    this.#abort?.abort();
    this.#abort = null;
    this.#release?.();
    this.#release = null;
  }

  dispose(): void {
    this.release();
    this.#disposed = true;
    this.#releasePresence?.();
  }
}
