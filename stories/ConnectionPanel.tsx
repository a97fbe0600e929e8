import { useEffect, useId, useReducer, useState, type ReactNode } from 'react';
import { closeCodeMeaning, readyStateName, useWebSocket, type UseWebSocketOptions, type WebSocketUrl } from '../src/index.js';

/** Props of {@link ConnectionPanel}. */
export interface ConnectionPanelProps {
  /** Where to connect (a URL, a sync or async function giving one, or null). */
  url: WebSocketUrl;
  /** Options passed to `useWebSocket` as they are. */
  options?: UseWebSocketOptions;
  /** The panel's heading. */
  title: string;
  /** The code the Close button closes with. Default 1000. */
  closeCode?: number;
  /** The reason the Close button closes with. Default 'Done'. */
  closeReason?: string;
}

/**
 * A demo of `useWebSocket`: everything the hook returns, as text, and buttons for its actions.
 * Each value is a `<dd>` named by its `<dt>` (query it as `getByRole('definition', { name })`);
 * the state line is a `status`, the latest error an `alert`.
 */
export function ConnectionPanel({ url, options, title, closeCode = 1000, closeReason = 'Done' }: ConnectionPanelProps) {
  const ws = useWebSocket(url, options);
  const [draft, setDraft] = useState('{"type":"hello"}');
  const id = useId();
  const headingId = `${id}-title`;
  const inputId = `${id}-message`;
  const secondsLeft = useSecondsUntil(ws.nextReconnectAt);
  const { closeInfo, error } = ws;

  const field = (name: string, value: ReactNode) => {
    const termId = `${id}-${name.replace(/\W+/g, '-')}`;
    return (
      <>
        <dt id={termId}>{name}</dt>
        {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: the definition role takes a name (ARIA 1.2); stories find values by it */}
        <dd aria-labelledby={termId}>{value}</dd>
      </>
    );
  };

  return (
    <section aria-labelledby={headingId} style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 560 }}>
      <h2 id={headingId}>{title}</h2>
      <p role="status">
        State: <strong>{readyStateName(ws.readyState)}</strong>
      </p>
      {error && (
        <p role="alert" style={{ color: '#a00' }}>
          Error ({error.kind}): {error.message}
        </p>
      )}
      <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 16px' }}>
        {field('URL', ws.url ?? 'none yet')}
        {field('Protocol', ws.protocol || 'none')}
        {/* Stand-ins such as mock-socket leave `extensions` undefined: show that as none too. */}
        {field('Extensions', ws.extensions || 'none')}
        {field('Last message', ws.lastMessage === null ? 'none' : <code>{JSON.stringify(ws.lastMessage)}</code>)}
        {field('Messages received', ws.messageCount)}
        {field('Queued', ws.queued)}
        {field('Close code', closeInfo ? closeInfo.code : 'not closed')}
        {field('Close meaning', closeInfo ? closeCodeMeaning(closeInfo.code) : 'not closed')}
        {field('Close reason', closeInfo ? closeInfo.reason || 'none' : 'not closed')}
        {field('Clean close', closeInfo ? (closeInfo.wasClean ? 'yes' : 'no') : 'not closed')}
        {field('Reconnect attempt', ws.reconnectAttempt)}
        {field('Next attempt', secondsLeft === null ? 'none scheduled' : `next attempt in ${secondsLeft} s`)}
      </dl>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          ws.send(draft);
        }}
      >
        <label htmlFor={inputId}>Message </label>
        <input id={inputId} value={draft} onChange={(event) => setDraft(event.target.value)} /> <button type="submit">Send</button>{' '}
        <button type="button" onClick={() => void ws.close(closeCode, closeReason)}>
          Close
        </button>{' '}
        <button type="button" onClick={() => ws.reconnect()}>
          Reconnect
        </button>
      </form>
    </section>
  );
}

/** Whole seconds until `at` (rounded up, never negative), re-rendering each second while `at` is set. */
function useSecondsUntil(at: number | null): number | null {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (at === null) return;
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
