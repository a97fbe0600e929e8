import type { CloseInfo } from './CloseInfo.js';
import type { IncomingData, WebSocketClient } from './WebSocketClient.js';

/**
 * What a feature sees of the client it is attached to: the client's internal members a feature
 * needs (marked `@internal` on {@link WebSocketClient}). Not a stable API for applications.
 */
export type FeatureContext = Pick<
  WebSocketClient,
  'options' | 'phase' | 'socket' | 'offered' | 'getSnapshot' | 'update' | 'report' | 'startAttempt' | 'wait' | 'settle' | 'drop'
>;

/**
 * What the client calls on an attached feature. Every hook is optional; none may throw.
 * `lost` and `frame` return true to take over what would happen otherwise.
 */
export interface FeatureHooks {
  /** `connect()` or `reconnect()` was called: the client is wanted. */
  start?(): void;
  /** `close()` was called, or the client settled closed for good: stop watching, cancel what is pending. */
  stop?(): void;
  /** A new attempt starts: abandon whatever was pending for the last one. */
  cancel?(): void;
  /** The connection opened (on `socket`). */
  open?(socket: WebSocket): void;
  /** A frame arrived while open; return true to take it (it is then not parsed or delivered). */
  frame?(data: IncomingData): boolean;
  /** The socket is gone. */
  closed?(): void;
  /**
   * The connection was lost or an attempt failed (`info` is null when it failed before a socket
   * existed; `opened` tells whether it ever opened), and it was not closed on purpose. Return true
   * to take over: then call `wait(delay)` or `settle()` on the context, now or later.
   */
  lost?(info: CloseInfo | null, opened: boolean): boolean;
  /** The feature is replaced or the client disposed: clear every timer and listener. */
  detach?(): void;
}

/**
 * An opt-in behaviour of {@link WebSocketClient}, made by a factory (`autoReconnect`, `heartbeat`)
 * and passed as an option, so that a bundler leaves out the features an application does not use.
 *
 * A new value from the same factory (the same `attach`) only replaces the options of the feature
 * already attached, which reads them through `options()` whenever it needs them: an inline
 * `autoReconnect({ ... })` in a render never re-attaches. A value from another factory, or none,
 * detaches the old feature first.
 */
export interface ClientFeature<O = unknown> {
  /** The options the factory was given. */
  readonly options: O;
  /** Start working on `client`; `options()` gives the latest options. Returns the hooks the client calls. */
  attach(client: FeatureContext, options: () => O): FeatureHooks;
}
