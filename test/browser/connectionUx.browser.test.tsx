// The connection's and the field's signs in real Chromium, with the optional stylesheet (#14 items 4
// and 7): the user list dimmed and named as the last one known while disconnected, the character
// count only near the limit, and the interface's own sentences (counts, status, notes) keeping
// their order in a right-to-left page.
import '../../src/styles.css';
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { immediateScheduler } from '../../src/chat/index.js';
import { ChatProvider, ConnectionStatus, MessageInput, UserList } from '../../src/components/index.js';
import { createMockChatServer, type MockChatServer } from '../../src/testing/index.js';
import { boxOf } from '../../stories/support/textBoxes.js';
import { pageRootsPerTest } from '../helpers/pageRoots.js';
import { signIn } from '../helpers/signIn.js';

const { afterThisTest, mountRoot } = pageRootsPerTest();

interface Mounted {
  chat: MockChatServer;
  container: HTMLElement;
}

/**
 * The status, the user list and the field in `.rwc-chat`, in a `dir` box, signed in with ada, bob
 * and carol listed. Retries are a minute apart: a lost connection stays lost.
 */
async function mount(dir = 'ltr', maxLength?: number): Promise<Mounted> {
  const chat = createMockChatServer({ autoRespond: false });
  afterThisTest(() => chat.stop());
  const { container, root } = mountRoot('width: 480px; font: 16px/20px "DejaVu Sans", sans-serif;', dir);
  root.render(
    <StrictMode>
      <ChatProvider
        url={chat.url}
        username="ada"
        WebSocket={chat.WebSocket}
        schedule={immediateScheduler}
        reconnect={{ initialDelay: 60_000, random: () => 0.5 }}
      >
        <div className="rwc-chat">
          <ConnectionStatus />
          <UserList />
          <MessageInput maxLength={maxLength} />
        </div>
      </ChatProvider>
    </StrictMode>,
  );
  await signIn(chat, ['ada', 'bob', 'carol']);
  await expect.poll(() => container.querySelectorAll('.rwc-user-list__item').length).toBe(3);
  return { chat, container };
}

const colorOf = (element: Element) => getComputedStyle(element).color;

describe('while the connection is lost', () => {
  it('dims the user list (muted names) and names it "Users (offline)", in words too', async () => {
    const { chat, container } = await mount();
    const bob = [...container.querySelectorAll('.rwc-user-list__name')].find((name) => name.textContent === 'bob')!;
    const muted = colorOf(container.querySelector('.rwc-user-list__you')!);
    const present = colorOf(bob);
    expect(present).not.toBe(muted);
    await expect.element(page.getByRole('list', { name: 'Users', exact: true })).toBeInTheDocument();

    chat.close();
    await expect.element(page.getByRole('list', { name: 'Users (offline)' })).toBeInTheDocument();
    // Said, not only shown: the heading's words are visible too.
    await expect.element(page.getByRole('heading', { name: 'Users (offline)' })).toBeVisible();
    expect(colorOf(bob)).toBe(muted);
    await expect.element(page.getByRole('status')).toHaveAttribute('data-state', 'reconnecting');
    await expect.element(page.getByRole('button', { name: 'Retry now' })).toBeVisible();
  });

  it('hands the focus of "Retry now" to the status once the connection is back, not to the body', async () => {
    const { chat, container } = await mount();
    // The link drops; the server stays up for the retry.
    chat.connections[0]!.socket.close({ code: 1006, reason: '', wasClean: false });
    const retry = page.getByRole('button', { name: 'Retry now' });
    await retry.click();
    const status = container.querySelector<HTMLElement>('.rwc-connection-status')!;
    await expect.poll(() => status.dataset.state).toBe('open');
    await expect.element(retry).not.toBeInTheDocument();
    await expect.poll(() => document.activeElement).toBe(status);
  });

  it('keeps the field usable, described by a visible note that what is written waits', async () => {
    const { chat } = await mount();
    const field = page.getByRole('textbox', { name: 'Message' });
    await expect.element(field).not.toHaveAttribute('aria-describedby');
    chat.close();
    const note = 'Not connected: messages will be sent when reconnected.';
    await expect.element(field).toHaveAccessibleDescription(note);
    await expect.element(page.getByText(note)).toBeVisible();
    await expect.element(field).toBeEnabled();
  });
});

describe('the character count', () => {
  it('is neither shown nor read far from the limit, and appears, describing the field, in its last 100 characters', async () => {
    const { container } = await mount('ltr', 120);
    const field = page.getByRole('textbox', { name: 'Message' });
    await userEvent.click(field);
    await userEvent.keyboard('x'.repeat(19));
    expect(container.querySelector('.rwc-message-input__counter')).toBeNull();
    await expect.element(field).not.toHaveAttribute('aria-describedby');
    await userEvent.keyboard('x');
    await expect.element(page.getByText('100 characters left')).toBeVisible();
    await expect.element(field).toHaveAccessibleDescription('100 characters left');
  });
});

/** Whether `after` shows right of `before` in `element`'s text (left-to-right order on screen). */
function rightOf(element: Element, before: string, after: string): boolean {
  const [a, b] = [boxOf(element, before), boxOf(element, after)];
  expect(a.width).toBeGreaterThan(0);
  return b.left >= a.right - 0.5;
}

describe('an English interface in a dir="rtl" page', () => {
  it('keeps "3 users", "100 characters left", the status and the note in their own order', async () => {
    const { chat, container } = await mount('rtl', 120);
    const count = container.querySelector('.rwc-user-list__count')!;
    expect(count.textContent).toBe('3 users');
    expect(rightOf(count, '3', 'users')).toBe(true);

    await userEvent.click(page.getByRole('textbox', { name: 'Message' }));
    await userEvent.keyboard('x'.repeat(20));
    const counter = page.getByText('100 characters left').element();
    expect(rightOf(counter, '100', 'characters')).toBe(true);

    chat.close();
    const status = () => container.querySelector('.rwc-connection-status__text')!;
    await expect.poll(() => status().textContent).toMatch(/^Reconnecting in 1\d s \(attempt 1\)$/);
    // The closing parenthesis ends the sentence, on the right: not thrown to the left by the page.
    expect(rightOf(status(), 'attempt', ')')).toBe(true);
    expect(rightOf(status(), 'Reconnecting', 's (attempt')).toBe(true);
    const note = page.getByText('Not connected: messages will be sent when reconnected.').element();
    expect(rightOf(note, 'reconnected', '.')).toBe(true);
    const offline = container.querySelector('.rwc-user-list__offline')!;
    expect(rightOf(offline, 'offline', ')')).toBe(true);
  });
});
