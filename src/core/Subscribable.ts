/** A function that stops a subscription. Calling it twice is harmless. */
export type Unsubscribe = () => void;

/**
 * A minimal listener set, the base of every store in the kit (the shape `useSyncExternalStore`
 * expects). A listener that throws does not stop the others: its error is rethrown in a microtask,
 * where the host reports it, as `EventTarget` does.
 */
export class Subscribable<TListener extends (...args: never[]) => void> {
  protected readonly listeners = new Set<TListener>();

  /** Add a listener; returns the function that removes it. */
  subscribe = (listener: TListener): Unsubscribe => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Call every listener with `args`, isolating failures. */
  protected emit(...args: Parameters<TListener>): void {
    for (const listener of this.listeners) callSafely(listener, args);
  }
}

/** Call `fn(...args)`; if it throws, rethrow asynchronously so the caller's loop carries on. */
export function callSafely<A extends unknown[]>(fn: (...args: A) => void, args: A): void {
  try {
    fn(...args);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
