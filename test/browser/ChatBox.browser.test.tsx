// ChatBox in real Chromium, with real layout: the rows virtua renders, grouping, notices, text that
// must stay text, and the scrolling behaviour (pinned to the newest, the reader's place kept, the
// "N new messages" button). Driven by the mock chat server; every wait polls a condition.
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { createTimeFormat, immediateScheduler, type ChatEntry, type ChatMessageEntry, type Scheduler } from '../../src/chat/index.js';
import { ChatBox, ChatProvider, type ChatBoxEntryInfo, type ChatBoxProps, type ChatProviderProps } from '../../src/components/index.js';
import { createMockChatServer, type MockChatServer, type MockChatServerOptions } from '../../src/testing/index.js';
import { rows, textOf, topRow } from '../helpers/logRows.js';
import { pageRootsPerTest } from '../helpers/pageRoots.js';
import { sendMessageProbe } from '../helpers/sendMessageProbe.js';
import { scrollSettled } from '../helpers/scrollSettled.js';

const HEIGHT = 300;
const timeFormat = createTimeFormat();

// Two things the optional stylesheet (src/styles.css) does that matter to scrolling, not the whole
// sheet (it changes under its own tests): text keeps its line breaks, so multi-line messages are
// taller rows; and the log has vertical padding, so its scroll end is not the last row's end.
const style = document.createElement('style');
style.textContent = `
  .rwc-chatbox__text { white-space: pre-wrap; }
  .rwc-chatbox__log { box-sizing: border-box; padding-block: 12px; }
`;
document.head.append(style);

const { afterThisTest, mountRoot } = pageRootsPerTest();

interface Mounted {
  chat: MockChatServer;
  container: HTMLElement;
  log: HTMLElement;
  /** The `send` of useSendMessage, once rendered. */
  send: (text: string) => ChatMessageEntry | null;
}

/** Render a ChatBox in a 300 px tall box, connected to a fresh mock server. */
async function mount(
  options: { box?: ChatBoxProps; provider?: Partial<ChatProviderProps>; server?: MockChatServerOptions; signIn?: boolean } = {},
): Promise<Mounted> {
  const chat = createMockChatServer(options.server);
  afterThisTest(() => chat.stop());
  const { container, root } = mountRoot(`height: ${HEIGHT}px; width: 400px; font: 16px/20px sans-serif;`);
  const sender = sendMessageProbe();
  root.render(
    <StrictMode>
      <ChatProvider url={chat.url} username="ada" WebSocket={chat.WebSocket} schedule={immediateScheduler} {...options.provider}>
        <ChatBox style={{ height: '100%' }} {...options.box} />
        <sender.Probe />
      </ChatProvider>
    </StrictMode>,
  );
  await expect.poll(() => container.querySelector<HTMLElement>('[role="log"]')).toBeTruthy();
  const log = container.querySelector<HTMLElement>('[role="log"]')!;
  await expect.poll(() => sender.current()).toBeTruthy();
  if (options.signIn !== false) {
    // The server's answer to the name is the first entry: "User ada signed in at …".
    await chat.waitForPacket((p) => 'type' in p && p.type === 'username');
    await expect.poll(() => rows(log).length).toBe(1);
  }
  return { chat, container, log, send: (text) => sender.current()!(text) };
}

const T0 = Date.UTC(2026, 0, 15, 9, 30);
let nextDate = T0;

function message(text: string, { name = 'bob', id = 2, date }: { name?: string; id?: number; date?: number } = {}) {
  let when = date;
  if (when === undefined) {
    nextDate += 1000;
    when = nextDate;
  }
  return { type: 'message' as const, id, name, text, date: when };
}

/** Send `count` messages from bob, numbered from `from`, in one go (one React update). */
function flood(chat: MockChatServer, count: number, from = 0, text = (i: number) => `m${i}`) {
  for (let i = from; i < from + count; i++) chat.send(message(text(i)));
}

/** 1 to 5 lines: rows of varied heights, which virtua can only estimate until it measures them. */
const varied = (i: number) => `m${i}${'\n…'.repeat(i % 5)}`;

