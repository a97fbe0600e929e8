import { createWebSocketError, type WebSocketError, type WebSocketErrorKind } from './WebSocketError.js';

/** The outcome of a check: the value, or why it failed. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WebSocketError };

/** Options of {@link resolveWebSocketUrl}. */
export interface ResolveUrlOptions {
  /**
   * What relative URLs resolve against, and whose scheme decides mixed content: the page (or
   * worker) URL. Default: `globalThis.location.href` when there is one.
   */
  baseUrl?: string | undefined;
}

/** Hosts browsers trust as loopback (`hostname` is canonical: an IPv4 address has four decimal parts). */
const LOOPBACK_HOST = /^((.+\.)?localhost|127(\.\d+){3}|\[::1\])$/i;

/** The URL of the running page or worker, if this realm has one. */
export function currentLocationHref(): string | undefined {
  const location = (globalThis as { location?: { href?: unknown } }).location;
  return typeof location?.href === 'string' ? location.href : undefined;
}

/**
 * Resolve and check a WebSocket URL the way the `WebSocket` constructor does, without throwing:
 * relative URLs resolve against the base, `http:`/`https:` map to `ws:`/`wss:`, any other scheme
 * or a fragment (even a bare `#`) is a `syntax` error, and a `ws:` URL from an `https:` page is a
 * `security` error (mixed content), except to a loopback host, which browsers trust.
 *
 * @example
 * ```ts
 * resolveWebSocketUrl('/chat', { baseUrl: 'https://example.com/app' });
 * // { ok: true, value: 'wss://example.com/chat' }
 * ```
 */
export function resolveWebSocketUrl(input: string | URL, options: ResolveUrlOptions = {}): Checked<string> {
  const base = options.baseUrl ?? currentLocationHref();
  const text = String(input);
  let url: URL;
  try {
    url = new URL(text, base);
  } catch (cause) {
    const looksRelative = !/^[a-z][a-z\d+.-]*:/i.test(text);
    const hint = base === undefined && looksRelative ? ' (relative URLs need a base URL)' : '';
    return failure('syntax', `Invalid URL '${text}'${hint}.`, { cause });
  }
  // ws: and wss: as they are, http: and https: mapped to them; any other scheme is refused.
  const scheme = url.protocol.replace('http', 'ws');
  if (scheme !== 'ws:' && scheme !== 'wss:')
    return failure('syntax', `Invalid URL scheme '${url.protocol.slice(0, -1)}': use ws, wss, http or https.`);
  url.protocol = scheme;
  // The URL API drops an empty fragment from `hash` but keeps the '#' in `href`.
  if (url.href.includes('#')) {
    return failure('syntax', `A WebSocket URL may not have a fragment ('${url.hash || '#'}').`);
  }
  if (scheme === 'ws:' && /^https:/i.test(base ?? '') && !LOOPBACK_HOST.test(url.hostname)) {
    return failure('security', `Mixed content: use wss: for '${url.href}' from an HTTPS page.`);
  }
  return { ok: true, value: url.href };
}

/** Whether `value` is a valid sub-protocol name: an RFC 7230 token (U+0021..U+007E but the separators `()<>@,;:\\"/[]?={}`). */
export function isProtocolToken(value: string): boolean {
  return /^[\w!#$%&'*+.^`|~-]+$/.test(value);
}

/**
 * Normalize and check sub-protocols as the `WebSocket` constructor does: one string or an array,
 * each a token, none repeated. `undefined` means none.
 */
export function normalizeProtocols(protocols: string | readonly string[] | undefined): Checked<readonly string[]> {
  // One string, or a copy of the array: flat() opens one level.
  const list: string[] = [protocols ?? []].flat();
  const seen = new Set<string>();
  for (const protocol of list) {
    if (typeof protocol !== 'string' || !isProtocolToken(protocol)) {
      return failure('syntax', `Invalid sub-protocol '${String(protocol)}': use a token (no spaces or separators).`);
    }
    if (seen.has(protocol)) {
      return failure('syntax', `Duplicate sub-protocol '${protocol}'.`);
    }
    seen.add(protocol);
  }
  return { ok: true, value: Object.freeze(list) };
}

/** A failed {@link Checked}: a {@link WebSocketError} of `kind`. Internal to the core. */
export function failure(kind: WebSocketErrorKind, message: string, extra?: { data?: unknown; cause?: unknown }): Checked<never> {
  return { ok: false, error: createWebSocketError(kind, message, extra) };
}
