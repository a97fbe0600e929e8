import { assertValidCloseArguments, closeWebSocket } from './closeCodes.js';
import { createCloseInfo, type CloseInfo } from './CloseInfo.js';
import { decodeFrame } from './decodeFrame.js';
import { bufferedAmountOf, discardQueued, sendQueued, underMark } from './outbox.js';
import { probeServer } from './probeServer.js';
import type { ReadyState } from './readyState.js';
import { Subscribable, callSafely, type Unsubscribe } from './Subscribable.js';
import type {
  ClientFeature,
  ClientPhase,
  FeatureContext,
  FeatureHooks,
  IncomingData,
  OutgoingData,
  Resolvable,
  SendResult,
  SnapshotListener,
  WebSocketClientEvents,
  WebSocketClientOptions,
  WebSocketConstructor,
  WebSocketSnapshot,
} from './types.js';
import { normalizeProtocols, resolveWebSocketUrl } from './validateUrl.js';
import { createWebSocketError, describeCause, type WebSocketError, type WebSocketErrorKind } from './WebSocketError.js';

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

/** The client's timers: `closing` and `error` end a socket whose `close` event never comes. */
type TimerName = 'retry' | 'drain' | 'closing' | 'error' | 'buffer';
type FeatureSlot = 'reconnect' | 'heartbeat';

interface PendingClose {
  readonly code: number | undefined;
  readonly reason: string | undefined;
  readonly deadline: number;
}

/**
 * The methods of {@link WebSocketClient}, declared here in method form (so that a client of a
 * narrower `Out` is assignable to one of `unknown`, as a class's methods are) and made in its
 * constructor, where they share the state of one closure.
 */
export interface WebSocketClient<In = unknown, Out = unknown> {
  /** The current snapshot. The same object until something changes. */
  getSnapshot(): WebSocketSnapshot<In>;
  /** Listen to one kind of event; returns the function that stops listening. */
  on<K extends keyof WebSocketClientEvents<In>>(type: K, listener: WebSocketClientEvents<In>[K]): Unsubscribe;
  /**
   * Change options that do not define the connection (parse, validate, reconnect, heartbeat,
   * limits, binaryType). `url` and `protocols` given here apply from the next attempt. A feature
   * value from the same factory as the attached one only changes its options.
   */
  setOptions(options: Partial<WebSocketClientOptions<In>>): void;
  /** Set how binary frames arrive, on the live socket too. */
  setBinaryType(binaryType: BinaryType): void;
  /** Start connecting, unless already connected or connecting. */
  connect(): void;
  /**
   * Use the connection: connects on the first use, and closes once the last user has released it.
   * Release is deferred by a microtask so that React's StrictMode, which releases and re-acquires
   * at once, keeps the same socket.
   */
  acquire(): Unsubscribe;
  /**
   * Send data: at once when open, else into the outbox, sent in order when the connection opens
   * (or, while the socket holds `maxBufferedAmount` unsent bytes, as it drains). Never throws.
   */
  send(data: OutgoingData): SendResult;
  /**
   * Take back what waits in the outbox, unsent: everything, or what `filter` accepts; returns it in
   * order. For a caller that will send its own up-to-date version after the next connection opens
   * (the chat store does so, for its own packets only).
   */
  discardQueued(filter?: (data: OutgoingData) => boolean): OutgoingData[];
  /** `JSON.stringify(value)` and send it. A value JSON cannot encode is rejected and reported. */
  sendJson(value: Out): SendResult;
  /**
   * Close the connection and stop reconnecting. Arguments are checked as Chromium's
   * `WebSocket.close` checks them: a bad one (including a reason without a code) throws the
   * browser's `DOMException` at once, before anything is done. The close waits (up to
   * `closeTimeout`) for queued data to go out, then closes; the promise resolves with how it closed
   * (during a sub-protocol probe: at once, with how the failed attempt's socket closed).
   */
  close(code?: number, reason?: string): Promise<CloseInfo>;
  /** Drop the current connection, if any, and connect again at once. */
  reconnect(): void;
  /** Close, remove every listener, detach the features, and refuse to connect again. */
  dispose(): void;
}

