import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Profiler, useState, type ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadyState } from '../../src/core/index.js';
import { MessageInput, useChatContext, useChatEntries, useChatStatus, type MessageInputProps } from '../../src/components/index.js';
import { renderInChat, startChatServer, stopChatServers } from '../helpers/chat.js';

afterEach(stopChatServers);

/** Own messages in the log, as "text:status": what the user has written, synchronously. */
function OwnMessages() {
  const own = useChatEntries().flatMap((entry) => (entry.kind === 'message' && entry.own ? [`${entry.text}:${entry.status}`] : []));
  return <output aria-label="own messages">{JSON.stringify(own)}</output>;
}

/** How many entries the log holds: proof that a message arrived. */
function EntryCount() {
  return <output aria-label="entries">{useChatEntries().length}</output>;
}

/** The connection's ready state, for waiting on a disconnect, and a button to reconnect at once. */
function ReadyStateProbe() {
  const { readyState } = useChatStatus();
  const { client } = useChatContext();
  return (
    <>
      <output aria-label="ready state">{readyState}</output>
      <button type="button" onClick={() => client?.reconnect()}>
        Reconnect now
      </button>
    </>
  );
}

/** The texts of own messages, whatever their status. */
const ownTexts = (): string[] => ownMessages().map((m) => m.slice(0, m.lastIndexOf(':')));
const ownMessages = (): string[] => JSON.parse(screen.getByRole('status', { name: 'own messages' }).textContent ?? '[]') as string[];

/** `ui` with the own messages listed beside it, in a chat on a mock server; and a user-event user. */
function renderChat(ui: ReactNode, options?: Parameters<typeof renderInChat>[1]) {
  const view = renderInChat(
    <>
      {ui}
      <OwnMessages />
    </>,
    options,
  );
  return { user: userEvent.setup(), ...view };
}

const field = () => screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Message' });
const sendButton = () => screen.getByRole('button', { name: 'Send' });

const isMessage = (text: string) => (p: object) => 'type' in p && p.type === 'message' && 'text' in p && p.text === text;

