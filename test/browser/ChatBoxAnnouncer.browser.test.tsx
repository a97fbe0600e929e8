// What ChatBox gives screen readers, in real Chromium: each row an article named "sender, time:
// text" with its place in the whole (virtualized) log, and a live region of its own that says what
// is new, recorded here as a screen reader would hear it (the text each change adds to it): a
// burst throttled and summed up, nothing while the reader scrolls back with PageUp, nothing for own
// messages. Driven by the mock chat server; every wait polls a condition.
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { createTimeFormat, immediateScheduler } from '../../src/chat/index.js';
import { ChatBox, ChatProvider } from '../../src/components/index.js';
import { createMockChatServer, type MockChatServer } from '../../src/testing/index.js';
import { pageRootsPerTest } from '../helpers/pageRoots.js';
import { sendMessageProbe } from '../helpers/sendMessageProbe.js';

const timeFormat = createTimeFormat();
const { afterThisTest, mountRoot } = pageRootsPerTest();

/** What the live region said: the text each change added to it, and when (performance.now()). */
interface Heard {
  readonly text: string;
  readonly at: number;
}

/** Record what `region` says from now on. */
function listen(region: Element): Heard[] {
  const heard: Heard[] = [];
  const observer = new MutationObserver((mutations) => {
    const at = performance.now();
    for (const mutation of mutations) {
      const added = mutation.type === 'characterData' ? [mutation.target] : [...mutation.addedNodes];
      for (const node of added) if (node.textContent) heard.push({ text: node.textContent, at });
    }
  });
  observer.observe(region, { childList: true, subtree: true, characterData: true });
  afterThisTest(() => observer.disconnect());
  return heard;
}

/** A ChatBox 300 px tall, signed in as ada at a fresh mock server; its live region (any element that is live). */
async function mount() {
  const chat = createMockChatServer();
  afterThisTest(() => chat.stop());
  const { container, root } = mountRoot('height: 300px; width: 400px; font: 16px/20px sans-serif;');
  const sender = sendMessageProbe();
  root.render(
    <StrictMode>
      <ChatProvider url={chat.url} username="ada" WebSocket={chat.WebSocket} schedule={immediateScheduler}>
        <ChatBox style={{ height: '100%' }} />
        <sender.Probe />
      </ChatProvider>
    </StrictMode>,
  );
  await expect.poll(() => container.querySelector('[role="log"] .rwc-chatbox__row')).toBeTruthy();
  await expect.poll(() => sender.current()).toBeTruthy();
  const log = container.querySelector<HTMLElement>('[role="log"]')!;
  const live = [...container.querySelectorAll('[aria-live]:not([aria-live="off"]), [role="log"]:not([aria-live="off"])')];
  expect(live).toHaveLength(1);
  return { chat, log, region: live[0]!, send: (text: string) => sender.current()!(text) };
}

let nextDate = Date.UTC(2026, 0, 15, 9, 30);
function say(chat: MockChatServer, name: string, text: string) {
  nextDate += 1000;
  chat.send({ type: 'message', id: name.length, name, text, date: nextDate });
}
const nextFrame = () => new Promise(requestAnimationFrame);
const rows = (log: HTMLElement) => [...log.querySelectorAll<HTMLElement>('.rwc-chatbox__row')];
const heardTexts = (heard: readonly Heard[]) => heard.map((h) => h.text);
/** Announcements come at most once a second: give a poll more than that. */
const ANNOUNCED = { timeout: 4000 };

