import type { ChatServer } from '../src/server/index.ts';

/**
 * The chat server of `npm start`, stopped and started again while Storybook keeps running (the
 * console's `s` and `r` keys), so the Live chat story can be watched losing its server and getting
 * it back. Calls run one after another, in the order made: pressing `s` twice quickly stops, then
 * starts.
 */
export class ChatServerSwitch {
  readonly #create: () => Promise<ChatServer>;
  #server: ChatServer | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  /** `create` starts a server (listening when it resolves); called on each start. */
  constructor(create: () => Promise<ChatServer>) {
    this.#create = create;
  }

  /** The running server, or null while stopped. */
  get server(): ChatServer | null {
    return this.#server;
  }

  /** Start the server unless it runs. Rejects with the listening error (it stays stopped). */
  start(): Promise<ChatServer> {
    return this.#next(() => this.#startNow());
  }

  /** Stop the server (its clients get 1001) unless it is stopped. */
  stop(): Promise<void> {
    return this.#next(() => this.#stopNow());
  }

  /** Stop it if it runs, start it if not; resolves with the server, or null once stopped. */
  toggle(): Promise<ChatServer | null> {
    return this.#next(async () => {
      if (this.#server === null) return this.#startNow();
      await this.#stopNow();
      return null;
    });
  }

  /** Stop it (if it runs) and start it again. */
  restart(): Promise<ChatServer> {
    return this.#next(async () => {
      await this.#stopNow();
      return this.#startNow();
    });
  }

  async #startNow(): Promise<ChatServer> {
    this.#server ??= await this.#create();
    return this.#server;
  }

  async #stopNow(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    await server?.close();
  }

  #next<T>(step: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(step);
    // A failed step (e.g. the port is taken) must not block the ones after it.
    this.#queue = result.catch(() => undefined);
    return result;
  }
}
