'use client';

import { useEffect, useLayoutEffect, useMemo } from 'react';
import {
  WebSocketClient,
  type CloseInfo,
  type IncomingData,
  type OpenInfo,
  type Resolvable,
  type WebSocketClientOptions,
  type WebSocketError,
} from '../core/index.js';
import { useLatest } from './useLatest.js';
import { useWebSocketCallbacks } from './useWebSocketCallbacks.js';

/** Callbacks of {@link useWebSocket}; changing them never reconnects. */
export interface WebSocketCallbacks<In> {
  onOpen?: (info: OpenInfo) => void;
  /** Called for every message, in order, however many arrive at once. */
  onMessage?: (message: In, raw: IncomingData) => void;
  onError?: (error: WebSocketError) => void;
  onClose?: (info: CloseInfo) => void;
}

/**
 * Options of {@link useWebSocket}: the core's options, minus `url`, plus callbacks. `reconnect` and
 * `heartbeat` take the values of `autoReconnect()` and `heartbeat()`; without `reconnect` a lost
 * connection stays closed.
 */
export interface UseWebSocketOptions<In = unknown> extends Omit<WebSocketClientOptions<In>, 'url'>, WebSocketCallbacks<In> {}

/** A URL, or a function giving one (sync or async, evaluated on every attempt), or null for "not connected". */
export type WebSocketUrl = Resolvable<string | URL> | null;

/**
 * Keep one {@link WebSocketClient} for `url` and `protocols`, connected while the component is
 * mounted. A new URL (or new protocols) closes the old connection and opens a new one; other
 * option changes apply in place. Functions for `url` and `protocols` may change identity freely:
 * the latest one is called on each attempt.
 *
 * @returns the client, or null when `url` is null.
 */
export function useWebSocketClient<In = unknown, Out = unknown>(
  url: WebSocketUrl,
  options: UseWebSocketOptions<In> = {},
): WebSocketClient<In, Out> | null {
  const latestUrl = useLatest(url);
  const latest = useLatest(options);
  const key = url === null ? null : `${sourceKey(url)}\u0000${sourceKey(options.protocols)}`;

  // Functions for `url` and `protocols` are called through the latest props, so that a new function
  // identity changes nothing; values are the key's, and a new value makes a new client. (A null
  // `url` makes no client: its '' is never used.)
  const clientOptions: WebSocketClientOptions<In> = {
    ...options,
    url: typeof url === 'function' ? () => (latestUrl.current as () => string | URL | PromiseLike<string | URL>)() : (url ?? ''),
    protocols:
      typeof options.protocols === 'function'
        ? () => (latest.current.protocols as () => string | readonly string[] | undefined)()
        : options.protocols,
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: only the key defines the connection; everything else is applied below without reconnecting
  const client = useMemo(() => (key === null ? null : new WebSocketClient<In, Out>(clientOptions)), [key]);

  // A layout effect, not an insertion effect: applying options may change the snapshot (a feature
  // attached or removed), and insertion effects must not schedule updates. `url` and `protocols`
  // are the key's, so passing them again changes nothing.
  useOptionsEffect(() => client?.setOptions(clientOptions));

  // Declared before acquiring, so that listeners are in place when the connection starts.
  useWebSocketCallbacks(client, options);
  useEffect(() => client?.acquire(), [client]);

  return client;
}

/** `useLayoutEffect` where there is a DOM; on a server (no layout, and React 18 warns) `useEffect`. */
const useOptionsEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/** A key that changes when a value that defines the connection changes; functions count as one. */
function sourceKey(source: unknown): string {
  // A URL keys as its href (its `toJSON`), the same as that string.
  return typeof source === 'function' ? 'function' : JSON.stringify(source ?? null);
}
