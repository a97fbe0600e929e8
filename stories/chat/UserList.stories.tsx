import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { UserList } from '../../src/components/index.js';
import { MockChatProvider } from '../support/ChatLayout.js';
import { getUsers } from '../support/play.js';
import { chatServerOf, withMockChatServer } from '../support/withMockChatServer.js';

const meta = {
  title: 'Chat/UserList',
  component: UserList,
  tags: ['autodocs'],
  parameters: {
    docs: {
      description: {
        component:
          'The connected users as the server last listed them: the current user first, marked “(you)”; users without a name yet as “(no name yet)”.' +
          '\n\n**Usage** (inside a `ChatProvider`; the stylesheet is optional):\n\n' +
          '```tsx\nimport { ChatProvider, UserList } from \'react-ws-chat\';\nimport \'react-ws-chat/styles.css\';\n\n<ChatProvider url="wss://chat.example.com" username="ada">\n  <div className="rwc-chat">\n    <UserList headingLevel={3} />\n  </div>\n</ChatProvider>\n```',
      },
    },
  },
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)}>
      <UserList {...args} />
    </MockChatProvider>
  ),
} satisfies Meta<typeof UserList>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A server that gives the client id 1 and then lists `users` (or lists nobody when undefined). */
const listing = (users?: readonly (string | null)[]) =>
  withMockChatServer({
    autoRespond: false,
    scenario: (server, connection) => {
      server.send({ type: 'id', id: 1 }, connection);
      if (users) server.send({ type: 'userlist', users }, connection);
    },
  });

const itemTexts = (list: HTMLElement) =>
  within(list)
    .queryAllByRole('listitem')
    .map((item) => item.textContent);

export const Empty: Story = {
  parameters: { docs: { description: { story: 'Connected, but the server has not listed anyone yet.' } } },
  ...listing(),
  play: async ({ canvas, loaded }) => {
    await chatServerOf(loaded).waitForPacket((packet) => 'type' in packet && packet.type === 'username');
    const list = getUsers(canvas);
    await expect(canvas.getByRole('heading', { name: 'Users', level: 2 })).toBeVisible();
    await expect(list).toHaveAccessibleDescription('0 users');
    await expect(itemTexts(list)).toEqual([]);
    await expect(list.closest('.rwc-user-list')).toHaveAttribute('data-empty');
  },
};

export const One: Story = {
  ...listing(['ada']),
  play: async ({ canvas }) => {
    const list = getUsers(canvas);
    await waitFor(() => expect(itemTexts(list)).toEqual(['ada (you)']));
    await expect(list).toHaveAccessibleDescription('1 user');
    await expect(within(list).getByRole('listitem')).toHaveAttribute('data-self');
  },
};

const MANY = ['bob', 'eve', null, ...Array.from({ length: 36 }, (_, i) => `guest ${i + 1}`), 'ada', null];

export const Many: Story = {
  parameters: {
    docs: { description: { story: `${MANY.length} users, two without a name yet; ada is listed first whatever the server’s order.` } },
  },
  ...listing(MANY),
  play: async ({ canvas }) => {
    const list = getUsers(canvas);
    await waitFor(() => expect(list).toHaveAccessibleDescription(`${MANY.length} users`));
    const texts = itemTexts(list);
    await expect(texts).toHaveLength(MANY.length);
    await expect(texts.slice(0, 4)).toEqual(['ada (you)', 'bob', 'eve', '(no name yet)']);
    await expect(within(list).getAllByText('(no name yet)')).toHaveLength(2);
    await expect(canvas.getByText(`${MANY.length} users`)).toBeVisible();
  },
};

export const Duplicates: Story = {
  parameters: {
    docs: {
      description: {
        story:
          'The same name twice (a server that does not enforce unique names), two unnamed users, and a user literally called “null”: each gets its own row; only the first “ada” is “(you)”.',
      },
    },
  },
  ...listing(['bob', 'ada', 'bob', null, 'ada', null, 'null']),
  play: async ({ canvas }) => {
    const list = getUsers(canvas);
    await waitFor(() => expect(itemTexts(list)).toEqual(['ada (you)', 'bob', 'bob', '(no name yet)', 'ada', '(no name yet)', 'null']));
    await expect(list).toHaveAccessibleDescription('7 users');
    await expect(within(list).getAllByText('(you)')).toHaveLength(1);
    await expect(list.querySelectorAll('[data-unnamed]')).toHaveLength(2);
  },
};

export const Offline: Story = {
  name: 'Offline: the last list known',
  parameters: {
    docs: {
      description: {
        story:
          'The connection drops (1006) and the next attempt is a minute away: the list stays, as the last one known, dimmed and named “Users (offline)”.',
      },
    },
  },
  ...listing(['ada', 'bob', 'carol']),
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)} reconnect={{ initialDelay: 60_000, random: () => 0.999 }}>
      <UserList {...args} />
    </MockChatProvider>
  ),
  play: async ({ canvas, loaded }) => {
    await waitFor(() => expect(itemTexts(getUsers(canvas))).toEqual(['ada (you)', 'bob', 'carol']));
    chatServerOf(loaded).close({ code: 1006 });
    const list = await canvas.findByRole('list', { name: 'Users (offline)' });
    await expect(canvas.getByRole('heading', { name: 'Users (offline)', level: 2 })).toBeVisible();
    await expect(list.closest('.rwc-user-list')).toHaveAttribute('data-offline');
    await expect(itemTexts(list)).toEqual(['ada (you)', 'bob', 'carol']);
  },
};
