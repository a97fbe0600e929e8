'use client';

import { useRef } from 'react';
import { shallowEqual } from './useStoreSelector.js';

/** `value`, or the previous one while it is shallowly equal: a stable identity for inline objects. */
export function useShallowStable<T>(value: T): T {
  const ref = useRef(value);
  if (!shallowEqual(ref.current, value)) ref.current = value;
  return ref.current;
}
