import { backoffDelay, type BackoffOptions } from './backoff.js';
import { ClientCloseCode, assertValidCloseArguments, describeCloseCode } from './closeCodes.js';
import { createCloseInfo, type CloseInfo } from './CloseInfo.js';
import { browserNetwork, type NetworkMonitor } from './network.js';
import { ReadyState } from './readyState.js';
import { Subscribable, callSafely, type Unsubscribe } from './Subscribable.js';
import { normalizeProtocols, resolveWebSocketUrl, type Checked } from './validateUrl.js';
import { createWebSocketError, type WebSocketError, type WebSocketErrorKind } from './WebSocketError.js';

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

/** When and how to reconnect after the connection is lost. All times in milliseconds. */
export interface ReconnectOptions extends BackoffOptions {
  /** Give up after this many attempts in a row. Default: never give up. */
  maxAttempts?: number;
  /** The attempt count resets once a connection has stayed open this long. Default 5000. */
  resetAfter?: number;
  /**
   * Decide whether to retry after a close (`attempt` is the number of the retry being considered,
   * from 1). Default: retry unless the close code says the client was at fault or the server ended
   * normally (see {@link CLOSE_CODES}'s `reconnect`).
   */
  shouldReconnect?: (close: CloseInfo, attempt: number) => boolean;
  /** Source of randomness for the jitter, in `[0, 1)`. Default `Math.random`. */
  random?: () => number;
}

/** Detect a dead link by sending a ping when the line is quiet and expecting something back. */
export interface HeartbeatOptions {
  /** Send a ping after this long without any incoming message. Default 30 000. */
  interval?: number;
  /** Drop the connection if nothing arrives this long after a ping. Default 10 000. */
  timeout?: number;
  /** The ping to send. Default `'ping'`. */
  message?: OutgoingData | (() => OutgoingData);
  /** Frames for which this returns true are heartbeat replies: they count as traffic but are not delivered. */
  isPong?: (data: IncomingData) => boolean;
}

/** Options of {@link WebSocketClient}. */
export interface WebSocketClientOptions<In = unknown> {
  /** Where to connect: absolute, or relative to `baseUrl`; `http(s):` maps to `ws(s):`. */
  url: Resolvable<string | URL>;
  /** Sub-protocols to offer, most preferred first. */
  protocols?: Resolvable<string | readonly string[] | undefined>;
  /** Treat a server that selects none of `protocols` as an error. Default: true when protocols are given. */
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
  /** How long `close()` waits for queued data to go out, and then for the close handshake. Default 5000 ms. */
  closeTimeout?: number;
  /** Reconnect after an abnormal close. Default true. */
  reconnect?: boolean | ReconnectOptions;
  /** Ping when quiet and drop a dead connection. Default off. */
  heartbeat?: boolean | HeartbeatOptions;
  /** Base for relative URLs, and the page whose scheme decides mixed content. Default `location.href`. */
  baseUrl?: string;
  /** The WebSocket implementation. Default: the global `WebSocket`, looked up when connecting. */
  WebSocket?: WebSocketConstructor;
  /** Where online/offline comes from. Default: `navigator.onLine` and the global `online`/`offline` events. */
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
  /** The reconnect attempt under way or waited for (1 for the first), 0 when none. */
  readonly reconnectAttempt: number;
  /** When the next attempt starts (ms since the epoch), or null when none is scheduled. */
  readonly nextReconnectAt: number | null;
  /** Whether the host reports being online. */
  readonly online: boolean;
}

/** The snapshot of a client that has done nothing yet, in the given ready state. */
export function createInitialSnapshot<In = unknown>(readyState: ReadyState): WebSocketSnapshot<In> {
  return Object.freeze({
    readyState,
    url: null,
    protocol: '',
    extensions: '',
    bufferedAmount: 0,
    queued: 0,
    lastMessage: null,
    messageCount: 0,
    error: null,
    closeInfo: null,
    reconnectAttempt: 0,
    nextReconnectAt: null,
    online: true,
  });
}

/** Details of an opened connection. */
export interface OpenInfo {
  readonly url: string;
  readonly protocol: string;
  readonly extensions: string;
}

/** The events of {@link WebSocketClient}, for {@link WebSocketClient.on}. */
export interface WebSocketClientEvents<In> {
  open: (info: OpenInfo) => void;
  /** Every message, in order, with the raw frame it came from. */
  message: (message: In, raw: IncomingData) => void;
  error: (error: WebSocketError) => void;
  close: (info: CloseInfo) => void;
}

