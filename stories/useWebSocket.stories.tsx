import type { Meta, StoryObj } from '@storybook/react-vite';
import { Server, WebSocket as MockWebSocket, type Client, type ServerOptions } from 'mock-socket';
import { useState } from 'react';
import { expect, waitFor, type within } from 'storybook/test';
import { WebSocketProvider, autoReconnect, type WebSocketConstructor } from '../src/index.js';
import { ConnectionPanel } from './ConnectionPanel.js';
import { perStory } from './support/perStory.js';

// ---- mock servers -------------------------------------------------------------------------------

/** A story's mock server and every connection it accepted. */
interface MockServer {
  url: string;
  server: Server;
  connections: Client[];
}

/** mock-socket's WebSocket, typed as the hook's `WebSocket` option wants it. */
const MockSocket = MockWebSocket as unknown as WebSocketConstructor;

/**
 * `loaders` and `beforeEach` for a story driven by its own mock-socket server, at the story's own
 * URL (read it as `mockOf(loaded).url`). It never replaces the global WebSocket (`mock: false`);
 * the story hands mock-socket's WebSocket to the hook.
 */
function withMockServer({
  selectProtocol,
  onConnection,
}: {
  selectProtocol?: ServerOptions['selectProtocol'];
  /** Called for each connection, with its index (0 for the first). */
  onConnection?: (socket: Client, index: number) => void;
} = {}) {
  return perStory<MockServer>('mock', (url) => {
    const server = new Server(url, selectProtocol ? { mock: false, selectProtocol } : { mock: false });
    const connections: Client[] = [];
    server.on('connection', (socket) => {
      connections.push(socket);
      onConnection?.(socket, connections.length - 1);
    });
    return { value: { url, server, connections }, stop: () => server.stop() };
  });
}

function mockOf(loaded: Record<string, unknown>): MockServer {
  return loaded.mock as MockServer;
}

/** A promise and the function that settles it. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** How many bytes a {@link heldWebSocket} claims to still have in its send buffer. */
interface SendBuffer {
  bytes: number;
}

/** mock-socket's WebSocket, except that `bufferedAmount` reads `buffer.bytes` (mock-socket has none). */
function heldWebSocket(buffer: SendBuffer): WebSocketConstructor {
  class HeldWebSocket extends MockWebSocket {}
  // A getter on the prototype: mock-socket's typings declare `bufferedAmount` as a plain property.
  Object.defineProperty(HeldWebSocket.prototype, 'bufferedAmount', { configurable: true, get: () => buffer.bytes });
  return HeldWebSocket as unknown as WebSocketConstructor;
}

// ---- play helpers -------------------------------------------------------------------------------

type Canvas = ReturnType<typeof within>;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The whole text, not a substring of it (`1` must not match `10`). */
const exactly = (text: string | number) => new RegExp(`^${escapeRegExp(String(text))}$`);

/** Wait until the status line shows `state`. */
async function expectState(canvas: Canvas, state: 'CONNECTING' | 'OPEN' | 'CLOSING' | 'CLOSED') {
  await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent(`State: ${state}`));
}

/** Wait until the `<dd>` named `name` shows `value` (exactly, for strings and numbers). */
async function expectField(canvas: Canvas, name: string, value: string | number | RegExp) {
  const expected = value instanceof RegExp ? value : exactly(value);
  await waitFor(() => expect(canvas.getByRole('definition', { name })).toHaveTextContent(expected));
}

// ---- stories ------------------------------------------------------------------------------------

const meta = {
  title: 'Hooks/useWebSocket',
  component: ConnectionPanel,
  subcomponents: { WebSocketProvider },
  tags: ['autodocs'],
  // Each story's render supplies the URL and options of its own mock server.
  args: { title: 'useWebSocket', url: null },
  argTypes: {
    url: { control: false },
    options: { control: false },
  },
  parameters: {
    docs: {
      description: {
        component:
          'Every state of `useWebSocket`, each driven by its own in-page mock-socket server (the global `WebSocket` is left alone). ' +
          '`ConnectionPanel` renders what the hook returns.' +
          '\n\n**Usage**:\n\n' +
          "```tsx\nimport { ReadyState, useWebSocket } from 'react-ws-chat';\n\nfunction Feed() {\n  const { readyState, lastMessage, sendJson } = useWebSocket<{ text: string }>('wss://chat.example.com/', { protocols: 'json' });\n  return (\n    <button disabled={readyState !== ReadyState.OPEN} onClick={() => sendJson({ text: 'hi' })}>\n      Say hi ({lastMessage?.text ?? 'nothing yet'})\n    </button>\n  );\n}\n```",
      },
    },
  },
} satisfies Meta<typeof ConnectionPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

const connectingServer = withMockServer();

