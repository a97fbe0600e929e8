import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { ConnectionStatus } from '../../src/components/index.js';
import type { NetworkMonitor } from '../../src/core/index.js';
import { MockChatProvider } from '../support/ChatLayout.js';
import { LetItConnect, gateLoader, gateOf, gatedUrl } from '../support/gate.js';
import { expectStatus } from '../support/play.js';
import { chatServerOf, withMockChatServer } from '../support/withMockChatServer.js';

const meta = {
  title: 'Chat/ConnectionStatus',
  component: ConnectionStatus,
  tags: ['autodocs'],
  parameters: {
    docs: {
      description: {
        component:
          'The connection’s state as a sentence in a `role="status"` live region; once something went wrong, a “Retry now” (or, disconnected for good, “Reconnect”) button that connects at once. The raw connection error shows only once disconnected for good (while retrying it is the tooltip). Each story drives it with a mock chat server.' +
          '\n\n**Usage** (inside a `ChatProvider`; the stylesheet is optional):\n\n' +
          '```tsx\nimport { ChatProvider, ConnectionStatus } from \'react-ws-chat\';\nimport \'react-ws-chat/styles.css\';\n\n<ChatProvider url="wss://chat.example.com" username="ada">\n  <div className="rwc-chat">\n    <ConnectionStatus />\n  </div>\n</ChatProvider>\n```',
      },
    },
  },
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)}>
      <ConnectionStatus {...args} />
    </MockChatProvider>
  ),
} satisfies Meta<typeof ConnectionStatus>;

export default meta;
type Story = StoryObj<typeof meta>;

const stateOf = (status: HTMLElement) => status.getAttribute('data-state');

const connecting = withMockChatServer();

export const Connecting: Story = {
  parameters: {
    docs: { description: { story: 'The URL resolves only when you click “Let it connect”: until then the status stays “Connecting…”.' } },
  },
  beforeEach: connecting.beforeEach,
  loaders: [...connecting.loaders, gateLoader],
  render: (args, { loaded }) => {
    const chat = chatServerOf(loaded);
    const gate = gateOf(loaded);
    return (
      <MockChatProvider chat={chat} url={gatedUrl(gate, chat.url)}>
        <LetItConnect gate={gate} />
        <ConnectionStatus {...args} />
      </MockChatProvider>
    );
  },
  play: async ({ canvas, loaded }) => {
    await expectStatus(canvas, 'Connecting…');
    await expect(stateOf(canvas.getByRole('status'))).toBe('connecting');
    // The play leaves the gate shut: the story rests here, with no socket yet (Connected: the next story).
    await expect(chatServerOf(loaded).connections).toHaveLength(0);
    await expect(canvas.getByRole('button', { name: 'Let it connect' })).toBeEnabled();
  },
};

export const Connected: Story = {
  ...withMockChatServer(),
  play: async ({ canvas }) => {
    await expectStatus(canvas, 'Connected');
    const status = canvas.getByRole('status');
    await expect(stateOf(status)).toBe('open');
    await expect(status).toHaveTextContent(/^Connected$/);
  },
};

export const Reconnecting: Story = {
  parameters: {
    docs: {
      description: {
        story:
          'The server drops the connection (1006) and stays down: the next attempt is 20 s away, counted down every second. “Retry now” would attempt at once.',
      },
    },
  },
  ...withMockChatServer(),
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)} reconnect={{ initialDelay: 20_000, random: () => 0.999 }}>
      <ConnectionStatus {...args} />
    </MockChatProvider>
  ),
  play: async ({ canvas, loaded }) => {
    await expectStatus(canvas, 'Connected');
    chatServerOf(loaded).close({ code: 1006 });
    await expectStatus(canvas, /^Reconnecting in (19|20) s \(attempt 1\)/);
    const status = canvas.getByRole('status');
    await expect(stateOf(status)).toBe('reconnecting');
    // The visible countdown is hidden from assistive technology; a fixed sentence is announced.
    const visible = status.querySelector<HTMLElement>('.rwc-connection-status__text')!;
    await expect(visible).toHaveAttribute('aria-hidden', 'true');
    const announced = status.querySelector('.rwc-visually-hidden')!.textContent;
    const seconds = () => Number(/in (\d+) s/.exec(visible.textContent ?? '')?.[1]);
    const first = seconds();
    await waitFor(() => expect(seconds()).toBeLessThan(first), { timeout: 2500 });
    await expect(status.querySelector('.rwc-visually-hidden')).toHaveTextContent(announced ?? '');
    await expect(canvas.getByRole('button', { name: 'Retry now' })).toBeVisible();
    await expect(status.querySelector('[data-error-kind]')).toBeNull();
  },
};

