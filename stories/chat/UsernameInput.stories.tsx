import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, waitFor } from 'storybook/test';
import { UsernameInput } from '../../src/components/index.js';
import { MockChatProvider } from '../support/ChatLayout.js';
import { chatServerOf, withMockChatServer } from '../support/withMockChatServer.js';

const meta = {
  title: 'Chat/UsernameInput',
  component: UsernameInput,
  tags: ['autodocs'],
  args: { onRename: fn() },
  parameters: {
    docs: {
      description: {
        component:
          'The name control: a labelled field with the current name and a “Change name” button, which asks the server for the new name (the field then shows the name the server gave). Opt-in: bundled only when imported.' +
          '\n\n```tsx\nimport { ChatProvider, UsernameInput } from \'react-ws-chat\';\n\n<ChatProvider url="wss://chat.example.com" username="guest">\n  <div className="rwc-chat">\n    <UsernameInput />\n  </div>\n</ChatProvider>\n```',
      },
    },
  },
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)}>
      <UsernameInput {...args} />
    </MockChatProvider>
  ),
} satisfies Meta<typeof UsernameInput>;

export default meta;
type Story = StoryObj<typeof meta>;

export const CurrentName: Story = {
  ...withMockChatServer(),
  name: 'The current name',
  play: async ({ canvas }) => {
    const field = canvas.getByRole('textbox', { name: 'Your name' });
    await expect(field).toHaveValue('ada');
    await expect(canvas.getByRole('button', { name: 'Change name' })).toBeDisabled();
  },
};

export const Renamed: Story = {
  ...withMockChatServer(),
  name: 'Renamed',
  parameters: { docs: { description: { story: 'The play changes the name to “Alice”: the server takes it, and the field shows it.' } } },
  play: async ({ args, canvas, loaded, userEvent }) => {
    const chat = chatServerOf(loaded);
    await chat.waitForPacket((packet) => 'type' in packet && packet.type === 'username');
    const field = canvas.getByRole('textbox', { name: 'Your name' });
    await userEvent.clear(field);
    await userEvent.type(field, 'Alice');
    await userEvent.click(canvas.getByRole('button', { name: 'Change name' }));
    await chat.waitForPacket((packet) => 'type' in packet && packet.type === 'username' && packet.name === 'Alice');
    await expect(args.onRename).toHaveBeenCalledWith('Alice');
    await waitFor(() => expect(canvas.getByRole('button', { name: 'Change name' })).toBeDisabled());
    await expect(field).toHaveValue('Alice');
  },
};

export const RenamedRtlDark: Story = {
  ...withMockChatServer(),
  name: 'Right-to-left, dark',
  parameters: { chatWrapper: { dir: 'rtl', theme: 'dark' } },
  args: { label: 'اسمك', submitLabel: 'تغيير الاسم' },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('textbox', { name: 'اسمك' })).toHaveValue('ada');
    await expect(canvas.getByRole('button', { name: 'تغيير الاسم' })).toBeDisabled();
  },
};
