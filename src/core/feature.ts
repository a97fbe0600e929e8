import type { CloseInfo } from './CloseInfo.js';
import type { ClientPhase, IncomingData, WebSocketClient, WebSocketClientOptions, WebSocketSnapshot } from './WebSocketClient.js';
import type { WebSocketErrorKind } from './WebSocketError.js';

/**
 * What a feature may see and do of the client it is attached to. Internal to the kit's features
 * (`autoReconnect`, `heartbeat`): not a stable API for applications.
 */
export interface FeatureContext {
  /** The client's current options. */
  options(): Readonly<WebSocketClientOptions<unknown>>;
  /** Where the client is; `'waiting'` means closed with a retry or the network pending. */
  phase(): ClientPhase;
  /** The socket of the current attempt or connection, if any. */
  socket(): WebSocket | null;
  /** The client's current snapshot. */
  snapshot(): WebSocketSnapshot<unknown>;
  /** Change the snapshot (listeners are told if anything differs). */
  update(patch: Partial<WebSocketSnapshot<unknown>>): void;
  /** Report an error: in the snapshot and to `error` listeners. */
  report(kind: WebSocketErrorKind, message: string): void;
  /** Start a new connection attempt now. */
  connect(): void;
  /** Stay closed in phase `waiting`; after `delay` ms, when given, start a new attempt. */
  wait(delay?: number): void;
  /** Stay closed for good: no retry. */
  settle(): void;
  /** Take `socket` as closed with `info` at once, without waiting for a close handshake (a dead link). */
  drop(socket: WebSocket, info: CloseInfo): void;
}

/**
 * What the client calls on an attached feature. Every hook is optional; none may throw.
 * `lost` and `frame` return true to take over what would happen otherwise.
 */
export interface FeatureHooks {
  /** `connect()` or `reconnect()` was called: the client is wanted. */
  start?(): void;
  /**
   * `close()` was called, or the client settled closed with no user left (released by every
   * `acquire()`): stop watching, cancel what is pending. May come more than once.
   */
  stop?(): void;
  /** The connection opened (on `socket`). */
  open?(socket: WebSocket): void;
  /** A frame arrived while open; return true to take it (it is then not parsed or delivered). */
  frame?(data: IncomingData): boolean;
  /** The socket is gone. */
  closed?(): void;
  /**
   * The connection was lost or an attempt failed (`info` is null when it failed before a socket
   * existed; `opened` tells whether it ever opened), and it was not closed on purpose. Called before
   * the closed snapshot is published, so that a retry decided now is published with it. Return true
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
