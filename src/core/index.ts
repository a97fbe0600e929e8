export { ReadyState, readyStateName } from './readyState.js';
export { backoffCeiling, backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export {
  CLOSE_CODES,
  NO_RECONNECT_CODES,
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
export { autoReconnect, type ReconnectOptions } from './reconnect.js';
export { heartbeat, type HeartbeatOptions } from './heartbeat.js';
export type { ClientFeature, FeatureContext, FeatureHooks } from './feature.js';
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
  type ClientPhase,
  createInitialSnapshot,
  createWebSocketClient,
  type IncomingData,
  type OpenInfo,
  type OutgoingData,
  type ParseOption,
  type Resolvable,
  type SendResult,
  type SnapshotListener,
  type WebSocketClientEvents,
  type WebSocketClientOptions,
  type WebSocketConstructor,
  type WebSocketSnapshot,
} from './WebSocketClient.js';
export { createWebSocketError, isWebSocketError, type WebSocketError, type WebSocketErrorKind } from './WebSocketError.js';
