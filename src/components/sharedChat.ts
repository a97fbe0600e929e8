'use client';

import { useEffect, useLayoutEffect, useMemo } from 'react';
import { ChatTabsClient, type ChatShareOptions } from '../chat/ChatTabsClient.js';
import type { WebSocketClient } from '../core/index.js';
import type { ClientPacket } from '../protocol/index.js';
import { useLatest } from '../react/useLatest.js';
import { useWebSocketCallbacks } from '../react/useWebSocketCallbacks.js';
import type { UseWebSocketOptions, WebSocketUrl } from '../react/useWebSocketClient.js';

/** What `<ChatProvider share>` takes: made by {@link sharedChat}. */
export interface ChatShare {
  /**
   * The hook `<ChatProvider>` gets its connection from instead of its own: one shared by the tabs.
   * The same value must be passed on every render (make it once, at module level).
   */
  readonly useClient: (url: WebSocketUrl, options: UseWebSocketOptions<unknown>) => WebSocketClient<unknown, ClientPacket> | null;
}

/**
 * One chat connection for all the tabs of an origin, which are one user: `<ChatProvider
 * share={sharedChat({ name: 'chat' })}>`. One tab holds the socket (chosen with the Web Locks API),
 * the others use it over a `BroadcastChannel`; where either API is missing, each tab connects on its
 * own. A tab opened later shows the log so far (each tab keeps at most `maxEntries` room packets
 * for it). Opt-in, so that a bundle without it carries none of its code. See `ChatTabsClient` and
 * the core's `sharedTabs()`.
 */
export function sharedChat(options: ChatShareOptions): ChatShare {
  return { useClient: (url, clientOptions) => useChatTabsClient(options, url, clientOptions) };
}

/**
 * As `useWebSocketClient`, for a {@link ChatTabsClient}: one per URL and sub-protocols, used while
 * mounted, and disposed (so that another tab can lead) once no render uses it any more.
 */
function useChatTabsClient(share: ChatShareOptions, url: WebSocketUrl, options: UseWebSocketOptions<unknown>) {
  const latestUrl = useLatest(url);
  const key = url === null ? null : JSON.stringify([typeof url === 'function' ? 'function' : String(url), options.protocols ?? null]);
  const { onOpen, onMessage, onError, onClose, ...clientOptions } = options;
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the key defines the connection; the rest is applied below
  const client = useMemo(
    () =>
      key === null
        ? null
        : new ChatTabsClient(
            { ...clientOptions, url: typeof url === 'function' ? () => (latestUrl.current as () => string)() : (url ?? '') },
            share,
          ),
    [key],
  );
  // Not the heartbeat: `<ChatProvider>` sets it itself (set here too, it was detached and attached
  // again at every render, which cancelled a retry under way).
  useLayoutEffect(() => client?.setOptions({ reconnect: clientOptions.reconnect }));
  useWebSocketCallbacks(client, { onOpen, onMessage, onError, onClose });
  useEffect(() => {
    if (!client) return;
    const release = client.acquire();
    return () => {
      release();
      // StrictMode uses it again at once: dispose only if nothing did by the next task.
      setTimeout(() => used.has(client) || client.dispose());
    };
  }, [client]);
  // Marks the client used by a mounted render (see the cleanup above).
  useEffect(() => {
    if (!client) return;
    used.add(client);
    return () => {
      used.delete(client);
    };
  }, [client]);
  return client;
}

const used = new WeakSet<ChatTabsClient>();
