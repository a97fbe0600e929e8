import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { persistentOutbox, type OutboxRecord, type OutboxStorage } from '../../src/chat/index.js';
import { ChatBox, useSendMessage } from '../../src/components/index.js';
import { MockChatProvider } from '../support/ChatLayout.js';
import { getLog, rowWithText } from '../support/play.js';
import { chatServerOf, withMockChatServer } from '../support/withMockChatServer.js';

/** The outbox's storage in memory: a story keeps nothing in the browser's IndexedDB. */
function memoryStorage(): OutboxStorage {
  const records = new Map<string, OutboxRecord>();
  return {
    load: async (room) => [...records.values()].filter((record) => record.room === room),
    put: async (record) => {
      records.set(`${record.room}\n${record.nonce}`, record);
    },
    delete: async (room, nonce) => {
      records.delete(`${room}\n${nonce}`);
    },
  };
}

const meta = {
  title: 'Chat/Failed messages',
  component: ChatBox,
  args: { style: { blockSize: 360 } },
  parameters: {
    docs: {
      description: {
        component:
          'With the durable outbox (`<ChatProvider persist={persistentOutbox({ failAfter })}>`), an own message the server has not ' +
          'echoed within `failAfter` shows “Not sent” with **Retry** (sends it again, same nonce) and **Discard** (removes it, ' +
          'from IndexedDB too). Here the server never echoes, `failAfter` is 400 ms and the storage is in memory.',
      },
    },
  },
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)} persist={persistentOutbox({ failAfter: 400, storage: memoryStorage(), locks: null })}>
      <WriteTwo />
      <ChatBox {...args} />
    </MockChatProvider>
  ),
} satisfies Meta<typeof ChatBox>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A button that writes two messages, standing in for a MessageInput. */
function WriteTwo() {
  const send = useSendMessage();
  return (
    <button
      type="button"
      onClick={() => {
        send('hello');
        send('are you there?');
      }}
    >
      Write two messages
    </button>
  );
}

export const FailedWithRetryAndDiscard: Story = {
  name: 'Failed, with Retry and Discard',
  ...withMockChatServer({
    autoRespond: false,
    scenario: (server, connection) => {
      server.send({ type: 'id', id: 1 }, connection);
      server.send({ type: 'userlist', users: ['ada', 'bob'] }, connection);
    },
  }),
  play: async ({ canvas, loaded, userEvent }) => {
    const chat = chatServerOf(loaded);
    const log = getLog(canvas);
    await chat.waitForPacket((packet) => 'type' in packet && packet.type === 'username');
    await userEvent.click(canvas.getByRole('button', { name: 'Write two messages' }));
    // Sent, never echoed: failed after 400 ms, with the status and its two buttons in the row.
    for (const text of ['hello', 'are you there?']) {
      await waitFor(() => expect(rowWithText(log, text)).toHaveAttribute('data-status', 'failed'));
      const row = within(rowWithText(log, text)!);
      await expect(row.getByText('Not sent')).toBeVisible();
      await expect(row.getByRole('button', { name: 'Retry' })).toBeVisible();
      await expect(row.getByRole('button', { name: 'Discard' })).toBeVisible();
    }
    const sentHello = () => chat.received.filter(({ packet }) => 'type' in packet && packet.type === 'message' && packet.text === 'hello');
    await expect(sentHello()).toHaveLength(1);

    // Retry from the keyboard: sent again with the same nonce; the server's echo delivers it.
    within(rowWithText(log, 'hello')!).getByRole('button', { name: 'Retry' }).focus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(sentHello()).toHaveLength(2));
    const [first, again] = sentHello().map(({ packet }) => packet as { nonce?: string });
    await expect(again?.nonce).toBe(first?.nonce);
    chat.send({ ...(sentHello()[1]?.packet as object), name: 'ada' });
    await waitFor(() => expect(rowWithText(log, 'hello')).toHaveAttribute('data-status', 'delivered'));
    await expect(within(rowWithText(log, 'hello')!).queryByRole('button')).toBeNull();
    // The other one stays failed, its buttons shown.
    await expect(rowWithText(log, 'are you there?')).toHaveAttribute('data-status', 'failed');
  },
};
