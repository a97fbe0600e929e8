'use client';

import { useCallback, useState } from 'react';
import { useLatest } from './useLatest.js';

/**
 * A value that is controlled while `prop` is defined, and internal state (starting at
 * `defaultProp`) otherwise, as Radix's hook of the same name. The setter calls `onChange` with
 * every new value in both modes; it is stable while the mode does not change, and always calls
 * the latest `onChange`.
 */
export function useControllableState<T>(
  prop: T | undefined,
  defaultProp: T,
  onChange: ((value: T) => void) | undefined,
): [value: T, setValue: (next: T) => void] {
  const [uncontrolled, setUncontrolled] = useState(defaultProp);
  const controlled = prop !== undefined;
  const onChangeRef = useLatest(onChange);
  const setValue = useCallback(
    (next: T) => {
      if (!controlled) setUncontrolled(next);
      onChangeRef.current?.(next);
    },
    [controlled, onChangeRef],
  );
  return [controlled ? prop : uncontrolled, setValue];
}
