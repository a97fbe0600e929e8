/** How reconnect delays grow. All times in milliseconds. */
export interface BackoffOptions {
  /** Upper bound of the first delay. Default 1000. */
  initialDelay?: number;
  /** No delay is ever longer than this. Default 30 000. */
  maxDelay?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
}

/** The defaults of {@link BackoffOptions}. */
export const DEFAULT_BACKOFF: Readonly<Required<BackoffOptions>> = Object.freeze({
  initialDelay: 1000,
  maxDelay: 30_000,
  factor: 2,
});

/**
 * The largest delay before reconnect attempt `attempt` (1 for the first):
 * `min(maxDelay, initialDelay * factor ** (attempt - 1))`, the truncated exponential backoff of
 * RFC 6455 section 7.2.3.
 */
export function backoffCeiling(attempt: number, options: BackoffOptions = {}): number {
  // `??` rather than a spread, so that an option explicitly set to undefined means the default.
  const initialDelay = options.initialDelay ?? DEFAULT_BACKOFF.initialDelay;
  const maxDelay = options.maxDelay ?? DEFAULT_BACKOFF.maxDelay;
  const factor = options.factor ?? DEFAULT_BACKOFF.factor;
  if (initialDelay <= 0 || maxDelay <= 0) return 0;
  const grown = initialDelay * Math.pow(factor, Math.max(0, attempt - 1));
  // `!(x < max)` also catches Infinity and NaN from a very large attempt count.
  return !(grown < maxDelay) ? maxDelay : grown;
}

/**
 * A random delay before reconnect attempt `attempt`, drawn uniformly from `[0, ceiling)` ("full
 * jitter"), so that clients dropped together by a server restart do not return together.
 *
 * @param random - a source of numbers in `[0, 1)`; inject one for reproducible tests.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeiling(attempt, options));
}
