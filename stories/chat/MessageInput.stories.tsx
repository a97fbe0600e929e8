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
          'The message form: a labelled field (“Message”), a Send button and a character counter that describes the field. Enter sends, Shift+Enter starts a new line.' +
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
  name: 'Typing, with the counter',
  parameters: {
    docs: { description: { story: 'A draft of five characters: the counter, which describes the field, says how many are left.' } },
  },
  ...withMockChatServer(),
  play: async ({ args, canvas, loaded, userEvent }) => {
    await signedIn(chatServerOf(loaded));
    const field = canvas.getByRole('textbox', { name: 'Message' });
    await expect(field).toHaveAttribute('placeholder', 'Write a message');
    await expect(field).toHaveAccessibleDescription('2000 characters left');

    await userEvent.type(field, 'hello');
    await expect(field).toHaveValue('hello');
    await expect(field).toHaveAccessibleDescription('1995 characters left');
    await expect(canvas.getByText('1995 characters left')).toBeVisible();
    await expect(args.onSend).not.toHaveBeenCalled();
  },
};

export const Sent: Story = {
  name: 'Sent: the field is ready for the next',
  parameters: {
    docs: {
      description: {
        story: 'A two-line message (Shift+Enter) sent with Enter: the field empties, keeps the focus, and the counter is full again.',
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
    await expect(field).toHaveAccessibleDescription('2000 characters left');
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

export const Disabled: Story = {
  args: { disabled: true },
  ...withMockChatServer(),
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('textbox', { name: 'Message' })).toBeDisabled();
    await expect(canvas.getByRole('button', { name: 'Send' })).toBeDisabled();
  },
};
