import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { createTimeFormat } from '../../src/chat/index.js';
import { ChatBox, useSendMessage } from '../../src/components/index.js';
import type { MockChatConnection, MockChatServer } from '../../src/testing/index.js';
import { MockChatProvider } from '../support/ChatLayout.js';
import { announcerOf, getLog, noticeStartingWith, rowWithText, rowsOf, scrollLogToTop, shown } from '../support/play.js';
import { chatServerOf, receivedMessage, withMockChatServer } from '../support/withMockChatServer.js';

const meta = {
  title: 'Chat/ChatBox',
  component: ChatBox,
  tags: ['autodocs'],
  args: { style: { blockSize: 360 } },
  parameters: {
    docs: {
      description: {
        component:
          'The virtualized message log alone (`role="log"`, named “Messages”), fed by a scripted mock chat server.' +
          '\n\n**Usage** (inside a `ChatProvider`; the stylesheet is optional):\n\n' +
          '```tsx\nimport { ChatProvider, ChatBox } from \'react-ws-chat\';\nimport \'react-ws-chat/styles.css\';\n\n<ChatProvider url="wss://chat.example.com" username="ada">\n  <div className="rwc-chat">\n    <ChatBox style={{ blockSize: 400 }} />\n  </div>\n</ChatProvider>\n```',
      },
    },
  },
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)}>
      <ChatBox {...args} />
    </MockChatProvider>
  ),
} satisfies Meta<typeof ChatBox>;

export default meta;
type Story = StoryObj<typeof meta>;

const MINUTE = 60_000;
const timeFormat = createTimeFormat();
/** When the message of a row was sent, from its `<time dateTime>`. */
const dateOf = (row: HTMLElement) => new Date(row.querySelector('time')!.dateTime).getTime();

function welcome(server: MockChatServer, connection: MockChatConnection) {
  server.send({ type: 'id', id: 1 }, connection);
  server.send({ type: 'userlist', users: ['ada', 'bob', 'eve'] }, connection);
}

/** `count` messages from bob and eve, by runs of three, numbered from `from`. */
function sendMessages(server: MockChatServer, from: number, count: number, start = Date.now() - 30 * MINUTE) {
  for (let i = from; i < from + count; i++) {
    const bob = Math.floor(i / 3) % 2 === 0;
    server.send({ type: 'message', id: bob ? 2 : 3, name: bob ? 'bob' : 'eve', text: `Message ${i}`, date: start + i * 10_000 });
  }
}

export const Empty: Story = {
  ...withMockChatServer({ autoRespond: false, scenario: welcome }),
  play: async ({ canvas }) => {
    const log = getLog(canvas);
    await expect(canvas.getByText('No messages yet')).toBeVisible();
    await expect(log).toHaveAccessibleDescription('No messages yet');
    await expect(log).toHaveAttribute('data-state', 'empty');
    // The rows are not live; new messages are announced by a region of its own, there from the start.
    await expect(log).toHaveAttribute('aria-live', 'off');
    await expect(announcerOf(log).textContent).toBe('');
    await expect(rowsOf(log)).toHaveLength(0);
  },
};

