// The readiness endpoint (`GET`/`HEAD /ready`): whether this node can serve new connections, for
// load balancers and orchestrators. Pure but for the response it writes; the server passes its state in.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The path a load balancer probes. */
export const READY_PATH = '/ready';

/** What the server knows about itself when asked. */
export interface ReadinessState {
  /** `close()` was called: no new connection is served. */
  readonly closing: boolean;
  /** `'none'`: in-memory room; otherwise whether Redis is reachable now. */
  readonly redis: 'none' | 'connected' | 'lost';
}

/** The JSON body of `/ready`, and its status (200 or 503). */
export interface Readiness {
  readonly status: 200 | 503;
  readonly body:
    | { readonly ready: true; readonly redis: 'none' | 'connected' }
    | { readonly ready: false; readonly reason: 'closing' | 'redis-unavailable'; readonly redis: ReadinessState['redis'] };
}

/** Whether a node in `state` can serve a new connection; closing wins over Redis (it will not come back). */
export function readiness(state: ReadinessState): Readiness {
  if (state.closing) return { status: 503, body: { ready: false, reason: 'closing', redis: state.redis } };
  if (state.redis === 'lost') return { status: 503, body: { ready: false, reason: 'redis-unavailable', redis: state.redis } };
  return { status: 200, body: { ready: true, redis: state.redis } };
}

/**
 * Answer `request` if it is for `/ready` (any query string): `GET` and `HEAD` (same status and headers,
 * no body: load balancers use both), other methods 405. Returns false for every other path, which the
 * caller answers as before.
 */
export function answerReadiness(request: IncomingMessage, response: ServerResponse, state: ReadinessState): boolean {
  if (request.url?.split('?', 1)[0] !== READY_PATH) return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD', 'Cache-Control': 'no-store' });
    response.end();
    return true;
  }
  const { status, body } = readiness(state);
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : text);
  return true;
}
