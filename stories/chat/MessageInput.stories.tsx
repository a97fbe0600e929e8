import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, waitFor } from 'storybook/test';
import { MessageInput } from '../../src/components/index.js';
import { MockChatProvider } from '../support/ChatLayout.js';
import { chatServerOf, receivedMessage, withMockChatServer } from '../support/withMockChatServer.js';

const meta = {
  title: 'Chat/MessageInput',
  component: MessageInput,
  tags: ['autodocs'],
  args: { onSend: fn() },
  parameters: {
    docs: {
      description: {
        component:
          'The message form: a labelled field (“Message”), a Send button, and near the limit a character counter that describes the field. Enter sends, Shift+Enter starts a new line. It stays usable while disconnected, with a note that what is written will be sent when reconnected.' +
          '\n\n**Usage** (inside a `ChatProvider`; the stylesheet is optional):\n\n' +
          '```tsx\nimport { ChatProvider, MessageInput } from \'react-ws-chat\';\nimport \'react-ws-chat/styles.css\';\n\n<ChatProvider url="wss://chat.example.com" username="ada">\n  <div className="rwc-chat">\n    <MessageInput maxLength={500} onSend={(text) => console.log(text)} />\n  </div>\n</ChatProvider>\n```',
      },
    },
  },
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)}>
      <MessageInput {...args} />
    </MockChatProvider>
  ),
} satisfies Meta<typeof MessageInput>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The client has its id and name: what it sends goes out at once. */
const signedIn = (chat: ReturnType<typeof chatServerOf>) => chat.waitForPacket((packet) => 'type' in packet && packet.type === 'username');

export const Typing: Story = {
  name: 'Typing, far from the limit',
  parameters: {
    docs: { description: { story: 'A draft of five characters: far from the 2000-character limit, no counter is shown or read.' } },
  },
  ...withMockChatServer(),
  play: async ({ args, canvas, loaded, userEvent }) => {
    await signedIn(chatServerOf(loaded));
    const field = canvas.getByRole('textbox', { name: 'Message' });
    await expect(field).toHaveAttribute('placeholder', 'Write a message');
    await expect(field).not.toHaveAttribute('aria-describedby');

    await userEvent.type(field, 'hello');
    await expect(field).toHaveValue('hello');
    await expect(field).not.toHaveAttribute('aria-describedby');
    await expect(canvas.queryByText(/characters? left/)).toBeNull();
    await expect(args.onSend).not.toHaveBeenCalled();
  },
};

export const NearTheLimit: Story = {
  name: 'Near the limit, with the counter',
  parameters: {
    docs: {
      description: {
        story: '`maxLength={120}` and a draft of 30 characters: within the last 100, the counter shows and describes the field.',
      },
    },
  },
  args: { maxLength: 120 },
  ...withMockChatServer(),
  play: async ({ canvas, loaded, userEvent }) => {
    await signedIn(chatServerOf(loaded));
    const field = canvas.getByRole('textbox', { name: 'Message' });
    await userEvent.type(field, 'Thirty characters, near limit');
    await userEvent.type(field, '!');
    await expect(field).toHaveValue('Thirty characters, near limit!');
    await expect(field).toHaveAccessibleDescription('90 characters left');
    await expect(canvas.getByText('90 characters left')).toBeVisible();
    await expect(field).toBeValid();
  },
};

export const Sent: Story = {
  name: 'Sent: the field is ready for the next',
  parameters: {
    docs: {
      description: {
        story: 'A two-line message (Shift+Enter) sent with Enter: the field empties and keeps the focus.',
      },
    },
  },
  ...withMockChatServer(),
  play: async ({ args, canvas, loaded, userEvent }) => {
    const chat = chatServerOf(loaded);
    await signedIn(chat);
    const field = canvas.getByRole('textbox', { name: 'Message' });
    await userEvent.type(field, 'line one{Shift>}{Enter}{/Shift}line two{Enter}');
    await waitFor(() => expect(args.onSend).toHaveBeenCalledWith('line one\nline two', expect.objectContaining({ own: true })));
    await expect(field).toHaveValue('');
    await expect(field).toHaveFocus();
    await expect(field).not.toHaveAttribute('aria-describedby');
    await receivedMessage(chat, 'line one\nline two');
  },
};

const TOO_LONG = 'This message is longer than twenty characters';

export const OverTheLimit: Story = {
  name: 'Over the limit',
  parameters: {
    docs: {
      description: {
        story: `\`maxLength={20}\` and a draft of ${TOO_LONG.length} characters (set from outside: typing stops at the limit): the field is invalid and Send does nothing.`,
      },
    },
  },
  args: { maxLength: 20, defaultValue: TOO_LONG },
  ...withMockChatServer(),
  play: async ({ args, canvas, loaded, userEvent }) => {
    await signedIn(chatServerOf(loaded));
    const field = canvas.getByRole('textbox', { name: 'Message' });
    const left = 20 - TOO_LONG.length;
    await expect(field).toHaveAccessibleDescription(`${left} characters left`);
    await expect(field).toBeInvalid();
    await expect(field.closest('form')).toHaveAttribute('data-over-limit');

    await userEvent.click(canvas.getByRole('button', { name: 'Send' }));
    await userEvent.type(field, '{Enter}');
    await expect(args.onSend).not.toHaveBeenCalled();
    await expect(field).toHaveValue(TOO_LONG);
    await expect(chatServerOf(loaded).received.some(({ packet }) => 'type' in packet && packet.type === 'message')).toBe(false);
    await expect(field).toBeInvalid();
    await expect(canvas.getByText(`${left} characters left`)).toBeVisible();
  },
};

