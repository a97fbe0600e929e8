import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { typingIndicator } from '../../src/chat/index.js';
import { ChatBox, MessageInput, TypingIndicator } from '../../src/components/index.js';
import type { MockChatConnection, MockChatServer } from '../../src/testing/index.js';
import { MockChatProvider } from '../support/ChatLayout.js';
import { getLog } from '../support/play.js';
import { chatServerOf, withMockChatServer } from '../support/withMockChatServer.js';

/** Long enough for the story to stay in its state at rest (the default expiry is 5 s without a renewal). */
const typing = typingIndicator({ expiry: 24 * 3_600_000 });

const meta = {
  title: 'Chat/TypingIndicator',
  component: TypingIndicator,
  parameters: {
    docs: {
      description: {
        component:
          'Who else is typing, with `<ChatProvider typing={typingIndicator()}>` against a server that announces `typing` in `id` (the ' +
          'reference server): a polite `role="status"`, one line tall whether empty or not, under the log, so that it never moves it. ' +
          'Here the expiry is a day long so that each story stays in its state; the default forgets a typist 5 s after their last renewal.',
      },
    },
  },
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)} typing={typing}>
      <ChatBox style={{ blockSize: 240 }} />
      <TypingIndicator {...args} />
      <MessageInput />
    </MockChatProvider>
  ),
} satisfies Meta<typeof TypingIndicator>;

export default meta;
type Story = StoryObj<typeof meta>;

const TYPISTS = [
  [2, 'bob'],
  [3, 'alice'],
  [4, 'eve'],
] as const;

/** ada joins a room that speaks typing; `count` of the others are typing. */
function room(count: number) {
  return (server: MockChatServer, connection: MockChatConnection) => {
    server.send({ type: 'id', id: 1, ext: 1, session: 's1', typing: true }, connection);
    server.send({ type: 'userlist', users: ['ada', 'bob', 'alice', 'eve'] }, connection);
    server.send({ type: 'message', id: 2, name: 'bob', text: 'Shall we start?', date: Date.now() - 60_000 }, connection);
    for (const [id, name] of TYPISTS.slice(0, count)) server.send({ type: 'typing', id, name, typing: true }, connection);
  };
}

const statusOf = (canvasElement: HTMLElement) => canvasElement.querySelector<HTMLElement>('.rwc-typing')!;

export const Nobody: Story = {
  name: 'Nobody typing',
  ...withMockChatServer({ autoRespond: false, scenario: room(0) }),
  play: async ({ canvas, canvasElement, loaded }) => {
    const log: HTMLElement = getLog(canvas);
    await waitFor(() => expect(log.querySelectorAll('.rwc-chatbox__text').length).toBe(1));
    const status = statusOf(canvasElement);
    await expect(status).toHaveAttribute('role', 'status');
    await expect(status.textContent).toBe('');
    // Its line is there while empty: someone starting to type does not move the log or the field.
    const field = canvas.getByRole('textbox', { name: 'Message' });
    const before = [log.getBoundingClientRect().toJSON(), field.getBoundingClientRect().toJSON()];
    const chat = chatServerOf(loaded);
    chat.send({ type: 'typing', id: 2, name: 'bob', typing: true });
    await waitFor(() => expect(status.textContent).toBe('bob is typing…'));
    await expect([log.getBoundingClientRect().toJSON(), field.getBoundingClientRect().toJSON()]).toEqual(before);
    chat.send({ type: 'typing', id: 2, name: 'bob', typing: false });
    await waitFor(() => expect(status.textContent).toBe(''));
  },
};

export const OneTyping: Story = {
  name: 'One typing',
  ...withMockChatServer({ autoRespond: false, scenario: room(1) }),
  play: async ({ canvasElement }) => {
    const status = statusOf(canvasElement);
    await waitFor(() => expect(status.textContent).toBe('bob is typing…'));
    await expect(status).toHaveAttribute('data-typing');
  },
};

export const TwoTyping: Story = {
  name: 'Two typing',
  ...withMockChatServer({ autoRespond: false, scenario: room(2) }),
  play: async ({ canvasElement }) => {
    const status = statusOf(canvasElement);
    await waitFor(() => expect(status.textContent).toBe('bob and alice are typing…'));
    await expect([...status.querySelectorAll('bdi')].map((bdi) => bdi.textContent)).toEqual(['bob', 'alice']);
  },
};

export const SeveralTyping: Story = {
  name: 'Several typing',
  ...withMockChatServer({ autoRespond: false, scenario: room(3) }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(statusOf(canvasElement).textContent).toBe('Several people are typing…'));
  },
};

export const YouTyping: Story = {
  name: 'You typing (told to the server, not shown to you)',
  ...withMockChatServer({ autoRespond: false, scenario: room(0) }),
  play: async ({ canvas, canvasElement, loaded, userEvent }) => {
    const chat = chatServerOf(loaded);
    await chat.waitForPacket((packet) => packet.type === 'typing');
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'Yes, let');
    await chat.waitForPacket((packet) => packet.type === 'typing' && packet.typing);
    await expect(statusOf(canvasElement).textContent).toBe('');
  },
};
