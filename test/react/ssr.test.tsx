// @vitest-environment node
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ReadyState, WebSocketProvider, useWebSocket, useWebSocketContext } from '../../src/index.js';

const BROWSER_GLOBALS = ['window', 'document', 'WebSocket', 'navigator', 'location', 'localStorage'] as const;

/** Make every browser global throw when touched, for the duration of `run`. */
function withoutBrowserGlobals<T>(run: () => T): { value: T; touched: string[] } {
  const touched: string[] = [];
  const saved = BROWSER_GLOBALS.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)] as const);
  for (const name of BROWSER_GLOBALS) {
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        touched.push(name);
        throw new Error(`${name} touched during server rendering`);
      },
    });
  }
  try {
    return { value: run(), touched };
  } finally {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
      else delete (globalThis as Record<string, unknown>)[name];
    }
  }
}

describe('server rendering', () => {
  it('renders useWebSocket and the provider without touching any browser global', () => {
    function Status() {
      const { readyState, protocol } = useWebSocket('wss://chat.example/ws', { protocols: 'json' });
      return (
        <p>
          state {readyState} protocol [{protocol}]
        </p>
      );
    }
    function Shared() {
      const { readyState } = useWebSocketContext();
      return <p>shared {readyState}</p>;
    }
    const { value: html, touched } = withoutBrowserGlobals(() =>
      renderToString(
        <>
          <Status />
          <WebSocketProvider url="wss://chat.example/ws">
            <Shared />
          </WebSocketProvider>
        </>,
      ),
    );
    expect(touched).toEqual([]);
    expect(html).toContain(`state <!-- -->${ReadyState.CONNECTING}<!-- --> protocol [<!-- -->]`);
    expect(html).toContain(`shared <!-- -->${ReadyState.CONNECTING}`);
  });
});