describe('<MessageInput>', () => {
  it('is a form with a textarea labelled by a real label and a submit button; no counter far from the limit', () => {
    renderChat(<MessageInput />);
    const textarea = screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Message' });
    expect(textarea.hasAttribute('aria-describedby')).toBe(false);
    expect(screen.queryByText(/characters left/)).toBeNull();
    expect(textarea.tagName).toBe('TEXTAREA');
    expect(textarea.labels?.[0]?.textContent).toBe('Message');
    expect(textarea.labels?.[0]?.className).toContain('rwc-visually-hidden');
    expect(textarea.placeholder).toBe('Write a message');
    expect(textarea.maxLength).toBe(2000);
    expect(textarea.form?.className).toBe('rwc-message-input');
    expect(sendButton().getAttribute('type')).toBe('submit');
    expect(sendButton().closest('form')).toBe(textarea.form);
  });

  it('sends on Enter: the message reaches the server, the field empties and keeps focus, onSend gets the text', async () => {
    const onSend = vi.fn();
    const { chat, user } = renderChat(<MessageInput onSend={onSend} />);
    await user.type(field(), 'hello{Enter}');
    expect(field().value).toBe('');
    expect(document.activeElement).toBe(field());
    expect(onSend).toHaveBeenCalledTimes(1);
    expect(onSend).toHaveBeenCalledWith('hello', expect.objectContaining({ kind: 'message', text: 'hello', own: true }));
    await chat.waitForPacket(isMessage('hello'));
    await waitFor(() => expect(ownMessages()).toEqual(['hello:delivered']));
  });

  it('sends with the Send button, then gives focus back to the field', async () => {
    const { chat, user } = renderChat(<MessageInput />);
    await user.type(field(), 'by click');
    await user.click(sendButton());
    expect(field().value).toBe('');
    expect(document.activeElement).toBe(field());
    await chat.waitForPacket(isMessage('by click'));
  });

  it('inserts a newline on Shift+Enter without sending, and sends the lines together on Enter', async () => {
    const { chat, user } = renderChat(<MessageInput />);
    await user.type(field(), 'line 1{Shift>}{Enter}{/Shift}line 2');
    expect(field().value).toBe('line 1\nline 2');
    expect(ownMessages()).toEqual([]);
    await user.keyboard('{Enter}');
    expect(field().value).toBe('');
    await chat.waitForPacket(isMessage('line 1\nline 2'));
  });

  it('does not send on Enter during IME composition (isComposing, or keyCode 229), and leaves the key to the IME', async () => {
    const { user } = renderChat(<MessageInput />);
    await user.type(field(), 'にほんご');
    expect(fireEvent.keyDown(field(), { key: 'Enter', code: 'Enter', isComposing: true })).toBe(true);
    expect(fireEvent.keyDown(field(), { key: 'Enter', code: 'Enter', keyCode: 229 })).toBe(true);
    expect(field().value).toBe('にほんご');
    expect(ownMessages()).toEqual([]);
    // The Enter after the composition ended sends.
    expect(fireEvent.keyDown(field(), { key: 'Enter', code: 'Enter', keyCode: 13 })).toBe(false);
    expect(field().value).toBe('');
    expect(ownTexts()).toEqual(['にほんご']);
  });

  it('does not send blank (whitespace-only) text, by Enter or by the button', async () => {
    const onSend = vi.fn();
    const { user } = renderChat(<MessageInput onSend={onSend} />);
    await user.keyboard('{Tab}');
    expect(document.activeElement).toBe(field());
    await user.keyboard('{Enter}');
    await user.type(field(), '  {Shift>}{Enter}{/Shift}\t ');
    await user.keyboard('{Enter}');
    await user.click(sendButton());
    expect(onSend).not.toHaveBeenCalled();
    expect(ownMessages()).toEqual([]);
    expect(field().value).toBe('  \n\t ');
    expect(field().form?.hasAttribute('data-empty')).toBe(true);
  });

  it('counts the characters left, announced as the field description, singular and plural', async () => {
    const { user } = renderChat(<MessageInput maxLength={3} />);
    expect(screen.getByText('3 characters left')).toBeTruthy();
    await user.type(field(), 'ab');
    expect(screen.getByRole('textbox', { name: 'Message', description: '1 character left' })).toBe(field());
    await user.keyboard('{Enter}');
    expect(screen.getByRole('textbox', { name: 'Message', description: '3 characters left' })).toBe(field());
  });

  it('shows the count, and describes the field with it, only in the last 100 characters, or the last 10 % of a limit over 1000', () => {
    const described = () => field().getAttribute('aria-describedby');
    // The default limit (2000): the last 200.
    const { rerender } = renderChat(<MessageInput value={'x'.repeat(1799)} onValueChange={() => {}} />);
    expect(screen.queryByText(/characters? left/)).toBeNull();
    expect(described()).toBeNull();
    rerender(<MessageInput value={'x'.repeat(1800)} onValueChange={() => {}} />);
    expect(screen.getByRole('textbox', { name: 'Message', description: '200 characters left' })).toBe(field());
    // A short limit: the last 100 of 500.
    rerender(<MessageInput value={'x'.repeat(399)} onValueChange={() => {}} maxLength={500} />);
    expect(screen.queryByText(/characters? left/)).toBeNull();
    rerender(<MessageInput value={'x'.repeat(400)} onValueChange={() => {}} maxLength={500} />);
    expect(screen.getByRole('textbox', { name: 'Message', description: '100 characters left' })).toBe(field());
    // 10 % of a long limit: the last 500 of 5000.
    rerender(<MessageInput value={'x'.repeat(4499)} onValueChange={() => {}} maxLength={5000} />);
    expect(screen.queryByText(/characters? left/)).toBeNull();
    rerender(<MessageInput value={'x'.repeat(4500)} onValueChange={() => {}} maxLength={5000} />);
    expect(screen.getByRole('textbox', { name: 'Message', description: '500 characters left' })).toBe(field());
    rerender(<MessageInput value="" onValueChange={() => {}} maxLength={5000} />);
    expect(screen.queryByText(/characters? left/)).toBeNull();
    expect(described()).toBeNull();
  });

  it('enforces maxLength (default 2000) on the textarea', async () => {
    const { user, rerender } = renderChat(<MessageInput maxLength={5} />);
    expect(field().maxLength).toBe(5);
    await user.type(field(), 'abcdefgh');
    expect(field().value).toBe('abcde');
    expect(screen.getByText('0 characters left')).toBeTruthy();
    rerender(<MessageInput />);
    expect(field().maxLength).toBe(2000);
  });

  it('refuses to send a value set from outside that exceeds the limit, and marks the field invalid', async () => {
    const onSend = vi.fn();
    const { user } = renderChat(<MessageInput value="too long" onValueChange={() => {}} maxLength={3} onSend={onSend} />);
    expect(field().getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('-5 characters left')).toBeTruthy();
    await user.click(sendButton());
    expect(onSend).not.toHaveBeenCalled();
    expect(ownMessages()).toEqual([]);
  });

  it("lets a user's onKeyDown preventDefault() stop Enter from sending", async () => {
    const onKeyDown = vi.fn((event: React.KeyboardEvent<HTMLTextAreaElement>) => {
      if (event.key === 'Enter') event.preventDefault();
    });
    const { user } = renderChat(<MessageInput onKeyDown={onKeyDown} />);
    await user.type(field(), 'kept{Enter}');
    expect(onKeyDown).toHaveBeenCalled();
    expect(field().value).toBe('kept');
    expect(ownMessages()).toEqual([]);
  });

  it("lets a user's onSubmit preventDefault() stop the send, and otherwise calls it first", async () => {
    let block = true;
    const onSubmit = vi.fn((event: React.FormEvent<HTMLFormElement>) => {
      if (block) event.preventDefault();
    });
    const { user } = renderChat(<MessageInput onSubmit={onSubmit} />);
    await user.type(field(), 'draft{Enter}');
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(ownMessages()).toEqual([]);
    expect(field().value).toBe('draft');
    block = false;
    await user.click(sendButton());
    expect(onSubmit).toHaveBeenCalledTimes(2);
    expect(ownTexts()).toEqual(['draft']);
  });

  it('is uncontrolled with defaultValue', async () => {
    const onValueChange = vi.fn();
    const { user, chat } = renderChat(<MessageInput defaultValue="draft" onValueChange={onValueChange} />);
    expect(field().value).toBe('draft');
    await user.type(field(), '!');
    expect(onValueChange).toHaveBeenLastCalledWith('draft!');
    await user.keyboard('{Enter}');
    expect(onValueChange).toHaveBeenLastCalledWith('');
    expect(field().value).toBe('');
    await chat.waitForPacket(isMessage('draft!'));
  });

  it('is controlled with value and onValueChange: shows only what the owner sets, asks to clear after a send', async () => {
    const seen: string[] = [];
    function Controlled(props: Omit<MessageInputProps, 'value' | 'onValueChange'>) {
      const [value, setValue] = useState('hi');
      return (
        <>
          <MessageInput
            {...props}
            value={value}
            onValueChange={(next) => {
              seen.push(next);
              setValue(next.toUpperCase());
            }}
          />
          <output aria-label="owner value">{value}</output>
        </>
      );
    }
    const { user, chat } = renderChat(<Controlled />);
    expect(field().value).toBe('hi');
    await user.type(field(), ' there');
    expect(field().value).toBe('HI THERE');
    expect(seen.at(-1)).toBe('HI THERe');
    await user.keyboard('{Enter}');
    expect(seen.at(-1)).toBe('');
    expect(field().value).toBe('');
    expect(screen.getByRole('status', { name: 'owner value' }).textContent).toBe('');
    await chat.waitForPacket(isMessage('HI THERE'));

    // An owner that ignores changes keeps the field as it is.
    const fixed = vi.fn();
    const ignoring = renderChat(<MessageInput value="fixed" onValueChange={fixed} />);
    const [, second] = screen.getAllByRole<HTMLTextAreaElement>('textbox', { name: 'Message' });
    await ignoring.user.type(second as HTMLTextAreaElement, 'x');
    expect(fixed).toHaveBeenCalledWith('fixedx');
    expect(second?.value).toBe('fixed');
  });

  it('works while disconnected: never disabled, the message waits as pending and reaches the server once it is back', async () => {
    const first = startChatServer();
    // A long retry delay keeps the client disconnected until "Reconnect now" is pressed.
    const { user } = renderChat(
      <>
        <MessageInput />
        <ReadyStateProbe />
      </>,
      { chat: first, reconnect: { initialDelay: 60_000 } },
    );
    await first.waitForPacket((p) => 'type' in p && p.type === 'username');
    act(() => first.close());
    await waitFor(() => expect(screen.getByRole('status', { name: 'ready state' }).textContent).toBe(String(ReadyState.CLOSED)));

    expect(field().disabled).toBe(false);
    expect((sendButton() as HTMLButtonElement).disabled).toBe(false);
    // Says so, beside and for the field.
    expect(field().getAttribute('aria-describedby')).not.toBeNull();
    expect(screen.getByRole('textbox', { name: 'Message', description: 'Not connected: messages will be sent when reconnected.' })).toBe(
      field(),
    );
    await user.type(field(), 'while away{Enter}');
    expect(field().value).toBe('');
    expect(ownMessages()).toEqual(['while away:pending']);

    const back = startChatServer({ url: first.url });
    await user.click(screen.getByRole('button', { name: 'Reconnect now' }));
    const { from } = await back.waitForPacket(isMessage('while away'));
    expect(from.name).toBe('ada');
    await waitFor(() => expect(ownMessages()).toEqual(['while away:delivered']));
    expect(screen.queryByText(/Not connected/)).toBeNull();
    expect(field().hasAttribute('aria-describedby')).toBe(false);
  });

  it('can be written to before the first connection opens', async () => {
    const { chat } = renderChat(
      <>
        <MessageInput />
        <ReadyStateProbe />
      </>,
    );
    expect(screen.getByRole('status', { name: 'ready state' }).textContent).toBe(String(ReadyState.CONNECTING));
    // The first attempt is not a lost connection: no note.
    expect(screen.queryByText(/Not connected/)).toBeNull();
    fireEvent.change(field(), { target: { value: 'early' } });
    fireEvent.keyDown(field(), { key: 'Enter', code: 'Enter', keyCode: 13 });
    expect(ownMessages()).toEqual(['early:pending']);
    await chat.waitForPacket(isMessage('early'));
  });

  it('keeps the text and shows an alert when the chat refuses a message (too many waiting), until the next edit', async () => {
    const onSend = vi.fn();
    renderChat(<MessageInput onSend={onSend} />, { maxUnconfirmed: 1 });
    // Before the connection opens, nothing is echoed: the first message waits, the second is refused.
    fireEvent.change(field(), { target: { value: 'first' } });
    fireEvent.keyDown(field(), { key: 'Enter', code: 'Enter', keyCode: 13 });
    expect(field().value).toBe('');
    fireEvent.change(field(), { target: { value: 'second' } });
    fireEvent.keyDown(field(), { key: 'Enter', code: 'Enter', keyCode: 13 });
    expect(field().value).toBe('second');
    expect(screen.getByRole('alert').textContent).toBe(
      'Not sent: too many messages are still waiting for the server. Try again in a moment.',
    );
    expect(field().form?.hasAttribute('data-refused')).toBe(true);
    expect(onSend).toHaveBeenCalledTimes(1);
    expect(ownTexts()).toEqual(['first']);
    fireEvent.change(field(), { target: { value: 'second!' } });
    expect(screen.queryByRole('alert')).toBeNull();
    // Once the first is delivered there is room again.
    await waitFor(() => expect(ownMessages()).toEqual(['first:delivered']));
    fireEvent.keyDown(field(), { key: 'Enter', code: 'Enter', keyCode: 13 });
    expect(field().value).toBe('');
    expect(ownTexts()).toEqual(['first', 'second!']);
  });

  it('can be disabled by its owner', () => {
    renderChat(<MessageInput disabled />);
    expect(field().disabled).toBe(true);
    expect((sendButton() as HTMLButtonElement).disabled).toBe(true);
  });

  it('takes every visible string from strings, and classes for each part', () => {
    renderChat(
      <MessageInput
        className="f"
        textareaClassName="t"
        buttonClassName="b"
        counterClassName="c"
        labelClassName="l"
        showLabel
        maxLength={20}
      />,
      { strings: { messageLabel: 'Nachricht', send: 'Senden', messagePlaceholder: 'Schreiben', charactersLeft: (n) => `noch ${n}` } },
    );
    const textarea = screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Nachricht', description: 'noch 20' });
    expect(textarea.placeholder).toBe('Schreiben');
    expect(textarea.className).toBe('rwc-message-input__field t');
    expect(textarea.form?.className).toBe('rwc-message-input f');
    expect(textarea.labels?.[0]?.className).toBe('rwc-message-input__label l');
    expect(screen.getByRole('button', { name: 'Senden' }).className).toBe('rwc-message-input__send b');
    expect(screen.getByText('noch 20').className).toBe('rwc-message-input__counter c');
  });

  it('does not re-render when messages arrive', async () => {
    const onRender = vi.fn();
    const { chat, user } = renderChat(
      <>
        <Profiler id="input" onRender={onRender}>
          <MessageInput />
        </Profiler>
        <EntryCount />
      </>,
    );
    const entries = () => Number(screen.getByRole('status', { name: 'entries' }).textContent);
    await chat.waitForPacket((p) => 'type' in p && p.type === 'username');
    await user.type(field(), 'mine{Enter}');
    await waitFor(() => expect(ownMessages()).toEqual(['mine:delivered']));
    const renders = onRender.mock.calls.length;
    const before = entries();

    act(() => {
      chat.send({ type: 'message', id: 99, name: 'bob', text: 'one', date: Date.now() });
      chat.send({ type: 'userlist', users: ['ada', 'bob'] });
      chat.send({ type: 'message', id: 99, name: 'bob', text: 'two', date: Date.now() });
    });
    await waitFor(() => expect(entries()).toBe(before + 2));
    expect(onRender).toHaveBeenCalledTimes(renders);

    // Control: typing does re-render it.
    await user.type(field(), 'x');
    expect(onRender.mock.calls.length).toBeGreaterThan(renders);
  });
});
