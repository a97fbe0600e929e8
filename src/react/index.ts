export { createStrictContext } from './createContext.js';
export { useLatest } from './useLatest.js';
export { useWebSocket } from './useWebSocket.js';
export { useWebSocketCallbacks } from './useWebSocketCallbacks.js';
export {
  useWebSocketClient,
  type UseWebSocketOptions,
  type WebSocketCallbacks,
  type WebSocketUrl,
} from './useWebSocketClient.js';
export { useWebSocketState, type UseWebSocketResult, type WebSocketActions } from './useWebSocketState.js';
export {
  WebSocketProvider,
  useWebSocketClientContext,
  useWebSocketContext,
  type WebSocketProviderProps,
} from './WebSocketProvider.js';
export { shallowEqual, useStoreSelector, type ReadableStore } from './useStoreSelector.js';
export { useDeferredStoreSelector } from './useDeferredStoreSelector.js';
export { useShallowStable } from './useShallowStable.js';
