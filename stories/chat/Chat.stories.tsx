import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import type { MockChatServer, MockChatConnection } from '../../src/testing/index.js';
import { ChatBox, ChatProvider, ConnectionStatus, MessageInput, UserList } from '../../src/components/index.js';
import { ChatLayout, MockChatProvider } from '../support/ChatLayout.js';
import { LetItConnect, gateLoader, gateOf, gatedUrl } from '../support/gate.js';
import { expectStatus, getLog, getUsers, luminance, noticeStartingWith, rowWithText, rowsOf, scrollLogToTop } from '../support/play.js';
import { chatServerOf, connectBots, receivedMessage, sayAs, withMockChatServer } from '../support/withMockChatServer.js';

const meta = {
  title: 'Chat/Full chat',
  component: ChatLayout,
  // The docs page's prop tables: the provider and each part.
  subcomponents: { ChatProvider, ChatBox, UserList, MessageInput, ConnectionStatus },
  tags: ['autodocs'],
  parameters: {
    docs: {
      description: {
        component:
          'The four components together (`ConnectionStatus`, `ChatBox`, `UserList`, `MessageInput`) in one `ChatProvider`, ' +
          'inside the stylesheet’s `.rwc-chat` wrapper. Each story talks to its own in-page mock chat server speaking the MDN protocol.' +
          '\n\n**Usage** (README’s quick start; `npx react-ws-chat-server` runs the server):\n\n' +
          '```tsx\nimport { ChatBox, ChatProvider, ConnectionStatus, MessageInput, UserList } from \'react-ws-chat\';\nimport \'react-ws-chat/styles.css\';\n\n<ChatProvider url="ws://127.0.0.1:6502" username="ada">\n  <div className="rwc-chat">\n    <ConnectionStatus />\n    <ChatBox style={{ blockSize: 400 }} />\n    <UserList />\n    <MessageInput />\n  </div>\n</ChatProvider>\n```',
      },
    },
  },
  // Every story renders from its own server (`loaded.chat`).
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)}>
      <ChatLayout {...args} />
    </MockChatProvider>
  ),
} satisfies Meta<typeof ChatLayout>;

export default meta;
type Story = StoryObj<typeof meta>;

const MINUTE = 60_000;

/** Server-side helpers for scripted (autoRespond: false) scenarios. */
function welcome(server: MockChatServer, connection: MockChatConnection, users: readonly (string | null)[], id = 1) {
  server.send({ type: 'id', id }, connection);
  server.send({ type: 'userlist', users }, connection);
}

// ---- connecting / empty -------------------------------------------------------------------------

const connecting = withMockChatServer();

export const Connecting: Story = {
  parameters: {
    docs: {
      description: {
        story:
          'The URL is an async function that resolves only when you click “Let it connect”: until then the connection is CONNECTING, with no socket yet.',
      },
    },
  },
  beforeEach: connecting.beforeEach,
  loaders: [...connecting.loaders, gateLoader],
  render: (args, { loaded }) => {
    const chat = chatServerOf(loaded);
    const gate = gateOf(loaded);
    return (
      <MockChatProvider chat={chat} url={gatedUrl(gate, chat.url)}>
        <ChatLayout {...args}>
          <LetItConnect gate={gate} />
        </ChatLayout>
      </MockChatProvider>
    );
  },
  play: async ({ canvas, loaded }) => {
    const chat = chatServerOf(loaded);
    await expectStatus(canvas, 'Connecting…');
    await expect(canvas.getByRole('status')).toHaveAttribute('data-state', 'connecting');
    await expect(getLog(canvas)).toHaveAccessibleDescription('No messages yet');
    await expect(canvas.getByText('0 users')).toBeVisible();
    await expect(chat.connections).toHaveLength(0);
    // Writing works before there is a connection: the message waits.
    await expect(canvas.getByRole('textbox', { name: 'Message' })).toBeEnabled();
    // The play leaves the gate shut, so the story rests in CONNECTING (connected: “Empty”, next).
    await expect(canvas.getByRole('button', { name: 'Let it connect' })).toBeEnabled();
  },
};

