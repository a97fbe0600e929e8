// ChatBox's navigation in real Chromium: older history put before the log without moving the view
// (the first visible row stays where it was), the "Load older messages" button, what a catch-up
// brings not announced, the unread divider with "Jump to first unread", day separators computed for
// the rows in view only, and the keys that pin the log. The mock chat server plays a server that
// keeps history (its packets sent by hand, as in chatHistory.browser.test.tsx).
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { chatHistory, immediateScheduler } from '../../src/chat/index.js';
import {
  ChatBox,
  ChatProvider,
  MessageInput,
  daySeparators,
  navigationKeys,
  olderHistory,
  unreadDivider,
  type ChatBoxProps,
} from '../../src/components/index.js';
import { createMockChatServer, type MockChatServer } from '../../src/testing/index.js';
import { rows, textOf, topRow } from '../helpers/logRows.js';
import { pageRootsPerTest } from '../helpers/pageRoots.js';
import { scrollSettled } from '../helpers/scrollSettled.js';

const style = document.createElement('style');
style.textContent = `
  .rwc-chatbox { position: relative; }
  .rwc-chatbox__text { white-space: pre-wrap; }
  .rwc-chatbox__log { box-sizing: border-box; padding-block: 12px; }
`;
document.head.append(style);

const { afterThisTest, mountRoot } = pageRootsPerTest();
const PARTS = [olderHistory(), unreadDivider(), navigationKeys()];
const DATE = Date.UTC(2026, 0, 15, 9, 30);

const button = (name: string) => document.querySelector<HTMLButtonElement>(`button.rwc-chatbox__${name}`);

