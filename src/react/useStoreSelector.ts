'use client';

import { useCallback, useRef, useSyncExternalStore } from 'react';

/** Anything with `subscribe` and `getState`: the chat store, or a store of your own. */
export interface ReadableStore<S> {
  subscribe(listener: () => void): () => void;
  getState(): S;
}

/**
 * Read a slice of a store: the component re-renders only when `selector`'s result changes by
 * `isEqual` (default `Object.is`), as zustand's selectors do. `selector` may be an inline function.
 */
export function useStoreSelector<S, T>(
  store: ReadableStore<S>,
  selector: (state: S) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const memo = useRef<{ state: S; selection: T } | null>(null);
  const getSelection = () => {
    const state = store.getState();
    const last = memo.current;
    if (last && last.state === state) return last.selection;
    const selection = selector(state);
    if (last && isEqual(last.selection, selection)) {
      memo.current = { state, selection: last.selection };
      return last.selection;
    }
    memo.current = { state, selection };
    return selection;
  };
  const subscribe = useCallback((onChange: () => void) => store.subscribe(onChange), [store]);
  return useSyncExternalStore(subscribe, getSelection, getSelection);
}

/** Equal when both are objects with the same keys and `Object.is`-equal values (or arrays likewise). */
export function shallowEqual<T>(a: T, b: T): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((key) => Object.hasOwn(b, key) && Object.is((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