export const Empty: Story = {
  parameters: {
    docs: { description: { story: 'Connected and signed in as ada; nobody has written anything yet.' } },
  },
  ...withMockChatServer({ autoRespond: false, scenario: (server, connection) => welcome(server, connection, ['ada']) }),
  play: async ({ canvas }) => {
    await expectStatus(canvas, 'Connected');
    const log = getLog(canvas);
    await expect(canvas.getByText('No messages yet')).toBeVisible();
    await expect(log).toHaveAccessibleDescription('No messages yet');
    await expect(log).toHaveAttribute('data-state', 'empty');
    await expect(rowsOf(log)).toHaveLength(0);
    await waitFor(() => expect(within(getUsers(canvas)).getByRole('listitem')).toHaveTextContent('ada (you)'));
    await expect(canvas.getByText('1 user')).toBeVisible();
    await expect(canvas.getByRole('textbox', { name: 'Message' })).toHaveValue('');
    await expect(canvas.getByRole('button', { name: 'Send' })).toBeEnabled();
  },
};

// ---- conversation -------------------------------------------------------------------------------

export const Conversation: Story = {
  parameters: {
    docs: {
      description: {
        story:
          'bob and eve are connected (real clients of the mock server) and talk as ada joins: bob’s first two messages form a group. ' +
          'The play writes “hello”: it shows at once, then is delivered when the server echoes it.',
      },
    },
  },
  ...withMockChatServer({
    setup: (chat) => connectBots(chat, ['bob', 'eve']),
    scenario: (server) => {
      const start = Date.now() - 10 * MINUTE;
      sayAs(server, 'bob', 'Morning! Did the deploy go out?', start);
      sayAs(server, 'bob', 'The staging one, I mean.', start + 20_000);
      sayAs(server, 'eve', 'Yes, at 9. All green.', start + MINUTE);
      sayAs(server, 'bob', 'Great, thanks 🎉', start + 2 * MINUTE);
    },
  }),
  play: async ({ canvas, loaded, userEvent }) => {
    const chat = chatServerOf(loaded);
    await expectStatus(canvas, 'Connected');
    const log = getLog(canvas);
    const log$ = within(log);
    await waitFor(() => expect(log$.getByText('Great, thanks 🎉')).toBeVisible());
    await waitFor(() => expect(noticeStartingWith(log, 'User ada signed in at ')).toBeVisible());

    // bob's run: the second message continues the group, its sender hidden from sight only.
    const first = rowWithText(log, 'Morning! Did the deploy go out?');
    const second = rowWithText(log, 'The staging one, I mean.');
    await expect(first).toHaveAttribute('data-group', 'start');
    await expect(second).toHaveAttribute('data-group', 'continue');
    await expect(second?.querySelector('.rwc-chatbox__sender')).toHaveTextContent('bob');
    await expect(second?.querySelector('.rwc-chatbox__sender')).toHaveClass('rwc-visually-hidden');
    await expect(rowWithText(log, 'Yes, at 9. All green.')).toHaveAttribute('data-group', 'start');

    const users = within(getUsers(canvas));
    await waitFor(() => expect(users.getAllByRole('listitem').map((item) => item.textContent)).toEqual(['ada (you)', 'bob', 'eve']));
    await expect(canvas.getByText('3 users')).toBeVisible();

    const field = canvas.getByRole('textbox', { name: 'Message' });
    await userEvent.type(field, 'hello{Enter}');
    await expect(field).toHaveValue('');
    await expect(field).toHaveFocus();
    await receivedMessage(chat, 'hello');
    await waitFor(() => expect(rowWithText(log, 'hello')).toHaveAttribute('data-status', 'delivered'));
    const own = rowWithText(log, 'hello');
    await expect(own).toHaveAttribute('data-own');
    await expect(log$.queryByText('Waiting to send')).toBeNull();
    await expect(log$.queryByText('Sending')).toBeNull();
    await expect(log).toHaveAttribute('data-state', 'pinned');
  },
};

