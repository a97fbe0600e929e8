import { backoffDelay, type BackoffOptions } from './backoff.js';
import { NO_RECONNECT_CODES } from './closeCodes.js';
import type { CloseInfo } from './CloseInfo.js';
import type { ClientFeature, FeatureContext, FeatureHooks } from './types.js';
import { browserNetwork } from './network.js';
import type { Unsubscribe } from './Subscribable.js';

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
 * fault or the server ended normally, and a pause while the host is offline (the client's `network`
 * option). A failed attempt is retried whatever its code, including one the client found refused
 * its sub-protocols by probing (Chromium does not say so, and a server that refuses only some
 * handshakes looks the same); a server seen to select none of them (close 4001) is not retried.
 * Keeps the snapshot's `reconnectAttempt`, `nextReconnectAt` and `online`.
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

  const stop = () => {
    unwatch?.();
    unwatch = null;
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
    open() {
      stable = setTimeout(() => client.update({ reconnectAttempt: 0 }), latest().resetAfter ?? 5000);
    },
    closed: () => clearTimeout(stable),
    lost(info, opened) {
      retryOrSettle(info, opened);
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
