import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import {
  avatars,
  ChatBox,
  ConnectionStatus,
  MessageInput,
  UserList,
  UsernameInput,
  type AvatarRenderer,
} from '../../src/components/index.js';
import { MockChatProvider } from '../support/ChatLayout.js';
import { expectStatus, getLog, getUsers } from '../support/play.js';
import { chatServerOf, connectBots, sayAs, withMockChatServer } from '../support/withMockChatServer.js';

/** Props of {@link QuickStart}: the story's args. */
interface QuickStartProps {
  /** Given to `<ChatProvider avatars>` by the story's render. */
  avatars?: AvatarRenderer;
}

/**
 * The README's quick start plus the name control: the parts as direct children of the `.rwc-chat`
 * wrapper (the stylesheet's column layout), so that on narrow screens the user list is a toggle.
 */
function QuickStart(_: QuickStartProps) {
  return (
    <>
      <UsernameInput />
      <ConnectionStatus />
      <ChatBox style={{ blockSize: 280 }} />
      <UserList tabIndex={0} />
      <MessageInput />
    </>
  );
}

const AVATARS = avatars();

/** A picture for bob (an inline SVG), a broken URL for eve (falls back to her initials). */
const WITH_IMAGES = avatars({
  image: (name) =>
    name === 'bob'
      ? `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4" fill="#2e7d32"/><circle cx="2" cy="1.6" r="0.9" fill="#fff"/></svg>')}`
      : name === 'eve'
        ? '/no-such-avatar.png'
        : null,
});

const MINUTE = 60_000;

/** bob and eve, connected, have talked: bob's two messages form a group. */
const conversation = withMockChatServer({
  setup: (chat) => connectBots(chat, ['bob', 'eve']),
  scenario: (server) => {
    const start = Date.now() - 5 * MINUTE;
    sayAs(server, 'bob', 'Morning! Did the deploy go out?', start);
    sayAs(server, 'bob', 'The staging one, I mean.', start + 20_000);
    sayAs(server, 'eve', 'Yes, at 9. All green.', start + MINUTE);
  },
});

const meta = {
  title: 'Chat/Layout and avatars',
  component: QuickStart,
  subcomponents: { UsernameInput, UserList },
  tags: ['autodocs'],
  parameters: {
    docs: {
      description: {
        component:
          'The stylesheet’s column layout (every part a direct child of `.rwc-chat`) from 320 px to wide screens: under 40rem the user list collapses behind a button with `aria-expanded` in its heading, so the log and the field keep the screen. ' +
          '`<UsernameInput>` is the kit’s name control; `avatars()` (opt-in, `<ChatProvider avatars={avatars()}>`) adds initials on a colour of the name’s, optional pictures and presence.',
      },
    },
  },
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)} avatars={args.avatars}>
      <QuickStart />
    </MockChatProvider>
  ),
} satisfies Meta<typeof QuickStart>;

export default meta;
type Story = StoryObj<typeof meta>;

const PHONE = { viewport: { value: 'mobile1', isRotated: false } };
const TABLET = { viewport: { value: 'tablet', isRotated: false } };

/** The log shows eve's message: the scenario ran. */
async function conversationShown(canvas: Parameters<NonNullable<Story['play']>>[0]['canvas']) {
  await expectStatus(canvas, 'Connected');
  await waitFor(() => expect(within(getLog(canvas)).getByText('Yes, at 9. All green.')).toBeVisible());
}

// ---- narrow screens -----------------------------------------------------------------------------

/** At 320 px: the list is behind its toggle, closed; the field and the log are on screen. */
async function expectCollapsed(canvas: Parameters<NonNullable<Story['play']>>[0]['canvas']) {
  await conversationShown(canvas);
  const toggle = canvas.getByRole('button', { name: 'Users' });
  await expect(toggle).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(canvas.queryByRole('list', { name: 'Users' })).toBeNull();
  await expect(canvas.getByRole('heading', { name: 'Users', level: 2 })).toBeVisible();
  await expect(await canvas.findByText('3 users')).toBeVisible();
  const field = canvas.getByRole('textbox', { name: 'Message' });
  await expect(field.getBoundingClientRect().bottom).toBeLessThanOrEqual(window.innerHeight);
  await expect(document.documentElement.scrollWidth).toBeLessThanOrEqual(window.innerWidth);
}

export const NarrowUsersCollapsed: Story = {
  ...conversation,
  name: 'Phone (320 px): users behind a toggle',
  globals: PHONE,
  parameters: { docs: { description: { story: 'At 320 px the user list is a “Users” button (collapsed) next to the count.' } } },
  play: async ({ canvas }) => expectCollapsed(canvas),
};

export const NarrowUsersCollapsedDark: Story = {
  ...conversation,
  name: 'Phone (320 px), dark',
  globals: PHONE,
  parameters: { chatWrapper: { theme: 'dark' } },
  play: async ({ canvas }) => expectCollapsed(canvas),
};

export const NarrowUsersCollapsedRtl: Story = {
  ...conversation,
  name: 'Phone (320 px), right-to-left',
  globals: PHONE,
  parameters: { chatWrapper: { dir: 'rtl' } },
  play: async ({ canvas }) => expectCollapsed(canvas),
};