export const UsernameRejected: Story = {
  name: 'Username rejected',
  parameters: {
    docs: {
      description: {
        story: 'Someone is already connected as “ada”: the server gives this user “ada2” instead, and the chat says so.',
      },
    },
  },
  ...withMockChatServer({ setup: (chat) => connectBots(chat, ['ada']) }),
  play: async ({ canvas }) => {
    await expectStatus(canvas, 'Connected');
    const log = getLog(canvas);
    await waitFor(() =>
      expect(noticeStartingWith(log, 'Your username')).toHaveTextContent(
        /^Your username has been set to ada2 because the name you chose is in use\.$/,
      ),
    );
    await waitFor(() => expect(noticeStartingWith(log, 'User ada2 signed in at ')).toBeVisible());
    const users = within(getUsers(canvas));
    await waitFor(() => expect(users.getAllByRole('listitem').map((item) => item.textContent)).toEqual(['ada2 (you)', 'ada']));
    await expect(canvas.getByText('2 users')).toBeVisible();
  },
};

// ---- volume and size ----------------------------------------------------------------------------

const MANY_USERS: (string | null)[] = Array.from({ length: 300 }, (_, i) => (i === 150 ? 'ada' : i % 10 === 9 ? null : `user ${i + 1}`));

export const ManyUsers: Story = {
  name: 'Many users',
  parameters: {
    docs: { description: { story: '300 connected users, 30 of them without a name yet; ada, the current user, is listed first.' } },
  },
  ...withMockChatServer({ autoRespond: false, scenario: (server, connection) => welcome(server, connection, MANY_USERS) }),
  play: async ({ canvas }) => {
    await expectStatus(canvas, 'Connected');
    await waitFor(() => expect(canvas.getByText('300 users')).toBeVisible());
    const list = getUsers(canvas);
    await expect(list).toHaveAccessibleDescription('300 users');
    const items = within(list).getAllByRole('listitem');
    await expect(items).toHaveLength(300);
    await expect(items[0]).toHaveTextContent('ada (you)');
    await expect(items[1]).toHaveTextContent('user 1');
    await expect(within(list).getAllByText('(no name yet)')).toHaveLength(30);
    await expect(within(list).getAllByText('(you)')).toHaveLength(1);
    // The list scrolls in its own box: the message field stays on screen (#14: it was 4 774 px down).
    const box = list.parentElement!;
    await expect(box.scrollHeight).toBeGreaterThan(box.clientHeight);
    await expect(canvas.getByRole('textbox').getBoundingClientRect().bottom).toBeLessThanOrEqual(window.innerHeight);
  },
};

