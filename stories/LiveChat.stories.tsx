import type { Meta, StoryObj } from '@storybook/react-vite';
import { useId, useState, type CSSProperties } from 'react';
import { expect, within } from 'storybook/test';
import { ChatBox, ChatProvider, ConnectionStatus, MessageInput, UserList, UsernameInput } from '../src/components/index.js';
import '../src/styles.css';

/** Props of {@link LiveChatDemo}. */
interface LiveChatDemoProps {
  /** The chat server. Default: the reference server `npm start` runs, `ws://<this page's host>:6502`. */
  server?: string;
}

const grid: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'minmax(0, 1fr) minmax(8rem, 30%)',
  gridTemplateAreas: '"name name" "status status" "log users" "input users"',
  alignItems: 'start',
  gap: '0.75rem',
  maxInlineSize: '56rem',
};

/** What to try, under the chat: every step works under `npm start` (its console's keys are the server's switch). */
function LiveChatSteps() {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} style={{ maxInlineSize: '56rem', marginBlockStart: '1.5rem' }}>
      <h2 id={headingId} style={{ fontSize: '1rem' }}>
        Try it
      </h2>
      <ol>
        <li>Open this story in a second browser tab: each tab is a user (a random guest name; type another and press “Change name”).</li>
        <li>Write in one tab: the message shows in both.</li>
        <li>
          In the terminal running <code>npm start</code>, press <kbd>s</kbd>: the chat server stops (Storybook keeps running) and the status
          shows “Reconnecting”.
        </li>
        <li>Write a message: it shows “Waiting to send”.</li>
        <li>
          Press <kbd>s</kbd> again: the server starts; at the next attempt (the countdown) the status returns to “Connected” and the waiting
          message goes out. (<kbd>r</kbd> restarts the server in one go; <kbd>q</kbd> or Ctrl+C stops both.)
        </li>
      </ol>
    </section>
  );
}

/** A random guest name, `guest-1234`: two tabs get two names. */
const guestName = () => `guest-${String(1000 + Math.floor(Math.random() * 9000))}`;

/** The whole kit, connected to a real chat server. */
function LiveChatDemo({ server }: LiveChatDemoProps) {
  const [username] = useState(guestName);
  const url = server || `ws://${location.hostname}:6502`;
  return (
    <ChatProvider url={url} username={username}>
      <div style={grid}>
        <UsernameInput style={{ gridArea: 'name' }} />
        <ConnectionStatus style={{ gridArea: 'status' }} />
        <ChatBox style={{ gridArea: 'log', blockSize: 400 }} />
        <UserList style={{ gridArea: 'users' }} />
        {/* No autoFocus: focusing the field would scroll the name and status out of the first view. */}
        <MessageInput style={{ gridArea: 'input' }} />
      </div>
      <LiveChatSteps />
    </ChatProvider>
  );
}

const meta = {
  title: 'Chat/Live chat',
  component: LiveChatDemo,
  // The story tests (CI) run no server on port 6502: the play checks only what holds with or
  // without one (the first view, the steps), and axe checks the whole story.
  tags: ['autodocs'],
  parameters: {
    // The story renders its own `.rwc-chat` wrapper (below) instead of the preview's.
    chatWrapper: false,
    docs: {
      description: {
        component:
          'The full chat against the real reference server: run `npm start` (it starts the server on ' +
          '`ws://127.0.0.1:6502` and this Storybook), open this story in two browser tabs, and chat. ' +
          'Each tab starts as a random `guest-NNNN`; type another name and press “Change name” to rename. ' +
          'Press `s` in the `npm start` terminal to stop the chat server alone (Storybook keeps running): the status ' +
          'shows “Reconnecting” and messages written meanwhile wait; press `s` again to start it: at the next attempt the chat ' +
          'reconnects and they go out. ' +
          '`r` restarts the server in one go; `q` or Ctrl+C stops both.',
      },
    },
  },
  argTypes: {
    server: {
      control: 'text',
      description: 'Chat server URL. Empty: `ws://<this page’s host>:6502`, the one `npm start` runs.',
    },
  },
  render: (args, { globals }) => {
    const theme = globals.chatTheme as string | undefined;
    return (
      <div
        className="rwc-chat"
        data-theme={theme === 'light' || theme === 'dark' ? theme : undefined}
        dir={globals.chatDir === 'rtl' ? 'rtl' : undefined}
      >
        <LiveChatDemo {...args} />
      </div>
    );
  },
} satisfies Meta<typeof LiveChatDemo>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Id `chat-live-chat--live-chat`: `npm start` prints its URL. */
export const LiveChat: Story = {
  name: 'Live chat',
  play: async ({ canvas }) => {
    // The first view: the name field and the connection status, whatever the server's state.
    const name = canvas.getByRole<HTMLInputElement>('textbox', { name: 'Your name' });
    await expect(name.value).toMatch(/^guest-\d{4}$/);
    const status = canvas.getByRole('status');
    await expect(status.getAttribute('data-state')).toMatch(/^(connecting|open|reconnecting|offline|closed)$/);
    for (const element of [name, status]) {
      await expect(element).toBeVisible();
      const box = element.getBoundingClientRect();
      await expect(box.top).toBeGreaterThanOrEqual(0);
      await expect(box.bottom).toBeLessThanOrEqual(window.innerHeight);
    }
    await expect(canvas.getByRole('textbox', { name: 'Message' })).not.toHaveFocus();
    // The steps, with the npm start keys that stop and start the server.
    const steps = within(canvas.getByRole('region', { name: 'Try it' })).getAllByRole('listitem');
    await expect(steps).toHaveLength(5);
    await expect(steps[2]).toHaveTextContent('In the terminal running npm start, press s: the chat server stops');
    await expect(steps[4]).toHaveTextContent('Press s again: the server starts; at the next attempt (the countdown) the status returns');
  },
};
