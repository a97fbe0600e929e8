/**
 * The sessions of users who left moments ago (the protocol extension's rejoin): a connection's
 * `session` (sent in its `id`) is kept for `windowMs` after it closed, with the name it had, so that
 * the same user reconnecting can send it back and be told apart from a new one. Bounded: at most
 * `capacity` are kept, the oldest forgotten first.
 */
export class DepartedSessions {
  /** session -> the name it had and when it left; a Map iterates in insertion order, so the oldest come first. */
  readonly #left = new Map<string, { readonly name: string; readonly at: number }>();
  readonly #windowMs: number;
  readonly #capacity: number;

  constructor(windowMs: number, capacity: number) {
    this.#windowMs = windowMs;
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#left.size;
  }

  /** Keep `session` of a user named `name` who left at `now`. */
  add(session: string, name: string, now: number): void {
    this.#prune(now);
    if (this.#windowMs === 0 || this.#capacity === 0) return;
    this.#left.set(session, { name, at: now });
    while (this.#left.size > this.#capacity) {
      const oldest = this.#left.keys().next();
      if (oldest.done) break;
      this.#left.delete(oldest.value);
    }
  }

  /** The name of the user who left with `session` within the window, or null; either way the session is used up. */
  take(session: string, now: number): string | null {
    this.#prune(now);
    const found = this.#left.get(session);
    this.#left.delete(session);
    return found ? found.name : null;
  }

  #prune(now: number): void {
    for (const [session, { at }] of this.#left) {
      if (now - at < this.#windowMs) break;
      this.#left.delete(session);
    }
  }
}
