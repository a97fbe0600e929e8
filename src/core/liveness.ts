import type { CloseInfo } from './CloseInfo.js';
import { createCloseInfo } from './CloseInfo.js';
import { attachHeartbeat, type HeartbeatOptions } from './heartbeat.js';
import { browserNetwork } from './network.js';
import type { ClientFeature, FeatureContext, FeatureHooks } from './types.js';
import { describeCause } from './WebSocketError.js';

/** A heartbeat that also checks the connection at once when the host says it may have died, and renews expired credentials. */
export interface LivenessOptions extends HeartbeatOptions {
  /**
   * How long a check waits for any frame after its ping before it drops the connection. Default
   * 750 ms, or three times the browser's estimate of the round trip (`navigator.connection.rtt`,
   * Chromium) when that is longer; never more than `timeout`.
   */
  checkTimeout?: number;
  /** Close codes that say the credentials expired or were refused. Default `[4401]`. */
  authCodes?: readonly number[];
  /**
   * Asked for fresh credentials after a close with one of `authCodes`, before the kit reconnects at
   * once (`url` and `protocols`, if functions, are called again for that attempt: read the new
   * credentials there). May return a promise; if it throws or rejects, an `auth` error is reported
   * and the client stays closed. Default: none (the next attempt just calls `url` again).
   */
  refresh?: (close: CloseInfo) => unknown;
}

/** A timer that fires this much later than asked means the host slept (or the clock jumped). */
const WAKE_TICK = 5000;
/** After a refresh, a second credentials close within this long is a refusal, not an expiry. */
const REFUSED_WITHIN = 5000;
/** The reference server ignores a ping that comes sooner than this after the last one it answered. */
const PING_SPACING = 400;

/**
 * Liveness, for the client's `heartbeat` option: everything `heartbeat()` does, plus a check at once
 * (a ping; no frame within `checkTimeout`: a `heartbeat` error and close 4000, then a new connection
 * at once) when the page becomes visible again (`visibilitychange`, and `resume` after a frozen
 * page), when the host says it is back online, and when a timer fires far later than it was set for
 * (a wake from sleep). While waiting to retry, the same events connect at once and reset the
 * backoff. A close with one of `authCodes` (default 4401) asks `refresh` for fresh credentials and
 * reconnects at once; the outbox is kept across the sockets.
 *
 * It pings like `heartbeat()`, so it needs a server that answers pings (the reference server); with
 * the client's `pings` option false it sends none and keeps the rest (credentials, reconnects at
 * once). `<ChatProvider heartbeat={liveness()}>` attaches it from the first connection on, and lets
 * it ping only once the server announced the protocol extension. It works wherever the client does:
 * without `document` (a worker, Node) it watches the network and the clock only.
 *
 * @example
 * ```ts
 * new WebSocketClient({
 *   url: () => `wss://chat.example/ws?token=${token}`,
 *   reconnect: autoReconnect(),
 *   heartbeat: liveness({ refresh: async () => (token = await fetchToken()) }),
 * });
 * ```
 */
export function liveness(options: LivenessOptions = {}): ClientFeature<LivenessOptions> {
  return { options, attach: attachLiveness };
}

