'use client';

import { startTransition, useEffect, useState } from 'react';
import { useLatest } from './useLatest.js';
import type { ReadableStore } from './useStoreSelector.js';

/**
 * Like `useStoreSelector`, but a change renders as a transition: urgent updates (a keystroke, a
 * click) render first, a render under way yields to them, and changes that arrive while one is
 * pending render once, with the newest value. For views that may lag a frame behind the store, such
 * as a log that streams: `useSyncExternalStore` (which `useStoreSelector` uses) always renders
 * synchronously, so a busy list would delay the input's next frame.
 */
export function useDeferredStoreSelector<S, T>(
  store: ReadableStore<S>,
  selector: (state: S) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const [current, setCurrent] = useState(() => ({ store, value: selector(store.getState()) }));
  const latest = useLatest({ selector, isEqual });
  let value = current.value;
  if (current.store !== store) {
    // Another store: show its state at once, not the previous store's for a frame.
    value = selector(store.getState());
    setCurrent({ store, value });
  }
  useEffect(() => {
    // The update reads the store when React applies it, so a render shows the newest state even
    // when several changes arrived while a transition was pending.
    const update = (previous: { store: ReadableStore<S>; value: T }) => {
      const next = latest.current.selector(store.getState());
      return previous.store === store && latest.current.isEqual(previous.value, next) ? previous : { store, value: next };
    };
    const sync = () => startTransition(() => setCurrent(update));
    // Changes between this render and the subscription are not missed.
    sync();
    return store.subscribe(sync);
  }, [store, latest]);
  return value;
}