export const MessagesAndNotices: Story = {
  name: 'Messages and notices',
  // Tall enough for every row to be rendered at once (the log is virtualized).
  args: { style: { blockSize: 600 } },
  parameters: {
    docs: {
      description: {
        story:
          'Sign-in notices, a rename notice, a group of three messages from bob (sender and time shown once), eve’s reply with a line break, and an own message (no name over it). Each message is an article named “sender, time: text”; hover one for its full date.',
      },
    },
  },
  ...withMockChatServer({
    autoRespond: false,
    scenario: (server, connection) => {
      server.send({ type: 'id', id: 1 }, connection);
      const start = Date.now() - 10 * MINUTE;
      // bob signs in after ada connected: his name is not in the user list yet.
      server.send({ type: 'username', id: 2, name: 'bob', date: start });
      server.send({ type: 'userlist', users: ['ada', 'bob', 'eve'] }, connection);
      server.send({ type: 'message', id: 2, name: 'bob', text: 'One', date: start + 1000 });
      server.send({ type: 'message', id: 2, name: 'bob', text: 'Two', date: start + 2000 });
      server.send({ type: 'message', id: 2, name: 'bob', text: 'Three', date: start + 3000 });
      server.send({ type: 'message', id: 3, name: 'eve', text: 'First line\nsecond line', date: start + 4000 });
      server.send({ type: 'rejectusername', id: 1, name: 'ada2' });
      server.send({ type: 'message', id: 1, name: 'ada2', text: 'Hi both', date: start + 5000 });
    },
  }),
  play: async ({ canvas }) => {
    const log = getLog(canvas);
    await waitFor(() => expect(rowWithText(log, 'Hi both')).toBeDefined());
    // New rows show once the virtual list has measured them (the next frame).
    await waitFor(() => expect(noticeStartingWith(log, 'User bob signed in at ')).toBeVisible());
    await waitFor(() =>
      expect(noticeStartingWith(log, 'Your username')).toHaveTextContent(
        /^Your username has been set to ada2 because the name you chose is in use\.$/,
      ),
    );
    await expect(['One', 'Two', 'Three'].map((text) => rowWithText(log, text)?.dataset.group)).toEqual(['start', 'continue', 'continue']);
    // Only the first of the group shows the sender and the time; all three keep them for screen readers.
    await waitFor(() => expect(rowWithText(log, 'One')?.querySelector('.rwc-chatbox__sender')).toBeVisible());
    await expect(['One', 'Two', 'Three'].map((text) => shown(rowWithText(log, text)!.querySelector('.rwc-chatbox__sender')!))).toEqual([
      true,
      false,
      false,
    ]);
    await expect(['One', 'Two', 'Three'].map((text) => shown(rowWithText(log, text)!.querySelector('time')!))).toEqual([
      true,
      false,
      false,
    ]);
    const two = rowWithText(log, 'Two')!;
    await expect(canvas.getByRole('article', { name: `bob, ${timeFormat.time(dateOf(two))}: Two` })).toBe(two);
    await expect(two).toHaveAttribute('title', timeFormat.full(dateOf(two)));
    // No own name over an own message: its time only; its name says “You”.
    const own = rowWithText(log, 'Hi both')!;
    await expect(shown(own.querySelector('.rwc-chatbox__sender')!)).toBe(false);
    await expect(shown(own.querySelector('time')!)).toBe(true);
    await expect(canvas.getByRole('article', { name: `You, ${timeFormat.time(dateOf(own))}: Hi both` })).toBe(own);
    // Line breaks are kept (pre-wrap): the bubble is two lines tall.
    const twoLines = rowWithText(log, 'First line\nsecond line')!.querySelector<HTMLElement>('.rwc-chatbox__text')!;
    await expect(getComputedStyle(twoLines).whiteSpace).toBe('pre-wrap');
    const oneLine = rowWithText(log, 'One')!.querySelector<HTMLElement>('.rwc-chatbox__text')!;
    await expect(twoLines.getBoundingClientRect().height).toBeGreaterThan(oneLine.getBoundingClientRect().height * 1.4);
    await expect(rowWithText(log, 'Hi both')).toHaveAttribute('data-own');
    await expect(rowWithText(log, 'Hi both')?.querySelector('time')).toHaveAttribute(
      'dateTime',
      expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    );
  },
};

/** A button that writes “hello” through the chat, standing in for a MessageInput. */
function WriteHello() {
  const send = useSendMessage();
  return (
    <button type="button" onClick={() => send('hello')}>
      Write “hello”
    </button>
  );
}

/** The client has its id and name: what it writes goes out at once. */
const signedIn = (chat: ReturnType<typeof chatServerOf>) => chat.waitForPacket((packet) => 'type' in packet && packet.type === 'username');

/** The story's own render: the log and a button that writes “hello”. */
const withWriteHello: Pick<Story, 'render'> = {
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)}>
      <WriteHello />
      <ChatBox {...args} />
    </MockChatProvider>
  ),
};