/**
 * A framework-agnostic WebSocket client: one socket at a time, its state as an immutable snapshot
 * (`subscribe` / `getSnapshot`, the shape `useSyncExternalStore` wants), typed errors as values,
 * an outbox, and every message delivered. Reconnection (`autoReconnect`) and a heartbeat
 * (`heartbeat`) are opt-in features, so that a bundle without them carries none of their code:
 * without `reconnect`, a lost connection stays closed.
 *
 * Its methods are bound (they may be passed around as plain functions): they are the instance's own
 * properties, made in the constructor, so spy on or wrap an instance's method, not the prototype's,
 * and extend behaviour with a feature rather than a subclass override. It touches no `window` or
 * `document` and runs the same in a page, a Web Worker or Node.
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
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the constructor assigns every member the interface above declares
export class WebSocketClient<In = unknown, Out = unknown> extends Subscribable<SnapshotListener<In>> {
  constructor(initialOptions: WebSocketClientOptions<In>) {
    super();
    // State lives in this closure rather than in fields: a minifier shortens local names, not properties.
    let options = { ...initialOptions };
    // A client exists to connect: like a new WebSocket, it starts out CONNECTING.
    let snapshot = createInitialSnapshot<In>(0 /* ReadyState.CONNECTING */);
    /** Event listeners by type, each set made on first use. */
    let events: { [K in keyof WebSocketClientEvents<In>]?: Set<(...args: never[]) => void> } = {};
    /**
     * The attached features, by option name: the factory's `attach` (which tells a new value of the
     * same feature from another feature) and the hooks it returned.
     */
    let features: { [K in FeatureSlot]?: { attach: ClientFeature['attach']; hooks: FeatureHooks } } = {};
    let phase: ClientPhase = 'idle';
    /** The socket of the current attempt or connection. */
    let socket: WebSocket | null = null;
    /** The sub-protocols offered by the current attempt. */
    let offered: readonly string[] = [];
    /** Bumped by every new attempt, so that late async results of an older one are ignored. */
    let attemptId = 0;
    const outbox: OutgoingData[] = [];
    let userClosed = false;
    /** Set when this connection must not be retried whatever the close code (e.g. protocol mismatch). */
    let noRetry = false;
    let reopen = false;
    let pending: PendingClose | null = null;
    /**
     * How many messages at the front of the outbox the pending close still sends: only what was
     * queued before `close()` goes out; later sends wait for the next connection. Read only while
     * a close is pending (each `close()` sets it).
     */
    let flushable = 0;
    let disposed = false;
    let refs = 0;
    /** Whether `connect()` was ever called: the first `acquire()` connects, later ones share. */
    let started = false;
    /** Callers of `close()` waiting for the socket to close. */
    let closeWaiters: ((info: CloseInfo) => void)[] = [];
    /** Whether the current attempt reached OPEN: a close before that is a failed attempt. */
    let opened = false;
    /** Cancels the sub-protocol probe of the failed attempt under way (see `probeServer`), if any. */
    let cancelProbe: (() => void) | null = null;
    /** Set while changes to the snapshot are published once, at the end (see `atOnce`). */
    let holding = false;
    const timers: Partial<Record<TimerName, ReturnType<typeof setTimeout>>> = {};

    const setTimer = (name: TimerName, delay: number, run: () => void) => {
      clearTimer(name);
      timers[name] = setTimeout(() => {
        delete timers[name];
        run();
      }, delay);
    };
    const clearTimer = (name: TimerName) => {
      clearTimeout(timers[name]);
      delete timers[name];
    };
    const socketClass = () => options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    const closeTimeout = () => options.closeTimeout ?? 5000;

    /** Change the snapshot: a new frozen object, and listeners told, if anything differs. */
    const update = (patch: Partial<WebSocketSnapshot<In>>) => {
      const previous = snapshot;
      for (const key in patch) {
        if (!Object.is(previous[key as keyof WebSocketSnapshot<In>], patch[key as keyof WebSocketSnapshot<In>])) {
          snapshot = Object.freeze({ ...previous, ...patch });
          return holding || this.emit(snapshot, previous);
        }
      }
    };
    /** Run `change` and publish what it did to the snapshot as one update: no state in between is seen. */
    const atOnce = (change: () => void) => {
      if (holding) return change();
      const before = snapshot;
      holding = true;
      change();
      holding = false;
      if (snapshot !== before) this.emit(snapshot, before);
    };
    const emitEvent = <K extends keyof WebSocketClientEvents<In>>(type: K, ...args: Parameters<WebSocketClientEvents<In>[K]>) => {
      for (const listener of events[type] ?? []) callSafely(listener as (...a: unknown[]) => void, args);
    };
    const reportError = (error: WebSocketError) => {
      update({ error });
      emitEvent('error', error);
    };
    const report = (kind: WebSocketErrorKind, message: string, extra?: { data?: unknown; cause?: unknown }) =>
      reportError(createWebSocketError(kind, message, extra));
    const setPhase = (next: ClientPhase, patch: Partial<WebSocketSnapshot<In>> = {}) => {
      phase = next;
      const closed = next === 'idle' || next === 'waiting';
      // The ReadyState values as literals: a property read would be bundled as one.
      update({ ...patch, readyState: next === 'closing' || (pending && !closed) ? 2 : next === 'open' ? 1 : closed ? 3 : 0 });
    };
    /** Call one hook of every attached feature; returns whether any returned true. */
    const hook = <K extends keyof FeatureHooks>(name: K, ...args: Parameters<NonNullable<FeatureHooks[K]>>): boolean => {
      let taken = false;
      // for-in, not Object.values: this runs for every frame, and must not allocate.
      for (const slot in features) {
        const hooks = features[slot as FeatureSlot]?.hooks;
        if ((hooks?.[name] as ((...a: typeof args) => boolean | undefined) | undefined)?.(...args)) taken = true;
      }
      return taken;
    };

    // ---- connection lifecycle ----------------------------------------------------------------

    /** Start a new connection attempt now, abandoning any retry pending. */
    const startAttempt = () => {
      const id = ++attemptId;
      clearTimer('retry');
      noRetry = opened = false;
      setPhase('resolving', { nextReconnectAt: null });
      const failResolve = (cause: unknown) => {
        if (id !== attemptId) return;
        atOnce(() => {
          report('resolve', `Could not get the URL or sub-protocols: ${describeCause(cause)}`, { cause });
          setPhase('idle');
          afterDisconnect(null);
        });
      };
      resolveSource(
        options.url,
        (url) =>
          id === attemptId &&
          resolveSource(options.protocols, (protocols) => id === attemptId && createSocket(url, protocols), failResolve),
        failResolve,
      );
    };

    const createSocket = (rawUrl: string | URL, rawProtocols: string | readonly string[] | undefined) => {
      const url = resolveWebSocketUrl(rawUrl, { baseUrl: options.baseUrl });
      const protocols = normalizeProtocols(rawProtocols);
      const Socket = socketClass();
      // A check failed or the constructor threw: no retry, the next attempt would fail alike.
      const fail = (error: WebSocketError) => {
        reportError(error);
        setPhase('idle', { nextReconnectAt: null });
      };
      if (!url.ok) return fail(url.error);
      if (!protocols.ok) return fail(protocols.error);
      if (!Socket) return fail(createWebSocketError('connection', 'No WebSocket here: pass the `WebSocket` option.'));
      let ws: WebSocket;
      try {
        ws = protocols.value.length > 0 ? new Socket(url.value, [...protocols.value]) : new Socket(url.value);
      } catch (cause) {
        const name = (cause as { name?: unknown } | null)?.name;
        const kind = name === 'SecurityError' ? 'security' : name === 'SyntaxError' ? 'syntax' : 'connection';
        return fail(createWebSocketError(kind, describeCause(cause), { cause }));
      }
      if (options.binaryType) ws.binaryType = options.binaryType;
      socket = ws;
      offered = protocols.value;
      const mine = () => socket === ws;
      ws.onopen = () => mine() && handleOpen(ws);
      ws.onmessage = (event: MessageEvent) => mine() && handleMessage(event.data as IncomingData);
      ws.onerror = () => {
        if (!mine()) return;
        // Closing a connecting socket on purpose makes the browser fire `error`: not news to the user.
        // A failure the probe will explain is reported once it has.
        if (!userClosed && !probeWanted()) reportFailure();
        // Browsers always follow `error` with `close`; some stand-ins do not. Make sure it comes.
        setTimer('error', 0, () => handleClose(ws, createCloseInfo(1006)));
      };
      ws.onclose = (event: CloseEvent) => handleClose(ws, createCloseInfo(event.code, event.reason, event.wasClean));
      setPhase('connecting', { url: url.value, protocol: '', extensions: '', bufferedAmount: 0 });
    };

    const handleOpen = (ws: WebSocket) => {
      // Stand-ins (mock-socket) may leave these undefined; the snapshot's type promises strings.
      const protocol = ws.protocol ?? '';
      const extensions = ws.extensions ?? '';
      if (offered.length > 0 && (protocol ? !offered.includes(protocol) : (options.requireProtocol ?? true))) {
        noRetry = true;
        refused(`selected ${protocol ? `'${protocol}', not one` : 'none'} of`);
        update({ protocol, extensions });
        return closeSocket(ws, 4001 /* ClientCloseCode.PROTOCOL_NOT_NEGOTIATED */, 'Sub-protocol not negotiated');
      }
      opened = true;
      setPhase('open', { protocol, extensions, error: null });
      hook('open', ws);
      // Queued messages go out before anything an `open` listener sends.
      if (!pending) sampleBuffered();
      emitEvent('open', { url: snapshot.url as string, protocol, extensions });
      if (pending) drainThenClose();
    };

    const handleMessage = (data: IncomingData) => {
      // The browser drops what arrives once it is no longer OPEN; a feature may take a frame (a pong).
      if (phase !== 'open' || hook('frame', data)) return;
      const decoded = decodeFrame<In>(data, options.parse, options.validate);
      if (!decoded.ok) return reportError(decoded.error);
      update({ lastMessage: decoded.value, messageCount: snapshot.messageCount + 1 });
      emitEvent('message', decoded.value, data);
    };

    const reportFailure = () => report('connection', `The WebSocket connection to '${snapshot.url}' failed.`);
    /** A `protocol` error: the server `what` the offered sub-protocols. */
    const refused = (what: string) => report('protocol', `The server ${what} the offered sub-protocols (${offered.join(', ')}).`);
    /**
     * Whether a failed attempt needs the probe: it offered sub-protocols that are required, failed
     * before opening, and was not closed on purpose. Chromium fails a handshake whose server selected
     * none of them exactly as it fails an unreachable server.
     */
    const probeWanted = () => !(opened || userClosed || reopen || noRetry) && offered.length > 0 && (options.requireProtocol ?? true);

    /** `close` of the socket (or of the client, when it never comes). */
    const handleClose = (ws: WebSocket, info: CloseInfo) => {
      // While the probe decides, the attempt is still under way (CONNECTING): it ends when the probe does.
      if (socket !== ws || cancelProbe) return;
      // Every timer of the socket goes with it; a retry belongs to the client.
      for (const name in timers) if (name !== 'retry') clearTimer(name as TimerName);
      if (probeWanted()) {
        try {
          cancelProbe = probeServer(socketClass() as WebSocketConstructor, snapshot.url as string, closeTimeout(), (reachable) => {
            cancelProbe = null;
            if (reachable) refused(`at '${snapshot.url}' is reachable but refused`);
            else if (reachable === false) reportFailure();
            // Decided: no second probe (the next attempt offers them again).
            offered = [];
            handleClose(ws, info);
          });
          return;
        } catch {
          reportFailure();
        }
      }
      // Closed, and what follows (a retry, or not) decided, in one update.
      atOnce(() => {
        socket = null;
        hook('closed');
        const waiters = closeWaiters;
        pending = null;
        closeWaiters = [];
        setPhase('idle', { closeInfo: info, bufferedAmount: 0 });
        for (const resolve of waiters) resolve(info);
        emitEvent('close', info);
        afterDisconnect(info);
      });
    };

    /** After a connection ended or an attempt failed: reopen, let a feature retry, or stay closed. */
    const afterDisconnect = (info: CloseInfo | null) => {
      // A listener may already have reconnected, or closed for good.
      if (disposed || phase !== 'idle') return;
      if (reopen && !userClosed) {
        reopen = false;
        return startAttempt();
      }
      if (userClosed || noRetry || !hook('lost', info, opened)) settle();
    };

    /** Stay closed: no retry. */
    const settle = () => {
      setPhase('idle', { nextReconnectAt: null });
      if (userClosed || refs === 0) hook('stop');
    };

    /**
     * Ask the socket to close (the probe of a failed attempt: cancel it, which ends the attempt); if
     * its `close` event never comes (dead link), end it ourselves.
     */
    const closeSocket = (ws: WebSocket, code: number | undefined, reason: string | undefined) => {
      if (cancelProbe) return cancelProbe();
      setPhase('closing');
      closeWebSocket(ws, code, reason);
      setTimer('closing', closeTimeout(), () => handleClose(ws, createCloseInfo(1006)));
    };

    const drainThenClose = (): void => {
      const ws = socket;
      if (!pending || !ws) return;
      clearTimer('drain');
      const open = phase === 'open';
      if (open) {
        flushable -= sendQueued(outbox, ws, flushable, options.maxBufferedAmount, sendOne);
        sampleBuffered();
      }
      if ((flushable === 0 && (!open || bufferedAmountOf(ws) === 0)) || Date.now() >= pending.deadline) {
        return closeSocket(ws, pending.code, pending.reason);
      }
      setTimer('drain', 25, drainThenClose);
    };

    /** `ws.send(data)`, reporting a failure; returns whether it was sent. */
    const sendOne = (ws: WebSocket, data: OutgoingData) => {
      try {
        ws.send(data);
        return true;
      } catch (cause) {
        report('send', `Could not send: ${describeCause(cause)}`, { data, cause });
        return false;
      }
    };

    /**
     * `bufferedAmount` has no change event: sample it after sends and while it is non-zero, and send
     * what the high-water mark held back as it drains.
     */
    const sampleBuffered = (): void => {
      // During a close, drainThenClose decides what still goes out.
      if (phase === 'open' && !pending) sendQueued(outbox, socket as WebSocket, outbox.length, options.maxBufferedAmount, sendOne);
      const amount = bufferedAmountOf(socket);
      update({ bufferedAmount: amount, queued: outbox.length });
      if (amount > 0 && !timers.buffer) setTimer('buffer', 50, sampleBuffered);
    };

    // ---- features --------------------------------------------------------------------------------

    const context: FeatureContext = {
      options: () => options,
      phase: () => phase,
      socket: () => socket,
      snapshot: () => snapshot,
      update,
      report,
      connect: startAttempt,
      wait(delay) {
        phase = 'waiting';
        clearTimer('retry');
        if (delay !== undefined) setTimer('retry', delay, startAttempt);
      },
      settle,
      drop(ws, info) {
        // Closed before it is let go of, whatever a stand-in thinks of the code.
        closeWebSocket(ws, info.code, info.reason);
        handleClose(ws, info);
      },
    };

    /** Attach the features the options name, replacing those of another kind; see {@link ClientFeature}. */
    const attachFeatures = () => {
      if (disposed) return;
      for (const slot of ['reconnect', 'heartbeat'] as const) {
        const next = options[slot];
        const current = features[slot];
        // The same feature with new options: it reads them from the client's options.
        if (current && next && current.attach === next.attach) continue;
        current?.hooks.detach?.();
        delete features[slot];
        // The feature that was to retry is gone: stay closed rather than wait for nothing.
        if (current && phase === 'waiting') {
          clearTimer('retry');
          settle();
        }
        if (!next) continue;
        // Read only while attached, when `options[slot]` is this feature (or a new value of it).
        const hooks = next.attach(context, () => (options[slot] as ClientFeature).options);
        features[slot] = { attach: next.attach, hooks };
        // Attached to a client already at work: catch up.
        if (started && !userClosed) hooks.start?.();
        if (phase === 'open') hooks.open?.(socket as WebSocket);
      }
    };

    // ---- public methods --------------------------------------------------------------------------

    const send = (data: OutgoingData): SendResult => {
      const flowing = phase === 'open' && !pending;
      if (flowing && outbox.length === 0 && underMark(socket, options.maxBufferedAmount)) {
        if (!sendOne(socket as WebSocket, data)) return 'rejected';
        sampleBuffered();
        return 'sent';
      }
      const max = options.maxQueue ?? 1000;
      if (outbox.length >= max) {
        report('overflow', `The outbox is full (${max} messages): message rejected.`, { data });
        return 'rejected';
      }
      outbox.push(data);
      // Held back by the high-water mark: the buffer poll sends it as the socket drains (and
      // publishes `queued` with `bufferedAmount`).
      if (flowing) sampleBuffered();
      else update({ queued: outbox.length });
      return 'queued';
    };

    const close = (requestedCode?: number, reason?: string): Promise<CloseInfo> => {
      const code = assertValidCloseArguments(requestedCode, reason);
      userClosed = true;
      reopen = false;
      clearTimer('retry');
      hook('stop');
      // A socket exists from `connecting` to `closing` (and while a probe decides): wait for its close.
      if (socket) {
        // Every caller learns how the socket closed; the first starts the draining close.
        const closed = new Promise<CloseInfo>((resolve) => closeWaiters.push(resolve));
        if (!pending && phase !== 'closing') {
          pending = { code, reason, deadline: Date.now() + closeTimeout() };
          flushable = outbox.length;
          // CLOSING at once: the phase is unchanged, but a close is pending.
          setPhase(phase, { reconnectAttempt: 0 });
          drainThenClose();
        }
        return closed;
      }
      // Nothing is connected (idle, resolving, or waiting to retry): cancel what is pending.
      attemptId++;
      setPhase('idle', { nextReconnectAt: null, reconnectAttempt: 0 });
      return Promise.resolve(createCloseInfo(code ?? 1005, reason, true));
    };

    const connect = () => {
      if (disposed) return;
      started = true;
      userClosed = false;
      hook('start');
      if (phase === 'idle') startAttempt();
      else if (phase === 'closing' || pending) reopen = true;
    };

    const setOptions = (patch: Partial<WebSocketClientOptions<In>>) => {
      options = { ...options, ...patch };
      if (patch.binaryType && socket) socket.binaryType = patch.binaryType;
      attachFeatures();
    };

    Object.assign(this, {
      getSnapshot: () => snapshot,
      on: <K extends keyof WebSocketClientEvents<In>>(type: K, listener: WebSocketClientEvents<In>[K]): Unsubscribe => {
        const set = events[type] ?? new Set();
        events[type] = set.add(listener);
        return () => {
          set.delete(listener);
        };
      },
      setOptions,
      setBinaryType: (binaryType: BinaryType) => setOptions({ binaryType }),
      connect,
      acquire: (): Unsubscribe => {
        refs++;
        // Not `phase === 'idle'`: a failed attempt (say, a bad URL) must not be retried by a re-acquire.
        if (!started || userClosed) connect();
        let released = false;
        return () => {
          if (released) return;
          released = true;
          if (--refs > 0) return;
          // Still unused once the microtask runs (StrictMode re-acquires at once): close.
          queueMicrotask(() => {
            if (refs === 0 && !disposed) void close();
          });
        };
      },
      send,
      discardQueued: (filter?: (data: OutgoingData) => boolean): OutgoingData[] => {
        const dropped: OutgoingData[] = [];
        flushable = discardQueued(outbox, dropped, flushable, filter);
        update({ queued: outbox.length });
        return dropped;
      },
      sendJson: (value: Out): SendResult => {
        let text: string | undefined;
        try {
          text = JSON.stringify(value);
        } catch (cause) {
          report('send', `Could not encode as JSON: ${describeCause(cause)}`, { data: value, cause });
          return 'rejected';
        }
        if (text !== undefined) return send(text);
        report('send', 'Could not encode as JSON: it serializes to nothing', { data: value });
        return 'rejected';
      },
      close,
      reconnect: () => {
        if (disposed) return;
        userClosed = false;
        hook('start');
        // No socket (idle, resolving, or waiting to retry): start now.
        if (!socket) return startAttempt();
        reopen = true;
        if (phase !== 'closing' && !pending) closeSocket(socket, 1000, 'Reconnecting');
      },
      dispose: () => {
        if (disposed) return;
        void close();
        disposed = true;
        hook('detach');
        features = {};
        this.listeners.clear();
        events = {};
      },
    });
    attachFeatures();
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