/** A snapshot listener: the new snapshot and the one before it. */
export type SnapshotListener<In> = (snapshot: WebSocketSnapshot<In>, previous: WebSocketSnapshot<In>) => void;

type Phase = 'idle' | 'resolving' | 'connecting' | 'open' | 'closing' | 'waiting';
type TimerName = 'reconnect' | 'stable' | 'heartbeat' | 'drain' | 'closeFallback' | 'errorFallback' | 'buffer' | 'probe';

interface PendingClose {
  readonly code: number | undefined;
  readonly reason: string | undefined;
  readonly deadline: number;
  /** Only what was queued before `close()` goes out; later sends wait for the next connection. */
  flushable: number;
  readonly promise: Promise<CloseInfo>;
  readonly resolve: (info: CloseInfo) => void;
}

const DRAIN_POLL_MS = 25;
const BUFFER_POLL_MS = 50;
const DEFAULT_MAX_QUEUE = 1000;
const DEFAULT_MAX_BUFFERED = 1024 * 1024;
const DEFAULT_CLOSE_TIMEOUT = 5000;
const DEFAULT_RESET_AFTER = 5000;
const DEFAULT_HEARTBEAT = { interval: 30_000, timeout: 10_000, message: 'ping' as OutgoingData };

const now = () => Date.now();

/**
 * A framework-agnostic WebSocket client: one socket at a time, its state as an immutable snapshot
 * (`subscribe` / `getSnapshot`, the shape `useSyncExternalStore` wants), typed errors as values,
 * an outbox, reconnection with jittered backoff, an optional heartbeat, and every message delivered.
 *
 * It touches no `window` or `document` and runs the same in a page, a Web Worker or Node.
 *
 * @example
 * ```ts
 * const client = new WebSocketClient<ChatPacket>({ url: 'wss://chat.example/ws', protocols: 'json' });
 * client.on('message', (packet) => console.log(packet));
 * client.connect();
 * client.sendJson({ type: 'message', text: 'hi' });
 * ```
 */
export class WebSocketClient<In = unknown, Out = unknown> extends Subscribable<SnapshotListener<In>> {
  private options: WebSocketClientOptions<In>;
  private snapshot: WebSocketSnapshot<In>;
  private readonly events: { [K in keyof WebSocketClientEvents<In>]: Set<WebSocketClientEvents<In>[K]> } = {
    open: new Set(),
    message: new Set(),
    error: new Set(),
    close: new Set(),
  };

  private phase: Phase = 'idle';
  private socket: WebSocket | null = null;
  /** A protocol-less connection that tells a refused negotiation from an unreachable server. */
  private probe: WebSocket | null = null;
  /** Probes in a row that connected while the handshake with sub-protocols failed. */
  private probeSuccesses = 0;
  private offered: readonly string[] = [];
  /** Bumped by every new attempt, so that late async results of an older one are ignored. */
  private attemptId = 0;
  private outbox: OutgoingData[] = [];
  private userClosed = false;
  /** Set when this connection must not be retried whatever the close code (e.g. protocol mismatch). */
  private noRetry = false;
  private reopenAfterClose = false;
  private pendingClose: PendingClose | null = null;
  private disposed = false;
  private refs = 0;
  private releaseToken = 0;
  /** Whether `connect()` was ever called: the first `acquire()` connects, later ones share. */
  private started = false;
  /** Callers of `close()` waiting for a close already under way. */
  private closeWaiters: ((info: CloseInfo) => void)[] = [];
  private stopNetworkWatch: Unsubscribe | null = null;
  private lastReceivedAt = 0;
  private pingSentAt = 0;
  /** Whether the current attempt reached OPEN: a close before that is a failed attempt. */
  private opened = false;
  private readonly timers: Partial<Record<TimerName, ReturnType<typeof setTimeout>>> = {};

  constructor(options: WebSocketClientOptions<In>) {
    super();
    this.options = { ...options };
    // A client exists to connect: like a new WebSocket, it starts out CONNECTING.
    this.snapshot = createInitialSnapshot<In>(ReadyState.CONNECTING);
  }

  /** The current snapshot. The same object until something changes. */
  getSnapshot = (): WebSocketSnapshot<In> => this.snapshot;