/** 64 characters, breakable only at its spaces and hyphens. */
const LONG_NAME = 'Maria-Magdalena Wolfeschlegelsteinhausen-Bergerdorff von Sonnenb';
/** 64 characters without a single break opportunity. */
const UNBROKEN_NAME = 'Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftsch';
const LONG_WORD = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(12).slice(0, 400);
const LONG_TEXT = Array.from({ length: 5000 }, (_, i) => 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '[i % 57]).join('');

/** Nothing in the log sticks out sideways: not the log, not a rendered row, not a bubble. */
async function expectNoHorizontalOverflow(log: HTMLElement) {
  await expect(log.scrollWidth).toBeLessThanOrEqual(log.clientWidth);
  const right = log.getBoundingClientRect().right + 0.5;
  for (const row of rowsOf(log)) {
    await expect(row.scrollWidth).toBeLessThanOrEqual(row.clientWidth);
    for (const part of row.querySelectorAll('*')) await expect(part.getBoundingClientRect().right).toBeLessThanOrEqual(right);
  }
}

export const VeryLongContent: Story = {
  name: 'Very long messages and names',
  parameters: {
    docs: {
      description: {
        story: `A ${LONG_NAME.length}-character name, a ${LONG_WORD.length}-character word and a ${LONG_TEXT.length}-character message: they wrap, nothing scrolls sideways.`,
      },
    },
  },
  ...withMockChatServer({
    autoRespond: false,
    scenario: (server, connection) => {
      welcome(server, connection, [LONG_NAME, 'ada']);
      const date = Date.now() - 5 * MINUTE;
      server.send({ type: 'message', id: 2, name: LONG_NAME, text: 'Hi, sorry about the name.', date });
      server.send({ type: 'message', id: 2, name: LONG_NAME, text: LONG_WORD, date: date + 1000 });
      server.send({ type: 'message', id: 3, name: 'bob', text: LONG_TEXT, date: date + 2000 });
    },
  }),
  play: async ({ canvas }) => {
    await expectStatus(canvas, 'Connected');
    const log = getLog(canvas);
    // Pinned to the end: the 5 000-character message, whole.
    await waitFor(() => expect(rowWithText(log, LONG_TEXT)).toBeDefined());
    await expectNoHorizontalOverflow(log);
    // The rows above it, once scrolled to (the log is virtualized).
    await scrollLogToTop(log);
    await waitFor(() => expect(rowWithText(log, LONG_WORD)).toBeDefined());
    const named = await waitFor(() => rowWithText(log, 'Hi, sorry about the name.') ?? Promise.reject(new Error('not rendered')));
    await expect(named.querySelector('.rwc-chatbox__sender')).toHaveTextContent(LONG_NAME);
    await expectNoHorizontalOverflow(log);
    // The user list wraps the name too.
    const users = getUsers(canvas);
    await expect(within(users).getByText(LONG_NAME)).toBeVisible();
    await expect(users.scrollWidth).toBeLessThanOrEqual(users.clientWidth);
  },
};

export const UnbrokenLongName: Story = {
  name: 'Unbroken 64-character name',
  parameters: {
    docs: {
      description: {
        story: `A ${UNBROKEN_NAME.length}-character name with no break opportunity wraps inside the log and the user list.`,
      },
    },
  },
  ...withMockChatServer({
    autoRespond: false,
    scenario: (server, connection) => {
      welcome(server, connection, [UNBROKEN_NAME, 'ada']);
      server.send({ type: 'message', id: 2, name: UNBROKEN_NAME, text: 'Hi, sorry about the name.', date: Date.now() - MINUTE });
    },
  }),
  play: async ({ canvas }) => {
    await expectStatus(canvas, 'Connected');
    const log = getLog(canvas);
    await waitFor(() => expect(rowWithText(log, 'Hi, sorry about the name.')).toBeDefined());
    const users = getUsers(canvas);
    await expect(users.scrollWidth).toBeLessThanOrEqual(users.clientWidth);
    await expectNoHorizontalOverflow(log);
  },
};

// ---- direction and theme ------------------------------------------------------------------------

export const RightToLeft: Story = {
  name: 'Right-to-left',
  parameters: {
    chatWrapper: { dir: 'rtl' },
    docs: {
      description: {
        story:
          'In `dir="rtl"` the layout mirrors (logical properties): own messages sit on the left (the inline end), others’ on the right. Mixed scripts: see Chat/Mixed directions.',
      },
    },
  },
  ...withMockChatServer({
    autoRespond: false,
    scenario: (server, connection) => {
      welcome(server, connection, ['دانة', 'יוסף', 'نور']);
      const date = Date.now() - 3 * MINUTE;
      server.send({ type: 'message', id: 2, name: 'יוסף', text: 'שלום לכולם!', date });
      server.send({ type: 'message', id: 3, name: 'نور', text: 'مرحبا، كيف حالكم؟', date: date + 30_000 });
      // id 1 is this client: an own message (e.g. from another tab).
      server.send({ type: 'message', id: 1, name: 'دانة', text: 'بخير، شكرا', date: date + 60_000 });
    },
  }),
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)} username="دانة">
      <ChatLayout {...args} />
    </MockChatProvider>
  ),
  play: async ({ canvas }) => {
    await expectStatus(canvas, 'Connected');
    const log = getLog(canvas);
    await waitFor(() => expect(rowWithText(log, 'بخير، شكرا')).toBeDefined());
    await expect(getComputedStyle(log).direction).toBe('rtl');
    const own = rowWithText(log, 'بخير، شكرا')!;
    const other = rowWithText(log, 'שלום לכולם!')!;
    await expect(own).toHaveAttribute('data-own');
    // styles.css: an own row is `text-align: end` and its bubble, in an RTL row, has
    // `margin-right: auto`: the bubble is pushed to the left, the inline end.
    await expect(getComputedStyle(own).textAlign).toBe('end');
    const ownBubble = own.querySelector<HTMLElement>('.rwc-chatbox__text')!;
    const otherBubble = other.querySelector<HTMLElement>('.rwc-chatbox__text')!;
    await expect(parseFloat(getComputedStyle(ownBubble).marginRight)).toBeGreaterThan(0);
    const gaps = (row: HTMLElement, bubble: HTMLElement) => {
      const r = row.getBoundingClientRect();
      const b = bubble.getBoundingClientRect();
      return { left: b.left - r.left, right: r.right - b.right };
    };
    const ownGaps = gaps(own, ownBubble);
    const otherGaps = gaps(other, otherBubble);
    await expect(ownGaps.left).toBeLessThan(ownGaps.right);
    await expect(otherGaps.right).toBeLessThan(otherGaps.left);
    // The user list is on the inline end side too: left of the log.
    const users = getUsers(canvas);
    await expect(users.getBoundingClientRect().right).toBeLessThanOrEqual(log.getBoundingClientRect().left);
    await expect(within(users).getAllByRole('listitem')[0]).toHaveTextContent('دانة (you)');
  },
};

