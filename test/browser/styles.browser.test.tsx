// The optional stylesheet (src/styles.css) in real Chromium, laid out as the README's quick start
// (the four parts inside `.rwc-chat`): what it must guarantee wherever the chat is put. The
// message field and the log stay inside the chat's container and the screen at any number of
// users and any height, the user list scrolls in its own box, long URLs wrap inside their bubble.
import '../../src/styles.css';
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { immediateScheduler } from '../../src/chat/index.js';
import { ChatBox, ChatProvider, ConnectionStatus, MessageInput, UserList } from '../../src/components/index.js';
import { createMockChatServer, type MockChatServer } from '../../src/testing/index.js';
import { pageRootsPerTest } from '../helpers/pageRoots.js';
import { signIn } from '../helpers/signIn.js';

const { afterThisTest, mountRoot } = pageRootsPerTest();

/** 300 users, 30 of them without a name yet (the `Many users` story's list). */
const MANY_USERS = Array.from({ length: 300 }, (_, i) => (i === 0 ? 'ada' : i % 10 === 0 ? null : `user ${i}`));

interface Mounted {
  chat: MockChatServer;
  container: HTMLElement;
  wrapper: HTMLElement;
  log: HTMLElement;
  /** The user list's box (the README gives it `tabIndex={0}`: it scrolls when long). */
  list: HTMLElement;
  field: HTMLTextAreaElement;
}

/**
 * The README's quick start (its `<ChatBox style={{ blockSize: 400 }} />` too) in a container of
 * `width` x `height` px (`height` auto: the page's flow), signed in with `users` listed.
 */
async function mount(width: number, height: number | 'auto', users: readonly (string | null)[] = MANY_USERS): Promise<Mounted> {
  const chat = createMockChatServer({ autoRespond: false });
  afterThisTest(() => chat.stop());
  const { container, root } = mountRoot(
    `width: ${width}px; height: ${height === 'auto' ? 'auto' : `${height}px`}; font: 16px/20px "DejaVu Sans", sans-serif;`,
  );
  root.render(
    <StrictMode>
      <ChatProvider url={chat.url} username="ada" WebSocket={chat.WebSocket} schedule={immediateScheduler}>
        <div className="rwc-chat">
          <ConnectionStatus />
          <ChatBox style={{ blockSize: 400 }} />
          <UserList tabIndex={0} />
          <MessageInput />
        </div>
      </ChatProvider>
    </StrictMode>,
  );
  await signIn(chat, users);
  const items = container.querySelector<HTMLElement>('.rwc-user-list__list')!;
  await expect.poll(() => items.children.length).toBe(users.length);
  const list = container.querySelector<HTMLElement>('.rwc-user-list')!;
  return {
    chat,
    container,
    wrapper: container.querySelector<HTMLElement>('.rwc-chat')!,
    log: container.querySelector<HTMLElement>('[role="log"]')!,
    list,
    field: container.querySelector('textarea')!,
  };
}

/** `inner`'s box lies within `outer`'s (half a pixel of rounding allowed). */
function expectWithin(inner: DOMRect, outer: { top: number; bottom: number; left: number; right: number }) {
  expect(inner.top).toBeGreaterThanOrEqual(outer.top - 0.5);
  expect(inner.bottom).toBeLessThanOrEqual(outer.bottom + 0.5);
  expect(inner.left).toBeGreaterThanOrEqual(outer.left - 0.5);
  expect(inner.right).toBeLessThanOrEqual(outer.right + 0.5);
}

/** The part of the screen the container shows in (the container scrolled to the top of the page). */
function visibleBox(container: HTMLElement) {
  const box = container.getBoundingClientRect();
  return { top: Math.max(box.top, 0), bottom: Math.min(box.bottom, window.innerHeight), left: box.left, right: box.right };
}

const SCREENS = [
  { name: 'a 320 px tall widget on a desktop', viewport: [1280, 900], width: 600, height: 320 },
  { name: 'a 600 px tall container on a tablet', viewport: [768, 1024], width: 700, height: 600 },
  { name: 'a 900 px tall container on a desktop', viewport: [1280, 900], width: 900, height: 900 },
  { name: 'the page flow (no container height) on a desktop', viewport: [1280, 900], width: 900, height: 'auto' },
  { name: 'the page flow on a phone', viewport: [320, 568], width: 320, height: 'auto' },
  { name: 'a 320 px tall, 320 px wide phone', viewport: [320, 568], width: 320, height: 320 },
] as const;