  /** Listen to one kind of event; returns the function that stops listening. */
  on<K extends keyof WebSocketClientEvents<In>>(type: K, listener: WebSocketClientEvents<In>[K]): Unsubscribe {
    const set = this.events[type] as Set<WebSocketClientEvents<In>[K]>;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /**
   * Change options that do not define the connection (parse, validate, reconnect, heartbeat,
   * limits, binaryType). `url` and `protocols` given here apply from the next attempt.
   */
  setOptions(options: Partial<WebSocketClientOptions<In>>): void {
    this.options = { ...this.options, ...options };
    if (options.binaryType !== undefined && this.socket) this.socket.binaryType = options.binaryType;
  }

  /** Set how binary frames arrive, on the live socket too. */
  setBinaryType(binaryType: BinaryType): void {
    this.setOptions({ binaryType });
  }

  /** Start connecting, unless already connected or connecting. */
  connect(): void {
    if (this.disposed) return;
    this.started = true;
    this.userClosed = false;
    this.watchNetwork();
    if (this.phase === 'idle') this.startAttempt();
    else if (this.phase === 'closing' || this.pendingClose) this.reopenAfterClose = true;
  }

  /**
   * Use the connection: connects on the first use, and closes once the last user has released it.
   * Release is deferred by a microtask so that React's StrictMode, which releases and re-acquires
   * at once, keeps the same socket.
   */
  acquire(): Unsubscribe {
    this.refs++;
    this.releaseToken++;
    // Not `phase === 'idle'`: a failed attempt (say, a bad URL) must not be retried by a re-acquire.
    if (!this.started || this.userClosed) this.connect();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.refs--;
      if (this.refs > 0) return;
      const token = ++this.releaseToken;
      queueMicrotask(() => {
        if (token === this.releaseToken && this.refs === 0 && !this.disposed) void this.close();
      });
    };
  }

  /**
   * Send data: at once when open, else into the outbox, sent in order when the connection opens
   * (or, while the socket holds `maxBufferedAmount` unsent bytes, as it drains). Never throws.
   */
  send(data: OutgoingData): SendResult {
    const socket = this.socket;
    if (
      this.phase === 'open' &&
      socket &&
      !this.pendingClose &&
      this.outbox.length === 0 &&
      bufferedAmountOf(socket) < this.maxBufferedAmount()
    ) {
      try {
        socket.send(data);
      } catch (cause) {
        this.report('send', `The data could not be sent: ${describe(cause)}`, { data, cause });
        return 'rejected';
      }
      this.sampleBufferedAmount();
      return 'sent';
    }
    const max = this.options.maxQueue ?? DEFAULT_MAX_QUEUE;
    if (this.outbox.length >= max) {
      this.report('overflow', `The outbox is full (${max} messages); the message was not queued.`, { data });
      return 'rejected';
    }
    this.outbox.push(data);
    this.update({ queued: this.outbox.length });
    // Held back by the high-water mark: the buffer poll sends it as the socket drains.
    if (this.phase === 'open' && !this.pendingClose) this.sampleBufferedAmount();
    return 'queued';
  }

  /**
   * Take back everything waiting in the outbox, unsent; returns it in order. For a caller that will
   * send its own up-to-date version after the next connection opens (the chat store does so).
   */
  discardQueued(): OutgoingData[] {
    const dropped = this.outbox.splice(0);
    if (this.pendingClose) this.pendingClose.flushable = 0;
    this.update({ queued: 0 });
    return dropped;
  }

  /** `JSON.stringify(value)` and send it. A value JSON cannot encode is rejected and reported. */
  sendJson(value: Out): SendResult {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (cause) {
      this.report('send', `The value could not be encoded as JSON: ${describe(cause)}`, { data: value, cause });
      return 'rejected';
    }
    if (text === undefined) {
      this.report('send', 'The value could not be encoded as JSON (it serializes to nothing).', { data: value });
      return 'rejected';
    }
    return this.send(text);
  }

  /**
   * Close the connection and stop reconnecting. Arguments are checked as `WebSocket.close` checks
   * them: a bad one throws the browser's `DOMException` at once. The close waits (up to
   * `closeTimeout`) for queued data to go out, then closes; the promise resolves with how it closed.
   */
  close(requestedCode?: number, reason?: string): Promise<CloseInfo> {
    const code = assertValidCloseArguments(requestedCode, reason);
    this.userClosed = true;
    this.probeSuccesses = 0;
    this.reopenAfterClose = false;
    this.clearTimer('reconnect');
    this.unwatchNetwork();
    if (this.pendingClose) return this.pendingClose.promise;

    if (this.phase === 'open' || this.phase === 'connecting') {
      let resolve!: (info: CloseInfo) => void;
      const promise = new Promise<CloseInfo>((r) => (resolve = r));
      this.pendingClose = {
        code,
        reason,
        deadline: now() + this.closeTimeout(),
        flushable: this.outbox.length,
        promise,
        resolve,
      };
      this.update({ readyState: ReadyState.CLOSING, reconnectAttempt: 0 });
      this.drainThenClose();
      return promise;
    }
    if (this.phase === 'closing') return new Promise((resolve) => this.closeWaiters.push(resolve));
    // Nothing is connected (idle, resolving, or waiting to retry): cancel what is pending.
    this.attemptId++;
    this.stopProbe();
    this.setPhase('idle', { nextReconnectAt: null, reconnectAttempt: 0 });
    return Promise.resolve(createCloseInfo(code ?? 1005, reason ?? '', true));
  }

