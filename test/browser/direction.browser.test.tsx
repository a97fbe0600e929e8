// Mixed-direction text in real Chromium: what users write (message texts, names, names inside
// notices, the message field) keeps its own direction in a page of either direction. Checked where
// it shows: the computed direction of each element, and where the glyphs land (the "?" of an
// English message in a right-to-left page must stay at its end, on the right).
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { immediateScheduler, type ChatStrings } from '../../src/chat/index.js';
import { ChatBox, ChatProvider, MessageInput, UserList } from '../../src/components/index.js';
import { createMockChatServer, type MockChatServer } from '../../src/testing/index.js';
import { pageRootsPerTest } from '../helpers/pageRoots.js';
import { signIn } from '../helpers/signIn.js';
import { boxOf } from '../../stories/support/textBoxes.js';

type Direction = 'ltr' | 'rtl';

const { afterThisTest, mountRoot } = pageRootsPerTest();

/** A Hebrew interface, for the right-to-left page: its sentences put the name first. */
const hebrew: Partial<ChatStrings> = {
  signedIn: (name, time) => `${name} נכנס/ה בשעה ${time}`,
  renamed: (name) => `שמך שונה ל${name} כי השם שבחרת תפוס.`,
};

/**
 * Each page's messages, from senders whose names end in "!" (a neutral character: it takes the
 * direction around it unless the name is isolated), in the three scripts.
 */
const MESSAGES = [
  { id: 2, name: 'carol!', text: 'Hello carol?', first: 'Hello', direction: 'ltr' },
  { id: 3, name: 'שרה!', text: 'שלום, מה נשמע?', first: 'שלום', direction: 'rtl' },
  { id: 4, name: 'نور!', text: 'مرحبا يا جماعة!', first: 'مرحبا', direction: 'rtl' },
] as const;

/** Per page direction: a name of the other direction, for the notices and the own name. */
const PAGES = {
  rtl: { strings: hebrew, other: { name: 'carol!', first: 'carol', direction: 'ltr' } },
  ltr: { strings: {}, other: { name: 'שרה!', first: 'שרה', direction: 'rtl' } },
} as const;

interface Mounted {
  chat: MockChatServer;
  container: HTMLElement;
  log: HTMLElement;
}

/** The log, the user list and the message field in a `dir` box, after a scripted sign-in. */
async function mount(dir: Direction, locale = 'he'): Promise<Mounted> {
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
        locale={locale}
        strings={PAGES[dir].strings}
      >
        <ChatBox style={{ height: 400 }} />
        <UserList />
        <MessageInput />
      </ChatProvider>
    </StrictMode>,
  );
  await signIn(chat);
  const { other } = PAGES[dir];
  const date = Date.UTC(2026, 0, 15, 9, 30);
  chat.send({ type: 'username', id: 2, name: other.name, date });
  for (const [index, { id, name, text }] of MESSAGES.entries()) chat.send({ type: 'message', id, name, text, date: date + index * 1000 });
  chat.send({ type: 'rejectusername', id: 1, name: other.name });
  chat.send({ type: 'userlist', users: [other.name, ...MESSAGES.map((m) => m.name)] });
  const log = container.querySelector<HTMLElement>('[role="log"]')!;
  await expect.poll(() => log.querySelectorAll('.rwc-chatbox__row').length).toBe(2 + MESSAGES.length);
  return { chat, container, log };
}

/**
 * Where `mark` (the last character of `text`) shows against the first word: at the end of the
 * text in its own direction, so right of the word in left-to-right text, left of it in right-to-left.
 */
function markSide(element: Element, first: string, mark: string): 'right' | 'left' {
  const word = boxOf(element, first);
  const end = boxOf(element, mark);
  expect(word.width).toBeGreaterThan(0);
  if (end.left >= word.right - 0.5) return 'right';
  expect(end.right).toBeLessThanOrEqual(word.left + 0.5);
  return 'left';
}