export const NarrowUsersOpen: Story = {
  ...conversation,
  name: 'Phone (320 px): users shown',
  globals: PHONE,
  parameters: { docs: { description: { story: 'The play presses “Users”: the list shows (expanded), in a box of its own.' } } },
  play: async ({ canvas, userEvent }) => {
    await expectCollapsed(canvas);
    const toggle = canvas.getByRole('button', { name: 'Users' });
    await userEvent.click(toggle);
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await waitFor(() => expect(getUsers(canvas)).toBeVisible());
    await expect(within(getUsers(canvas)).getAllByRole('listitem')).toHaveLength(3);
    await expect(canvas.getByRole('textbox', { name: 'Message' })).toBeVisible();
  },
};

export const Tablet: Story = {
  ...conversation,
  name: 'Tablet: users always shown',
  globals: TABLET,
  play: async ({ canvas }) => {
    await conversationShown(canvas);
    await expect(canvas.queryByRole('button', { name: 'Users' })).toBeNull();
    await expect(getUsers(canvas)).toBeVisible();
  },
};

// ---- avatars ------------------------------------------------------------------------------------

/** Avatars on the first row of each group of others' messages and on every user, hidden from screen readers. */
async function expectAvatars(canvas: Parameters<NonNullable<Story['play']>>[0]['canvas'], canvasElement: HTMLElement) {
  await conversationShown(canvas);
  const log = getLog(canvas);
  await waitFor(() => expect(log.querySelectorAll('.rwc-avatar')).toHaveLength(2));
  const users = getUsers(canvas);
  await waitFor(() => expect(users.querySelectorAll('.rwc-avatar')).toHaveLength(3));
  for (const avatar of canvasElement.querySelectorAll('.rwc-avatar')) await expect(avatar).toHaveAttribute('aria-hidden', 'true');
  // Everyone is listed and we are connected: all present.
  await expect(canvasElement.querySelectorAll('.rwc-avatar:not([data-present])')).toHaveLength(0);
}

export const Avatars: Story = {
  ...conversation,
  name: 'Avatars',
  args: { avatars: AVATARS },
  parameters: {
    docs: {
      description: {
        story: '`<ChatProvider avatars={avatars()}>`: initials on a colour of the name’s, a dot while the user is present.',
      },
    },
  },
  play: async ({ canvas, canvasElement }) => {
    await expectAvatars(canvas, canvasElement);
    const [bob] = getLog(canvas).querySelectorAll('.rwc-avatar');
    await expect(bob).toHaveTextContent('B');
  },
};

export const AvatarsDark: Story = {
  ...conversation,
  name: 'Avatars, dark',
  args: { avatars: AVATARS },
  parameters: { chatWrapper: { theme: 'dark' } },
  play: async ({ canvas, canvasElement }) => expectAvatars(canvas, canvasElement),
};

export const AvatarsRtl: Story = {
  ...conversation,
  name: 'Avatars, right-to-left, on a phone',
  args: { avatars: AVATARS },
  globals: PHONE,
  parameters: { chatWrapper: { dir: 'rtl' } },
  play: async ({ canvas, canvasElement, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Users' }));
    await expectAvatars(canvas, canvasElement);
  },
};

export const AvatarImages: Story = {
  ...conversation,
  name: 'Avatars with pictures (one broken)',
  args: { avatars: WITH_IMAGES },
  parameters: {
    docs: {
      description: {
        story: '`avatars({ image })`: bob has a picture; eve’s URL fails, so her initials show instead; ada has none.',
      },
    },
  },
  play: async ({ canvas, canvasElement }) => {
    await expectAvatars(canvas, canvasElement);
    const items = within(getUsers(canvas)).getAllByRole('listitem');
    const avatarOf = (i: number) => items[i]!.querySelector('.rwc-avatar')!;
    await waitFor(() => expect(avatarOf(1).querySelector('img')).toHaveProperty('naturalWidth', expect.any(Number)));
    await expect(avatarOf(1)).toHaveAttribute('data-image');
    await waitFor(() => expect(avatarOf(2).querySelector('img')).toBeNull());
    await expect(avatarOf(2)).toHaveTextContent('E');
    await expect(avatarOf(0)).toHaveTextContent('A');
  },
};

export const AvatarsOffline: Story = {
  ...conversation,
  name: 'Avatars while offline: no presence',
  args: { avatars: AVATARS },
  parameters: {
    docs: { description: { story: 'The connection drops and the next attempt is a minute away: no one is shown present.' } },
  },
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)} avatars={args.avatars} reconnect={{ initialDelay: 60_000, random: () => 0.999 }}>
      <ConnectionStatus />
      <ChatBox style={{ blockSize: 280 }} />
      <UserList tabIndex={0} />
      <MessageInput />
    </MockChatProvider>
  ),
  play: async ({ canvas, canvasElement, loaded }) => {
    await expectAvatars(canvas, canvasElement);
    chatServerOf(loaded).close({ code: 1006 });
    await canvas.findByRole('list', { name: 'Users (offline)' });
    await waitFor(() => expect(canvasElement.querySelectorAll('.rwc-avatar[data-present]')).toHaveLength(0));
  },
};
