'use client';

import { createContext as createReactContext, useContext, type Provider } from 'react';

const MISSING = Symbol('missing provider');

/**
 * A context whose reader fails loudly: used outside its provider, the hook throws an error that
 * names both the hook and the provider it needs.
 *
 * @returns the provider component (`<Provider value={...}>`; React DevTools shows it as
 * `${providerName}Context`) and the reader hook.
 */
export function createStrictContext<T>(providerName: string) {
  const Context = createReactContext<T | typeof MISSING>(MISSING);
  Context.displayName = `${providerName}Context`;

  function useStrictContext(consumerName: string): T {
    const value = useContext(Context);
    if (value === MISSING) {
      throw new Error(`\`${consumerName}\` must be used within \`<${providerName}>\`.`);
    }
    return value;
  }

  // The sentinel is only the default: a provider is always given a real value.
  return [Context.Provider as Provider<T>, useStrictContext] as const;
}
