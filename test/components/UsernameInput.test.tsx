import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsernameInput } from '../../src/components/index.js';
import { renderInChat, startChatServer, stopChatServers } from '../helpers/chat.js';

afterEach(stopChatServers);

const field = () => screen.getByRole<HTMLInputElement>('textbox', { name: 'Your name' });
const button = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Change name' });

/** The names the client asked the server for, in order. */
const asked = (chat: ReturnType<typeof startChatServer>) =>
  chat.received.flatMap(({ packet }) => ('type' in packet && packet.type === 'username' ? [packet.name] : []));

describe('<UsernameInput>', () => {
  it('is a labelled field with the current name; Change name asks the server for the trimmed new one', async () => {
    const onRename = vi.fn();
    const { chat } = renderInChat(<UsernameInput onRename={onRename} />);
    await waitFor(() => expect(asked(chat)).toEqual(['ada']));
    expect(field().value).toBe('ada');
    expect(field().getAttribute('maxlength')).toBe('64');
    expect(field().getAttribute('autocomplete')).toBe('nickname');
    // Unchanged or blank: nothing to submit.
    expect(button().disabled).toBe(true);
    const user = userEvent.setup();
    await user.clear(field());
    await user.type(field(), '   ');
    expect(button().disabled).toBe(true);
    await user.clear(field());
    await user.type(field(), '  Alice ');
    expect(button().disabled).toBe(false);
    await user.click(button());
    await waitFor(() => expect(asked(chat)).toEqual(['ada', 'Alice']));
    expect(onRename).toHaveBeenCalledWith('Alice');
    // The server's answer is the name in use: the field shows it, and nothing is left to submit.
    await waitFor(() => expect(field().value).toBe('Alice'));
    expect(button().disabled).toBe(true);
  });

  it('submits with Enter, and shows the name the server gave when it differs', async () => {
    const chat = startChatServer();
    // Someone already holds "bob": the server renames us to "bob2".
    const other = new chat.WebSocket(chat.url, 'json');
    other.onmessage = (event: MessageEvent) => {
      const packet = JSON.parse(String(event.data)) as { type: string; id?: number };
      if (packet.type === 'id') other.send(JSON.stringify({ type: 'username', id: packet.id, name: 'bob', date: Date.now() }));
    };
    await chat.waitForPacket((p) => 'type' in p && p.type === 'username');
    renderInChat(<UsernameInput />, { chat });
    await waitFor(() => expect(field().value).toBe('ada'));
    const user = userEvent.setup();
    await user.clear(field());
    await user.type(field(), 'bob{Enter}');
    await waitFor(() => expect(field().value).toBe('bob2'));
    other.close();
  });

  it('takes its texts and limit as props, and other props to the form', async () => {
    renderInChat(<UsernameInput label="Pseudo" submitLabel="Changer" maxLength={20} className="mine" aria-label="Nom" />);
    const input = screen.getByRole('textbox', { name: 'Pseudo' });
    expect(input.getAttribute('maxlength')).toBe('20');
    expect(screen.getByRole('button', { name: 'Changer' }).getAttribute('type')).toBe('submit');
    const form = screen.getByRole('form', { name: 'Nom' });
    expect(form.className).toBe('rwc-username-input mine');
  });
});
