import { ClientCloseCode, assertValidCloseArguments } from './closeCodes.js';
import { createCloseInfo, type CloseInfo } from './CloseInfo.js';
import type { ClientFeature, FeatureHooks } from './feature.js';
import type { NetworkMonitor } from './network.js';
import { ReadyState } from './readyState.js';
import { Subscribable, callSafely, type Unsubscribe } from './Subscribable.js';
import { normalizeProtocols, resolveWebSocketUrl, type Checked } from './validateUrl.js';
import { createWebSocketError, isWebSocketError, type WebSocketError, type WebSocketErrorKind } from './WebSocketError.js';

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
  /**
   * What to do when the connection is lost: `autoReconnect({ ... })` retries with backoff. Default:
   * nothing, a lost connection stays closed until `connect()` or `reconnect()`.
   */
  reconnect?: ClientFeature | false | null;
  /** `heartbeat({ ... })` pings when quiet and drops a dead connection. Default: none. */
  heartbeat?: ClientFeature | false | null;
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

/** Where a client is: `waiting` is closed with a retry (or a probe, or the network) pending. */
export type ClientPhase = 'idle' | 'resolving' | 'connecting' | 'open' | 'closing' | 'waiting';
type TimerName = 'retry' | 'drain' | 'closeFallback' | 'errorFallback' | 'buffer';
type FeatureSlot = 'reconnect' | 'heartbeat';

interface PendingClose {
  readonly code: number | undefined;
  readonly reason: string | undefined;
  readonly deadline: number;
  /** Only what was queued before `close()` goes out; later sends wait for the next connection. */
  flushable: number;
  readonly promise: Promise<CloseInfo>;
  readonly resolve: (info: CloseInfo) => void;
}

const now = () => Date.now();

/**
 * A framework-agnostic WebSocket client: one socket at a time, its state as an immutable snapshot
 * (`subscribe` / `getSnapshot`, the shape `useSyncExternalStore` wants), typed errors as values,
 * an outbox, and every message delivered. Reconnection (`autoReconnect`) and a heartbeat
 * (`heartbeat`) are opt-in features, so that a bundle without them carries none of their code:
 * without `reconnect`, a lost connection stays closed.
 *
 * It touches no `window` or `document` and runs the same in a page, a Web Worker or Node.
 *
 * @example
 * ```ts
 * const client = new WebSocketClient<ChatPacket>({
 *   url: 'wss://chat.example/ws',
 *   protocols: 'json',
 *   reconnect: autoReconnect({ maxDelay: 10_000 }),
 * });
 * client.on('message', (packet) => console.log(packet));
 * client.connect();
 * client.sendJson({ type: 'message', text: 'hi' });
 * ```
 */
export class WebSocketClient<In = unknown, Out = unknown> extends Subscribable<SnapshotListener<In>> {
  /** @internal The current options (features read their own from here). */
  options: WebSocketClientOptions<In>;
  private snapshot: WebSocketSnapshot<In>;
  private readonly events: { [K in keyof WebSocketClientEvents<In>]: Set<WebSocketClientEvents<In>[K]> } = {
    open: new Set(),
    message: new Set(),
    error: new Set(),
    close: new Set(),
  };
  /** The attached features, by option name. */
  private features: { [K in FeatureSlot]?: { feature: ClientFeature; hooks: FeatureHooks } } = {};

