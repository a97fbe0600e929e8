import { useWebSocketClient, type UseWebSocketOptions, type WebSocketUrl } from './useWebSocketClient.js';
import { useWebSocketState, type UseWebSocketResult } from './useWebSocketState.js';

/**
 * Connect to a WebSocket server for as long as the component is mounted.
 *
 * Returns the connection's state (`readyState`, negotiated `protocol` and `extensions`,
 * `bufferedAmount`, `lastMessage`, `error`, `closeInfo`, `reconnectAttempt`, `nextReconnectAt`, ...)
 * and stable `send`, `sendJson`, `close` and `reconnect` functions. Frames are parsed as JSON by
 * default; `onMessage` sees every message. `url === null` means not connected; a new `url` closes
 * the old socket and opens a new one; under `<StrictMode>` exactly one socket stays open.
 *
 * Like the core, it does not reconnect unless asked: pass `reconnect: autoReconnect({ ... })` (and
 * `heartbeat: heartbeat({ ... })` for a heartbeat). Feature values are taken rather than `true` or
 * plain objects so that a bundle carries the reconnection code only when it imports the factory; an
 * inline `autoReconnect({ ... })` in the render is fine (the client keeps the feature, with the
 * latest options).
 *
 * @typeParam In - the type of incoming messages (after `parse` and `validate`).
 * @typeParam Out - the type `sendJson` accepts.
 *
 * @example
 * ```tsx
 * const { readyState, lastMessage, sendJson } = useWebSocket<ServerPacket, ClientPacket>(
 *   'wss://chat.example/ws',
 *   { protocols: 'json', reconnect: autoReconnect(), onMessage: (packet) => log.push(packet) },
 * );
 * ```
 */
export function useWebSocket<In = unknown, Out = unknown>(
  url: WebSocketUrl,
  options?: UseWebSocketOptions<In>,
): UseWebSocketResult<In, Out> {
  return useWebSocketState<In, Out>(useWebSocketClient<In, Out>(url, options));
}