export const DarkTheme: Story = {
  name: 'Dark theme',
  parameters: {
    chatWrapper: { theme: 'dark' },
    docs: { description: { story: '`data-theme="dark"` on the `.rwc-chat` wrapper, whatever the system prefers.' } },
  },
  ...withMockChatServer({
    setup: (chat) => connectBots(chat, ['bob']),
    scenario: (server) => sayAs(server, 'bob', 'Dark mode, easy on the eyes.', Date.now() - MINUTE),
  }),
  play: async ({ canvas, canvasElement }) => {
    await expectStatus(canvas, 'Connected');
    await waitFor(() => expect(within(getLog(canvas)).getByText('Dark mode, easy on the eyes.')).toBeVisible());
    const wrapper = canvasElement.querySelector<HTMLElement>('.rwc-chat')!;
    await expect(wrapper).toHaveAttribute('data-theme', 'dark');
    const style = getComputedStyle(wrapper);
    await expect(luminance(style.backgroundColor)).toBeLessThan(0.2);
    await expect(luminance(style.color)).toBeGreaterThan(0.6);
    await expect(style.colorScheme).toBe('dark');
    const field = canvas.getByRole('textbox', { name: 'Message' });
    await expect(luminance(getComputedStyle(field).backgroundColor)).toBeLessThan(0.2);
  },
};

// ---- 10 000 messages ----------------------------------------------------------------------------

const FLOOD = 10_000;

