import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { chatHistory } from '../../src/chat/index.js';
import { ChatBox, daySeparators, navigationKeys, olderHistory, unreadDivider } from '../../src/components/index.js';
import type { MockChatConnection, MockChatServer } from '../../src/testing/index.js';
import { MockChatProvider } from '../support/ChatLayout.js';
import { announcerOf, getLog, rowsOf } from '../support/play.js';
import { chatServerOf, withMockChatServer } from '../support/withMockChatServer.js';

const PARTS = [olderHistory(), unreadDivider(), navigationKeys()];
const DAYS = daySeparators();
/** Module constants: one history per story render would be a new store's option each time. */
const RECONNECT = { initialDelay: 50, maxDelay: 50 };

const meta = {
  title: 'Chat/ChatBox navigation',
  component: ChatBox,
  args: { style: { blockSize: 360 }, parts: PARTS, daySeparators: DAYS },
  parameters: {
    docs: {
      description: {
        component:
          'ChatBox with its opt-in parts, against a mock server that keeps history (`chatHistory()`): day separators, older pages, the unread divider.' +
          '\n\n```tsx\nconst parts = [olderHistory(), unreadDivider(), navigationKeys()];\nconst days = daySeparators();\n\n<ChatProvider url={url} username="ada" history={history}>\n  <ChatBox parts={parts} daySeparators={days} />\n</ChatProvider>\n```',
      },
    },
  },
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)} history={chatHistory()} reconnect={RECONNECT}>
      <ChatBox {...args} />
    </MockChatProvider>
  ),
} satisfies Meta<typeof ChatBox>;

export default meta;
type Story = StoryObj<typeof meta>;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Bob's and eve's room message number `seq`, at `date`. */
function roomMessage(seq: number, date: number) {
  const bob = Math.floor(seq / 3) % 2 === 0;
  return { type: 'message', id: bob ? 2 : 3, name: bob ? 'bob' : 'eve', text: `Message ${seq}`, date, seq };
}

/** Messages `from`..`to` (room positions), a minute apart, ending `end` ms ago. */
function range(from: number, to: number, end = 10 * MINUTE) {
  const last = Date.now() - end;
  return Array.from({ length: to - from + 1 }, (_, i) => roomMessage(from + i, last - (to - from - i) * MINUTE));
}

/** A server that keeps history: `id` with the room's last `seq`, then `packets` as the catch-up the client asks for. */
async function join(server: MockChatServer, connection: MockChatConnection, seq: number, packets: Record<string, unknown>[]) {
  server.send({ type: 'id', id: 10 + server.connections.length, ext: 1, session: 's', history: 500, seq, epoch: 'story' }, connection);
  await server.waitForPacket((packet, from) => from === connection && packet.type === ('history' as string));
  server.send({ type: 'history', packets, done: true }, connection);
}

export const DaySeparators: Story = {
  name: 'Day separators',
  parameters: {
    docs: {
      description: { story: 'A history over three days: the date, then “Yesterday” and “Today”, before the first row of each local day.' },
    },
  },
  ...withMockChatServer({
    autoRespond: false,
    scenario: (server, connection) => {
      const now = Date.now();
      const dates = [now - 3 * DAY, now - 3 * DAY + MINUTE, now - DAY, now - DAY + MINUTE, now - 2 * MINUTE, now - MINUTE];
      void join(
        server,
        connection,
        6,
        dates.map((date, i) => roomMessage(i + 1, date)),
      );
    },
  }),
  play: async ({ canvas }) => {
    const log = getLog(canvas);
    await waitFor(() => expect(rowsOf(log)).toHaveLength(6));
    const labels = [...log.querySelectorAll('.rwc-chatbox__day')].map((day) => day.textContent);
    const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'full' }).format(Date.now() - 3 * DAY);
    await expect(labels).toEqual([date, 'Yesterday', 'Today']);
    // History is not news: nothing announced.
    await expect(announcerOf(log).textContent).toBe('');
  },
};

export const LoadingOlderMessages: Story = {
  name: 'Loading older messages',
  parameters: {
    docs: {
      description: {
        story:
          'A new joiner sees the recent history and a “Load older messages” button over the top of the log; pressed, it says “Loading older messages…” until the page comes (here it never does).',
      },
    },
  },
  ...withMockChatServer({ autoRespond: false, scenario: (server, connection) => void join(server, connection, 200, range(171, 200)) }),
  play: async ({ canvas, userEvent }) => {
    const log = getLog(canvas);
    await waitFor(() => expect(rowsOf(log).length).toBeGreaterThan(0));
    const button = await canvas.findByRole('button', { name: 'Load older messages' });
    await userEvent.click(button);
    await waitFor(() => expect(button).toHaveTextContent('Loading older messages…'));
    await expect(button).toHaveAttribute('aria-disabled', 'true');
    await expect(button).toHaveFocus();
  },
};

/**
 * Joined with ten messages; the connection drops a moment later (as the scenario of a story, not a
 * wait of its test); thirty more were said meanwhile, caught up on reconnecting.
 */
const resumed = withMockChatServer({
  autoRespond: false,
  scenario: (server, connection, index) => {
    if (index === 0) {
      void join(server, connection, 10, range(1, 10, 40 * MINUTE)).then(() =>
        setTimeout(() => connection.socket.close({ code: 1012, reason: '', wasClean: true }), 300),
      );
    } else {
      void join(server, connection, 40, range(11, 40));
    }
  },
});

export const NewSinceYouWereAway: Story = {
  name: 'New since you were away',
  parameters: {
    docs: {
      description: {
        story:
          'After a reconnect, the catch-up brings thirty messages: the log follows the newest, and “Jump to first unread” offers the first of them, where “New since you were away” stands. The catch-up is not announced.',
      },
    },
  },
  ...resumed,
  play: async ({ canvas }) => {
    const log = getLog(canvas);
    await canvas.findByRole('button', { name: 'Jump to first unread' }, { timeout: 5000 });
    await expect(log).toHaveAttribute('data-state', 'pinned');
    await expect(announcerOf(log).textContent).toBe('');
  },
};

export const JumpedToFirstUnread: Story = {
  name: 'Jumped to the first unread',
  parameters: {
    docs: {
      description: {
        story:
          'As “New since you were away”, then the reader presses “Jump to first unread”: the divider is at the top of the view, the log has the focus.',
      },
    },
  },
  ...resumed,
  play: async ({ canvas, userEvent }) => {
    const log = getLog(canvas);
    await userEvent.click(await canvas.findByRole('button', { name: 'Jump to first unread' }, { timeout: 5000 }));
    await waitFor(() => expect(canvas.queryByRole('button', { name: 'Jump to first unread' })).toBeNull());
    const divider = log.querySelector('.rwc-chatbox__unread') as HTMLElement;
    await expect(divider).toHaveTextContent('New since you were away');
    await expect(divider.nextElementSibling).toHaveTextContent(/Message 11/);
    await expect(log).toHaveFocus();
    await expect(log).toHaveAttribute('data-state', 'scrolled-up');
  },
};
