import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState, type CSSProperties } from 'react';
import { ChatBox, ChatProvider, ConnectionStatus, MessageInput, UserList } from '../src/components/index.js';
import { NameField } from './support/NameField.js';
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

/** A random guest name, `guest-1234`: two tabs get two names. */
const guestName = () => `guest-${String(1000 + Math.floor(Math.random() * 9000))}`;

/** The whole kit, connected to a real chat server. */
function LiveChatDemo({ server }: LiveChatDemoProps) {
  const [username] = useState(guestName);
  const url = server || `ws://${location.hostname}:6502`;
  return (
    <ChatProvider url={url} username={username}>
      <div style={grid}>
        <NameField style={{ gridArea: 'name', display: 'flex', gap: '0.5rem', alignItems: 'center' }} />
        <ConnectionStatus style={{ gridArea: 'status' }} />
        <ChatBox style={{ gridArea: 'log', blockSize: 400 }} />
        <UserList style={{ gridArea: 'users' }} />
        <MessageInput autoFocus style={{ gridArea: 'input' }} />
      </div>
    </ChatProvider>
  );
}

const meta = {
  title: 'Chat/Live chat',
  component: LiveChatDemo,
  // Needs the reference server on port 6502, which the story tests (CI) do not run: Storybook's
  // `!test` removes the built-in `test` tag, so the Vitest addon skips this story.
  tags: ['autodocs', '!test'],
  parameters: {
    // The story renders its own `.rwc-chat` wrapper (below) instead of the preview's.
    chatWrapper: false,
    docs: {
      description: {
        component:
          'The full chat against the real reference server: run `npm start` (it starts the server on ' +
          '`ws://127.0.0.1:6502` and this Storybook), open this story in two browser tabs, and chat. ' +
          'Each tab starts as a random `guest-NNNN`; type another name and press “Change name” to rename. ' +
          'Stop the server (Ctrl+C) and start it again to watch the status reconnect and the messages ' +
          'written meanwhile go out.',
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
};
