'use client';

import { createContext as createReactContext, createElement, useContext, type ReactNode } from 'react';

const MISSING = Symbol('missing provider');

/**
 * A context whose reader fails loudly: used outside its provider, the hook throws an error that
 * names both the hook and the provider it needs.
 *
 * @returns the provider component and the reader hook.
 */
export function createStrictContext<T>(providerName: string) {
  const Context = createReactContext<T | typeof MISSING>(MISSING);
  Context.displayName = `${providerName}Context`;

  function Provider(props: { value: T; children?: ReactNode }) {
    return createElement(Context.Provider, { value: props.value }, props.children);
  }
  Provider.displayName = `${providerName}ContextProvider`;

  function useStrictContext(consumerName: string): T {
    const value = useContext(Context);
    if (value === MISSING) {
      throw new Error(`\`${consumerName}\` must be used within \`<${providerName}>\`.`);
    }
    return value;
  }

  return [Provider, useStrictContext] as const;
}
