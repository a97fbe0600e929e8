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
export { WebSocketClient, createInitialSnapshot, createWebSocketClient } from './WebSocketClient.js';
export type {
  ClientFeature,
  ClientPhase,
  FeatureContext,
  FeatureHooks,
  IncomingData,
  OpenInfo,
  OutgoingData,
  ParseOption,
  Resolvable,
  SendResult,
  SnapshotListener,
  WebSocketClientEvents,
  WebSocketClientOptions,
  WebSocketConstructor,
  WebSocketSnapshot,
} from './types.js';
export { createWebSocketError, isWebSocketError, type WebSocketError, type WebSocketErrorKind } from './WebSocketError.js';
// Last: its imports must not change the order of the modules above in a bundle (`useWebSocket`'s size).
export { liveness, type LivenessOptions } from './liveness.js';
