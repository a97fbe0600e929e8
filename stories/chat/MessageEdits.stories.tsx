import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { messageEdits } from '../../src/chat/index.js';
import { ChatBox, MessageInput, messageActions, useEditLastMessage } from '../../src/components/index.js';
import type { MockChatServer } from '../../src/testing/index.js';
import { MockChatProvider } from '../support/ChatLayout.js';
import { type Canvas, getLog } from '../support/play.js';
import { chatServerOf, withMockChatServer } from '../support/withMockChatServer.js';

const renderText = messageActions();
const DATE = Date.UTC(2026, 0, 15, 9, 30);

/** The log and the field, ArrowUp in the empty field editing the last own message. */
function EditableChat() {
  const onKeyDown = useEditLastMessage();
  return (
    <>
      <ChatBox renderText={renderText} style={{ blockSize: 320 }} />
      <MessageInput onKeyDown={onKeyDown} />
    </>
  );
}

const meta = {
  title: 'Chat/Message edits',
  component: ChatBox,
  parameters: {
    docs: {
      description: {
        component:
          'Opt-in: `<ChatProvider edits={messageEdits()}>` and `<ChatBox renderText={messageActions()}>`. Against a server that ' +
          'announces `edits` in `id`, own messages get **Edit** (inline: Enter saves, Escape cancels) and **Delete** (asks first); ' +
          'edited messages show “(edited)” (the time on hover and focus), deleted ones “Message deleted”; a change the server ' +
          'refuses shows with **Retry** and **Dismiss**. Here the mock server plays the reference server by hand.',
      },
    },
  },
  render: (_, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)} edits={messageEdits()}>
      <EditableChat />
    </MockChatProvider>
  ),
} satisfies Meta<typeof ChatBox>;

export default meta;
type Story = StoryObj<typeof meta>;

/** ada (id 1) has two messages, bob one, on a server that announces edits (or, `edits: false`, MDN's). */
function room({ edits = true } = {}) {
  return withMockChatServer({
    autoRespond: false,
    scenario: (server, connection) => {
      server.send(edits ? { type: 'id', id: 1, ext: 1, session: 's', edits: true } : { type: 'id', id: 1 }, connection);
      server.send({ type: 'userlist', users: ['ada', 'bob'] }, connection);
      server.send({ type: 'message', id: 2, name: 'bob', text: 'morning!', date: DATE, nonce: 'b1', seq: 1 }, connection);
      server.send({ type: 'message', id: 1, name: 'ada', text: 'helo', date: DATE + 60_000, nonce: 'a1', seq: 2 }, connection);
      server.send({ type: 'message', id: 1, name: 'ada', text: 'typo here', date: DATE + 120_000, nonce: 'a2', seq: 3 }, connection);
    },
  });
}

/** The row of the message whose text is `text` (by its name, "sender, time: text"), once the chat has shown it. */
async function row(canvas: Canvas, text: string): Promise<HTMLElement> {
  const log: HTMLElement = getLog(canvas);
  const find = () => [...log.querySelectorAll('article')].find((article) => article.getAttribute('aria-label')?.endsWith(`: ${text}`));
  await waitFor(() => expect(find()).toBeTruthy());
  return find() as HTMLElement;
}

/** The mock server relays an edit or delete of ada's message `nonce`, as the reference server does. */
function relay(
  chat: MockChatServer,
  packet: { type: 'edit'; nonce: string; text: string } | { type: 'delete'; nonce: string },
  seq: number,
) {
  chat.send({ ...packet, id: 1, name: 'ada', date: DATE + 180_000, seq });
}

const waitForChange = (chat: MockChatServer, type: 'edit' | 'delete') =>
  chat.waitForPacket((packet) => 'type' in packet && packet.type === type);

export const OwnMessagesWithActions: Story = {
  name: 'Own messages with Edit and Delete',
  ...room(),
  play: async ({ canvas }) => {
    const own = within(await row(canvas, 'typo here'));
    await expect(await own.findByRole('button', { name: 'Edit' })).toBeVisible();
    await expect(own.getByRole('button', { name: 'Delete' })).toBeVisible();
    // Not on someone else's message.
    await expect(within(await row(canvas, 'morning!')).queryByRole('button')).toBeNull();
  },
};

export const Editing: Story = {
  ...room(),
  play: async ({ canvas, userEvent }) => {
    const own = within(await row(canvas, 'typo here'));
    await userEvent.click(await own.findByRole('button', { name: 'Edit' }));
    const field = await canvas.findByRole('textbox', { name: 'Edit message' });
    await expect(field).toHaveValue('typo here');
    await expect(field).toHaveFocus();
    await expect(canvas.getByRole('button', { name: 'Save' })).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toBeVisible();
  },
};

export const ArrowUpEditsTheLastMessage: Story = {
  name: 'ArrowUp in the empty field, then Escape',
  ...room(),
  play: async ({ canvas, userEvent }) => {
    await row(canvas, 'typo here');
    const input = canvas.getByRole('textbox', { name: 'Message' });
    await userEvent.click(input);
    await userEvent.keyboard('{ArrowUp}');
    const field = await canvas.findByRole('textbox', { name: 'Edit message' });
    await expect(field).toHaveValue('typo here');
    await expect(field).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(canvas.queryByRole('textbox', { name: 'Edit message' })).toBeNull());
    await waitFor(() => expect(input).toHaveFocus());
  },
};

