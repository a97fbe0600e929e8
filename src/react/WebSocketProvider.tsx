'use client';

import type { ReactNode } from 'react';
import type { WebSocketClient } from '../core/index.js';
import { createStrictContext } from './createContext.js';
import { useWebSocketCallbacks } from './useWebSocketCallbacks.js';
import { useWebSocketClient, type UseWebSocketOptions, type WebSocketCallbacks, type WebSocketUrl } from './useWebSocketClient.js';
import { useWebSocketState, type UseWebSocketResult } from './useWebSocketState.js';

const [ClientProvider, useClientContext] = createStrictContext<WebSocketClient<unknown, unknown> | null>('WebSocketProvider');

/** Props of {@link WebSocketProvider}: the options of `useWebSocket`, plus `url` and `children`. */
export interface WebSocketProviderProps<In = unknown> extends UseWebSocketOptions<In> {
  /** Where to connect; null for not connected. */
  url: WebSocketUrl;
  children?: ReactNode;
}

/**
 * Open one connection and share it with every component below, which read it with
 * {@link useWebSocketContext}.
 *
 * @example
 * ```tsx
 * <WebSocketProvider url="wss://chat.example/ws" protocols="json">
 *   <Status />
 *   <Feed />
 * </WebSocketProvider>
 * ```
 */
export function WebSocketProvider<In = unknown>({ url, children, ...options }: WebSocketProviderProps<In>) {
  const client = useWebSocketClient<In>(url, options);
  return <ClientProvider value={client as WebSocketClient<unknown, unknown> | null}>{children}</ClientProvider>;
}

/**
 * Read the connection of the nearest {@link WebSocketProvider}: the same result as `useWebSocket`.
 * Callbacks given here see every event of the shared connection, for this component only.
 * Throws when there is no provider above.
 */
export function useWebSocketContext<In = unknown, Out = unknown>(callbacks: WebSocketCallbacks<In> = {}): UseWebSocketResult<In, Out> {
  const client = useWebSocketClientContext<In, Out>('useWebSocketContext');
  useWebSocketCallbacks(client, callbacks);
  return useWebSocketState<In, Out>(client);
}

/**
 * The {@link WebSocketClient} of the nearest {@link WebSocketProvider} (null when its url is null),
 * for code that wants the core itself. Throws when there is no provider above.
 */
export function useWebSocketClientContext<In = unknown, Out = unknown>(
  consumerName = 'useWebSocketClientContext',
): WebSocketClient<In, Out> | null {
  return useClientContext(consumerName) as WebSocketClient<In, Out> | null;
}
