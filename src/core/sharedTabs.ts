import type { SharedTabsOptions } from './SharedTabsOptions.js';
import { SharedWebSocketClient } from './SharedWebSocketClient.js';
import type { WebSocketClientOptions } from './types.js';

/**
 * An opt-in value that makes the tabs of one origin share one connection: pass it where a client is
 * made (`share.create(options)`, or `<ChatProvider share>`), so that a bundle without it carries
 * none of its code.
 */
export interface TabShare {
  /** The options it was made with. */
  readonly options: SharedTabsOptions;
  /** A client whose connection the tabs that make one with the same name share. */
  create<In = unknown, Out = unknown>(options: WebSocketClientOptions<In>): SharedWebSocketClient<In, Out>;
}

/**
 * Share one connection across the tabs of an origin: one tab (the leader, chosen with the Web Locks
 * API) holds the socket, the others use it over a `BroadcastChannel`; where either API is missing,
 * each tab has its own connection (`getSnapshot().shared === 'off'`). See {@link SharedWebSocketClient}.
 *
 * @example
 * ```ts
 * // Once per tab, at module level:
 * const feed = sharedTabs({ name: 'feed' }).create<FeedEvent>({ url: 'wss://example.com/feed', reconnect: autoReconnect() });
 * feed.on('message', (event) => render(event));
 * feed.acquire();
 * ```
 */
export function sharedTabs(options: SharedTabsOptions): TabShare {
  return {
    options,
    create: <In, Out>(clientOptions: WebSocketClientOptions<In>) => new SharedWebSocketClient<In, Out>(clientOptions, options),
  };
}