export const OwnMessageSending: Story = {
  name: 'Own message: sending',
  parameters: {
    docs: {
      description: {
        story: 'The server takes the message but never echoes it: it stays “Sending”.',
      },
    },
  },
  ...withMockChatServer({ autoRespond: false, scenario: welcome }),
  ...withWriteHello,
  play: async ({ canvas, loaded, userEvent }) => {
    const chat = chatServerOf(loaded);
    const log = getLog(canvas);
    await signedIn(chat);
    await userEvent.click(canvas.getByRole('button', { name: 'Write “hello”' }));
    await waitFor(() => expect(rowWithText(log, 'hello')).toHaveAttribute('data-status', 'sent'));
    await expect(rowWithText(log, 'hello')).toHaveTextContent('Sending');
    await receivedMessage(chat, 'hello');
    await expect(rowWithText(log, 'hello')).toHaveAttribute('data-status', 'sent');
  },
};

export const OwnMessageDelivered: Story = {
  name: 'Own message: delivered',
  parameters: {
    docs: {
      description: {
        story: 'The message first shows “Sending”; the server then echoes it (same nonce): delivered, the “Sending” gone.',
      },
    },
  },
  ...withMockChatServer({ autoRespond: false, scenario: welcome }),
  ...withWriteHello,
  play: async ({ canvas, loaded, userEvent }) => {
    const chat = chatServerOf(loaded);
    const log = getLog(canvas);
    await signedIn(chat);
    await userEvent.click(canvas.getByRole('button', { name: 'Write “hello”' }));
    await waitFor(() => expect(rowWithText(log, 'hello')).toHaveTextContent('Sending'));

    const { packet } = await receivedMessage(chat, 'hello');
    chat.send({ ...packet, name: 'ada' });
    await waitFor(() => expect(rowWithText(log, 'hello')).toHaveAttribute('data-status', 'delivered'));
    await expect(within(log).queryByText('Sending')).toBeNull();
    await expect(rowsOf(log)).toHaveLength(1);
  },
};

/** 40 messages, the log scrolled to its top, then a sign-in and 3 more messages: the reader has not seen them. */
const scrolledUp = {
  ...withMockChatServer({
    autoRespond: false,
    scenario: (server, connection) => {
      welcome(server, connection);
      sendMessages(server, 1, 40);
    },
  }),
  play: async ({ canvas, loaded }: Parameters<NonNullable<Story['play']>>[0]) => {
    const chat = chatServerOf(loaded);
    const log = getLog(canvas);
    await waitFor(() => expect(within(log).getByText('Message 40')).toBeVisible());
    await expect(log).toHaveAttribute('data-state', 'pinned');

    await scrollLogToTop(log);
    await waitFor(() => expect(within(log).getByText('Message 1')).toBeVisible());

    // A notice is no message: the button counts the three messages only.
    chat.send({ type: 'username', id: 4, name: 'dan', date: Date.now() });
    sendMessages(chat, 41, 3, Date.now());
    const button = await canvas.findByRole('button', { name: '3 new messages' });
    // The view stayed where the reader left it.
    await expect(log.scrollTop).toBe(0);
    await expect(within(log).queryByText('Message 43')).toBeNull();
    return { log, button };
  },
};

export const NewMessagesWhileScrolledUp: Story = {
  name: 'New messages while scrolled up',
  parameters: {
    docs: {
      description: {
        story:
          'The reader scrolls up; a sign-in and three messages arrive and leave the view where it is, and a “3 new messages” button (messages, not notices) offers to jump to them. Screen readers hear “3 new messages”.',
      },
    },
  },
  ...scrolledUp,
  play: async (context) => {
    const { log, button } = await scrolledUp.play(context);
    await expect(button).toBeVisible();
    // Announced, once a second at most: the count, not the three texts.
    await waitFor(() => expect(announcerOf(log)).toHaveTextContent(/^3 new messages$/), { timeout: 3000 });
  },
};

export const JumpToNewMessages: Story = {
  name: 'Jumped to the new messages',
  parameters: {
    docs: {
      description: {
        story:
          'As “New messages while scrolled up”, then the reader presses “3 new messages”: the log scrolls to the end and takes the focus.',
      },
    },
  },
  ...scrolledUp,
  play: async (context) => {
    const { canvas, userEvent } = context;
    const { log, button } = await scrolledUp.play(context);
    await userEvent.click(button);
    await waitFor(() => expect(canvas.queryByRole('button', { name: /new message/ })).toBeNull());
    await waitFor(() => expect(within(log).getByText('Message 43')).toBeVisible());
    await expect(log).toHaveAttribute('data-state', 'pinned');
    await expect(log).toHaveFocus();
  },
};