  /** Drop the current connection, if any, and connect again at once. */
  reconnect(): void {
    if (this.disposed) return;
    this.userClosed = false;
    this.watchNetwork();
    if (this.phase === 'idle' || this.phase === 'waiting' || this.phase === 'resolving') {
      this.startAttempt();
      return;
    }
    this.reopenAfterClose = true;
    if (this.phase !== 'closing' && !this.pendingClose && this.socket) this.closeSocket(this.socket, 1000, 'Reconnecting');
  }

  /** Close, remove every listener, and refuse to connect again. */
  dispose(): void {
    if (this.disposed) return;
    void this.close();
    this.disposed = true;
    this.listeners.clear();
    for (const set of Object.values(this.events)) set.clear();
  }

  // ---- connection lifecycle ------------------------------------------------------------------

  private startAttempt(): void {
    const id = ++this.attemptId;
    this.stopProbe();
    this.clearTimer('reconnect');
    this.noRetry = false;
    this.opened = false;
    this.setPhase('resolving', { nextReconnectAt: null });
    const failResolve = (cause: unknown) => {
      if (id !== this.attemptId) return;
      this.report('resolve', `The URL or sub-protocols could not be determined: ${describe(cause)}`, { cause });
      this.setPhase('idle');
      this.afterDisconnect(null);
    };
    resolveSource(
      this.options.url,
      (url) => {
        if (id !== this.attemptId) return;
        resolveSource(
          this.options.protocols,
          (protocols) => {
            if (id === this.attemptId) this.createSocket(url, protocols);
          },
          failResolve,
        );
      },
      failResolve,
    );
  }

