// (c) react-use-websocket 4.13 used the way its README shows: the last (JSON) message appended to
// a state array in an effect, every message rendered (here as the same row as (b)). The field is
// its own component with its own state, so that typing does not re-render the list.
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import useWebSocketImport, { ReadyState } from 'react-use-websocket';

import { config, countRender, registerVariant, seqOf } from './harness.ts';
import { Measured, PROFILING } from './measured.tsx';

// The package is CommonJS only, and Vite 8's production build hands its whole `exports` object to a
// default import (Node's interop): take `exports.default`, the hook, either way.
const useWebSocket = (useWebSocketImport as unknown as { default?: typeof useWebSocketImport }).default ?? useWebSocketImport;

interface Packet {
  type: string;
  name?: string;
  text?: string;
}

let open = false;

function Feed() {
  if (PROFILING) countRender('Feed');
  const [messageHistory, setMessageHistory] = useState<Packet[]>([]);
  const { lastJsonMessage, readyState } = useWebSocket<Packet>(config.server);

  useEffect(() => {
    if (lastJsonMessage !== null && lastJsonMessage.type === 'message') {
      setMessageHistory((prev) => prev.concat(lastJsonMessage));
    }
  }, [lastJsonMessage]);

  open = readyState === ReadyState.OPEN;
  const connectionStatus = {
    [ReadyState.CONNECTING]: 'Connecting',
    [ReadyState.OPEN]: 'Open',
    [ReadyState.CLOSING]: 'Closing',
    [ReadyState.CLOSED]: 'Closed',
    [ReadyState.UNINSTANTIATED]: 'Uninstantiated',
  }[readyState];

  return (
    <div>
      <span>The WebSocket is currently {connectionStatus}</span>
      <div className="log" role="log" id="log">
        {messageHistory.map((message, idx) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: react-use-websocket's README keys its rows by index
          <div key={idx} className="row">
            <span className="name">{message.name}</span> <span className="text">{message.text}</span>
          </div>
        ))}
      </div>
    </div>
  );
}

function Composer() {
  if (PROFILING) countRender('Composer');
  const [value, setValue] = useState('');
  return <textarea aria-label="Message" rows={1} value={value} onChange={(event) => setValue(event.currentTarget.value)} />;
}

createRoot(document.getElementById('root')!).render(
  <>
    <Measured id="Feed">
      <Feed />
    </Measured>
    <Measured id="Composer">
      <Composer />
    </Measured>
  </>,
);

registerVariant({
  ready: () => open,
  newestRendered() {
    const row = document.getElementById('log')?.lastElementChild;
    return seqOf(row?.lastElementChild?.textContent);
  },
  renderedCount: () => document.getElementById('log')?.childElementCount ?? 0,
});