describe('ChatBox for screen readers, in Chromium', () => {
  it('makes every row an article named "sender, time: text", with its place in the whole log', async () => {
    const { chat, log, send } = await mount();
    const date = Date.UTC(2026, 2, 1, 14, 5);
    chat.send({ type: 'message', id: 2, name: 'bob', text: 'Hello', date });
    chat.send({ type: 'message', id: 2, name: 'bob', text: 'again', date: date + 5000 });
    send('mine');
    await expect.poll(() => rows(log).length).toBe(4);
    await expect.poll(() => rows(log).at(-1)?.dataset.status).toBe('delivered');
    const own = rows(log).at(-1)!;
    expect(rows(log).map((row) => [row.tagName, row.getAttribute('aria-posinset'), row.getAttribute('aria-setsize')])).toEqual([
      ['ARTICLE', '1', '4'],
      ['ARTICLE', '2', '4'],
      ['ARTICLE', '3', '4'],
      ['ARTICLE', '4', '4'],
    ]);
    // The accessible names, as computed for the role (the continuation's too, and "You" for the user).
    await expect.element(page.getByRole('article', { name: `bob, ${timeFormat.time(date)}: Hello`, exact: true })).toBeInTheDocument();
    await expect
      .element(page.getByRole('article', { name: `bob, ${timeFormat.time(date + 5000)}: again`, exact: true }))
      .toBeInTheDocument();
    const ownDate = new Date(own.querySelector('time')!.dateTime).getTime();
    await expect.element(page.getByRole('article', { name: `You, ${timeFormat.time(ownDate)}: mine`, exact: true })).toBeInTheDocument();
    // The full date on hover, on every message.
    expect(rows(log)[1]!.title).toBe(timeFormat.full(date));
    expect(rows(log)[2]!.title).toBe(timeFormat.full(date + 5000));
    // A notice is read as it is written.
    expect(rows(log)[0]!.hasAttribute('aria-label')).toBe(false);

    // The set grows with the log; a row's place stays.
    say(chat, 'eve', 'later');
    await expect.poll(() => rows(log).length).toBe(5);
    expect(rows(log).map((row) => row.getAttribute('aria-setsize'))).toEqual(['5', '5', '5', '5', '5']);
    expect(rows(log).at(-1)!.getAttribute('aria-posinset')).toBe('5');
  });

  it('says a burst of messages at most once a second, summed up', async () => {
    const { chat, region } = await mount();
    const heard = listen(region);
    say(chat, 'bob', 'first');
    await expect.poll(() => heardTexts(heard)).toEqual(['bob: first']);
    // Five more within the next second, over several frames.
    say(chat, 'bob', 'two');
    say(chat, 'bob', 'three');
    await nextFrame();
    say(chat, 'alice', 'four');
    await nextFrame();
    say(chat, 'alice', 'five');
    say(chat, 'bob', 'six');
    await expect.poll(() => heardTexts(heard), ANNOUNCED).toEqual(['bob: first', '5 new messages from bob and alice']);
    // Then one more, once the second after the summary is over: it is said, and nothing came between.
    say(chat, 'eve', 'seven');
    await expect.poll(() => heardTexts(heard), ANNOUNCED).toEqual(['bob: first', '5 new messages from bob and alice', 'eve: seven']);
    const [first, summary, last] = heard as [Heard, Heard, Heard];
    expect(summary.at - first.at).toBeGreaterThanOrEqual(900);
    expect(last.at - summary.at).toBeGreaterThanOrEqual(900);
  });

  it('says nothing of the user’s own messages', async () => {
    const { chat, log, region, send } = await mount();
    const heard = listen(region);
    send('my own words');
    await expect.poll(() => rows(log).at(-1)?.dataset.status).toBe('delivered');
    // A message of someone else's after it: the only thing said.
    say(chat, 'bob', 'and mine');
    await expect.poll(() => heardTexts(heard), ANNOUNCED).toEqual(['bob: and mine']);
  });

  it('says nothing while the reader scrolls back with PageUp, then the new-messages count', async () => {
    const { chat, log, region } = await mount();
    for (let i = 0; i < 100; i++) say(chat, 'bob', `m${i}`);
    const heard = listen(region);
    await expect.poll(() => heardTexts(heard), ANNOUNCED).toEqual(['100 new messages from bob']);
    heard.length = 0;

    // Rows the reader scrolls back to are inserted into the log again.
    let inserted = 0;
    const rowsObserver = new MutationObserver((mutations) => {
      for (const mutation of mutations) inserted += mutation.addedNodes.length;
    });
    rowsObserver.observe(log, { childList: true, subtree: true });
    afterThisTest(() => rowsObserver.disconnect());
    log.focus();
    for (let press = 0; press < 6; press++) {
      const before = log.scrollTop;
      await userEvent.keyboard('{PageUp}');
      await expect.poll(() => log.scrollTop).toBeLessThan(before);
    }
    await expect.poll(() => log.dataset.state).toBe('scrolled-up');
    await expect.poll(() => rows(log).some((row) => row.textContent?.includes('m60'))).toBe(true);
    expect(inserted).toBeGreaterThan(10);

    // Then a message arrives: the button appears, and its count is what is said (nothing before it).
    say(chat, 'carol', 'are you there?');
    await expect.poll(() => heardTexts(heard), ANNOUNCED).toEqual(['1 new message']);
    say(chat, 'carol', 'hello?');
    say(chat, 'carol', 'anyone?');
    await expect.poll(() => heardTexts(heard), ANNOUNCED).toEqual(['1 new message', '3 new messages']);
    expect(document.querySelector('.rwc-chatbox__new-messages')?.textContent).toBe('3 new messages');
  });
});