  private createSocket(rawUrl: string | URL, rawProtocols: string | readonly string[] | undefined): void {
    const url = resolveWebSocketUrl(rawUrl, { baseUrl: this.options.baseUrl });
    if (!url.ok) return this.failWithoutRetry(url.error);
    const protocols = normalizeProtocols(rawProtocols);
    if (!protocols.ok) return this.failWithoutRetry(protocols.error);
    const Socket = this.socketConstructor();
    if (!Socket) {
      return this.failWithoutRetry(
        createWebSocketError('connection', 'There is no WebSocket implementation here; pass one as the `WebSocket` option.'),
      );
    }
    let socket: WebSocket;
    try {
      socket = protocols.value.length > 0 ? new Socket(url.value, [...protocols.value]) : new Socket(url.value);
    } catch (cause) {
      const name = (cause as { name?: unknown } | null)?.name;
      const kind: WebSocketErrorKind = name === 'SecurityError' ? 'security' : name === 'SyntaxError' ? 'syntax' : 'connection';
      return this.failWithoutRetry(createWebSocketError(kind, describe(cause), { cause }));
    }
    if (this.options.binaryType !== undefined) socket.binaryType = this.options.binaryType;
    this.socket = socket;
    this.offered = protocols.value;
    socket.onopen = () => {
      if (this.socket === socket) this.handleOpen(socket);
    };
    socket.onmessage = (event: MessageEvent) => {
      if (this.socket === socket) this.handleMessage(event.data as IncomingData);
    };
    socket.onerror = () => {
      if (this.socket === socket) this.handleError(socket);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket === socket) this.handleClose(socket, createCloseInfo(event.code, event.reason, event.wasClean));
    };
    this.setPhase('connecting', { url: url.value, protocol: '', extensions: '', bufferedAmount: 0 });
  }

  private handleOpen(socket: WebSocket): void {
    // Stand-ins (mock-socket) may leave these undefined; the snapshot's type promises strings.
    const protocol = socket.protocol ?? '';
    const extensions = socket.extensions ?? '';
    const offered = this.offered;
    const required = this.options.requireProtocol ?? offered.length > 0;
    const unoffered = protocol !== '' && offered.length > 0 && !offered.includes(protocol);
    if (unoffered || (protocol === '' && required && offered.length > 0)) {
      this.noRetry = true;
      this.report(
        'protocol',
        unoffered
          ? `The server selected the sub-protocol '${protocol}', which was not offered (${offered.join(', ')}).`
          : `The server selected none of the offered sub-protocols (${offered.join(', ')}).`,
      );
      this.update({ protocol, extensions });
      this.closeSocket(socket, ClientCloseCode.PROTOCOL_NOT_NEGOTIATED, 'Sub-protocol not negotiated');
      return;
    }
    this.opened = true;
    this.probeSuccesses = 0;
    this.setPhase('open', { protocol, extensions, error: null });
    const resetAfter = this.reconnectOptions()?.resetAfter ?? DEFAULT_RESET_AFTER;
    this.setTimer('stable', resetAfter, () => this.update({ reconnectAttempt: 0 }));
    this.lastReceivedAt = now();
    this.scheduleHeartbeat(this.heartbeatOptions()?.interval);
    // Queued messages go out before anything an `open` listener sends.
    if (!this.pendingClose) this.flushOutbox(socket);
    this.emitEvent('open', { url: this.snapshot.url ?? '', protocol, extensions });
    if (this.pendingClose) this.drainThenClose();
  }

  private handleMessage(data: IncomingData): void {
    // The browser drops what arrives once it is no longer OPEN.
    if (this.phase !== 'open') return;
    // Per message, so no options object is built here.
    const heartbeat = this.options.heartbeat;
    if (heartbeat) {
      this.lastReceivedAt = now();
      if (heartbeat !== true && heartbeat.isPong?.(data)) return;
    }
    const decoded = this.decode(data);
    if (!decoded.ok) {
      this.reportError(decoded.error);
      return;
    }
    this.update({ lastMessage: decoded.value, messageCount: this.snapshot.messageCount + 1 });
    for (const listener of this.events.message) callSafely(listener, [decoded.value, data]);
  }

  private handleError(socket: WebSocket): void {
    // Closing a connecting socket on purpose makes the browser fire `error`: not news to the user.
    if (!this.userClosed) {
      this.report('connection', `The WebSocket connection to '${this.snapshot.url ?? ''}' failed.`);
    }
    // Browsers always follow `error` with `close`; some stand-ins do not. Make sure it comes.
    this.setTimer('errorFallback', 0, () => {
      if (this.socket === socket) this.handleClose(socket, createCloseInfo(1006, '', false));
    });
  }

  private handleClose(socket: WebSocket, info: CloseInfo): void {
    if (this.socket !== socket) return;
    this.socket = null;
    for (const name of ['errorFallback', 'closeFallback', 'stable', 'heartbeat', 'drain', 'buffer'] as const) this.clearTimer(name);
    const waiters = this.pendingClose ? [this.pendingClose.resolve, ...this.closeWaiters] : this.closeWaiters;
    this.pendingClose = null;
    this.closeWaiters = [];
    this.setPhase('idle', { closeInfo: info, bufferedAmount: 0 });
    for (const resolve of waiters) resolve(info);
    this.emitEvent('close', info);
    this.afterDisconnect(info);
  }

  /** After a connection ended or an attempt failed: reopen, retry later, or stay closed. */
  private afterDisconnect(info: CloseInfo | null): void {
    // A listener may already have reconnected, or closed for good.
    if (this.disposed || this.phase !== 'idle') return;
    if (this.reopenAfterClose && !this.userClosed) {
      this.reopenAfterClose = false;
      this.startAttempt();
      return;
    }
    if (info && this.shouldProbeProtocols()) this.probeProtocols(info);
    else this.retryOrSettle(info);
  }

  private retryOrSettle(info: CloseInfo | null): void {
    const options = this.reconnectOptions();
    if (this.userClosed || this.noRetry || !options) return this.settleIdle();
    const attempt = this.snapshot.reconnectAttempt + 1;
    if (attempt > (options.maxAttempts ?? Infinity)) return this.settleIdle();
    // A close before the handshake completed is a failed attempt whatever code it carries.
    if (info && this.opened) {
      const retry = options.shouldReconnect ? options.shouldReconnect(info, attempt) : describeCloseCode(info.code).reconnect;
      if (!retry) return this.settleIdle();
    }
    this.phase = 'waiting';
    const network = this.network();
    if (!network.isOnline()) {
      this.update({ reconnectAttempt: attempt, nextReconnectAt: null, online: false });
      return;
    }
    const delay = backoffDelay(attempt, options, options.random);
    this.update({ reconnectAttempt: attempt, nextReconnectAt: now() + delay });
    this.setTimer('reconnect', delay, () => this.startAttempt());
  }

  /**
   * Chromium fails the whole handshake when the server selects none of the offered sub-protocols,
   * and tells scripts no more than "error, close 1006", exactly as for an unreachable server.
   * After such a failure, a connection without sub-protocols tells the two apart. It must succeed
   * twice in a row, with a failed real attempt in between, before the failure is called a protocol
   * refusal: once could be a server that came back while the real attempt was failing.
   */
  private shouldProbeProtocols(): boolean {
    return (
      !this.opened &&
      this.offered.length > 0 &&
      (this.options.requireProtocol ?? true) &&
      !this.userClosed &&
      !this.noRetry &&
      this.snapshot.url !== null &&
      this.socketConstructor() !== undefined
    );
  }

  private probeProtocols(info: CloseInfo): void {
    const id = this.attemptId;
    const url = this.snapshot.url as string;
    const offered = this.offered;
    const Socket = this.socketConstructor() as WebSocketConstructor;
    this.phase = 'waiting';
    let probe: WebSocket;
    try {
      probe = new Socket(url);
    } catch {
      this.phase = 'idle';
      return this.retryOrSettle(info);
    }
    this.probe = probe;
    let settled = false;
    const finish = (reachable: boolean) => {
      if (settled) return;
      settled = true;
      if (this.probe === probe) this.stopProbe();
      if (id !== this.attemptId || this.phase !== 'waiting' || this.disposed) return;
      if (reachable && ++this.probeSuccesses < 2) {
        // Reachable now: try the real handshake again without backoff, once the probe has closed,
        // so that the server never sees two sockets of this client at once.
        const retry = () => {
          if (id !== this.attemptId || this.phase !== 'waiting' || this.disposed) return;
          this.clearTimer('probe');
          this.phase = 'idle';
          this.startAttempt();
        };
        if (probe.readyState === ReadyState.CLOSED) return retry();
        probe.onclose = retry;
        this.setTimer('probe', this.closeTimeout(), retry);
        return;
      }
      if (reachable) {
        this.noRetry = true;
        this.report(
          'protocol',
          `The server at '${url}' accepts connections but selected none of the offered sub-protocols (${offered.join(', ')}), so the browser refused the handshake.`,
        );
        return this.settleIdle();
      }
      this.phase = 'idle';
      this.retryOrSettle(info);
    };
    probe.onopen = () => finish(true);
    probe.onerror = () => finish(false);
    probe.onclose = () => finish(false);
    this.setTimer('probe', this.closeTimeout(), () => finish(false));
  }

  private stopProbe(): void {
    this.clearTimer('probe');
    const probe = this.probe;
    if (!probe) return;
    this.probe = null;
    try {
      probe.close(1000, 'Protocol probe');
    } catch {
      // Already closed: nothing to do.
    }
  }

  private socketConstructor(): WebSocketConstructor | undefined {
    return this.options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  }

  private settleIdle(): void {
    this.setPhase('idle', { nextReconnectAt: null });
    if (this.userClosed || this.refs === 0) this.unwatchNetwork();
  }

  private failWithoutRetry(error: WebSocketError): void {
    this.reportError(error);
    this.setPhase('idle', { nextReconnectAt: null });
  }

  /** Ask the socket to close; if its `close` event never comes (dead link), end it ourselves. */
  private closeSocket(socket: WebSocket, code: number | undefined, reason: string | undefined): void {
    this.setPhase('closing');
    try {
      socket.close(code, reason);
    } catch {
      // Arguments were validated already; a stand-in that still throws is treated as closed.
    }
    this.setTimer('closeFallback', this.closeTimeout(), () => {
      if (this.socket === socket) this.handleClose(socket, createCloseInfo(1006, '', false));
    });
  }

  private drainThenClose(): void {
    const pending = this.pendingClose;
    const socket = this.socket;
    if (!pending || !socket) return;
    this.clearTimer('drain');
    if (this.phase === 'open') pending.flushable -= this.flushOutbox(socket, pending.flushable);
    const drained = pending.flushable === 0 && (this.phase !== 'open' || bufferedAmountOf(socket) === 0);
    if (drained || now() >= pending.deadline) {
      this.closeSocket(socket, pending.code, pending.reason);
      return;
    }
    this.setTimer('drain', DRAIN_POLL_MS, () => this.drainThenClose());
  }

  /** Send up to `limit` queued messages, in order, stopping at the high-water mark; returns how many left the outbox. */
  private flushOutbox(socket: WebSocket, limit = this.outbox.length): number {
    const sent = this.sendQueued(socket, limit);
    if (sent > 0) this.sampleBufferedAmount();
    return sent;
  }

  private sendQueued(socket: WebSocket, limit: number): number {
    const max = this.maxBufferedAmount();
    let sent = 0;
    for (; sent < limit && sent < this.outbox.length && bufferedAmountOf(socket) < max; sent++) {
      const data = this.outbox[sent] as OutgoingData;
      try {
        socket.send(data);
      } catch (cause) {
        this.report('send', `A queued message could not be sent: ${describe(cause)}`, { data, cause });
      }
    }
    if (sent > 0) this.outbox.splice(0, sent);
    return sent;
  }

  /**
   * `bufferedAmount` has no change event: sample it after sends and while it is non-zero, and send
   * what the high-water mark held back as it drains.
   */
  private sampleBufferedAmount(): void {
    const socket = this.socket;
    let amount = socket ? bufferedAmountOf(socket) : 0;
    // During a close, drainThenClose decides what still goes out.
    if (socket && this.phase === 'open' && !this.pendingClose && this.outbox.length > 0 && amount < this.maxBufferedAmount()) {
      this.sendQueued(socket, this.outbox.length);
      amount = bufferedAmountOf(socket);
    }
    this.update({ bufferedAmount: amount, queued: this.outbox.length });
    if (amount > 0 && this.timers.buffer === undefined) {
      this.setTimer('buffer', BUFFER_POLL_MS, () => {
        delete this.timers.buffer;
        this.sampleBufferedAmount();
      });
    }
  }

  // ---- heartbeat ------------------------------------------------------------------------------

  private scheduleHeartbeat(delay: number | undefined): void {
    if (delay === undefined) return;
    this.setTimer('heartbeat', delay, () => this.heartbeatTick());
  }

  private heartbeatTick(): void {
    const options = this.heartbeatOptions();
    const socket = this.socket;
    if (!options || !socket || this.phase !== 'open') return;
    const quietFor = now() - this.lastReceivedAt;
    if (quietFor < options.interval) {
      this.scheduleHeartbeat(options.interval - quietFor);
      return;
    }
    this.pingSentAt = now();
    try {
      socket.send(typeof options.message === 'function' ? options.message() : options.message);
    } catch {
      // A failing send means the socket is going away; its close event will follow.
    }
    this.setTimer('heartbeat', options.timeout, () => {
      if (this.socket !== socket) return;
      if (this.lastReceivedAt >= this.pingSentAt) return this.heartbeatTick();
      this.report('heartbeat', `No message arrived within ${options.timeout} ms of a heartbeat ping; the connection is presumed dead.`);
      const info = createCloseInfo(ClientCloseCode.HEARTBEAT_TIMEOUT, 'Heartbeat timeout', false);
      try {
        socket.close(info.code, info.reason);
      } catch {
        // Ignored: the socket is abandoned either way.
      }
      // Do not wait for a close handshake a dead link will never complete.
      this.handleClose(socket, info);
    });
  }

  // ---- helpers --------------------------------------------------------------------------------

  private decode(data: IncomingData): Checked<In> {
    const parse = this.options.parse ?? 'json';
    let value: unknown;
    if (parse === 'json' || parse === 'text') {
      if (typeof data !== 'string') {
        return failure('parse', `Expected a text frame but received binary data (${binaryName(data)}).`, { data });
      }
      if (parse === 'text') value = data;
      else {
        try {
          value = JSON.parse(data);
        } catch (cause) {
          return failure('parse', `A frame is not valid JSON: ${describe(cause)}`, { data, cause });
        }
      }
    } else {
      try {
        value = parse(data);
      } catch (cause) {
        return failure('parse', `A frame could not be parsed: ${describe(cause)}`, { data, cause });
      }
    }
    const validate = this.options.validate;
    if (validate) {
      let valid = false;
      let cause: unknown;
      try {
        valid = validate(value);
      } catch (error) {
        cause = error;
      }
      if (!valid) {
        return failure(
          'validation',
          'A message did not pass validation and was skipped.',
          cause === undefined ? { data } : { data, cause },
        );
      }
    }
    return { ok: true, value: value as In };
  }

  private report(kind: WebSocketErrorKind, message: string, extra: { data?: unknown; cause?: unknown } = {}): void {
    this.reportError(createWebSocketError(kind, message, extra));
  }

  private reportError(error: WebSocketError): void {
    this.update({ error });
    this.emitEvent('error', error);
  }

  private emitEvent<K extends 'open' | 'error' | 'close'>(type: K, arg: Parameters<WebSocketClientEvents<In>[K]>[0]): void {
    for (const listener of this.events[type]) callSafely(listener as (a: typeof arg) => void, [arg]);
  }

  private setPhase(phase: Phase, patch: Partial<WebSocketSnapshot<In>> = {}): void {
    this.phase = phase;
    this.update({ ...patch, readyState: this.readyStateOf(phase) });
  }

  private readyStateOf(phase: Phase): ReadyState {
    switch (phase) {
      case 'resolving':
      case 'connecting':
        return this.pendingClose ? ReadyState.CLOSING : ReadyState.CONNECTING;
      case 'open':
        return this.pendingClose ? ReadyState.CLOSING : ReadyState.OPEN;
      case 'closing':
        return ReadyState.CLOSING;
      default:
        return ReadyState.CLOSED;
    }
  }

  private update(patch: Partial<WebSocketSnapshot<In>>): void {
    const previous = this.snapshot;
    let changed = false;
    for (const key in patch) {
      if (!Object.is(previous[key as keyof WebSocketSnapshot<In>], patch[key as keyof WebSocketSnapshot<In>])) {
        changed = true;
        break;
      }
    }
    if (!changed) return;
    this.snapshot = Object.freeze({ ...previous, ...patch });
    this.emit(this.snapshot, previous);
  }

  private reconnectOptions(): ReconnectOptions | null {
    const option = this.options.reconnect ?? true;
    return option === false ? null : option === true ? {} : option;
  }

  private heartbeatOptions(): (Required<Omit<HeartbeatOptions, 'isPong'>> & Pick<HeartbeatOptions, 'isPong'>) | null {
    const option = this.options.heartbeat ?? false;
    if (option === false) return null;
    const given = option === true ? {} : option;
    return {
      interval: given.interval ?? DEFAULT_HEARTBEAT.interval,
      timeout: given.timeout ?? DEFAULT_HEARTBEAT.timeout,
      message: given.message ?? DEFAULT_HEARTBEAT.message,
      isPong: given.isPong,
    };
  }

  private maxBufferedAmount(): number {
    return this.options.maxBufferedAmount ?? DEFAULT_MAX_BUFFERED;
  }

  private closeTimeout(): number {
    return this.options.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT;
  }

  private network(): NetworkMonitor {
    return this.options.network ?? browserNetwork;
  }

  private watchNetwork(): void {
    if (this.stopNetworkWatch) return;
    const network = this.network();
    this.update({ online: network.isOnline() });
    this.stopNetworkWatch = network.subscribe((online) => {
      this.update({ online });
      if (this.phase !== 'waiting') return;
      if (online) this.startAttempt();
      else {
        this.clearTimer('reconnect');
        this.update({ nextReconnectAt: null });
      }
    });
  }

  private unwatchNetwork(): void {
    this.stopNetworkWatch?.();
    this.stopNetworkWatch = null;
  }

  private setTimer(name: TimerName, delay: number, run: () => void): void {
    this.clearTimer(name);
    this.timers[name] = setTimeout(() => {
      delete this.timers[name];
      run();
    }, delay);
  }

  private clearTimer(name: TimerName): void {
    const timer = this.timers[name];
    if (timer !== undefined) {
      clearTimeout(timer);
      delete this.timers[name];
    }
  }
}

/** Create a {@link WebSocketClient}. It does not connect until `connect()` or `acquire()`. */
export function createWebSocketClient<In = unknown, Out = unknown>(options: WebSocketClientOptions<In>): WebSocketClient<In, Out> {
  return new WebSocketClient<In, Out>(options);
}

function resolveSource<T>(source: Resolvable<T>, onValue: (value: T) => void, onError: (cause: unknown) => void): void {
  let value: T | PromiseLike<T>;
  try {
    value = typeof source === 'function' ? (source as () => T | PromiseLike<T>)() : source;
  } catch (cause) {
    onError(cause);
    return;
  }
  if (isThenable(value)) value.then(onValue, onError);
  else onValue(value);
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function failure(kind: WebSocketErrorKind, message: string, extra: { data?: unknown; cause?: unknown }): Checked<never> {
  return { ok: false, error: createWebSocketError(kind, message, extra) };
}

function bufferedAmountOf(socket: WebSocket): number {
  const amount = Number(socket.bufferedAmount);
  return Number.isFinite(amount) ? amount : 0;
}

function binaryName(data: unknown): string {
  return (data as { constructor?: { name?: string } } | null)?.constructor?.name ?? typeof data;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
