import { closeWebSocket } from './closeCodes.js';
import type { WebSocketConstructor } from './types.js';

/**
 * What a probe found: `true` the server accepted a connection without sub-protocols, `false` it
 * did not (or not within the timeout), `null` the probe was cancelled.
 */
export type ProbeVerdict = boolean | null;

/**
 * One connection to `url` without sub-protocols, made after a handshake that offered some failed
 * before opening: Chromium fails a handshake whose server selected none of the offered
 * sub-protocols exactly as it fails an unreachable server (error, close 1006), and this tells the
 * two apart.
 *
 * A small state machine: connecting until the socket opens (it is then closed at once with 1000:
 * `opened`, the server is reachable) or fails (unreachable); `finished` once `done` has been called,
 * exactly once: when the probe socket has closed, or `timeout` ms after the start, so that the
 * server never holds two sockets of one client. Returns the function that cancels the probe
 * (`done(null)`). Throws what the constructor throws.
 */
export function probeServer(Socket: WebSocketConstructor, url: string, timeout: number, done: (verdict: ProbeVerdict) => void): () => void {
  let opened = false;
  let finished = false;
  const socket = new Socket(url);
  const finish = (verdict: ProbeVerdict) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    closeWebSocket(socket);
    done(verdict);
  };
  const decide = () => finish(opened);
  const timer = setTimeout(decide, timeout);
  socket.onopen = () => {
    opened = true;
    closeWebSocket(socket, 1000, 'Protocol probe');
  };
  socket.onerror = socket.onclose = decide;
  return () => finish(null);
}
