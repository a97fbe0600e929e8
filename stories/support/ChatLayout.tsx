import type { CSSProperties, ReactNode } from 'react';
import {
  ChatBox,
  ChatProvider,
  ConnectionStatus,
  MessageInput,
  UserList,
  type ChatBoxProps,
  type ChatProviderProps,
  type MessageInputProps,
} from '../../src/components/index.js';
import type { MockChatServer } from '../../src/testing/index.js';

/** Props of {@link MockChatProvider}: a `ChatProvider` whose defaults come from a mock server. */
export interface MockChatProviderProps extends Partial<ChatProviderProps> {
  /** The story's server: its URL and its WebSocket are the defaults of `url` and `WebSocket`. */
  chat: MockChatServer;
}

/** `<ChatProvider>` connected to the story's mock chat server, as "ada" unless told otherwise. */
export function MockChatProvider({
  chat,
  url = chat.url,
  username = 'ada',
  WebSocket = chat.WebSocket,
  children,
  ...rest
}: MockChatProviderProps) {
  return (
    <ChatProvider url={url} username={username} WebSocket={WebSocket} {...rest}>
      {children}
    </ChatProvider>
  );
}

/** Props of {@link ChatLayout}. */
export interface ChatLayoutProps {
  /** Props of the ChatBox (its block size defaults to 360 px). */
  chatBox?: ChatBoxProps;
  messageInput?: MessageInputProps;
  /** Rendered above the chat (e.g. buttons a story needs). */
  children?: ReactNode;
}

const grid: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'minmax(0, 1fr) minmax(6rem, 30%)',
  gridTemplateAreas: '"status status" "log users" "input users"',
  alignItems: 'start',
  gap: '0.75rem',
  maxInlineSize: '56rem',
};

/**
 * The user list beside the log and the field, exactly as tall as they are: `contain: size` keeps
 * its (any) length out of the rows' sizes, stretching gives it theirs, and it scrolls inside.
 */
const users: CSSProperties = { gridArea: 'users', alignSelf: 'stretch', contain: 'size', overflowY: 'auto' };

/**
 * The four chat components in a grid, inside the nearest `<ChatProvider>`: the connection status
 * on top, the log (360 px tall) with the message field under it, the user list beside them (on
 * the inline end side: the right in LTR, the left in RTL), scrolling when it is longer.
 */
export function ChatLayout({ chatBox, messageInput, children }: ChatLayoutProps) {
  return (
    <>
      {children}
      <div style={grid}>
        <ConnectionStatus style={{ gridArea: 'status' }} />
        <ChatBox {...chatBox} style={{ gridArea: 'log', blockSize: 360, ...chatBox?.style }} />
        <UserList style={users} tabIndex={0} />
        <MessageInput {...messageInput} style={{ gridArea: 'input', ...messageInput?.style }} />
      </div>
    </>
  );
}
