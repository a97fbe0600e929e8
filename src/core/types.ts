import type { CloseInfo } from './CloseInfo.js';
import type { NetworkMonitor } from './network.js';
import type { ReadyState } from './readyState.js';
import type { WebSocketError, WebSocketErrorKind } from './WebSocketError.js';

// The client's types and the contract of its features, in one module: each refers to the other.

/** What `send` accepts: everything `WebSocket.send` does. */
export type OutgoingData = string | Blob | ArrayBuffer | ArrayBufferView<ArrayBuffer>;

/** What a frame carries when it arrives: text, or binary as a `Blob` or `ArrayBuffer` (see `binaryType`). */
export type IncomingData = string | Blob | ArrayBuffer;

/**
 * The outcome of a send: `'sent'` went to the socket, `'queued'` waits in the outbox for the
 * connection to open, `'rejected'` was refused (outbox full, or unencodable) and reported as an error.
 */
export type SendResult = 'sent' | 'queued' | 'rejected';

/** A value, or a function giving it (sync or async), evaluated again on every connection attempt. */
export type Resolvable<T> = T | (() => T | PromiseLike<T>);

/** A `WebSocket` constructor: the browser's, or a stand-in such as mock-socket's or `ws`. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

/** How incoming frames become messages: JSON, raw text, or your own function. */
export type ParseOption<In> = 'json' | 'text' | ((data: IncomingData) => In);

/** Options of `WebSocketClient`. */
export interface WebSocketClientOptions<In = unknown> {
  /** Where to connect: absolute, or relative to `baseUrl`; `http(s):` maps to `ws(s):`. */
  url: Resolvable<string | URL>;
  /** Sub-protocols to offer, most preferred first. */
  protocols?: Resolvable<string | readonly string[] | undefined>;
  /**
   * Treat a server that selects none of `protocols` as a `protocol` error. Browsers fail such a
   * handshake as if the server were unreachable, so an attempt that fails before opening probes the
   * URL once without sub-protocols, within the attempt, to tell the two apart. Default: true when
   * protocols are given.
   */
  requireProtocol?: boolean;
  /** How frames become messages. Default `'json'`. */
  parse?: ParseOption<In>;
  /** Type guard for parsed messages; a message that fails it is reported and skipped. */
  validate?: ((value: unknown) => value is In) | ((value: unknown) => boolean);
  /** How binary frames arrive. Default: the socket's own (`'blob'` in browsers). */
  binaryType?: BinaryType;
  /** Most messages kept in the outbox (while not connected, or held back by `maxBufferedAmount`). Default 1000. */
  maxQueue?: number;
  /**
   * High-water mark for the socket's `bufferedAmount`, in bytes. While the socket holds this much
   * unsent data (a peer that reads slowly or not at all), sends wait in the outbox and go out as the
   * buffer drains, so the page cannot grow without bound: past `maxQueue` they are rejected as
   * `'overflow'`. Default 1 MiB; `Infinity` hands everything to the socket.
   */
  maxBufferedAmount?: number;
  /**
   * How long `close()` waits for queued data to go out, and then for the close handshake; also the
   * longest a sub-protocol probe may take. Default 5000 ms.
   */
  closeTimeout?: number;
  /**
   * What to do when the connection is lost: `autoReconnect({ ... })` retries with backoff. Default:
   * nothing, a lost connection stays closed until `connect()` or `reconnect()`.
   */
  reconnect?: ClientFeature | false | null;
  /** `heartbeat({ ... })` pings when quiet and drops a dead connection. Default: none. */
  heartbeat?: ClientFeature | false | null;
  /**
   * Whether the server is known to answer the heartbeat's pings. `false`: `heartbeat()` and
   * `liveness()` send no ping, and keep what sends nothing (`liveness()` still renews credentials
   * and, while waiting to retry, connects at once on its events). Read whenever a ping is due, so it
   * may change while they are attached. Default true. `<ChatProvider>` sets it: true once the server
   * announced the protocol extension, false before its first `id` and on a server without it.
   */
  pings?: boolean;
  /** Base for relative URLs, and the page whose scheme decides mixed content. Default `location.href`. */
  baseUrl?: string;
  /** The WebSocket implementation. Default: the global `WebSocket`, looked up when connecting. */
  WebSocket?: WebSocketConstructor;
  /** Where online/offline comes from, for `autoReconnect`. Default: `navigator.onLine` and the global `online`/`offline` events. */
  network?: NetworkMonitor;
}

/** Everything the client knows, as one immutable value. A new object whenever anything changes. */
export interface WebSocketSnapshot<In = unknown> {
  /** 0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED; CLOSING as soon as `close()` is called. */
  readonly readyState: ReadyState;
  /** The resolved URL of the current or last attempt, or null before the first. */
  readonly url: string | null;
  /** The sub-protocol the server selected; `''` until open or when none. */
  readonly protocol: string;
  /** The extensions the server selected; `''` until open. */
  readonly extensions: string;
  /** Bytes handed to the socket but not yet sent (sampled after sends, while non-zero). */
  readonly bufferedAmount: number;
  /** Messages waiting in the outbox: for the connection to open, or for `bufferedAmount` to drain. */
  readonly queued: number;
  /** The latest message, or null before the first. Use `on('message')` to see every one. */
  readonly lastMessage: In | null;
  /** How many messages were delivered since the client was created. */
  readonly messageCount: number;
  /** The latest error; cleared when a connection opens. */
  readonly error: WebSocketError | null;
  /** How the latest connection closed, or null if none has. */
  readonly closeInfo: CloseInfo | null;
  /** The reconnect attempt under way or waited for (1 for the first), 0 when none. Kept by `autoReconnect`. */
  readonly reconnectAttempt: number;
  /** When the next attempt starts (ms since the epoch), or null when none is scheduled. */
  readonly nextReconnectAt: number | null;
  /** Whether the host reports being online; watched by `autoReconnect` while connected (else true). */
  readonly online: boolean;
}

/** Details of an opened connection. */
export interface OpenInfo {
  readonly url: string;
  readonly protocol: string;
  readonly extensions: string;
}

/** The events of `WebSocketClient`, for `WebSocketClient.on`. */
export interface WebSocketClientEvents<In> {
  open: (info: OpenInfo) => void;
  /** Every message, in order, with the raw frame it came from. */
  message: (message: In, raw: IncomingData) => void;
  error: (error: WebSocketError) => void;
  close: (info: CloseInfo) => void;
}

/** A snapshot listener: the new snapshot and the one before it. */
export type SnapshotListener<In> = (snapshot: WebSocketSnapshot<In>, previous: WebSocketSnapshot<In>) => void;

/** Where a client is: `waiting` is closed with a retry (or a probe, or the network) pending. */
export type ClientPhase = 'idle' | 'resolving' | 'connecting' | 'open' | 'closing' | 'waiting';

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
  report(kind: WebSocketErrorKind, message: string, extra?: { data?: unknown; cause?: unknown }): void;
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
 * An opt-in behaviour of `WebSocketClient`, made by a factory (`autoReconnect`, `heartbeat`)
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
