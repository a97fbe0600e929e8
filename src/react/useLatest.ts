'use client';

import { useInsertionEffect, useRef, type RefObject } from 'react';

/**
 * A ref that always holds the latest `value`, updated before any layout or passive effect runs,
 * so that callbacks read from it never go stale and changing them triggers nothing.
 */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  useInsertionEffect(() => {
    ref.current = value;
  });
  return ref;
}
