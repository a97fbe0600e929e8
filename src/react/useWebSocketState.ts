'use client';

import { useMemo, useReducer, useRef, useSyncExternalStore } from 'react';
import {
  WebSocketClient,
  createInitialSnapshot,
  type CloseInfo,
  type OutgoingData,
  type SendResult,
  type WebSocketSnapshot,
} from '../core/index.js';
import { useLatest } from './useLatest.js';

/** The functions of {@link useWebSocket}: stable for the life of the component. */
export interface WebSocketActions<Out = unknown> {
  /** Send data now, or queue it until the connection opens. */
  send: (data: OutgoingData) => SendResult;
  /** Send `JSON.stringify(value)`. */
  sendJson: (value: Out) => SendResult;
  /** Close and stop reconnecting; throws the browser's `DOMException` for a bad code or reason. */
  close: (code?: number, reason?: string) => Promise<CloseInfo>;
  /** Drop the connection, if any, and connect again now. */
  reconnect: () => void;
}

/** What {@link useWebSocket} returns: the connection's state and its actions. */
export type UseWebSocketResult<In = unknown, Out = unknown> = WebSocketSnapshot<In> & WebSocketActions<Out>;

/** The state shown when there is no connection at all (`url === null`). ReadyState.CLOSED as a literal: a property read would bundle the object. */
const NOT_CONNECTED = createInitialSnapshot<never>(3);
/** Every field of a snapshot, in order. */
const SNAPSHOT_KEYS = Object.keys(NOT_CONNECTED) as (keyof WebSocketSnapshot)[];

const getNotConnected = () => NOT_CONNECTED;
/** What subscribing to no client returns. */
const stopNothing = () => {};

/**
 * Read a client's state in React. Fields are tracked: once a component has read some fields, it
 * re-renders only when one of those changes (reading `readyState` alone is not re-rendered by each
 * message), in the manner of TanStack Query's tracked results. Until it reads any, every change
 * re-renders it.
 */
export function useWebSocketState<In = unknown, Out = unknown>(client: WebSocketClient<In, Out> | null): UseWebSocketResult<In, Out> {
  const tracked = useRef(new Set<keyof WebSocketSnapshot>());
  const [, forceRender] = useReducer((n: number) => n + 1, 0);

  const subscribe = useMemo(
    () => (onChange: () => void) =>
      client?.subscribe((next, previous) => {
        // Nothing read yet (e.g. a test reading `result.current` later): notify on every change.
        if (tracked.current.size === 0) return onChange();
        for (const key of tracked.current) {
          if (!Object.is(next[key], previous[key])) return onChange();
        }
      }) ?? stopNothing,
    [client],
  );
  const getSnapshot = client ? client.getSnapshot : (getNotConnected as () => WebSocketSnapshot<In>);
  const snapshot = useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
  const actions = useWebSocketActions<In, Out>(client);

  return useMemo(() => {
    const result = { ...actions } as UseWebSocketResult<In, Out>;
    for (const key of SNAPSHOT_KEYS) {
      Object.defineProperty(result, key, {
        enumerable: true,
        get() {
          if (!tracked.current.has(key)) {
            tracked.current.add(key);
            // First read after the render (a test polling `result.current`, an event handler): the
            // field may have changed unnoticed since. Render again so that the next read is current.
            if (client && !Object.is(client.getSnapshot()[key], snapshot[key])) queueMicrotask(forceRender);
          }
          return snapshot[key];
        },
      });
    }
    return result;
  }, [snapshot, actions, client]);
}

function useWebSocketActions<In, Out>(client: WebSocketClient<In, Out> | null): WebSocketActions<Out> {
  const current = useLatest(client);
  return useMemo<WebSocketActions<Out>>(
    () => ({
      send: (data) => current.current?.send(data) ?? 'rejected',
      sendJson: (value) => current.current?.sendJson(value) ?? 'rejected',
      // Without a connection, as a client that never connected closes: the arguments checked, then closed at once.
      close: (code, reason) => (current.current ?? new WebSocketClient({ url: '' })).close(code, reason),
      reconnect: () => current.current?.reconnect(),
    }),
    [current],
  );
}