const endSide = (direction: Direction) => (direction === 'ltr' ? 'right' : 'left');

/** The element of `selector` whose text is `text`, among `root`'s. */
function withText(root: Element, selector: string, text: string): HTMLElement {
  const found = [...root.querySelectorAll<HTMLElement>(selector)].find((element) => element.textContent === text);
  if (!found) throw new Error(`No ${selector} with ${JSON.stringify(text)}`);
  return found;
}

describe('times in a dir="rtl" page', () => {
  it('keep an English time ("9:30 AM") in its own order, not "AM 9:30"', async () => {
    const { log } = await mount('rtl', 'en-US');
    const times = [...log.querySelectorAll<HTMLElement>('time.rwc-chatbox__time:not(.rwc-visually-hidden)')];
    expect(times.length).toBeGreaterThan(0);
    for (const time of times) {
      const text = time.textContent!;
      expect(text).toMatch(/^\d{1,2}:\d\d\s[AP]M$/);
      expect(markSide(time, text.split(':')[0]!, 'M'), text).toBe('right');
    }
  });
});

describe.each(['rtl', 'ltr'] as const)('mixed directions in a dir="%s" page', (dir) => {
  it('gives every message text and sender its own direction', async () => {
    const { log } = await mount(dir);
    expect(getComputedStyle(log).direction).toBe(dir);
    for (const { name, text, first, direction } of MESSAGES) {
      const bubble = withText(log, '.rwc-chatbox__text', text);
      expect(bubble.getAttribute('dir'), text).toBe('auto');
      expect(getComputedStyle(bubble).direction, text).toBe(direction);
      expect(bubble.matches(`:dir(${direction})`), text).toBe(true);
      // The final "?" or "!" stays at the end of the sentence, in the sentence's direction.
      expect(markSide(bubble, first, text.at(-1)!), text).toBe(endSide(direction));

      const sender = withText(bubble.closest('.rwc-chatbox__row')!, '.rwc-chatbox__sender', name);
      expect(getComputedStyle(sender).direction, name).toBe(direction);
      expect(markSide(sender, name.slice(0, -1), '!'), name).toBe(endSide(direction));
    }
  });

  it('isolates the names inside sign-in and rename notices', async () => {
    const { log } = await mount(dir);
    const { other } = PAGES[dir];
    const notices = [...log.querySelectorAll<HTMLElement>('.rwc-chatbox__notice')];
    expect(notices).toHaveLength(2);
    for (const notice of notices) {
      expect(notice.textContent).toContain(other.name);
      // The page's sentence keeps the page's direction; the name inside it keeps its own.
      expect(getComputedStyle(notice).direction).toBe(dir);
      expect(markSide(notice, other.first, '!'), notice.textContent!).toBe(endSide(other.direction));
    }
  });

  it('gives every name in the user list its own direction', async () => {
    const { container } = await mount(dir);
    const users = container.querySelector('.rwc-user-list')!;
    await expect.poll(() => users.querySelectorAll('.rwc-user-list__name').length).toBe(1 + MESSAGES.length);
    for (const { name, direction } of [PAGES[dir].other, ...MESSAGES]) {
      const item = withText(users, '.rwc-user-list__name', name);
      expect(getComputedStyle(item).direction, name).toBe(direction);
      expect(markSide(item, name.slice(0, -1), '!'), name).toBe(endSide(direction));
    }
  });

  it('turns the message field to the direction of what is typed', async () => {
    const { container } = await mount(dir);
    const field = container.querySelector<HTMLTextAreaElement>('textarea')!;
    await userEvent.fill(field, 'Hello carol?');
    await expect.poll(() => getComputedStyle(field).direction).toBe('ltr');
    await userEvent.fill(field, 'שלום, מה נשמע?');
    await expect.poll(() => getComputedStyle(field).direction).toBe('rtl');
  });
});