/** A room packet: bob's message number `seq`, 1 to 3 lines (rows of varied heights). */
const roomMessage = (seq: number) => ({
  type: 'message',
  id: 2,
  name: 'bob',
  text: `m${seq}${'\n…'.repeat(seq % 3)}`,
  date: DATE + seq * 1000,
  seq,
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => roomMessage(from + i));

interface Mounted {
  chat: MockChatServer;
  log: HTMLElement;
  /** What the announcer said, in order. */
  said: string[];
}

/** A ChatBox with history and the parts, joined to a room whose last `seq` is `seq`, after its catch-up `packets`. */
async function mount(packets: Record<string, unknown>[], seq: number, box: Partial<ChatBoxProps> = {}): Promise<Mounted> {
  const chat = createMockChatServer({ autoRespond: false });
  afterThisTest(() => chat.stop());
  const { container, root } = mountRoot('height: 300px; width: 400px; font: 16px/20px sans-serif;');
  root.render(
    <StrictMode>
      <ChatProvider
        url={chat.url}
        username="ada"
        WebSocket={chat.WebSocket}
        schedule={immediateScheduler}
        history={chatHistory({ pageSize: 40 })}
        reconnect={{ initialDelay: 20, maxDelay: 20 }}
      >
        <div className="rwc-chat" style={{ height: '100%' }}>
          <ChatBox style={{ height: '100%' }} parts={PARTS} {...box} />
          <MessageInput />
        </div>
      </ChatProvider>
    </StrictMode>,
  );
  await expect.poll(() => chat.connections.length).toBe(1);
  const said: string[] = [];
  const region = container.querySelector('[aria-live="polite"]')!;
  const observer = new MutationObserver(() => {
    if (region.textContent) said.push(region.textContent);
  });
  observer.observe(region, { childList: true, subtree: true, characterData: true });
  afterThisTest(() => observer.disconnect());
  chat.send({ type: 'id', id: 4, ext: 1, session: 's', history: 500, seq, epoch: 'e1' });
  await chat.waitForPacket((p) => 'type' in p && p.type === 'history');
  chat.send({ type: 'history', packets, done: true });
  const log = container.querySelector<HTMLElement>('[role="log"]')!;
  await expect.poll(() => rows(log).length).toBeGreaterThan(0);
  return { chat, log, said };
}

/** Wait for the client's request for the page before `before`, and answer it with `packets`. */
async function answerOlder(chat: MockChatServer, before: number, packets: Record<string, unknown>[], more: boolean) {
  await chat.waitForPacket((p) => 'type' in p && p.type === 'history' && (p as { before?: number }).before === before);
  chat.send({ type: 'history', before, packets, more });
}

describe('ChatBox navigation in Chromium', () => {
  it('puts older pages before the log without moving the view, by scrolling to the top and by the button', async () => {
    const { chat, log, said } = await mount(range(81, 120), 120);
    await expect.poll(() => textOf(rows(log).at(-1)!)).toBe('m120');
    expect(button('load-older')?.textContent).toBe('Load older messages');

    // Scrolling up to within a screen of the top asks for the page before the oldest shown.
    log.scrollTop = log.clientHeight * 2;
    await userEvent.wheel(log, { delta: { y: -log.clientHeight * 1.5 } });
    await scrollSettled(log);
    await chat.waitForPacket((p) => 'type' in p && p.type === 'history' && (p as { before?: number }).before === 81);
    await expect.poll(() => button('load-older')?.textContent).toBe('Loading older messages…');
    const before = topRow(log);
    chat.send({ type: 'history', before: 81, packets: range(41, 80), more: true });
    await expect.poll(() => button('load-older')?.textContent).toBe('Load older messages');
    // The same row at the same place (within a pixel), with 40 more rows above it.
    await scrollSettled(log);
    const after = topRow(log);
    expect(after.text).toBe(before.text);
    expect(Math.abs(after.top - before.top)).toBeLessThanOrEqual(1);
    expect(rows(log)[0]!.getAttribute('aria-setsize')).toBe('80');

    // The button, by keyboard: the last page says there is nothing older; the button goes, the focus
    // goes to the log.
    button('load-older')!.focus();
    await userEvent.keyboard('{Enter}');
    const beforeLast = topRow(log);
    await answerOlder(chat, 41, range(1, 40), false);
    await expect.poll(() => button('load-older')).toBeNull();
    await scrollSettled(log);
    expect(topRow(log)).toEqual(beforeLast);
    expect(document.activeElement).toBe(log);
    // Nothing of the history was announced.
    expect(said).toEqual([]);
  });

  it('announces neither the catch-up on joining nor the one after a reconnect, but live messages', async () => {
    const { chat, log, said } = await mount(range(1, 10), 10);
    chat.send(roomMessage(11));
    await expect.poll(() => said).toEqual(['bob: m11\n…\n…']);
    chat.connections[0]!.socket.close({ code: 1012, reason: 'restart', wasClean: true });
    await expect.poll(() => chat.connections.length).toBe(2);
    chat.send({ type: 'id', id: 5, ext: 1, session: 's', history: 500, seq: 40, epoch: 'e1' }, chat.connections[1]);
    await chat.waitForPacket((p) => 'type' in p && p.type === 'history' && (p as { after?: number }).after === 11);
    chat.send({ type: 'history', packets: range(12, 40), done: true }, chat.connections[1]);
    await expect.poll(() => textOf(rows(log).at(-1)!)).toBe('m40\n…');
    chat.send(roomMessage(41), chat.connections[1]);
    await expect.poll(() => said.at(-1)).toBe('bob: m41\n…\n…');
    expect(said).toEqual(['bob: m11\n…\n…', 'bob: m41\n…\n…']);
  });

  it('puts "New since you were away" before what a reconnect caught up, and jumps to it', async () => {
    const { chat, log } = await mount(range(1, 10), 10);
    await expect.poll(() => textOf(rows(log).at(-1)!)).toBe('m10\n…');
    expect(log.querySelector('.rwc-chatbox__unread')).toBeNull();
    chat.connections[0]!.socket.close({ code: 1012, reason: 'restart', wasClean: true });
    await expect.poll(() => chat.connections.length).toBe(2);
    chat.send({ type: 'id', id: 5, ext: 1, session: 's', history: 500, seq: 60, epoch: 'e1' }, chat.connections[1]);
    await chat.waitForPacket((p) => 'type' in p && p.type === 'history' && (p as { after?: number }).after === 10);
    chat.send({ type: 'history', packets: range(11, 60), done: true }, chat.connections[1]);
    // Pinned to the newest: the divider is far above, and the button offers it.
    await expect.poll(() => button('jump-unread')?.textContent).toBe('Jump to first unread');
    expect(log.dataset.state).toBe('pinned');
    await userEvent.click(button('jump-unread')!);
    const divider = () => log.querySelector('.rwc-chatbox__unread');
    await expect.poll(() => divider()?.textContent).toBe('New since you were away');
    // Before the first message caught up, at the top of the view.
    expect(textOf(divider()!.nextElementSibling!)).toBe('m11\n…\n…');
    await scrollSettled(log);
    const top = divider()!.getBoundingClientRect().top - log.getBoundingClientRect().top;
    expect(Math.abs(top - 12)).toBeLessThanOrEqual(2);
    await expect.poll(() => button('jump-unread')).toBeNull();
    expect(document.activeElement).toBe(log);
    expect(log.dataset.state).toBe('scrolled-up');
  });

  it('marks the first message that came while the reader was scrolled up', async () => {
    const { chat, log } = await mount(range(1, 40), 40);
    await userEvent.wheel(log, { delta: { y: -200 } });
    await expect.poll(() => log.dataset.state).toBe('scrolled-up');
    chat.send(roomMessage(41));
    chat.send(roomMessage(42));
    await expect.poll(() => button('new-messages')?.textContent).toBe('2 new messages');
    await userEvent.click(button('new-messages')!);
    const unreadRow = () => log.querySelector('.rwc-chatbox__unread')?.nextElementSibling;
    await expect.poll(() => unreadRow() && textOf(unreadRow()!)).toBe('m41\n…\n…');
    // Read: messages that come now are not unread; the divider stays where the run began.
    chat.send(roomMessage(43));
    await expect.poll(() => textOf(rows(log).at(-1)!)).toBe('m43\n…');
    expect(log.querySelectorAll('.rwc-chatbox__unread')).toHaveLength(1);
    expect(textOf(unreadRow()!)).toBe('m41\n…\n…');
  });

  it('marks the first message that came while the page was hidden, though the log followed it', async () => {
    const { chat, log } = await mount(range(1, 40), 40);
    await expect.poll(() => textOf(rows(log).at(-1)!)).toBe('m40\n…');
    const setHidden = (hidden: boolean) => {
      // The page's own visibility cannot be changed from inside it: its property is shadowed.
      Object.defineProperty(document, 'visibilityState', { value: hidden ? 'hidden' : 'visible', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    };
    afterThisTest(() => {
      delete (document as { visibilityState?: unknown }).visibilityState;
    });
    setHidden(true);
    chat.send(roomMessage(41));
    chat.send(roomMessage(42));
    const unreadRow = () => log.querySelector('.rwc-chatbox__unread')?.nextElementSibling;
    await expect.poll(() => unreadRow() && textOf(unreadRow()!)).toBe('m41\n…\n…');
    expect(log.dataset.state).toBe('pinned');
    // Back: what comes now is read; the divider stays where the run began.
    setHidden(false);
    chat.send(roomMessage(43));
    await expect.poll(() => textOf(rows(log).at(-1)!)).toBe('m43\n…');
    expect(log.querySelectorAll('.rwc-chatbox__unread')).toHaveLength(1);
    expect(textOf(unreadRow()!)).toBe('m41\n…\n…');
  });

  it('pins the log with Alt+End or Escape in the message field, keeping the focus there; Ctrl+End stays the field’s', async () => {
    const { log } = await mount(range(1, 40), 40);
    const field = document.querySelector<HTMLTextAreaElement>('textarea')!;
    const up = async () => {
      await userEvent.wheel(log, { delta: { y: -300 } });
      await expect.poll(() => log.dataset.state).toBe('scrolled-up');
      await scrollSettled(log);
    };
    await up();
    field.focus();
    await userEvent.keyboard('hello');
    await userEvent.keyboard('{Control>}{End}{/Control}');
    expect(log.dataset.state).toBe('scrolled-up');
    await userEvent.keyboard('{Alt>}{End}{/Alt}');
    await expect.poll(() => log.dataset.state).toBe('pinned');
    expect(document.activeElement).toBe(field);
    await up();
    field.focus();
    await userEvent.keyboard('{Escape}');
    await expect.poll(() => log.dataset.state).toBe('pinned');
    expect(log.scrollTop + log.clientHeight).toBeGreaterThanOrEqual(log.scrollHeight - 1);
    expect(document.activeElement).toBe(field);
    expect(field.value).toBe('hello');
    // Ctrl+End in the log itself.
    await up();
    log.focus();
    await userEvent.keyboard('{Control>}{End}{/Control}');
    await expect.poll(() => log.dataset.state).toBe('pinned');
  });
});

describe('daySeparators in Chromium', () => {
  const local = (day: number, hour: number) => new Date(2026, 0, day, hour).getTime();

  it('says Today, Yesterday or the date before the first row of each local day', async () => {
    const days = daySeparators({ now: () => local(15, 18), format: { year: 'numeric', month: 'long', day: 'numeric' } });
    const packets = [local(12, 9), local(12, 10), local(14, 23), local(15, 8), local(15, 9)].map((date, i) => ({
      ...roomMessage(i + 1),
      text: `d${i}`,
      date,
    }));
    const { log } = await mount(packets, 5, { daySeparators: days });
    await expect.poll(() => rows(log).length).toBe(5);
    const separators = [...log.querySelectorAll('.rwc-chatbox__day')].map((day) => [day.textContent, textOf(day.nextElementSibling!)]);
    const dateText = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'long', day: 'numeric' }).format(local(12, 9));
    expect(separators).toEqual([
      [dateText, 'd0'],
      ['Yesterday', 'd2'],
      ['Today', 'd3'],
    ]);
  });

  it('moves "Today" to "Yesterday" at midnight in a chat left open', async () => {
    // A clock at 0.3 s before a local midnight, running on from there.
    const start = Date.now();
    const offset = local(15, 24) - 300 - start;
    const days = daySeparators({ now: () => Date.now() + offset });
    const { log } = await mount([{ ...roomMessage(1), text: 'late', date: start + offset }], 1, { daySeparators: days });
    await expect.poll(() => log.querySelector('.rwc-chatbox__day')?.textContent).toBe('Today');
    await expect.poll(() => log.querySelector('.rwc-chatbox__day')?.textContent).toBe('Yesterday');
  });

  it('is asked about the rows in view only, not the whole log', async () => {
    let calls = 0;
    const days = daySeparators();
    const counted: ChatBoxProps['daySeparators'] = (date, previous, locale) => {
      calls++;
      return days(date, previous, locale);
    };
    // 5000 messages, a day apart: a separator before each.
    const packets = Array.from({ length: 5000 }, (_, i) => ({
      ...roomMessage(i + 1),
      text: `n${i}`,
      date: DATE - (5000 - i) * 86_400_000,
    }));
    const { log } = await mount(packets, 5000, { daySeparators: counted });
    await expect.poll(() => textOf(rows(log).at(-1)!)).toBe('n4999');
    expect(log.querySelectorAll('.rwc-chatbox__day').length).toBe(rows(log).length);
    expect(calls).toBeLessThan(500);
  });
});