  /** @internal */
  phase: ClientPhase = 'idle';
  /** @internal The socket of the current attempt or connection. */
  socket: WebSocket | null = null;
  /** @internal The sub-protocols offered by the current attempt. */
  offered: readonly string[] = [];
  /** Bumped by every new attempt, so that late async results of an older one are ignored. */
  private attemptId = 0;
  private outbox: OutgoingData[] = [];
  private userClosed = false;
  /** Set when this connection must not be retried whatever the close code (e.g. protocol mismatch). */
  private noRetry = false;
  private reopen = false;
  private pending: PendingClose | null = null;
  private disposed = false;
  private refs = 0;
  private releaseToken = 0;
  /** Whether `connect()` was ever called: the first `acquire()` connects, later ones share. */
  private started = false;
  /** Callers of `close()` waiting for a close already under way. */
  private closeWaiters: ((info: CloseInfo) => void)[] = [];
  /** Whether the current attempt reached OPEN: a close before that is a failed attempt. */
  private opened = false;
  private readonly timers: Partial<Record<TimerName, ReturnType<typeof setTimeout>>> = {};

  constructor(options: WebSocketClientOptions<In>) {
    super();
    this.options = { ...options };
    // A client exists to connect: like a new WebSocket, it starts out CONNECTING.
    this.snapshot = createInitialSnapshot<In>(ReadyState.CONNECTING);
    this.attachFeatures();
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
   * limits, binaryType). `url` and `protocols` given here apply from the next attempt. A feature
   * value from the same factory as the attached one only changes its options.
   */
  setOptions(options: Partial<WebSocketClientOptions<In>>): void {
    this.options = { ...this.options, ...options };
    if (options.binaryType !== undefined && this.socket) this.socket.binaryType = options.binaryType;
    this.attachFeatures();
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
    this.hook('start');
    if (this.phase === 'idle') this.startAttempt();
    else if (this.phase === 'closing' || this.pending) this.reopen = true;
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
      if (--this.refs > 0) return;
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
    const flowing = this.phase === 'open' && !this.pending;
    if (flowing && this.outbox.length === 0 && bufferedAmountOf(socket) < this.maxBuffered()) {
      if (!this.sendOne(socket as WebSocket, data)) return 'rejected';
      this.sampleBuffered();
      return 'sent';
    }
    const max = this.options.maxQueue ?? 1000;
    if (this.outbox.length >= max) {
      this.report('overflow', `The outbox is full (${max} messages); the message was not queued.`, { data });
      return 'rejected';
    }
    this.outbox.push(data);
    this.update({ queued: this.outbox.length });
    // Held back by the high-water mark: the buffer poll sends it as the socket drains.
    if (flowing) this.sampleBuffered();
    return 'queued';
  }

  /**
   * Take back everything waiting in the outbox, unsent; returns it in order. For a caller that will
   * send its own up-to-date version after the next connection opens (the chat store does so).
   */
  discardQueued(): OutgoingData[] {
    const dropped = this.outbox.splice(0);
    if (this.pending) this.pending.flushable = 0;
    this.update({ queued: 0 });
    return dropped;
  }

  /** `JSON.stringify(value)` and send it. A value JSON cannot encode is rejected and reported. */
  sendJson(value: Out): SendResult {
    let text: string | undefined;
    let cause: unknown;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      cause = error;
    }
    if (text === undefined) {
      this.report(
        'send',
        `The value could not be encoded as JSON${cause ? `: ${describe(cause)}` : ' (it serializes to nothing).'}`,
        cause === undefined ? { data: value } : { data: value, cause },
      );
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
    this.reopen = false;
    this.clearTimer('retry');
    this.hook('stop');
    if (this.pending) return this.pending.promise;
    const phase = this.phase;
    if (phase === 'open' || phase === 'connecting') {
      let resolve!: (info: CloseInfo) => void;
      const promise = new Promise<CloseInfo>((r) => (resolve = r));
      this.pending = { code, reason, deadline: now() + this.closeTimeout(), flushable: this.outbox.length, promise, resolve };
      this.update({ readyState: ReadyState.CLOSING, reconnectAttempt: 0 });
      this.drainThenClose();
      return promise;
    }
    if (phase === 'closing') return new Promise((resolve) => this.closeWaiters.push(resolve));
    // Nothing is connected (idle, resolving, or waiting to retry): cancel what is pending.
    this.attemptId++;
    this.setPhase('idle', { nextReconnectAt: null, reconnectAttempt: 0 });
    return Promise.resolve(createCloseInfo(code ?? 1005, reason, true));
  }

