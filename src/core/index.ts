export { ReadyState, readyStateName } from './readyState.js';
export { backoffCeiling, backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export {
  CLOSE_CODES,
  ClientCloseCode,
  MAX_CLOSE_REASON_BYTES,
  assertValidCloseArguments,
  toUnsignedShort,
  closeCodeMeaning,
  describeCloseCode,
  type CloseCodeInfo,
} from './closeCodes.js';
export { createCloseInfo, type CloseInfo } from './CloseInfo.js';
export { browserNetwork, type NetworkMonitor } from './network.js';
export { Subscribable, type Unsubscribe } from './Subscribable.js';
export { utf8ByteLength } from './utf8ByteLength.js';
export {
  currentLocationHref,
  isProtocolToken,
  normalizeProtocols,
  resolveWebSocketUrl,
  type Checked,
  type ResolveUrlOptions,
} from './validateUrl.js';
export {
  WebSocketClient,
  createInitialSnapshot,
  createWebSocketClient,
  type HeartbeatOptions,
  type IncomingData,
  type OpenInfo,
  type OutgoingData,
  type ParseOption,
  type ReconnectOptions,
  type Resolvable,
  type SendResult,
  type SnapshotListener,
  type WebSocketClientEvents,
  type WebSocketClientOptions,
  type WebSocketConstructor,
  type WebSocketSnapshot,
} from './WebSocketClient.js';
export { createWebSocketError, isWebSocketError, type WebSocketError, type WebSocketErrorKind } from './WebSocketError.js';
