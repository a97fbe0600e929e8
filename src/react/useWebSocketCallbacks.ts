'use client';

import { useEffect } from 'react';
import type { WebSocketClient } from '../core/index.js';
import { useLatest } from './useLatest.js';
import type { WebSocketCallbacks } from './useWebSocketClient.js';

/** Forward a client's events to the latest `callbacks` while mounted; changing them resubscribes nothing. */
export function useWebSocketCallbacks<In, Out>(client: WebSocketClient<In, Out> | null, callbacks: WebSocketCallbacks<In>): void {
  const latest = useLatest(callbacks);
  useEffect(() => {
    if (!client) return;
    const stop = [
      client.on('open', (info) => latest.current.onOpen?.(info)),
      client.on('message', (message, raw) => latest.current.onMessage?.(message, raw)),
      client.on('error', (error) => latest.current.onError?.(error)),
      client.on('close', (info) => latest.current.onClose?.(info)),
    ];
    return () => {
      for (const off of stop) off();
    };
  }, [client, latest]);
}