export const RetryNow: Story = {
  name: 'Retry now: connected at once',
  parameters: {
    docs: {
      description: {
        story:
          'The connection drops (1006) while the server keeps listening; the next attempt is 20 s away. The play presses “Retry now”: connected at once, and the button is gone.',
      },
    },
  },
  ...withMockChatServer(),
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)} reconnect={{ initialDelay: 20_000, random: () => 0.999 }}>
      <ConnectionStatus {...args} />
    </MockChatProvider>
  ),
  play: async ({ canvas, loaded, userEvent }) => {
    const chat = chatServerOf(loaded);
    await expectStatus(canvas, 'Connected');
    chat.connections[0]?.socket.close({ code: 1006, reason: '', wasClean: false });
    await expectStatus(canvas, /^Reconnecting in (19|20) s \(attempt 1\)/);
    await userEvent.click(canvas.getByRole('button', { name: 'Retry now' }));
    // Long before the 20 s were up.
    await expectStatus(canvas, 'Connected');
    await expect(chat.connections).toHaveLength(2);
    await expect(canvas.queryByRole('button')).toBeNull();
  },
};

/** A network monitor the play switches off, as the browser's `offline` event would. */
function createNetwork(): NetworkMonitor & { setOnline(online: boolean): void } {
  let online = true;
  const listeners = new Set<(online: boolean) => void>();
  return {
    isOnline: () => online,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setOnline(value) {
      online = value;
      for (const listener of listeners) listener(value);
    },
  };
}

const offline = withMockChatServer();

export const Offline: Story = {
  parameters: {
    docs: {
      description: {
        story:
          'The network goes offline (a fake `network` monitor), then the connection drops: the client waits for the network instead of counting down.',
      },
    },
  },
  beforeEach: offline.beforeEach,
  loaders: [...offline.loaders, () => ({ network: createNetwork() })],
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)} network={loaded.network as NetworkMonitor}>
      <ConnectionStatus {...args} />
    </MockChatProvider>
  ),
  play: async ({ canvas, loaded }) => {
    await expectStatus(canvas, 'Connected');
    (loaded.network as ReturnType<typeof createNetwork>).setOnline(false);
    // Still open: an open connection is shown as connected whatever the network says.
    await expectStatus(canvas, 'Connected');
    chatServerOf(loaded).close({ code: 1006 });
    await expectStatus(canvas, 'Offline: waiting for the network');
    await expect(stateOf(canvas.getByRole('status'))).toBe('offline');
    // The browser may be wrong about the network: the user can still try.
    await expect(canvas.getByRole('button', { name: 'Retry now' })).toBeVisible();
  },
};

export const Disconnected: Story = {
  parameters: {
    docs: { description: { story: 'The server closes normally (1000): the chat is over, no retry; “Reconnect” would start again.' } },
  },
  ...withMockChatServer(),
  play: async ({ canvas, loaded }) => {
    await expectStatus(canvas, 'Connected');
    chatServerOf(loaded).close({ code: 1000, reason: 'Bye' });
    await expectStatus(canvas, 'Disconnected: the chat was closed');
    await expect(stateOf(canvas.getByRole('status'))).toBe('closed');
    await expect(canvas.getByRole('button', { name: 'Reconnect' })).toBeVisible();
  },
};

export const ConnectionError: Story = {
  name: 'Error',
  parameters: {
    docs: { description: { story: 'A URL with a fragment is a syntax error: reported, never attempted.' } },
  },
  ...withMockChatServer(),
  render: (args, { loaded }) => {
    const chat = chatServerOf(loaded);
    return (
      <MockChatProvider chat={chat} url={`${chat.url}#room`}>
        <ConnectionStatus {...args} />
      </MockChatProvider>
    );
  },
  play: async ({ canvas, loaded }) => {
    await expectStatus(canvas, 'Disconnected');
    const status = canvas.getByRole('status');
    await waitFor(() => expect(status).toHaveTextContent("Error: A WebSocket URL may not have a fragment ('#room')"));
    await expect(status.querySelector('.rwc-connection-status__error')).toHaveAttribute('data-error-kind', 'syntax');
    await expect(stateOf(status)).toBe('closed');
    await expect(chatServerOf(loaded).connections).toHaveLength(0);
    await expect(canvas.getByRole('button', { name: 'Reconnect' })).toBeVisible();
  },
};
