/**
 * Keys seen in the last `windowMs`, at most `capacity` of them (the oldest are forgotten first), so
 * memory stays bounded whatever the clients send.
 */
export class RecentKeys {
  /** key -> time it was remembered; a Map iterates in insertion order, so the oldest come first. */
  private readonly seen = new Map<string, number>();
  private readonly windowMs: number;
  private readonly capacity: number;

  constructor(windowMs: number, capacity: number) {
    this.windowMs = windowMs;
    this.capacity = capacity;
  }

  get size(): number {
    return this.seen.size;
  }

  /** Whether `key` was remembered within the window. */
  has(key: string, now: number): boolean {
    this.prune(now);
    return this.seen.has(key);
  }

  /** Remember `key` from `now` on. */
  add(key: string, now: number): void {
    this.prune(now);
    this.seen.delete(key);
    this.seen.set(key, now);
    while (this.seen.size > this.capacity) {
      const oldest = this.seen.keys().next();
      if (oldest.done) break;
      this.seen.delete(oldest.value);
    }
  }

  private prune(now: number): void {
    for (const [key, at] of this.seen) {
      if (now - at < this.windowMs) break;
      this.seen.delete(key);
    }
  }
}