const rowWithText = (log: HTMLElement, text: string) => rows(log).find((row) => textOf(row) === text);
const newMessagesButton = () => document.querySelector<HTMLButtonElement>('.rwc-chatbox__new-messages');

/** Wholly inside the log's visible box. */
function isVisible(log: HTMLElement, row: Element | undefined): boolean {
  if (!row) return false;
  const outer = log.getBoundingClientRect();
  const inner = row.getBoundingClientRect();
  return inner.height > 0 && inner.top >= outer.top - 1 && inner.bottom <= outer.bottom + 1;
}

const atEnd = (log: HTMLElement) => log.scrollTop + log.clientHeight >= log.scrollHeight - 1;

/**
 * For a wait on a number of animation frames (a message sent in each): 30 take half a second at
 * 60 fps, but a loaded machine draws far fewer per second (seen: 30 in over 1 s, the default poll's
 * limit). Only how long the wait may take; the condition is the same.
 */
const FRAMES = { timeout: 10_000 };

/** Scroll the log up like a reader, with the mouse wheel, until it has left the bottom. */
async function scrollUp(log: HTMLElement, pixels = 600) {
  await userEvent.wheel(log, { delta: { y: -pixels } });
  await expect.poll(() => log.dataset.state).toBe('scrolled-up');
  // Let a wheel scroll that is still animating come to rest.
  await scrollSettled(log);
}