describe('the layout with 300 users', () => {
  it.each(SCREENS)('keeps the message field and the log on screen: $name', async ({ viewport, width, height }) => {
    await page.viewport(viewport[0], viewport[1]);
    const { container, wrapper, log, list, field } = await mount(width, height);
    // On a narrow screen the list is behind its toggle: open it (the next tests check the toggle).
    if (viewport[0] < 640) await userEvent.click(page.getByRole('button', { name: 'Users' }));
    const visible = visibleBox(container);
    // The whole chat fits: its container, and the screen.
    expectWithin(wrapper.getBoundingClientRect(), visible);
    expectWithin(field.getBoundingClientRect(), visible);
    expectWithin(log.getBoundingClientRect(), visible);
    // The log keeps room for a few rows (20 px lines), the field is whole.
    expect(log.getBoundingClientRect().height).toBeGreaterThanOrEqual(80);
    expect(field.getBoundingClientRect().height).toBeGreaterThanOrEqual(38);
    // The user list scrolls in its own box, inside the chat, and its last user can be scrolled to.
    expect(list.scrollHeight).toBeGreaterThan(list.clientHeight);
    expect(list.clientHeight).toBeGreaterThan(0);
    expectWithin(list.getBoundingClientRect(), visible);
    list.scrollTop = list.scrollHeight;
    const last = list.querySelector('li:last-child')!.getBoundingClientRect();
    expect(last.bottom).toBeLessThanOrEqual(list.getBoundingClientRect().bottom + 0.5);
    expect(last.top).toBeGreaterThanOrEqual(list.getBoundingClientRect().top - 0.5);
  });

  it('lets a short list take its own height, with the spare room going to the log', async () => {
    await page.viewport(1280, 900);
    const { log, list } = await mount(900, 700, ['ada', 'bob', 'carol']);
    expect(list.scrollHeight).toBe(list.clientHeight);
    // No empty space under the last name: the box ends where its list does.
    const items = list.querySelector('ul')!.getBoundingClientRect();
    expect(Math.abs(list.getBoundingClientRect().bottom - items.bottom)).toBeLessThanOrEqual(1);
    // The log grew past the 400 px it was given: it takes the room the list does not need.
    expect(log.getBoundingClientRect().height).toBeGreaterThan(400);
  });
});

describe('the user list on narrow screens', () => {
  const toggle = () => page.getByRole('button', { name: 'Users' });

  it('is behind a button (aria-expanded) at 320 px, the log and the field keeping the screen', async () => {
    await page.viewport(320, 568);
    const { container, log, list, field } = await mount(320, 'auto');
    const items = list.querySelector('ul')!;
    await expect.element(toggle()).toBeVisible();
    await expect.element(toggle()).toHaveAttribute('aria-expanded', 'false');
    expect(items.checkVisibility()).toBe(false);
    // The heading still names the list, once.
    await expect.element(page.getByRole('heading', { name: 'Users', level: 2 })).toBeVisible();
    const visible = visibleBox(container);
    expectWithin(field.getBoundingClientRect(), visible);
    expectWithin(log.getBoundingClientRect(), visible);
    // Collapsed, the list takes no more than its header's line.
    expect(list.getBoundingClientRect().height).toBeLessThan(48);

    await userEvent.click(toggle());
    await expect.element(toggle()).toHaveAttribute('aria-expanded', 'true');
    expect(items.checkVisibility()).toBe(true);
    await expect.element(page.getByRole('list', { name: 'Users' })).toBeVisible();
    expectWithin(field.getBoundingClientRect(), visibleBox(container));

    await userEvent.click(toggle());
    await expect.element(toggle()).toHaveAttribute('aria-expanded', 'false');
    expect(items.checkVisibility()).toBe(false);
  });

  it.each([
    [768, 1024],
    [1280, 900],
  ])('is always shown, with no toggle, at %i px', async (width, height) => {
    await page.viewport(width, height);
    const { list } = await mount(Math.min(width, 900), 'auto', ['ada', 'bob']);
    expect(list.querySelector('button')!.checkVisibility()).toBe(false);
    expect(list.querySelector('ul')!.checkVisibility()).toBe(true);
    await expect.element(page.getByRole('list', { name: 'Users' })).toBeVisible();
  });
});