export const Edited: Story = {
  ...room(),
  play: async ({ canvas, loaded, userEvent }) => {
    const chat = chatServerOf(loaded);
    await userEvent.click(await within(await row(canvas, 'helo')).findByRole('button', { name: 'Edit' }));
    const field = await canvas.findByRole('textbox', { name: 'Edit message' });
    await userEvent.clear(field);
    await userEvent.type(field, 'hello{Enter}');
    const { packet } = await waitForChange(chat, 'edit');
    await expect(packet).toEqual({ type: 'edit', nonce: 'a1', text: 'hello' });
    relay(chat, { type: 'edit', nonce: 'a1', text: 'hello' }, 4);
    const edited = await row(canvas, 'hello');
    await waitFor(() => expect(within(edited).getByText('(edited)')).toBeVisible());
    await waitFor(() => expect(within(edited).queryByText('Saving…')).toBeNull());
    // The focus is back on the row's Edit button; the marker tells its time on focus.
    await waitFor(() => expect(within(edited).getByRole('button', { name: 'Edit' })).toHaveFocus());
    const marker = edited.querySelector<HTMLElement>('.rwc-chatbox__edited') as HTMLElement;
    marker.focus();
    await waitFor(() =>
      expect((marker.querySelector('.rwc-chatbox__edited-time') as HTMLElement).getBoundingClientRect().width).toBeGreaterThan(1),
    );
  },
};

export const Saving: Story = {
  name: 'Saving (the server has not relayed the edit yet)',
  ...room(),
  play: async ({ canvas, loaded, userEvent }) => {
    const chat = chatServerOf(loaded);
    await userEvent.click(await within(await row(canvas, 'helo')).findByRole('button', { name: 'Edit' }));
    const field = await canvas.findByRole('textbox', { name: 'Edit message' });
    await userEvent.type(field, '!{Enter}');
    await waitForChange(chat, 'edit');
    // Shown at once, marked edited, "Saving…" until the relay comes (here: never).
    const saving = within(await row(canvas, 'helo!'));
    await waitFor(() => expect(saving.getByText('Saving…')).toBeVisible());
    await expect(saving.getByText('(edited)')).toBeVisible();
  },
};

export const Deleted: Story = {
  ...room(),
  play: async ({ canvas, loaded, userEvent }) => {
    const chat = chatServerOf(loaded);
    await userEvent.click(await within(await row(canvas, 'typo here')).findByRole('button', { name: 'Delete' }));
    const group = await canvas.findByRole('group', { name: 'Delete this message?' });
    await expect(within(group).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await userEvent.click(within(group).getByRole('button', { name: 'Delete' }));
    const { packet } = await waitForChange(chat, 'delete');
    await expect(packet).toEqual({ type: 'delete', nonce: 'a2' });
    relay(chat, { type: 'delete', nonce: 'a2' }, 4);
    await waitFor(() => expect(canvas.getByText('Message deleted')).toBeVisible());
    await waitFor(() => expect(canvas.queryByText('Saving…')).toBeNull());
    await expect(canvas.queryByText('typo here')).toBeNull();
    await expect(getLog(canvas)).toHaveFocus();
  },
};

export const FailedEdit: Story = {
  name: 'Failed edit, with Retry and Dismiss',
  ...room(),
  play: async ({ canvas, loaded, userEvent }) => {
    const chat = chatServerOf(loaded);
    await userEvent.click(await within(await row(canvas, 'helo')).findByRole('button', { name: 'Edit' }));
    const field = await canvas.findByRole('textbox', { name: 'Edit message' });
    await userEvent.type(field, ', world{Enter}');
    await waitForChange(chat, 'edit');
    chat.send({ type: 'edit', nonce: 'a1', refused: 'too-long' });
    const failed = within(await row(canvas, 'helo, world'));
    await waitFor(() => expect(failed.getByText('Edit not saved: the text is too long')).toBeVisible());
    await expect(failed.getByRole('button', { name: 'Retry' })).toBeVisible();
    await expect(failed.getByRole('button', { name: 'Dismiss' })).toBeVisible();
  },
};

export const OthersEditedAndDeleted: Story = {
  name: 'Others’ edited and deleted messages',
  ...withMockChatServer({
    autoRespond: false,
    scenario: (server, connection) => {
      server.send({ type: 'id', id: 1, ext: 1, session: 's', edits: true }, connection);
      server.send({ type: 'message', id: 2, name: 'bob', text: 'see you at 10', date: DATE, nonce: 'b1', seq: 1 }, connection);
      server.send({ type: 'message', id: 2, name: 'bob', text: 'oops, wrong chat', date: DATE + 1000, nonce: 'b2', seq: 2 }, connection);
      server.send({ type: 'edit', id: 2, name: 'bob', nonce: 'b1', text: 'see you at 11', date: DATE + 60_000, seq: 3 }, connection);
      server.send({ type: 'delete', id: 2, name: 'bob', nonce: 'b2', date: DATE + 61_000, seq: 4 }, connection);
    },
  }),
  play: async ({ canvas }) => {
    const edited = within(await row(canvas, 'see you at 11'));
    await waitFor(() => expect(edited.getByText('(edited)')).toBeVisible());
    await waitFor(() => expect(canvas.getByText('Message deleted')).toBeVisible());
    await expect(within(getLog(canvas)).queryByRole('button')).toBeNull();
  },
};

export const AgainstMdnServer: Story = {
  name: 'Against MDN’s server: no buttons, nothing sent',
  ...room({ edits: false }),
  play: async ({ canvas, loaded }) => {
    const chat = chatServerOf(loaded);
    await row(canvas, 'typo here');
    await expect(within(getLog(canvas)).queryByRole('button')).toBeNull();
    const username = await chat.waitForPacket((packet) => 'type' in packet && packet.type === 'username');
    await expect(username.packet).not.toHaveProperty('edits');
  },
};