export const Connecting: Story = {
  args: { title: 'Connecting' },
  parameters: {
    docs: {
      description: {
        story:
          'The URL is an async function whose promise resolves only when you click “Let it connect”: until then the hook is `CONNECTING` and no socket exists.',
      },
    },
  },
  beforeEach: connectingServer.beforeEach,
  loaders: [...connectingServer.loaders, () => ({ gate: deferred() })],
  render: function Render(args, { loaded }) {
    const gate = loaded.gate as ReturnType<typeof deferred>;
    const [released, setReleased] = useState(false);
    return (
      <>
        <button
          type="button"
          disabled={released}
          onClick={() => {
            setReleased(true);
            gate.resolve();
          }}
        >
          Let it connect
        </button>
        <ConnectionPanel {...args} url={() => gate.promise.then(() => mockOf(loaded).url)} options={{ WebSocket: MockSocket }} />
      </>
    );
  },
  play: async ({ canvas, loaded }) => {
    const { connections } = mockOf(loaded);
    await expectState(canvas, 'CONNECTING');
    await expectField(canvas, 'URL', 'none yet');
    await expect(connections).toHaveLength(0);
    // The play leaves the gate shut, so the story rests in CONNECTING: the button is there to try by hand.
    await expect(canvas.getByRole('button', { name: 'Let it connect' })).toBeEnabled();
  },
};

export const OpenWithProtocol: Story = {
  name: 'Open with negotiated protocol',
  args: { title: 'Open, sub-protocol “json”' },
  parameters: {
    docs: {
      description: {
        story: 'The client offers `v2.chat` and `json`; the server selects `json`, greets the client, and echoes whatever you send.',
      },
    },
  },
  ...withMockServer({
    selectProtocol: (offered) => (offered.includes('json') ? 'json' : ''),
    onConnection: (socket) => {
      socket.send(JSON.stringify({ type: 'welcome', text: 'Hello from the server' }));
      socket.on('message', (data) => socket.send(JSON.stringify({ type: 'echo', data })));
    },
  }),
  render: (args, { loaded }) => (
    <ConnectionPanel {...args} url={mockOf(loaded).url} options={{ protocols: ['v2.chat', 'json'], WebSocket: MockSocket }} />
  ),
  play: async ({ canvas, userEvent }) => {
    await expectState(canvas, 'OPEN');
    await expectField(canvas, 'Protocol', 'json');
    await expectField(canvas, 'Last message', '{"type":"welcome","text":"Hello from the server"}');
    await expectField(canvas, 'Messages received', 1);

    await userEvent.click(canvas.getByRole('button', { name: 'Send' }));
    await expectField(canvas, 'Last message', '{"type":"echo","data":"{\\"type\\":\\"hello\\"}"}');
    await expectField(canvas, 'Messages received', 2);
    await expect(canvas.queryByRole('alert')).toBeNull();
  },
};

const closingServer = withMockServer();

/** Long enough for the story to rest in CLOSING: `close()` gives up waiting for the buffer only after this. */
const HOUR = 3_600_000;

export const Closing: Story = {
  args: { title: 'Closing' },
  parameters: {
    docs: {
      description: {
        story:
          'The socket claims 4 KiB are still buffered until you click “Drain”; `close()` waits for the buffer to empty (up to `closeTimeout`, here an hour), so Close leaves the hook `CLOSING` until then.',
      },
    },
  },
  beforeEach: closingServer.beforeEach,
  loaders: [...closingServer.loaders, () => ({ buffer: { bytes: 4096 } satisfies SendBuffer })],
  render: function Render(args, { loaded }) {
    const buffer = loaded.buffer as SendBuffer;
    const [WebSocket] = useState(() => heldWebSocket(buffer));
    const [bytes, setBytes] = useState(buffer.bytes);
    return (
      <>
        <p>
          Send buffer: {bytes} bytes{' '}
          <button
            type="button"
            disabled={bytes === 0}
            onClick={() => {
              buffer.bytes = 0;
              setBytes(0);
            }}
          >
            Drain
          </button>
        </p>
        <ConnectionPanel {...args} url={mockOf(loaded).url} options={{ WebSocket, closeTimeout: HOUR }} />
      </>
    );
  },
  play: async ({ canvas, loaded, userEvent }) => {
    const { connections } = mockOf(loaded);
    await expectState(canvas, 'OPEN');

    await userEvent.click(canvas.getByRole('button', { name: 'Close' }));
    await expectState(canvas, 'CLOSING');
    await expectField(canvas, 'Close code', 'not closed');
    // The socket is still open at the server's end while the buffer is held.
    await expect(connections[0]?.readyState).toBe(MockWebSocket.OPEN);
    // The play leaves the buffer held, so the story rests in CLOSING; “Drain” finishes the close by hand
    // (the clean close itself: “Closed cleanly”).
    await expect(canvas.getByRole('button', { name: 'Drain' })).toBeEnabled();
  },
};

