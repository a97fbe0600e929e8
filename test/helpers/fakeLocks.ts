// A stand-in for the Web Locks API (`navigator.locks`) for fast unit tests of code that elects a
// leader among tabs: exclusive locks only, granted in request order, with `signal` (abort a wait)
// and `steal` (take a held lock: its holder's request rejects with an AbortError), and `query()`.
// Real behaviour is checked in Chromium (test/e2e/sharedTabs.e2e.test.ts).

interface Request {
  readonly name: string;
  readonly grant: () => void;
  readonly reject: (error: unknown) => void;
}

type Callback = (lock: Lock | null) => unknown;

const abortError = (message: string) => new DOMException(message, 'AbortError');

export class FakeLocks {
  readonly #held = new Map<string, Request>();
  readonly #queue: Request[] = [];

  request(name: string, optionsOrCallback: LockOptions | Callback, maybeCallback?: Callback): Promise<unknown> {
    const options = typeof optionsOrCallback === 'function' ? {} : optionsOrCallback;
    const callback = (typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback) as Callback;
    return new Promise((resolve, reject) => {
      const request: Request = {
        name,
        reject,
        grant: () => {
          this.#held.set(name, request);
          Promise.resolve(callback({ name, mode: 'exclusive' } as Lock)).then(
            (value) => {
              this.#release(request);
              resolve(value);
            },
            (error: unknown) => {
              this.#release(request);
              reject(error);
            },
          );
        },
      };
      if (options.steal) {
        const holder = this.#held.get(name);
        this.#held.delete(name);
        holder?.reject(abortError('The lock was stolen.'));
        this.#held.set(name, request);
        queueMicrotask(request.grant);
        return;
      }
      options.signal?.addEventListener('abort', () => {
        const index = this.#queue.indexOf(request);
        if (index < 0) return;
        this.#queue.splice(index, 1);
        reject(abortError('The wait was aborted.'));
      });
      if (this.#held.has(name)) return this.#queue.push(request);
      // Held from now on (granted in a microtask, as a browser grants asynchronously).
      this.#held.set(name, request);
      queueMicrotask(request.grant);
    });
  }

  async query(): Promise<LockManagerSnapshot> {
    return {
      held: [...this.#held.keys()].map((name) => ({ name, mode: 'exclusive' as const })),
      pending: this.#queue.map((request) => ({ name: request.name, mode: 'exclusive' as const })),
    };
  }

  /** As a `LockManager`. */
  get manager(): LockManager {
    return this as unknown as LockManager;
  }

  #release(request: Request): void {
    if (this.#held.get(request.name) !== request) return;
    this.#held.delete(request.name);
    const next = this.#queue.findIndex((waiting) => waiting.name === request.name);
    if (next < 0) return;
    const waiting = this.#queue.splice(next, 1)[0] as Request;
    this.#held.set(waiting.name, waiting);
    queueMicrotask(waiting.grant);
  }
}