export const BackUnderTheLimit: Story = {
  name: 'Back under the limit',
  parameters: {
    docs: { description: { story: 'The over-limit draft of “Over the limit”, replaced by a shorter one: the field is valid again.' } },
  },
  args: { maxLength: 20, defaultValue: TOO_LONG },
  ...withMockChatServer(),
  play: async ({ canvas, loaded, userEvent }) => {
    await signedIn(chatServerOf(loaded));
    const field = canvas.getByRole('textbox', { name: 'Message' });
    await expect(field).toBeInvalid();
    await userEvent.clear(field);
    await userEvent.type(field, 'Short enough');
    await expect(field).toBeValid();
    await expect(field).toHaveAccessibleDescription('8 characters left');
    await expect(field.closest('form')).not.toHaveAttribute('data-over-limit');
  },
};

export const ShiftEnterNewline: Story = {
  name: 'Shift+Enter: a new line',
  parameters: {
    docs: { description: { story: 'Shift+Enter starts a second line in the draft instead of sending it (Enter sends: “Sent”).' } },
  },
  ...withMockChatServer(),
  play: async ({ args, canvas, loaded, userEvent }) => {
    await signedIn(chatServerOf(loaded));
    const field = canvas.getByRole('textbox', { name: 'Message' });
    await userEvent.type(field, 'line one{Shift>}{Enter}{/Shift}line two');
    await expect(field).toHaveValue('line one\nline two');
    await expect(args.onSend).not.toHaveBeenCalled();
    await expect(field).toHaveFocus();
  },
};

export const Blank: Story = {
  name: 'Blank: nothing to send',
  ...withMockChatServer(),
  play: async ({ args, canvas, userEvent }) => {
    const field = canvas.getByRole('textbox', { name: 'Message' });
    await expect(field.closest('form')).toHaveAttribute('data-empty');
    await userEvent.type(field, '   {Enter}');
    await userEvent.click(canvas.getByRole('button', { name: 'Send' }));
    await expect(args.onSend).not.toHaveBeenCalled();
    await expect(field).toHaveValue('   ');
  },
};

export const Refused: Story = {
  name: 'Refused: too many messages waiting',
  parameters: {
    docs: {
      description: {
        story:
          'A server that never answers, and `maxUnconfirmed={2}` on the provider: two messages wait as pending, the third is refused. The text stays in the field and an alert says why, until the next edit.',
      },
    },
  },
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)} maxUnconfirmed={2}>
      <MessageInput {...args} />
    </MockChatProvider>
  ),
  ...withMockChatServer({ autoRespond: false }),
  play: async ({ args, canvas, userEvent }) => {
    const field = canvas.getByRole('textbox', { name: 'Message' });
    await userEvent.type(field, 'one{Enter}two{Enter}three{Enter}');
    await expect(args.onSend).toHaveBeenCalledTimes(2);
    await expect(field).toHaveValue('three');
    await expect(canvas.getByRole('alert')).toHaveTextContent('Not sent: too many messages are still waiting for the server.');
    await expect(field.closest('form')).toHaveAttribute('data-refused');
  },
};

export const Disconnected: Story = {
  name: 'Disconnected: still usable',
  parameters: {
    docs: {
      description: {
        story:
          'The connection drops (1006) and the next attempt is a minute away. The field stays usable: a note says what is written now will be sent when reconnected, and describes the field; a message sent meanwhile waits (`onSend` is called, the message is pending in the log).',
      },
    },
  },
  ...withMockChatServer(),
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)} reconnect={{ initialDelay: 60_000, random: () => 0.999 }}>
      <MessageInput {...args} />
    </MockChatProvider>
  ),
  play: async ({ args, canvas, loaded, userEvent }) => {
    const chat = chatServerOf(loaded);
    await signedIn(chat);
    chat.close({ code: 1006 });
    const note = 'Not connected: messages will be sent when reconnected.';
    await waitFor(() => expect(canvas.getByText(note)).toBeVisible());
    const field = canvas.getByRole('textbox', { name: 'Message' });
    await expect(field).toHaveAccessibleDescription(note);
    await expect(field).toBeEnabled();
    await userEvent.type(field, 'See you soon{Enter}');
    await expect(args.onSend).toHaveBeenCalledWith('See you soon', expect.objectContaining({ status: 'pending' }));
    await expect(field).toHaveValue('');
  },
};

export const Disabled: Story = {
  args: { disabled: true },
  ...withMockChatServer(),
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('textbox', { name: 'Message' })).toBeDisabled();
    await expect(canvas.getByRole('button', { name: 'Send' })).toBeDisabled();
  },
};

export const EnterNewLine: Story = {
  name: 'Enter starts a new line (as on touch screens)',
  parameters: {
    docs: {
      description: {
        story:
          'On touch screens (`(pointer: coarse)`) Enter starts a new line and only Send sends, as on-screen keyboards lead people to expect; `enterSends={false}` does the same everywhere (this story), `enterSends` forces sending. The keyboard’s Enter key is labelled accordingly (`enterKeyHint`).',
      },
    },
  },
  args: { enterSends: false },
  ...withMockChatServer(),
  play: async ({ args, canvas, loaded, userEvent }) => {
    await signedIn(chatServerOf(loaded));
    const field = canvas.getByRole('textbox', { name: 'Message' });
    await expect(field).toHaveAttribute('enterkeyhint', 'enter');
    await userEvent.type(field, 'first line{Enter}second line');
    await expect(field).toHaveValue('first line\nsecond line');
    await expect(args.onSend).not.toHaveBeenCalled();
  },
};