describe('the stylesheet', () => {
  it('pads the chat: its parts keep off its edges', async () => {
    await page.viewport(1280, 900);
    const { wrapper, log, field } = await mount(600, 600);
    expect(Number.parseFloat(getComputedStyle(wrapper).paddingInlineStart)).toBeGreaterThan(0);
    const chat = wrapper.getBoundingClientRect();
    const chatBox = log.parentElement!.getBoundingClientRect();
    expect(chatBox.left - chat.left).toBeGreaterThanOrEqual(4);
    expect(chat.right - chatBox.right).toBeGreaterThanOrEqual(4);
    expect(chat.bottom - field.getBoundingClientRect().bottom).toBeGreaterThanOrEqual(4);
  });

  it('has no resize grip on the message field, which grows with its lines up to a limit', async () => {
    await page.viewport(1280, 900);
    const { field } = await mount(600, 600);
    expect(getComputedStyle(field).resize).toBe('none');
    const oneLine = field.getBoundingClientRect().height;
    await userEvent.click(field);
    await userEvent.keyboard('one{Shift>}{Enter}{/Shift}two{Shift>}{Enter}{/Shift}three');
    expect(field.value).toBe('one\ntwo\nthree');
    const threeLines = field.getBoundingClientRect().height;
    expect(threeLines).toBeGreaterThanOrEqual(oneLine + 2 * 20 - 1);
    await userEvent.keyboard('{Shift>}{Enter}{Enter}{Enter}{Enter}{Enter}{Enter}{Enter}{Enter}{Enter}{Enter}{/Shift}');
    // 12rem at most: the field scrolls past that.
    expect(field.getBoundingClientRect().height).toBeLessThanOrEqual(12 * 16 + 0.5);
    expect(field.scrollHeight).toBeGreaterThan(field.clientHeight);
  });

  it('lists colour emoji fonts after the text fonts', async () => {
    await page.viewport(1280, 900);
    const { wrapper } = await mount(600, 600, ['ada']);
    const families = getComputedStyle(wrapper)
      .fontFamily.split(',')
      .map((family) => family.trim().replace(/^"|"$/g, ''));
    const emoji = ['Apple Color Emoji', 'Segoe UI Emoji', 'Noto Color Emoji'].map((family) => families.indexOf(family));
    for (const at of emoji) expect(at).toBeGreaterThan(families.indexOf('sans-serif'));
  });

  it('wraps a long URL inside its bubble at any width, and keeps ordinary words whole', async () => {
    await page.viewport(320, 568);
    const { chat, log } = await mount(320, 560, ['ada', 'bob']);
    const url = `https://example.com/${'a1b2c3d4e5/'.repeat(26)}`.slice(0, 300);
    const words = 'Internationalization considerations notwithstanding everything works';
    const date = Date.UTC(2026, 0, 15, 9, 30);
    chat.send({ type: 'message', id: 2, name: 'bob', text: url, date });
    chat.send({ type: 'message', id: 2, name: 'bob', text: words, date: date + 1000 });
    await expect.poll(() => log.querySelectorAll('.rwc-chatbox__text').length).toBe(2);
    const [urlBubble, wordsBubble] = [...log.querySelectorAll<HTMLElement>('.rwc-chatbox__text')];
    for (const bubble of [urlBubble!, wordsBubble!]) {
      expect(bubble.scrollWidth).toBeLessThanOrEqual(bubble.clientWidth);
      // Sideways only: the log may have scrolled the first bubble up out of sight.
      const [inner, outer] = [bubble.getBoundingClientRect(), log.getBoundingClientRect()];
      expect(inner.left).toBeGreaterThanOrEqual(outer.left - 0.5);
      expect(inner.right).toBeLessThanOrEqual(outer.right + 0.5);
      expect(log.scrollWidth).toBeLessThanOrEqual(log.clientWidth);
    }
    // The URL took several lines; each ordinary word sits on one line (one box from its range).
    expect(urlBubble!.getBoundingClientRect().height).toBeGreaterThan(3 * 20);
    const text = wordsBubble!.firstChild!;
    for (const word of words.split(' ')) {
      const range = document.createRange();
      const at = words.indexOf(word);
      range.setStart(text, at);
      range.setEnd(text, at + word.length);
      expect(range.getClientRects()).toHaveLength(1);
    }
  });
});