function attachLiveness(client: FeatureContext, latest: () => LivenessOptions): FeatureHooks {
  const beat = attachHeartbeat(client, latest);
  let watching: (() => void)[] = [];
  let checkTimer: ReturnType<typeof setTimeout> | undefined;
  let wakeTimer: ReturnType<typeof setTimeout> | undefined;
  /** The socket a check waits on, if any; `pinged`: its ping went out (only a frame after it answers). */
  let checking: WebSocket | null = null;
  let pinged = false;
  let lastPongAt = Number.NEGATIVE_INFINITY;
  /** Set while this feature drops a socket, so that its `lost` knows the loss is its own. */
  let dropping = false;
  /** Bumped to cancel a reconnect or refresh under way (stop, detach, a newer one). */
  let generation = 0;
  let refreshing = false;
  let refreshedAt = Number.NEGATIVE_INFINITY;

  const network = () => client.options().network ?? browserNetwork;
  const endCheck = () => {
    clearTimeout(checkTimer);
    checking = null;
  };

  /** The host says the connection may have died: prove it alive, or replace it. */
  const check = () => {
    const phase = client.phase();
    if (refreshing) return;
    if (phase !== 'open' && phase !== 'closing' && phase !== 'idle') {
      // Waiting to retry: go now. An attempt under way (maybe started by `autoReconnect` for the
      // same `online` event): let it be the first of a new series, so the backoff starts over.
      client.update({ reconnectAttempt: 0 });
      if (phase === 'waiting' && network().isOnline()) client.connect();
      return;
    }
    const socket = client.socket();
    // An open connection is checked with a ping: only on a server known to answer pings.
    if (phase !== 'open' || !socket || checking === socket || client.options().pings === false) return;
    checking = socket;
    pinged = false;
    // The reference server answers one ping per PING_SPACING ms: one sent sooner after the last pong
    // would go unanswered, and look like a dead link.
    checkTimer = setTimeout(ping, lastPongAt + PING_SPACING - Date.now(), socket);
  };

  /** The check's ping; no frame at all within the timeout: the link is dead. */
  const ping = (socket: WebSocket) => {
    const { message = 'ping', checkTimeout = 750, timeout = 10_000 } = latest();
    const rtt = (globalThis as { navigator?: { connection?: { rtt?: number } } }).navigator?.connection?.rtt ?? 0;
    const wait = Math.min(Math.max(checkTimeout, 3 * rtt), timeout);
    pinged = true;
    try {
      socket.send(typeof message === 'function' ? message() : message);
    } catch {
      // A failing send means the socket is going away; its close event will follow.
    }
    checkTimer = setTimeout(() => {
      if (client.socket() !== socket || checking !== socket) return;
      checking = null;
      client.report('heartbeat', `No reply within ${wait} ms of a liveness check: the connection is presumed dead.`);
      dropping = true;
      client.drop(socket, createCloseInfo(4000 /* ClientCloseCode.HEARTBEAT_TIMEOUT */, 'Heartbeat timeout'));
      dropping = false;
    }, wait);
  };

  /** A timer every WAKE_TICK ms while open; one that comes much later than due means the host slept. */
  const tickWake = (due: number) => {
    const late = Date.now() - due;
    wakeTimer = setTimeout(tickWake, WAKE_TICK, Date.now() + WAKE_TICK);
    if (late > WAKE_TICK) check();
  };

  const watch = () => {
    if (watching.length > 0) return;
    const doc = (globalThis as { document?: Document }).document;
    if (typeof doc?.addEventListener === 'function') {
      const visible = () => doc.visibilityState !== 'hidden' && check();
      doc.addEventListener('visibilitychange', visible);
      // A page the browser froze (a background tab on Android) gets `resume`, maybe without `visibilitychange`.
      doc.addEventListener('resume', visible);
      watching.push(() => {
        doc.removeEventListener('visibilitychange', visible);
        doc.removeEventListener('resume', visible);
      });
    }
    watching.push(network().subscribe((online) => online && check()));
  };

  const stop = () => {
    for (const unwatch of watching) unwatch();
    watching = [];
    generation++;
    refreshing = false;
  };

  /** After a loss this feature takes over: refresh the credentials if asked, then connect at once. */
  const takeOver = (auth: CloseInfo | null) => {
    client.wait();
    client.update({ nextReconnectAt: null });
    const mine = ++generation;
    refreshing = auth !== null;
    new Promise((resolve) => resolve(auth && latest().refresh?.(auth))).then(
      () => {
        if (mine !== generation) return;
        refreshing = false;
        if (auth) refreshedAt = Date.now();
        // A new series of attempts: the backoff starts over.
        if (client.phase() === 'waiting') {
          client.update({ reconnectAttempt: 0 });
          client.connect();
        }
      },
      (cause: unknown) => {
        if (mine !== generation) return;
        refreshing = false;
        client.report('auth', `Could not refresh the credentials: ${describeCause(cause)}`, { cause });
        client.settle();
      },
    );
  };

  const clearTimers = () => {
    endCheck();
    clearTimeout(wakeTimer);
  };

  return {
    start: watch,
    stop,
    open(socket) {
      lastPongAt = Number.NEGATIVE_INFINITY;
      beat.open?.(socket);
      clearTimeout(wakeTimer);
      tickWake(Date.now());
    },
    frame(data) {
      // Any frame after the check's ping answers it: the link is alive. (One before it does not end
      // the check: every check pings once, whatever else arrives.)
      if (checking && pinged) endCheck();
      const pong = beat.frame?.(data) ?? false;
      if (pong) lastPongAt = Date.now();
      return pong;
    },
    closed() {
      beat.closed?.();
      clearTimers();
    },
    lost(info) {
      const auth = info !== null && (latest().authCodes ?? [4401]).includes(info.code);
      if (auth && Date.now() - refreshedAt < REFUSED_WITHIN) {
        // Refused again right after a refresh: not an expiry. Back to the reconnect policy.
        client.report('auth', `The server refused the fresh credentials (close ${info?.code}).`);
        return false;
      }
      if (!auth && !dropping) return false;
      takeOver(auth ? info : null);
      return true;
    },
    detach() {
      beat.detach?.();
      stop();
      clearTimers();
    },
  };
}
