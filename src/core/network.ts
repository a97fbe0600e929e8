import type { Unsubscribe } from './Subscribable.js';

/** Tells whether the host believes it is online, and when that changes. */
export interface NetworkMonitor {
  isOnline(): boolean;
  subscribe(listener: (online: boolean) => void): Unsubscribe;
}

interface OnlineEventTarget {
  navigator?: { onLine?: boolean };
  addEventListener?: (type: string, listener: () => void) => void;
  removeEventListener?: (type: string, listener: () => void) => void;
}

/**
 * The host's own view, from `navigator.onLine` and the `online`/`offline` events of the global
 * object (a window or a worker). Where there is neither, it always reports online.
 */
export const browserNetwork: NetworkMonitor = {
  isOnline() {
    return (globalThis as OnlineEventTarget).navigator?.onLine !== false;
  },
  subscribe(listener) {
    const target = globalThis as OnlineEventTarget;
    if (typeof target.addEventListener !== 'function') return () => {};
    const online = () => listener(true);
    const offline = () => listener(false);
    target.addEventListener('online', online);
    target.addEventListener('offline', offline);
    return () => {
      target.removeEventListener?.('online', online);
      target.removeEventListener?.('offline', offline);
    };
  },
};