  /** Drop the current connection, if any, and connect again at once. */
  reconnect(): void {
    if (this.disposed) return;
    this.userClosed = false;
    this.hook('start');
    const phase = this.phase;
    if (phase === 'idle' || phase === 'waiting' || phase === 'resolving') return this.startAttempt();
    this.reopen = true;
    if (phase !== 'closing' && !this.pending && this.socket) this.closeSocket(this.socket, 1000, 'Reconnecting');
  }

  /** Close, remove every listener, detach the features, and refuse to connect again. */
  dispose(): void {
    if (this.disposed) return;
    void this.close();
    this.disposed = true;
    this.hook('detach');
    this.features = {};
    this.listeners.clear();
    for (const set of Object.values(this.events)) set.clear();
  }

  // ---- for features (see ClientFeature) --------------------------------------------------------

  /** @internal Start a new connection attempt now, abandoning any retry or probe pending. */
  startAttempt(): void {
    const id = ++this.attemptId;
    this.clearTimer('retry');
    this.hook('cancel');
    this.noRetry = this.opened = false;
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
        if (id === this.attemptId) {
          resolveSource(
            this.options.protocols,
            (protocols) => {
              if (id === this.attemptId) this.createSocket(url, protocols);
            },
            failResolve,
          );
        }
      },
      failResolve,
    );
  }

  /** @internal Wait closed (phase `waiting`), and start a new attempt after `delay` ms when given. */
  wait(delay?: number): void {
    this.phase = 'waiting';
    this.clearTimer('retry');
    if (delay !== undefined) this.setTimer('retry', delay, () => this.startAttempt());
  }

  /** @internal Stay closed: no retry. */
  settle(): void {
    this.setPhase('idle', { nextReconnectAt: null });
    if (this.userClosed || this.refs === 0) this.hook('stop');
  }

  /** @internal Take `socket` as closed with `info` now, without waiting for a close handshake. */
  drop(socket: WebSocket, info: CloseInfo): void {
    try {
      socket.close(info.code, info.reason);
    } catch {
      // Already closing, or a stand-in that throws: abandoned either way.
    }
    this.handleClose(socket, info);
  }

  /** @internal Report an error: in the snapshot and to `error` listeners. */
  report(kind: WebSocketErrorKind, message: string, extra?: { data?: unknown; cause?: unknown }): void {
    this.reportError(createWebSocketError(kind, message, extra));
  }

  /** @internal Change the snapshot: a new frozen object, and listeners told, if anything differs. */
  update(patch: Partial<WebSocketSnapshot<In>>): void {
    const previous = this.snapshot;
    for (const key in patch) {
      if (!Object.is(previous[key as keyof WebSocketSnapshot<In>], patch[key as keyof WebSocketSnapshot<In>])) {
        this.snapshot = Object.freeze({ ...previous, ...patch });
        this.emit(this.snapshot, previous);
        return;
      }
    }
  }

  // ---- connection lifecycle ------------------------------------------------------------------

  private createSocket(rawUrl: string | URL, rawProtocols: string | readonly string[] | undefined): void {
    const url = resolveWebSocketUrl(rawUrl, { baseUrl: this.options.baseUrl });
    const protocols = normalizeProtocols(rawProtocols);
    const Socket = this.options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    let socket: WebSocket;
    try {
      if (!url.ok) throw url.error;
      if (!protocols.ok) throw protocols.error;
      if (!Socket)
        throw createWebSocketError('connection', 'There is no WebSocket implementation here; pass one as the `WebSocket` option.');
      socket = protocols.value.length > 0 ? new Socket(url.value, [...protocols.value]) : new Socket(url.value);
    } catch (cause) {
      // A check of ours failed, or the constructor threw: no retry, the next attempt would fail alike.
      const name = (cause as { name?: unknown } | null)?.name;
      this.reportError(
        isWebSocketError(cause)
          ? cause
          : createWebSocketError(
              name === 'SecurityError' ? 'security' : name === 'SyntaxError' ? 'syntax' : 'connection',
              describe(cause),
              {
                cause,
              },
            ),
      );
      return this.setPhase('idle', { nextReconnectAt: null });
    }
    if (this.options.binaryType !== undefined) socket.binaryType = this.options.binaryType;
    this.socket = socket;
    this.offered = protocols.value;
    const mine = () => this.socket === socket;
    socket.onopen = () => mine() && this.handleOpen(socket);
    socket.onmessage = (event: MessageEvent) => mine() && this.handleMessage(event.data as IncomingData);
    socket.onerror = () => mine() && this.handleError(socket);
    socket.onclose = (event: CloseEvent) => this.handleClose(socket, createCloseInfo(event.code, event.reason, event.wasClean));
    this.setPhase('connecting', { url: url.value, protocol: '', extensions: '', bufferedAmount: 0 });
  }

  private handleOpen(socket: WebSocket): void {
    // Stand-ins (mock-socket) may leave these undefined; the snapshot's type promises strings.
    const protocol = socket.protocol ?? '';
    const extensions = socket.extensions ?? '';
    const offered = this.offered;
    const list = offered.join(', ');
    if (offered.length > 0 && (protocol ? !offered.includes(protocol) : (this.options.requireProtocol ?? true))) {
      this.noRetry = true;
      this.report(
        'protocol',
        protocol
          ? `The server selected the sub-protocol '${protocol}', which was not offered (${list}).`
          : `The server selected none of the offered sub-protocols (${list}).`,
      );
      this.update({ protocol, extensions });
      this.closeSocket(socket, ClientCloseCode.PROTOCOL_NOT_NEGOTIATED, 'Sub-protocol not negotiated');
      return;
    }
    this.opened = true;
    this.setPhase('open', { protocol, extensions, error: null });
    this.hook('open', socket);
    // Queued messages go out before anything an `open` listener sends.
    if (!this.pending) this.flushOutbox(socket);
    this.emitEvent('open', { url: this.snapshot.url ?? '', protocol, extensions });
    if (this.pending) this.drainThenClose();
  }

  private handleMessage(data: IncomingData): void {
    // The browser drops what arrives once it is no longer OPEN; a feature may take a frame (a pong).
    if (this.phase !== 'open' || this.hook('frame', data)) return;
    const decoded = this.decode(data);
    if (!decoded.ok) return this.reportError(decoded.error);
    this.update({ lastMessage: decoded.value, messageCount: this.snapshot.messageCount + 1 });
    for (const listener of this.events.message) callSafely(listener, [decoded.value, data]);
  }

  private handleError(socket: WebSocket): void {
    // Closing a connecting socket on purpose makes the browser fire `error`: not news to the user.
    if (!this.userClosed) this.report('connection', `The WebSocket connection to '${this.snapshot.url}' failed.`);
    // Browsers always follow `error` with `close`; some stand-ins do not. Make sure it comes.
    this.setTimer('errorFallback', 0, () => this.handleClose(socket, createCloseInfo(1006)));
  }

  private handleClose(socket: WebSocket, info: CloseInfo): void {
    if (this.socket !== socket) return;
    this.socket = null;
    for (const name of ['errorFallback', 'closeFallback', 'drain', 'buffer'] as const) this.clearTimer(name);
    this.hook('closed');
    const waiters = this.pending ? [this.pending.resolve, ...this.closeWaiters] : this.closeWaiters;
    this.pending = null;
    this.closeWaiters = [];
    this.setPhase('idle', { closeInfo: info, bufferedAmount: 0 });
    for (const resolve of waiters) resolve(info);
    this.emitEvent('close', info);
    this.afterDisconnect(info);
  }

  /** After a connection ended or an attempt failed: reopen, let a feature retry, or stay closed. */
  private afterDisconnect(info: CloseInfo | null): void {
    // A listener may already have reconnected, or closed for good.
    if (this.disposed || this.phase !== 'idle') return;
    if (this.reopen && !this.userClosed) {
      this.reopen = false;
      return this.startAttempt();
    }
    if (this.userClosed || this.noRetry || !this.hook('lost', info, this.opened)) this.settle();
  }

  /** Ask the socket to close; if its `close` event never comes (dead link), end it ourselves. */
  private closeSocket(socket: WebSocket, code: number | undefined, reason: string | undefined): void {
    this.setPhase('closing');
    try {
      socket.close(code, reason);
    } catch {
      // Arguments were validated already; a stand-in that still throws is treated as closed.
    }
    this.setTimer('closeFallback', this.closeTimeout(), () => this.handleClose(socket, createCloseInfo(1006)));
  }

  private drainThenClose(): void {
    const pending = this.pending;
    const socket = this.socket;
    if (!pending || !socket) return;
    this.clearTimer('drain');
    const open = this.phase === 'open';
    if (open) pending.flushable -= this.flushOutbox(socket, pending.flushable);
    if ((pending.flushable === 0 && (!open || bufferedAmountOf(socket) === 0)) || now() >= pending.deadline) {
      return this.closeSocket(socket, pending.code, pending.reason);
    }
    this.setTimer('drain', 25, () => this.drainThenClose());
  }

  /** Send up to `limit` queued messages, in order, stopping at the high-water mark; returns how many left the outbox. */
  private flushOutbox(socket: WebSocket, limit = this.outbox.length): number {
    const sent = this.sendQueued(socket, limit);
    if (sent > 0) this.sampleBuffered();
    return sent;
  }

  private sendQueued(socket: WebSocket, limit: number): number {
    const max = this.maxBuffered();
    const outbox = this.outbox;
    let sent = 0;
    while (sent < limit && sent < outbox.length && bufferedAmountOf(socket) < max) this.sendOne(socket, outbox[sent++] as OutgoingData);
    outbox.splice(0, sent);
    return sent;
  }

  /** `socket.send(data)`, reporting a failure; returns whether it was sent. */
  private sendOne(socket: WebSocket, data: OutgoingData): boolean {
    try {
      socket.send(data);
      return true;
    } catch (cause) {
      this.report('send', `The data could not be sent: ${describe(cause)}`, { data, cause });
      return false;
    }
  }

  /**
   * `bufferedAmount` has no change event: sample it after sends and while it is non-zero, and send
   * what the high-water mark held back as it drains.
   */
  private sampleBuffered(): void {
    const socket = this.socket;
    // During a close, drainThenClose decides what still goes out.
    if (socket && this.phase === 'open' && !this.pending) this.sendQueued(socket, this.outbox.length);
    const amount = bufferedAmountOf(socket);
    this.update({ bufferedAmount: amount, queued: this.outbox.length });
    if (amount > 0 && !this.timers.buffer) this.setTimer('buffer', 50, () => this.sampleBuffered());
  }

  // ---- helpers --------------------------------------------------------------------------------

  private decode(data: IncomingData): Checked<In> {
    const { parse = 'json', validate } = this.options;
    let value: unknown = data;
    let cause: unknown;
    try {
      if (typeof parse === 'function') value = parse(data);
      else if (typeof data !== 'string')
        return failure('parse', `Expected a text frame but received binary data (${binaryName(data)}).`, { data });
      else if (parse === 'json') value = JSON.parse(data);
    } catch (error) {
      return failure('parse', `A frame ${parse === 'json' ? 'is not valid JSON' : 'could not be parsed'}: ${describe(error)}`, {
        data,
        cause: error,
      });
    }
    let valid = !validate;
    try {
      valid ||= validate!(value);
    } catch (error) {
      cause = error;
    }
    if (!valid) {
      return failure('validation', 'A message did not pass validation and was skipped.', cause === undefined ? { data } : { data, cause });
    }
    return { ok: true, value: value as In };
  }

  private reportError(error: WebSocketError): void {
    this.update({ error });
    this.emitEvent('error', error);
  }

  private emitEvent<K extends 'open' | 'error' | 'close'>(type: K, arg: Parameters<WebSocketClientEvents<In>[K]>[0]): void {
    for (const listener of this.events[type]) callSafely(listener as (a: typeof arg) => void, [arg]);
  }

  private setPhase(phase: ClientPhase, patch: Partial<WebSocketSnapshot<In>> = {}): void {
    this.phase = phase;
    const closing = this.pending;
    this.update({
      ...patch,
      readyState:
        phase === 'closing' || (closing && phase !== 'idle' && phase !== 'waiting')
          ? ReadyState.CLOSING
          : phase === 'open'
            ? ReadyState.OPEN
            : phase === 'idle' || phase === 'waiting'
              ? ReadyState.CLOSED
              : ReadyState.CONNECTING,
    });
  }

  /** Attach the features the options name, replacing those of another kind; see {@link ClientFeature}. */
  private attachFeatures(): void {
    if (this.disposed) return;
    for (const slot of ['reconnect', 'heartbeat'] as const) {
      const next = this.options[slot] || undefined;
      const current = this.features[slot];
      if (current && next && current.feature.attach === next.attach) {
        current.feature = next;
        continue;
      }
      if (current?.feature === next) continue;
      current?.hooks.detach?.();
      delete this.features[slot];
      if (!next) continue;
      const entry = { feature: next } as { feature: ClientFeature; hooks: FeatureHooks };
      entry.hooks = next.attach(this as WebSocketClient, () => entry.feature.options);
      this.features[slot] = entry;
      // Attached to a client already at work: catch up.
      if (this.started && !this.userClosed) entry.hooks.start?.();
      if (this.phase === 'open' && this.socket) entry.hooks.open?.(this.socket);
    }
  }

  /** Call one hook of every attached feature; returns whether any returned true. */
  private hook<K extends keyof FeatureHooks>(name: K, ...args: Parameters<NonNullable<FeatureHooks[K]>>): boolean {
    let taken = false;
    for (const { hooks } of Object.values(this.features)) {
      if ((hooks[name] as ((...a: typeof args) => boolean | undefined) | undefined)?.(...args)) taken = true;
    }
    return taken;
  }

  private maxBuffered(): number {
    return this.options.maxBufferedAmount ?? 1024 * 1024;
  }

  private closeTimeout(): number {
    return this.options.closeTimeout ?? 5000;
  }

  private setTimer(name: TimerName, delay: number, run: () => void): void {
    this.clearTimer(name);
    this.timers[name] = setTimeout(() => {
      delete this.timers[name];
      run();
    }, delay);
  }

  private clearTimer(name: TimerName): void {
    clearTimeout(this.timers[name]);
    delete this.timers[name];
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
    return onError(cause);
  }
  if (typeof (value as { then?: unknown } | null)?.then === 'function') (value as PromiseLike<T>).then(onValue, onError);
  else onValue(value as T);
}

function failure(kind: WebSocketErrorKind, message: string, extra: { data?: unknown; cause?: unknown }): Checked<never> {
  return { ok: false, error: createWebSocketError(kind, message, extra) };
}

function bufferedAmountOf(socket: WebSocket | null): number {
  const amount = Number(socket?.bufferedAmount);
  return Number.isFinite(amount) ? amount : 0;
}

function binaryName(data: unknown): string {
  return (data as { constructor?: { name?: string } } | null)?.constructor?.name ?? typeof data;
}

/** The message of an exception, or the thing itself as text. */
export function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