export const ClosedCleanly: Story = {
  name: 'Closed cleanly',
  args: { title: 'Closed cleanly' },
  parameters: {
    docs: {
      description: {
        story: 'The client closes with 1000 “Done”: a clean, normal closure, after which the hook does not reconnect.',
      },
    },
  },
  ...withMockServer(),
  render: (args, { loaded }) => (
    <ConnectionPanel {...args} url={mockOf(loaded).url} options={{ WebSocket: MockSocket }} closeCode={1000} closeReason="Done" />
  ),
  play: async ({ canvas, userEvent }) => {
    await expectState(canvas, 'OPEN');
    await userEvent.click(canvas.getByRole('button', { name: 'Close' }));

    await expectState(canvas, 'CLOSED');
    await expectField(canvas, 'Close code', 1000);
    await expectField(canvas, 'Close meaning', 'Normal closure');
    await expectField(canvas, 'Close reason', 'Done');
    await expectField(canvas, 'Clean close', 'yes');
    await expectField(canvas, 'Reconnect attempt', 0);
    await expectField(canvas, 'Next attempt', 'none scheduled');
  },
};

export const ClosedAbnormallyReconnecting: Story = {
  name: 'Closed with 1006, reconnecting',
  args: { title: 'Closed with 1006, reconnecting' },
  parameters: {
    docs: {
      description: {
        story:
          'The server drops every connection with 1006 (no close frame, not clean). The hook schedules reconnect attempt 1 about 5 s later (`initialDelay: 5000`, jitter pinned near the ceiling) and counts down; each attempt is dropped in turn, so the hook keeps reconnecting, further apart each time.',
      },
    },
  },
  ...withMockServer({
    onConnection: (socket) => socket.close({ code: 1006, reason: '', wasClean: false }),
  }),
  render: (args, { loaded }) => (
    <ConnectionPanel
      {...args}
      url={mockOf(loaded).url}
      options={{ WebSocket: MockSocket, reconnect: autoReconnect({ initialDelay: 5000, random: () => 0.999 }) }}
    />
  ),
  play: async ({ canvas }) => {
    await expectState(canvas, 'CLOSED');
    await expectField(canvas, 'Close code', 1006);
    await expectField(canvas, 'Close meaning', /^Abnormal closure/);
    await expectField(canvas, 'Clean close', 'no');
    await expectField(canvas, 'Reconnect attempt', 1);
    await expectField(canvas, 'Next attempt', /^next attempt in [1-5] s$/);
  },
};

export const UrlSyntaxError: Story = {
  name: 'Syntax error',
  args: { title: 'Syntax error: a fragment in the URL' },
  parameters: {
    docs: {
      description: {
        story:
          'A WebSocket URL may not have a fragment. The hook reports a `syntax` error, as the browser would throw one, stays `CLOSED`, and never contacts the server.',
      },
    },
  },
  ...withMockServer(),
  render: (args, { loaded }) => <ConnectionPanel {...args} url={`${mockOf(loaded).url}#fragment`} options={{ WebSocket: MockSocket }} />,
  play: async ({ canvas, loaded }) => {
    const alert = await canvas.findByRole('alert');
    await expect(alert).toHaveTextContent('Error (syntax)');
    await expect(alert).toHaveTextContent("A WebSocket URL may not have a fragment ('#fragment')");
    await expectState(canvas, 'CLOSED');
    await expectField(canvas, 'Next attempt', 'none scheduled');
    await expect(mockOf(loaded).connections).toHaveLength(0);
  },
};

export const MixedContent: Story = {
  name: 'Mixed content',
  args: { title: 'Mixed content: ws: from an https: page' },
  parameters: {
    docs: {
      description: {
        story:
          'With `baseUrl: "https://app.example.com/"` the page counts as secure, so an insecure `ws:` URL is a `security` error (use `wss:`); nothing is attempted.',
      },
    },
  },
  ...withMockServer(),
  render: (args, { loaded }) => (
    <ConnectionPanel {...args} url={mockOf(loaded).url} options={{ WebSocket: MockSocket, baseUrl: 'https://app.example.com/' }} />
  ),
  play: async ({ canvas, loaded }) => {
    const alert = await canvas.findByRole('alert');
    await expect(alert).toHaveTextContent('Error (security)');
    await expect(alert).toHaveTextContent(`Mixed content: use wss: for '${mockOf(loaded).url}' from an HTTPS page.`);
    await expectState(canvas, 'CLOSED');
    await expect(mockOf(loaded).connections).toHaveLength(0);
  },
};

export const ParseError: Story = {
  name: 'Parse error',
  args: { title: 'Parse error' },
  parameters: {
    docs: {
      description: {
        story:
          'The server sends `{not json` and then `{"ok":true}`. The bad frame is reported as a `parse` error and skipped; the good one is still delivered and the connection stays open.',
      },
    },
  },
  ...withMockServer({
    onConnection: (socket) => {
      socket.send('{not json');
      socket.send('{"ok":true}');
    },
  }),
  render: (args, { loaded }) => <ConnectionPanel {...args} url={mockOf(loaded).url} options={{ WebSocket: MockSocket }} />,
  play: async ({ canvas }) => {
    const alert = await canvas.findByRole('alert');
    await expect(alert).toHaveTextContent('Error (parse)');
    await expect(alert).toHaveTextContent('Could not parse a frame as JSON');
    await expectField(canvas, 'Last message', '{"ok":true}');
    await expectField(canvas, 'Messages received', 1);
    await expectState(canvas, 'OPEN');
  },
};