export const TenThousandMessages: Story = {
  name: '10 000 messages',
  parameters: {
    docs: {
      description: {
        story: `The server sends ${FLOOD.toLocaleString('en')} messages as ada connects. The log is virtualized: only the rows in view are in the DOM.`,
      },
    },
  },
  ...withMockChatServer({
    autoRespond: false,
    scenario: (server, connection) => {
      welcome(server, connection, ['ada', 'bob', 'eve']);
      const start = Date.now() - FLOOD * 1000;
      for (let i = 1; i <= FLOOD; i++) {
        const bob = Math.floor(i / 3) % 2 === 0;
        server.send(
          { type: 'message', id: bob ? 2 : 3, name: bob ? 'bob' : 'eve', text: `Message ${i}`, date: start + i * 1000 },
          connection,
        );
      }
    },
  }),
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)} maxEntries={FLOOD}>
      <ChatLayout {...args} />
    </MockChatProvider>
  ),
  play: async ({ canvas }) => {
    await expectStatus(canvas, 'Connected');
    const log = getLog(canvas);
    const last = await within(log).findByText(`Message ${FLOOD}`, {}, { timeout: 5000 });
    await waitFor(() => {
      const box = log.getBoundingClientRect();
      const row = last.getBoundingClientRect();
      expect(row.top).toBeGreaterThanOrEqual(box.top);
      expect(row.bottom).toBeLessThanOrEqual(box.bottom);
    });
    await expect(last).toBeVisible();
    await expect(rowsOf(log).length).toBeGreaterThan(0);
    await expect(rowsOf(log).length).toBeLessThan(100);
    await expect(within(log).queryByText('Message 1')).toBeNull();
    await expect(log).toHaveAttribute('data-state', 'pinned');
  },
};

// ---- reconnecting and disconnected --------------------------------------------------------------

export const ReconnectingWithPendingMessages: Story = {
  name: 'Reconnecting with pending messages',
  parameters: {
    docs: {
      description: {
        story:
          'After ada connects, the server drops the connection (1006) and stays down; the next attempt is about 20 s away. ' +
          'Messages written meanwhile show at once, “Waiting to send”.',
      },
    },
  },
  ...withMockChatServer(),
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)} reconnect={{ initialDelay: 20_000, random: () => 0.999 }}>
      <ChatLayout {...args} />
    </MockChatProvider>
  ),
  play: async ({ canvas, loaded, userEvent }) => {
    const chat = chatServerOf(loaded);
    await expectStatus(canvas, 'Connected');
    await waitFor(() => expect(within(getUsers(canvas)).getByRole('listitem')).toHaveTextContent('ada (you)'));

    chat.close({ code: 1006 });
    await expectStatus(canvas, /^Reconnecting in (19|20) s \(attempt 1\)/);
    await expect(canvas.getByRole('status')).toHaveAttribute('data-state', 'reconnecting');

    const field = canvas.getByRole('textbox', { name: 'Message' });
    await userEvent.type(field, 'Are you there?{Enter}');
    await userEvent.type(field, 'Hello?{Enter}');
    const log = getLog(canvas);
    for (const text of ['Are you there?', 'Hello?']) {
      await waitFor(() => expect(rowWithText(log, text)).toHaveAttribute('data-status', 'pending'));
      await expect(rowWithText(log, text)).toHaveTextContent('Waiting to send');
    }
    await expect(within(log).getAllByText('Waiting to send')).toHaveLength(2);
    await expect(chat.received.filter(({ packet }) => 'type' in packet && packet.type === 'message')).toHaveLength(0);
    await expectStatus(canvas, /^Reconnecting in \d+ s \(attempt 1\)/);
  },
};

export const DisconnectedNoSubProtocol: Story = {
  name: 'Disconnected: no sub-protocol',
  parameters: {
    docs: {
      description: {
        story:
          'The server accepts the connection but selects none of the offered sub-protocols (`json`): the client closes, reports it and does not retry.',
      },
    },
  },
  ...withMockChatServer({ selectProtocol: () => '' }),
  play: async ({ canvas }) => {
    await expectStatus(canvas, 'Disconnected');
    const status = canvas.getByRole('status');
    await expect(status).toHaveAttribute('data-state', 'closed');
    await expect(status).toHaveTextContent('Error: The server selected none of the offered sub-protocols (json).');
    await expect(status.querySelector('[data-error-kind]')).toHaveAttribute('data-error-kind', 'protocol');
  },
};

