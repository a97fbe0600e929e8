'use client';

import { useEffect, useMemo, useReducer, useRef, type ComponentPropsWithoutRef } from 'react';
import type { ReadyState } from '../core/index.js';
import { cx } from './cx.js';
import { useChatContext } from './ChatProvider.js';
import { useChatStatus } from './useChat.js';

/** What {@link ConnectionStatus} shows, also its root's `data-state`. */
export type ConnectionStatusState = 'connecting' | 'open' | 'closing' | 'reconnecting' | 'offline' | 'closed';

/** Props of {@link ConnectionStatus}. The rest go to the root `<div role="status">`. */
export interface ConnectionStatusProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children' | 'role'> {
  /** Class of the root (`rwc-connection-status`), added to the default one. */
  className?: string;
  /** Class of the state text (`rwc-connection-status__text`). */
  textClassName?: string;
  /** Class of the error text (`rwc-connection-status__error`). */
  errorClassName?: string;
  /** Class of the "Retry now" / "Reconnect" button (`rwc-connection-status__action`). */
  buttonClassName?: string;
}

/**
 * The connection's state as a sentence, in a `role="status"` live region: connecting, connected,
 * disconnecting, "reconnecting in N s (attempt A)" (counting down once a second), offline (waiting
 * for the network), or disconnected for good (`strings.disconnected(code)`: why, by the close
 * code). From a lost connection until the next one opens it never reads disconnected: while a
 * retry's attempt is under way `data-state` stays `reconnecting` and the text is `strings.connecting`.
 *
 * After a connection was lost or an attempt failed, a button offers a way back: `strings.retryNow`
 * while a retry is pending, under way or waiting for the network, `strings.reconnect` once
 * disconnected for good. It connects at once, and the backoff starts over.
 *
 * The latest connection error is shown (`__error`) only once disconnected for good, where it says
 * why; while a retry is planned it is the root's `title`, not shouted at the user.
 *
 * The countdown is shown without being announced every second: assistive technology hears the
 * sentence once, when waiting starts or the attempt changes. The sentence has `dir="auto"`: its own
 * direction, numbers included, in a page of either direction.
 *
 * Parts: `rwc-connection-status` (root, `data-state`: connecting | open | closing | reconnecting |
 * offline | closed), `__text`, `__error` (`data-error-kind`), `__action`.
 *
 * @example
 * ```tsx
 * <ChatProvider url="wss://chat.example.com" username="ada">
 *   <ConnectionStatus />
 * </ChatProvider>
 * ```
 */
export function ConnectionStatus({ className, textClassName, errorClassName, buttonClassName, ...rest }: ConnectionStatusProps) {
  const { readyState, nextReconnectAt, online, reconnectAttempt, closeInfo, error } = useChatStatus();
  const { client, strings } = useChatContext();
  const state = connectionState(readyState, nextReconnectAt, online, reconnectAttempt);
  const closed = state === 'closed';
  // Null while a retry's attempt is under way: there is nothing to count down.
  const waitingUntil = state === 'reconnecting' ? nextReconnectAt : null;
  useSecondTicks(waitingUntil);
  const root = useRef<HTMLDivElement>(null);

  // The sentence announced once per wait (a wait is one attempt); the visible countdown updates apart from it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: computed when the wait starts, not on every tick
  const announced = useMemo(
    () => (waitingUntil === null ? null : strings.reconnecting(secondsUntil(waitingUntil), reconnectAttempt)),
    [waitingUntil, strings],
  );

  const text = closed
    ? // An error (shown below) explains the close better than the code does: a refused
      // sub-protocol, for one, ends as a plain 1006 in the browser.
      strings.disconnected(error || !closeInfo ? null : closeInfo.code)
    : waitingUntil !== null
      ? strings.reconnecting(secondsUntil(waitingUntil), reconnectAttempt)
      : // The retry's attempt under way says what it does ("Connecting…"), not "reconnecting in 0 s".
        strings[state === 'open' ? 'connected' : state === 'reconnecting' ? 'connecting' : state];

  return (
    <div
      tabIndex={-1}
      {...rest}
      ref={root}
      role="status"
      className={cx('rwc-connection-status', className)}
      data-state={state}
      title={error?.message}
    >
      {/* While counting down, the ticking text is hidden from assistive technology and the sentence
          it hears instead changes only when the wait or the attempt does. */}
      <span dir="auto" className={cx('rwc-connection-status__text', textClassName)} aria-hidden={announced === null ? undefined : 'true'}>
        {text}
      </span>
      {announced !== null && (
        <span dir="auto" className="rwc-visually-hidden">
          {announced}
        </span>
      )}
      {closed && error && (
        <>
          {' '}
          <span dir="auto" className={cx('rwc-connection-status__error', errorClassName)} data-error-kind={error.kind}>
            {strings.error(error.message)}
          </span>
        </>
      )}
      {/* Not on the first attempt, nor while open: only once something went wrong. */}
      {client && readyState !== 1 && (closeInfo || error) && (
        <>
          {' '}
          <button
            type="button"
            className={cx('rwc-connection-status__action', buttonClassName)}
            // The button goes once the connection is back: focus on it moves to the status (read
            // "Connected") rather than falling to the page's body. (Detached on every render too, so
            // only a button gone from the document hands it on.)
            ref={(button) => () => {
              if (button && document.activeElement === button) queueMicrotask(() => button.isConnected || root.current?.focus());
            }}
            onClick={() => {
              // close() starts the count (so the backoff) over and cancels a pending retry; connect() then
              // attempts at once (after the attempt under way, if any, has closed).
              void client.close();
              client.connect();
            }}
          >
            {closed ? strings.reconnect : strings.retryNow}
          </button>
        </>
      )}
    </div>
  );
}

/**
 * The state shown for a connection snapshot: open and closing as the ready state says; an attempt
 * under way is "connecting", or "reconnecting" when it is a retry after a lost connection
 * (`reconnectAttempt` > 0); closed with a retry scheduled is "reconnecting"; closed while the host
 * is offline (retries wait for the network) is "offline"; otherwise "closed". So while a retry is
 * pending or under way the state never reads "closed".
 */
export function connectionState(
  readyState: ReadyState,
  nextReconnectAt: number | null,
  online: boolean,
  reconnectAttempt = 0,
): ConnectionStatusState {
  // ReadyState's values as literals (OPEN 1, CLOSING 2, CONNECTING 0): a property read would bundle the object.
  if (readyState === 1) return 'open';
  if (readyState === 2) return 'closing';
  // An attempt under way is (re)connecting, whatever the host believes about the network.
  if (readyState === 0) return reconnectAttempt > 0 ? 'reconnecting' : 'connecting';
  if (nextReconnectAt !== null) return 'reconnecting';
  return online ? 'closed' : 'offline';
}

/** Whole seconds until `at`, rounded up, never negative. */
function secondsUntil(at: number): number {
  return Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * Re-render once a second while waiting until `until` (null: not waiting), on the moments the
 * rounded-up seconds change. The timers exist only while waiting.
 */
function useSecondTicks(until: number | null): void {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (until === null) return;
    let interval: ReturnType<typeof setInterval> | undefined;
    // The displayed number drops when the time left crosses a whole second: align the ticks to that.
    const first = setTimeout(
      () => {
        tick();
        interval = setInterval(tick, 1000);
      },
      (((until - Date.now()) % 1000) + 1000) % 1000 || 1000,
    );
    return () => {
      clearTimeout(first);
      if (interval !== undefined) clearInterval(interval);
    };
  }, [until]);
}
