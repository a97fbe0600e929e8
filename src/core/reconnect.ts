import { backoffDelay, type BackoffOptions } from './backoff.js';
import { NO_RECONNECT_CODES } from './closeCodes.js';
import type { CloseInfo } from './CloseInfo.js';
import type { ClientFeature, FeatureContext, FeatureHooks } from './feature.js';
import { browserNetwork } from './network.js';
import { ReadyState } from './readyState.js';
import type { Unsubscribe } from './Subscribable.js';
import type { WebSocketConstructor } from './WebSocketClient.js';

/** When and how to reconnect after the connection is lost. All times in milliseconds. */
export interface ReconnectOptions extends BackoffOptions {
  /** Give up after this many attempts in a row. Default: never give up. */
  maxAttempts?: number;
  /** The attempt count resets once a connection has stayed open this long. Default 5000. */
  resetAfter?: number;
  /**
   * Decide whether to retry after a close (`attempt` is the number of the retry being considered,
   * from 1). Default: retry unless the close code says the client was at fault or the server ended
   * normally ({@link NO_RECONNECT_CODES}). Only asked after a connection that had opened: a failed
   * attempt is retried whatever its code.
   */
  shouldReconnect?: (close: CloseInfo, attempt: number) => boolean;
  /** Source of randomness for the jitter, in `[0, 1)`. Default `Math.random`. */
  random?: () => number;
}

/**
 * Reconnect after the connection is lost, for the client's `reconnect` option: truncated
 * exponential backoff with full jitter, no retry after a close code that says the client was at
 * fault or the server ended normally, a pause while the host is offline (the client's `network`
 * option), and, when a handshake with sub-protocols fails, a probe without them that tells a
 * refused negotiation from an unreachable server. Keeps the snapshot's `reconnectAttempt`,
 * `nextReconnectAt` and `online`.
 *
 * @example
 * ```ts
 * new WebSocketClient({ url, reconnect: autoReconnect({ maxDelay: 10_000, maxAttempts: 20 }) });
 * ```
 */
export function autoReconnect(options: ReconnectOptions = {}): ClientFeature<ReconnectOptions> {
  return { options, attach: attachReconnect };
}

function attachReconnect(client: FeatureContext, latest: () => ReconnectOptions): FeatureHooks {
  let unwatch: Unsubscribe | null = null;
  let stable: ReturnType<typeof setTimeout> | undefined;
  /** Abandons the probe under way (or the retry it scheduled), if any. */
  let cancelProbe: (() => void) | null = null;
  /** Probes in a row that connected while the handshake with sub-protocols failed. */
  let probeSuccesses = 0;

  const stopProbe = () => {
    cancelProbe?.();
    cancelProbe = null;
  };
  const stop = () => {
    unwatch?.();
    unwatch = null;
    stopProbe();
    probeSuccesses = 0;
  };

  /** Retry after a delay, or stay closed. */
  const retryOrSettle = (info: CloseInfo | null, opened: boolean) => {
    const options = latest();
    const attempt = client.snapshot().reconnectAttempt + 1;
    // A close before the handshake completed is a failed attempt whatever code it carries.
    if (attempt > (options.maxAttempts ?? Infinity) || (info && opened && !(options.shouldReconnect ?? defaultPolicy)(info, attempt))) {
      return client.settle();
    }
    const online = (client.options().network ?? browserNetwork).isOnline();
    const delay = online ? backoffDelay(attempt, options, options.random) : undefined;
    client.wait(delay);
    client.update({ reconnectAttempt: attempt, nextReconnectAt: online ? Date.now() + (delay as number) : null, online });
  };

  /**
   * Chromium fails the whole handshake when the server selects none of the offered sub-protocols,
   * and tells scripts no more than "error, close 1006", exactly as for an unreachable server.
   * After such a failure, a connection without sub-protocols tells the two apart. It must succeed
   * twice in a row, with a failed real attempt in between, before the failure is called a protocol
   * refusal: once could be a server that came back while the real attempt was failing.
   */
  const probeProtocols = (info: CloseInfo): boolean => {
    const { url } = client.snapshot();
    const offered = client.offered();
    const Socket = client.options().WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!offered.length || !(client.options().requireProtocol ?? true) || !url || !Socket) return false;
    let socket: WebSocket;
    try {
      socket = new Socket(url);
    } catch {
      return false;
    }
    client.wait();
    const timeout = client.options().closeTimeout ?? 5000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const quit = () => {
      clearTimeout(timer);
      try {
        socket.close(1000, 'Protocol probe');
      } catch {
        // Already closed: nothing to do.
      }
    };
    cancelProbe = () => {
      live = false;
      quit();
    };
    const finish = (reachable: boolean) => {
      if (!live) return;
      live = false;
      quit();
      cancelProbe = null;
      if (reachable && ++probeSuccesses < 2) {
        // Reachable now: try the real handshake again without backoff, once the probe has closed,
        // so that the server never sees two sockets of this client at once.
        let pending = true;
        const retry = () => {
          if (!pending) return;
          pending = false;
          clearTimeout(timer);
          cancelProbe = null;
          client.connect();
        };
        cancelProbe = () => {
          pending = false;
          clearTimeout(timer);
        };
        if (socket.readyState === ReadyState.CLOSED) return retry();
        socket.onclose = retry;
        timer = setTimeout(retry, timeout);
        return;
      }
      if (reachable) {
        client.report(
          'protocol',
          `The server at '${url}' is reachable but selected none of the offered sub-protocols (${offered.join(', ')}).`,
        );
        return client.settle();
      }
      retryOrSettle(info, false);
    };
    socket.onopen = () => finish(true);
    socket.onerror = socket.onclose = () => finish(false);
    timer = setTimeout(() => finish(false), timeout);
    return true;
  };

  return {
    start() {
      if (unwatch) return;
      const network = client.options().network ?? browserNetwork;
      client.update({ online: network.isOnline() });
      unwatch = network.subscribe((online) => {
        client.update({ online });
        if (client.phase() !== 'waiting') return;
        if (online) client.connect();
        else {
          client.wait();
          client.update({ nextReconnectAt: null });
        }
      });
    },
    stop,
    cancel: stopProbe,
    open() {
      probeSuccesses = 0;
      stable = setTimeout(() => client.update({ reconnectAttempt: 0 }), latest().resetAfter ?? 5000);
    },
    closed: () => clearTimeout(stable),
    lost(info, opened) {
      if (!(info && !opened && probeProtocols(info))) retryOrSettle(info, opened);
      return true;
    },
    detach() {
      stop();
      clearTimeout(stable);
      // What it kept in the snapshot no longer holds without it.
      client.update({ online: true, reconnectAttempt: 0, nextReconnectAt: null });
    },
  };
}

/** The default policy: retry unless the close code is one of {@link NO_RECONNECT_CODES}. */
function defaultPolicy(info: CloseInfo): boolean {
  return !NO_RECONNECT_CODES.includes(info.code);
}