export const DisconnectedPolicyViolation: Story = {
  name: 'Disconnected: policy violation',
  parameters: {
    docs: {
      description: {
        story: 'The server closes the connection with 1008 (policy violation): the client was at fault, so it does not retry.',
      },
    },
  },
  ...withMockChatServer({
    scenario: (server) => server.close({ code: 1008, reason: 'Too many messages' }),
  }),
  play: async ({ canvas, loaded }) => {
    await expectStatus(canvas, 'Disconnected: refused by the server. Wait a minute, then reconnect');
    await expect(canvas.getByRole('status')).toHaveAttribute('data-state', 'closed');
    await expect(canvas.getByRole('status')).not.toHaveTextContent('Reconnecting');
    await expect(chatServerOf(loaded).connections).toHaveLength(1);
  },
};

// ---- hostile content ----------------------------------------------------------------------------

const HOSTILE = {
  img: '<img src=x onerror="window.__pwned=1">',
  script: '<script>window.__pwned=1</script>',
  link: 'javascript:window.__pwned=1',
  markdownLink: '[click me](javascript:window.__pwned=1)',
  svg: '"><svg onload=window.__pwned=1>',
  entity: '&lt;b&gt;not bold&lt;/b&gt; &amp; <b>not bold either</b>',
  iframe: '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
} as const;

export const HostileContent: Story = {
  name: 'Hostile content',
  // Tall enough for every row to be rendered at once (the log is virtualized).
  args: { chatBox: { style: { blockSize: 720 } } },
  parameters: {
    docs: {
      description: {
        story: 'Names and texts full of markup and `javascript:` URLs: everything shows as the text it is; nothing is parsed as HTML.',
      },
    },
  },
  ...withMockChatServer({
    autoRespond: false,
    setup: () => {
      delete (window as { __pwned?: unknown }).__pwned;
    },
    scenario: (server, connection) => {
      welcome(server, connection, [HOSTILE.img, HOSTILE.svg, null, 'ada']);
      const date = Date.now() - MINUTE;
      server.send({ type: 'message', id: 2, name: HOSTILE.img, text: HOSTILE.script, date });
      server.send({ type: 'message', id: 3, name: HOSTILE.svg, text: HOSTILE.link, date: date + 1000 });
      server.send({ type: 'message', id: 3, name: HOSTILE.svg, text: HOSTILE.markdownLink, date: date + 2000 });
      server.send({ type: 'message', id: 2, name: HOSTILE.img, text: HOSTILE.entity, date: date + 3000 });
      server.send({ type: 'message', id: 2, name: HOSTILE.img, text: HOSTILE.iframe, date: date + 4000 });
      server.send({ type: 'message', id: 2, name: HOSTILE.img, text: HOSTILE.img, date: date + 5000 });
      server.send({ type: 'username', id: 4, name: HOSTILE.script, date: date + 6000 });
    },
  }),
  play: async ({ canvas, canvasElement }) => {
    await expectStatus(canvas, 'Connected');
    const log = getLog(canvas);
    await waitFor(() => expect(rowWithText(log, HOSTILE.img)).toBeDefined());
    for (const text of [HOSTILE.script, HOSTILE.link, HOSTILE.markdownLink, HOSTILE.entity, HOSTILE.iframe, HOSTILE.img]) {
      await expect(rowWithText(log, text)).toBeDefined();
    }
    const senders = [...log.querySelectorAll('.rwc-chatbox__sender')].map((sender) => sender.textContent);
    await expect(senders).toContain(HOSTILE.img);
    await expect(senders).toContain(HOSTILE.svg);
    // New rows show once the virtual list has measured them (the next frame).
    await waitFor(() => expect(noticeStartingWith(log, `User ${HOSTILE.script} signed in at `)).toBeVisible());
    const users = within(getUsers(canvas));
    await expect(users.getByText(HOSTILE.img)).toBeVisible();
    await expect(users.getByText(HOSTILE.svg)).toBeVisible();

    const chat = canvasElement.querySelector('.rwc-chat')!;
    await expect(chat.querySelectorAll('img, script, svg, iframe, a, b, object, embed')).toHaveLength(0);
    await expect((window as { __pwned?: unknown }).__pwned).toBeUndefined();
  },
};
