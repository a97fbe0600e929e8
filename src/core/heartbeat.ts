import type { ClientCloseCode } from './closeCodes.js';
import { createCloseInfo } from './CloseInfo.js';
import type { ClientFeature, FeatureContext, FeatureHooks, IncomingData, OutgoingData } from './types.js';

/** Detect a dead link by sending a ping when the line is quiet and expecting something back. */
export interface HeartbeatOptions {
  /** Send a ping after this long without any incoming message. Default 30 000. */
  interval?: number;
  /** Drop the connection if nothing arrives this long after a ping. Default 10 000. */
  timeout?: number;
  /** The ping to send. Default `'ping'`, the text frame the kit's reference server answers with `pong`. */
  message?: OutgoingData | (() => OutgoingData);
  /**
   * Frames for which this returns true are heartbeat replies: they count as traffic but are neither
   * parsed nor delivered. Default: the text frame `'pong'` (the reference server's answer).
   */
  isPong?: (data: IncomingData) => boolean;
}

/**
 * A heartbeat, for the client's `heartbeat` option: after `interval` ms without any incoming frame
 * it sends `message`; if nothing arrives within `timeout` ms after that, the link is presumed dead:
 * a `heartbeat` error, and the connection ends at once with close code 4000
 * ({@link ClientCloseCode.HEARTBEAT_TIMEOUT}), which `autoReconnect` retries.
 *
 * The defaults speak the kit's protocol extension: the text frame `ping`, answered by the reference
 * server with `pong`, which is taken here and never delivered. A server that does not answer pings
 * (MDN's sample chat server, which even crashes on a frame that is not JSON) must not get them:
 * with the client's `pings` option false, none is sent; `<ChatProvider heartbeat>` sets it so on a
 * server that did not announce the extension.
 *
 * @example
 * ```ts
 * new WebSocketClient({ url, heartbeat: heartbeat({ interval: 20_000 }) });
 * ```
 */
export function heartbeat(options: HeartbeatOptions = {}): ClientFeature<HeartbeatOptions> {
  return { options, attach: attachHeartbeat };
}

/** The heartbeat's hooks on `client`; also the base of `liveness()`, which adds checks on events. */
export function attachHeartbeat(client: FeatureContext, latest: () => HeartbeatOptions): FeatureHooks {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastReceivedAt = 0;
  const stop = () => clearTimeout(timer);

  const tick = (socket: WebSocket) => {
    if (client.socket() !== socket || client.phase() !== 'open') return;
    const { interval = 30_000, timeout = 10_000, message = 'ping' } = latest();
    const quietFor = Date.now() - lastReceivedAt;
    // Not quiet for long enough, or a server not known to answer pings (the `pings` option): look again later.
    if (quietFor < interval || client.options().pings === false) {
      timer = setTimeout(tick, quietFor < interval ? interval - quietFor : interval, socket);
      return;
    }
    const pingSentAt = Date.now();
    try {
      socket.send(typeof message === 'function' ? message() : message);
    } catch {
      // A failing send means the socket is going away; its close event will follow.
    }
    timer = setTimeout(() => {
      if (client.socket() !== socket) return;
      if (lastReceivedAt >= pingSentAt) return tick(socket);
      client.report('heartbeat', `No reply to the heartbeat within ${timeout} ms: the connection is presumed dead.`);
      // Do not wait for a close handshake a dead link will never complete.
      client.drop(socket, createCloseInfo(4000 /* ClientCloseCode.HEARTBEAT_TIMEOUT */, 'Heartbeat timeout'));
    }, timeout);
  };

  return {
    open(socket) {
      lastReceivedAt = Date.now();
      stop();
      timer = setTimeout(tick, latest().interval ?? 30_000, socket);
    },
    frame(data) {
      lastReceivedAt = Date.now();
      return (latest().isPong ?? isPong)(data);
    },
    closed: stop,
    detach: stop,
  };
}

const isPong = (data: IncomingData): boolean => data === 'pong';