describe('ChatBox in Chromium', () => {
  it('shows sender, time and text of each message, with a valid ISO dateTime', async () => {
    const { chat, log } = await mount();
    const date = Date.UTC(2026, 2, 1, 14, 5, 30);
    chat.send(message('Hello, Ada!', { date }));
    await expect.poll(() => rowWithText(log, 'Hello, Ada!')).toBeTruthy();
    const row = rowWithText(log, 'Hello, Ada!')!;
    expect(row.dataset.kind).toBe('message');
    expect(row.dataset.group).toBe('start');
    expect(row.dataset.status).toBe('delivered');
    expect(row.hasAttribute('data-own')).toBe(false);
    expect(row.querySelector('.rwc-chatbox__sender')?.textContent).toBe('bob');
    const time = row.querySelector('time')!;
    expect(time.className).toBe('rwc-chatbox__time');
    expect(time.dateTime).toBe('2026-03-01T14:05:30.000Z');
    expect(new Date(time.dateTime).getTime()).toBe(date);
    expect(time.textContent).toBe(timeFormat.time(date));
    expect(row.querySelector('.rwc-chatbox__status')).toBeNull();
    expect(isVisible(log, row)).toBe(true);
  });

  it('renders hostile names and texts as text, creating no elements', async () => {
    const { chat, log } = await mount();
    const name = '<img src=x onerror=alert(1)>';
    const text = '<script>alert(1)</script><b>bold</b> &amp;';
    chat.send(message(text, { name }));
    chat.send({ type: 'username', id: 3, name, date: T0 });
    await expect.poll(() => rowWithText(log, text)).toBeTruthy();
    const row = rowWithText(log, text)!;
    expect(row.querySelector('.rwc-chatbox__sender')?.textContent).toBe(name);
    expect(row.querySelector('.rwc-chatbox__text')?.textContent).toBe(text);
    await expect.poll(() => rows(log).at(-1)?.textContent).toBe(`User ${name} signed in at ${timeFormat.time(T0)}`);
    expect(log.querySelector('img, script, b')).toBeNull();
  });

  it('keeps spaces and line breaks of the text in the DOM', async () => {
    const { chat, log } = await mount();
    const text = 'line 1\n  line 2\n\n\tend  ';
    chat.send(message(text));
    await expect.poll(() => rowWithText(log, text)).toBeTruthy();
    expect(rowWithText(log, text)!.querySelector('.rwc-chatbox__text')?.textContent).toBe(text);
  });

  it('groups consecutive messages of a sender, with sender and time once per group (kept for screen readers)', async () => {
    const { chat, log } = await mount();
    const t = T0 + 3_600_000;
    chat.send(message('b1', { date: t }));
    chat.send(message('b2', { date: t + 10_000 }));
    chat.send(message('b3', { date: t + 20_000 }));
    chat.send(message('c1', { name: 'carol', id: 4, date: t + 30_000 }));
    chat.send(message('b4', { date: t + 40_000 }));
    chat.send(message('b5', { date: t + 40_000 + 6 * 60_000 })); // past the 5-minute window
    await expect.poll(() => rows(log).length).toBe(7);
    const groups = Object.fromEntries(
      rows(log)
        .slice(1)
        .map((row) => [textOf(row), row.dataset.group]),
    );
    expect(groups).toEqual({ b1: 'start', b2: 'continue', b3: 'continue', c1: 'start', b4: 'start', b5: 'start' });
    const sender = rowWithText(log, 'b2')!.querySelector('.rwc-chatbox__sender')!;
    expect(sender.textContent).toBe('bob');
    expect(sender.classList.contains('rwc-visually-hidden')).toBe(true);
    expect(rowWithText(log, 'b1')!.querySelector('.rwc-chatbox__sender')!.classList.contains('rwc-visually-hidden')).toBe(false);
    // The time shows once per group; every message keeps its own for screen readers and on hover.
    const timeHidden = (text: string) => rowWithText(log, text)!.querySelector('time')!.classList.contains('rwc-visually-hidden');
    expect(['b1', 'b2', 'b3', 'c1', 'b4', 'b5'].map(timeHidden)).toEqual([false, true, true, false, false, false]);
    expect(rowWithText(log, 'b2')!.querySelector('time')!.textContent).toBe(timeFormat.time(t + 10_000));
    expect(rowWithText(log, 'b2')!.title).toBe(timeFormat.full(t + 10_000));
    // The sign-in notice stands alone.
    expect(rows(log)[0]!.dataset).toMatchObject({ kind: 'signin', group: 'start' });
  });

  it('honours groupWindowMs and rowClassName', async () => {
    const { chat, log } = await mount({ box: { groupWindowMs: 1000, rowClassName: 'my-row' } });
    chat.send(message('x1', { date: T0 }));
    chat.send(message('x2', { date: T0 + 1000 }));
    chat.send(message('x3', { date: T0 + 2001 }));
    await expect.poll(() => rows(log).length).toBe(4);
    expect(rows(log).map((row) => row.dataset.group)).toEqual(['start', 'start', 'continue', 'start']);
    expect(rows(log).every((row) => row.className === 'rwc-chatbox__row my-row')).toBe(true);
  });

  it('shows sign-in and rename notices', async () => {
    const { chat, log } = await mount();
    expect(rows(log)[0]!.textContent).toMatch(/^User ada signed in at /);
    const date = Date.UTC(2026, 4, 2, 8, 0);
    chat.send({ type: 'username', id: 2, name: 'bob', date });
    chat.send({ type: 'rejectusername', id: 1, name: 'ada2' });
    await expect.poll(() => rows(log).length).toBe(3);
    const [, signin, rename] = rows(log);
    expect(signin!.dataset.kind).toBe('signin');
    expect(signin!.querySelector('.rwc-chatbox__notice')?.textContent).toBe(`User bob signed in at ${timeFormat.time(date)}`);
    expect(rename!.dataset.kind).toBe('rename');
    expect(rename!.querySelector('.rwc-chatbox__notice')?.textContent).toBe(
      'Your username has been set to ada2 because the name you chose is in use.',
    );
  });

  it('marks own messages and shows pending, then sent', async () => {
    // No automatic answers: the message waits for the id, then is sent but never echoed.
    const { chat, log, send } = await mount({ server: { autoRespond: false }, signIn: false });
    send('mine\ntwo lines');
    await expect.poll(() => rowWithText(log, 'mine\ntwo lines')).toBeTruthy();
    const pending = rowWithText(log, 'mine\ntwo lines')!;
    expect(pending.hasAttribute('data-own')).toBe(true);
    expect(pending.dataset.status).toBe('pending');
    expect(pending.querySelector('.rwc-chatbox__status')?.textContent).toBe('Waiting to send');
    // No own name over own messages (kept for screen readers); the time shows.
    expect(pending.querySelector('.rwc-chatbox__sender')?.textContent).toBe('ada');
    expect(pending.querySelector('.rwc-chatbox__sender')?.classList.contains('rwc-visually-hidden')).toBe(true);
    expect(pending.querySelector('time')?.classList.contains('rwc-visually-hidden')).toBe(false);

    await expect.poll(() => chat.connections.length).toBe(1);
    chat.send({ type: 'id', id: 1 });
    await expect.poll(() => rowWithText(log, 'mine\ntwo lines')?.dataset.status).toBe('sent');
    expect(rowWithText(log, 'mine\ntwo lines')!.querySelector('.rwc-chatbox__status')?.textContent).toBe('Sending');
  });

  it('re-renders only the rows whose entry changed (memoized rows)', async () => {
    const rendered: string[] = [];
    const renderEntry = (entry: ChatEntry, info: ChatBoxEntryInfo) => {
      rendered.push(entry.kind === 'message' ? entry.text : entry.kind);
      return entry.kind === 'message' ? `${entry.name}: ${entry.text}${info.groupStart ? '' : ' (cont.)'}` : entry.kind;
    };
    const { chat, log } = await mount({ box: { renderEntry } });
    flood(chat, 3);
    await expect.poll(() => rows(log).length).toBe(4);
    expect(rows(log).map((row) => row.textContent)).toEqual(['signin', 'bob: m0', 'bob: m1 (cont.)', 'bob: m2 (cont.)']);
    expect(rows(log)[2]!.dataset.group).toBe('continue');
    rendered.length = 0;
    chat.send(message('m3'));
    await expect.poll(() => rows(log).length).toBe(5);
    // StrictMode renders twice; only the new row rendered.
    expect(new Set(rendered)).toEqual(new Set(['m3']));
  });

  it('stays on the newest while at the bottom: 200 messages of varied heights', async () => {
    const { chat, log } = await mount();
    for (let batch = 0; batch < 10; batch++) {
      flood(chat, 20, batch * 20, varied);
      // Arrivals spread over frames, as they would be.
      await new Promise(requestAnimationFrame);
    }
    await expect.poll(() => isVisible(log, rowWithText(log, varied(199)))).toBe(true);
    await expect.poll(() => atEnd(log)).toBe(true);
    expect(log.scrollHeight).toBeGreaterThan(HEIGHT * 5);
    expect(log.dataset.state).toBe('pinned');
    expect(newMessagesButton()).toBeNull();
  });

  it('while pinned, renders the newest rows in the commit that appends them, and pins before paint', async () => {
    // The store publishes at once, except while `held`: then one publication carries a whole burst,
    // so that it renders in one commit (the log renders as a transition).
    let holding = false;
    let held: (() => void) | null = null;
    const schedule: Scheduler = (flush) => {
      if (!holding) {
        flush();
        return () => {};
      }
      held = flush;
      return () => {
        held = null;
      };
    };
    const { chat, log } = await mount({ provider: { schedule } });
    flood(chat, 40, 0, varied);
    await expect.poll(() => isVisible(log, rowWithText(log, varied(39)))).toBe(true);
    await expect.poll(() => atEnd(log)).toBe(true);
    // More new rows than the view and virtua's 200 px overscan hold, below the rows it renders for
    // its last scroll position: they are in the DOM as soon as React has rendered the update, before
    // any scroll event could tell virtua where the view went (those come with the next frame).
    // Scroll events that move the view down, past the end it had before the burst: the old design
    // rendered new rows only after one of those. (The earlier rows may still settle meanwhile.)
    const before = log.scrollTop;
    let scrolls = 0;
    const countScroll = () => {
      if (log.scrollTop > before + 1) scrolls++;
    };
    log.addEventListener('scroll', countScroll);
    afterThisTest(() => log.removeEventListener('scroll', countScroll));
    // The log renders as a transition: wait for the commit that adds the newest row.
    const appended = new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        if (!rowWithText(log, varied(69))) return;
        observer.disconnect();
        resolve();
      });
      observer.observe(log, { childList: true, subtree: true, characterData: true });
    });
    holding = true;
    flood(chat, 30, 40, varied); // mock-socket delivers at once: the store has all 30
    holding = false;
    expect(held).not.toBeNull();
    held!();
    await appended;
    expect(scrolls).toBe(0);
    // Before the first paint after the update (rows measured, view pinned), the newest row is in
    // view: a ResizeObserver created now reports after virtua's, in the same frame, before paint.
    const seen = await new Promise<{ visible: boolean; atEnd: boolean }>((resolve) => {
      const observer = new ResizeObserver(() => {
        observer.disconnect();
        resolve({ visible: isVisible(log, rowWithText(log, varied(69))), atEnd: atEnd(log) });
      });
      observer.observe(log);
    });
    expect(seen).toEqual({ visible: true, atEnd: true });
    expect(log.dataset.state).toBe('pinned');
  });

  it('after scrolling up, new messages leave the view alone and a button counts them', async () => {
    const { chat, log } = await mount();
    flood(chat, 100);
    await expect.poll(() => isVisible(log, rowWithText(log, 'm99'))).toBe(true);
    await scrollUp(log);
    const scrollTop = log.scrollTop;
    const before = topRow(log);
    expect(before.text).not.toBeNull();

    flood(chat, 3, 100);
    await expect.poll(() => newMessagesButton()?.textContent).toBe('3 new messages');
    // A notice is no message: not counted.
    chat.send({ type: 'username', id: 5, name: 'dan', date: T0 });
    flood(chat, 1, 103);
    await expect.poll(() => newMessagesButton()?.textContent).toBe('4 new messages');
    expect(log.scrollTop).toBe(scrollTop);
    expect(topRow(log)).toEqual(before);
    expect(rowWithText(log, 'm103')).toBeUndefined();
    const button = newMessagesButton()!;
    expect(button.type).toBe('button');
    expect(button.tagName).toBe('BUTTON');

    await userEvent.click(button);
    await expect.poll(() => newMessagesButton()).toBeNull();
    await expect.poll(() => isVisible(log, rowWithText(log, 'm103'))).toBe(true);
    expect(atEnd(log)).toBe(true);
    expect(log.dataset.state).toBe('pinned');
    expect(document.activeElement).toBe(log);

    // Pinned again: the next message is followed.
    flood(chat, 1, 104);
    await expect.poll(() => isVisible(log, rowWithText(log, 'm104'))).toBe(true);
    expect(newMessagesButton()).toBeNull();
  });

  it('lets the reader scroll up during a stream of messages, and stay there', async () => {
    const { chat, log } = await mount();
    flood(chat, 50);
    await expect.poll(() => isVisible(log, rowWithText(log, 'm49'))).toBe(true);
    // A message every frame while the reader scrolls.
    let sent = 50;
    let streaming = true;
    const tick = () => {
      if (!streaming) return;
      flood(chat, 1, sent++);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    afterThisTest(() => (streaming = false));
    await expect.poll(() => sent, FRAMES).toBeGreaterThan(60);

    await scrollUp(log);
    const before = topRow(log);
    const sentAtStop = sent;
    await expect.poll(() => sent, FRAMES).toBeGreaterThan(sentAtStop + 30);
    streaming = false;
    const total = sent;
    await expect.poll(() => rows(log).length > 0 && topRow(log).text === before.text).toBe(true);
    expect(log.dataset.state).toBe('scrolled-up');
    expect(Math.abs(topRow(log).top - before.top)).toBeLessThanOrEqual(1);
    const shown = () => Number(/^(\d+) new messages$/.exec(newMessagesButton()?.textContent ?? '')?.[1]);
    // Everything sent since the view left the bottom is counted (some arrived during the scroll),
    // once the log has rendered the last ones sent (it renders store changes as a transition, which
    // may lag a frame or more behind).
    await expect.poll(shown).toBeGreaterThanOrEqual(total - sentAtStop);
    expect(shown()).toBeLessThanOrEqual(total - 50);
  });

  it('reaching the bottom by scrolling hides the button and restarts the count', async () => {
    const { chat, log } = await mount();
    flood(chat, 100);
    await expect.poll(() => isVisible(log, rowWithText(log, 'm99'))).toBe(true);
    await scrollUp(log);
    flood(chat, 5, 100);
    await expect.poll(() => newMessagesButton()?.textContent).toBe('5 new messages');

    await userEvent.wheel(log, { delta: { y: 100_000 } });
    await expect.poll(() => newMessagesButton()).toBeNull();
    expect(log.dataset.state).toBe('pinned');

    await scrollUp(log);
    flood(chat, 1, 105);
    await expect.poll(() => newMessagesButton()?.textContent).toBe('1 new message');
  });

  it('jumps to the bottom when the user sends a message while scrolled up', async () => {
    const { chat, log, send } = await mount();
    flood(chat, 100);
    await expect.poll(() => isVisible(log, rowWithText(log, 'm99'))).toBe(true);
    await scrollUp(log);
    flood(chat, 2, 100);
    await expect.poll(() => newMessagesButton()?.textContent).toBe('2 new messages');

    send('my own words');
    await expect.poll(() => isVisible(log, rowWithText(log, 'my own words'))).toBe(true);
    await expect.poll(() => atEnd(log)).toBe(true);
    expect(newMessagesButton()).toBeNull();
    expect(log.dataset.state).toBe('pinned');
  });

  it('keeps the reader in place when the store drops the oldest entries', async () => {
    const { chat, log } = await mount({ provider: { maxEntries: 150 } });
    flood(chat, 150, 0, varied);
    await expect.poll(() => isVisible(log, rowWithText(log, varied(149)))).toBe(true);
    await scrollUp(log, 1200);
    const before = topRow(log);
    expect(before.text).toMatch(/^m\d+/);

    // The log is full: each new message drops the oldest one.
    flood(chat, 10, 150, varied);
    await expect.poll(() => newMessagesButton()?.textContent).toBe('10 new messages');
    // The log scrolled up by the dropped rows' height; virtua renders the rows for the new offset
    // on the scroll event that follows (before paint).
    await expect.poll(() => topRow(log).text).toBe(before.text);
    expect(Math.abs(topRow(log).top - before.top)).toBeLessThanOrEqual(1);
    expect(rowWithText(log, 'm0')).toBeUndefined();
  });

  it('stays on the newest when the log is resized', async () => {
    const { chat, container, log } = await mount();
    flood(chat, 100);
    await expect.poll(() => isVisible(log, rowWithText(log, 'm99'))).toBe(true);
    container.style.height = `${HEIGHT / 2}px`;
    await expect.poll(() => log.clientHeight).toBe(HEIGHT / 2);
    await expect.poll(() => isVisible(log, rowWithText(log, 'm99'))).toBe(true);
    expect(atEnd(log)).toBe(true);
    expect(log.dataset.state).toBe('pinned');
  });

  it('opens on the newest entry of a history that exists before it mounts', async () => {
    const chat = createMockChatServer();
    afterThisTest(() => chat.stop());
    const { container, root } = mountRoot(`height: ${HEIGHT}px; width: 400px;`);
    const tree = (withBox: boolean) => (
      <ChatProvider url={chat.url} username="ada" WebSocket={chat.WebSocket} schedule={immediateScheduler}>
        {withBox && <ChatBox style={{ height: '100%' }} />}
      </ChatProvider>
    );
    root.render(tree(false));
    await chat.waitForPacket((p) => 'type' in p && p.type === 'username');
    await expect.poll(() => chat.connections[0]?.name).toBe('ada');
    flood(chat, 1000);
    root.render(tree(true));
    await expect.poll(() => container.querySelector<HTMLElement>('[role="log"]')).toBeTruthy();
    const log = container.querySelector<HTMLElement>('[role="log"]')!;
    await expect.poll(() => isVisible(log, rowWithText(log, 'm999'))).toBe(true);
    await expect.poll(() => atEnd(log)).toBe(true);
    expect(log.dataset.state).toBe('pinned');
  });

  it('keeps the DOM small with 10 000 messages while the last is visible', async () => {
    const { chat, log } = await mount({ provider: { maxEntries: 20_000 } });
    flood(chat, 10_000);
    await expect.poll(() => isVisible(log, rowWithText(log, 'm9999')), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => atEnd(log)).toBe(true);
    expect(rows(log).length).toBeLessThan(100);
    expect(log.querySelectorAll('*').length).toBeLessThan(1000);
    expect(log.scrollHeight).toBeGreaterThan(10_000 * 15);
  });
});
