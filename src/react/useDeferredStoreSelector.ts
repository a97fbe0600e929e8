'use client';

import { startTransition, useEffect, useRef, useState } from 'react';
import { useLatest } from './useLatest.js';
import type { ReadableStore } from './useStoreSelector.js';

/**
 * Like `useStoreSelector`, but a change renders as a transition: urgent updates (a keystroke, a
 * click) render first, a render under way yields to them, and changes that arrive while one is
 * pending render once, with the newest state. For views that may lag a frame behind the store, such
 * as a log that streams: `useSyncExternalStore` (which `useStoreSelector` uses) always renders
 * synchronously, so a busy list would delay the input's next frame. `selector` may be an inline
 * function: it runs on the state this component renders.
 */
export function useDeferredStoreSelector<S, T>(
  store: ReadableStore<S>,
  selector: (state: S) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  // The store's state as this component last took it (deferred), not the selection: a new selector
  // applies to it at once.
  const [current, setCurrent] = useState(() => ({ store, state: store.getState() }));
  let state = current.state;
  if (current.store !== store) {
    // Another store: show its state at once, not the previous store's for a frame.
    state = store.getState();
    setCurrent({ store, state });
  }
  const value = useSelection(state, selector, isEqual);
  const latest = useLatest({ selector, isEqual, state });

  useEffect(() => {
    // The state this component shows: a change that does not alter its selection renders nothing.
    let taken = latest.current.state;
    const sync = () => {
      const next = store.getState();
      if (next === taken) return;
      const { selector: select, isEqual: equal } = latest.current;
      const same = equal(select(taken), select(next));
      taken = next;
      if (same) return;
      startTransition(() =>
        // Reads the store when React applies it: the newest state, even if more changes came.
        setCurrent((previous) => (previous.store === store ? { store, state: store.getState() } : previous)),
      );
    };
    // Changes between the render and this subscription are not missed.
    sync();
    return store.subscribe(sync);
  }, [store, latest]);
  return value;
}

/** `selector(state)`, the same value while `isEqual` says so (so consumers see a stable identity). */
function useSelection<S, T>(state: S, selector: (state: S) => T, isEqual: (a: T, b: T) => boolean): T {
  const memo = useRef<{ state: S; selector: (state: S) => T; value: T } | null>(null);
  const last = memo.current;
  if (last && last.state === state && last.selector === selector) return last.value;
  const next = selector(state);
  const value = last && isEqual(last.value, next) ? last.value : next;
  memo.current = { state, selector, value };
  return value;
}
