// <TypingIndicator>, useTyping() and <MessageInput>'s part in typing, in jsdom on a mock chat server
// that announces typing: the sentences for one, two and several typists (names in <bdi>, or a
// replacement from strings), the status always there (empty when nobody types), what the field
// sends; and nothing at all without <ChatProvider typing>.
import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { typingIndicator } from '../../src/chat/index.js';
import { MessageInput, TypingIndicator, typingText } from '../../src/components/index.js';
import type { MockChatServer } from '../../src/testing/index.js';
import { renderInChat, startChatServer, stopChatServers } from '../helpers/chat.js';

afterEach(stopChatServers);

const typingFrames = (chat: MockChatServer) => chat.received.flatMap(({ packet }) => (packet.type === 'typing' ? [packet.typing] : []));

async function joined(props: Parameters<typeof renderInChat>[1] = {}) {
  const chat = startChatServer({ autoRespond: false });
  const view = renderInChat(
    <>
      <TypingIndicator />
      <MessageInput />
    </>,
    { typing: typingIndicator(), ...props, chat },
  );
  await expect.poll(() => chat.connections.length).toBe(1);
  act(() => chat.send({ type: 'id', id: 1, ext: 1, session: 's', typing: true }));
  return view;
}

describe('typingText', () => {
  it('says who is typing', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['bob'])).toBe('bob is typing…');
    expect(typingText(['bob', 'alice'])).toBe('bob and alice are typing…');
    expect(typingText(['bob', 'alice', 'eve'])).toBe('Several people are typing…');
  });
});

describe('<TypingIndicator>', () => {
  it('is a status, empty while nobody types, that names the typists in <bdi>s', async () => {
    const { chat } = await joined();
    const status = screen.getByRole('status');
    expect(status.className).toBe('rwc-typing');
    expect(status.textContent).toBe('');
    expect(status.hasAttribute('data-typing')).toBe(false);
    act(() => chat.send({ type: 'typing', id: 2, name: 'bob', typing: true }));
    expect(status.textContent).toBe('bob is typing…');
    expect(status.hasAttribute('data-typing')).toBe(true);
    act(() => chat.send({ type: 'typing', id: 3, name: 'אבי', typing: true }));
    expect(status.textContent).toBe('bob and אבי are typing…');
    expect([...status.querySelectorAll('bdi')].map((bdi) => bdi.textContent)).toEqual(['bob', 'אבי']);
    act(() => chat.send({ type: 'typing', id: 4, name: 'eve', typing: true }));
    expect(status.textContent).toBe('Several people are typing…');
    act(() => chat.send({ type: 'typing', id: 2, name: 'bob', typing: false }));
    act(() => chat.send({ type: 'typing', id: 3, name: 'אבי', typing: false }));
    act(() => chat.send({ type: 'typing', id: 4, name: 'eve', typing: false }));
    expect(status.textContent).toBe('');
  });

  it('takes its sentence from strings.typing', async () => {
    const { chat } = await joined({ strings: { typing: (names) => (names.length ? `${names.join(' + ')} écrit…` : '') } });
    act(() => chat.send({ type: 'typing', id: 2, name: 'bob', typing: true }));
    const status = screen.getByRole('status');
    expect(status.textContent).toBe('bob écrit…');
    expect(status.querySelector('bdi')?.textContent).toBe('bob');
  });

  it('shows nobody without <ChatProvider typing>, and the field then sends no typing frame', async () => {
    const { chat } = await joined({ typing: null });
    act(() => chat.send({ type: 'typing', id: 2, name: 'bob', typing: true }));
    expect(screen.getByRole('status').textContent).toBe('');
    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), 'hello');
    expect(typingFrames(chat)).toEqual([]);
  });
});

describe('<MessageInput> with typing', () => {
  it('sends a start as the user types, a stop when the field is emptied, a stop when the message is sent', async () => {
    const { chat } = await joined();
    await expect.poll(() => typingFrames(chat)).toEqual([false]);
    const field = screen.getByRole('textbox', { name: 'Message' });
    await userEvent.type(field, 'hello');
    // The frames reach the server asynchronously: wait for each one, never read them in passing.
    await expect.poll(() => typingFrames(chat)).toEqual([false, true]);
    await userEvent.clear(field);
    await expect.poll(() => typingFrames(chat)).toEqual([false, true, false]);
    await userEvent.type(field, 'hi{Enter}');
    await expect.poll(() => chat.received.some(({ packet }) => packet.type === 'message')).toBe(true);
    await expect.poll(() => typingFrames(chat)).toEqual([false, true, false, true, false]);
  });
});
