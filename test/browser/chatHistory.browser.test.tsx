// ChatBox in real Chromium with <ChatProvider history={chatHistory()}>: a catch-up's rows, its gap
// notice and history sign-ins render like live ones, and the notice is text. Driven by the mock chat
// server, which here plays a server that keeps history by sending its packets by hand.
import { describe, expect, it } from 'vitest';
import { chatHistory, immediateScheduler } from '../../src/chat/index.js';
import { ChatBox, ChatProvider } from '../../src/components/index.js';
import { createMockChatServer } from '../../src/testing/index.js';
import { pageRootsPerTest } from '../helpers/pageRoots.js';

const { afterThisTest, mountRoot } = pageRootsPerTest();
const rows = (log: HTMLElement) => [...log.querySelectorAll<HTMLElement>('.rwc-chatbox__row')];
const DATE = Date.UTC(2026, 0, 15, 9, 30);

describe('ChatBox with chatHistory()', () => {
  it('shows the catch-up in order, a gap notice where the server says some are missing, and history sign-ins', async () => {
    const chat = createMockChatServer({ autoRespond: false });
    afterThisTest(() => chat.stop());
    const { container, root } = mountRoot('height: 300px; width: 400px; font: 16px/20px sans-serif;');
    root.render(
      <ChatProvider
        url={chat.url}
        username="ada"
        WebSocket={chat.WebSocket}
        schedule={immediateScheduler}
        history={chatHistory()}
        strings={{ missingMessages: 'Gap <b>here</b>' }}
      >
        <ChatBox style={{ height: '100%' }} />
      </ChatProvider>,
    );
    await expect.poll(() => chat.connections.length).toBe(1);
    chat.send({ type: 'id', id: 4, ext: 1, session: 's', history: 200, seq: 12, epoch: 'e1' });
    // The store asks for the recent history first.
    await chat.waitForPacket((p) => 'type' in p && p.type === 'history');
    chat.send({ type: 'message', id: 2, name: 'bob', text: 'live', date: DATE + 13, seq: 13 });
    chat.send({
      type: 'history',
      packets: [
        { type: 'username', id: 2, name: 'bob', date: DATE, seq: 10 },
        { type: 'message', id: 2, name: 'bob', text: 'old', date: DATE + 11, seq: 11 },
        { type: 'message', id: 2, name: 'bob', text: 'older copy', date: DATE + 12, seq: 12 },
      ],
      gap: 10,
      done: true,
    });
    const log = container.querySelector<HTMLElement>('[role="log"]')!;
    await expect.poll(() => rows(log).map((row) => row.dataset.kind)).toEqual(['gap', 'signin', 'message', 'message', 'message']);
    const [gap, signin] = rows(log);
    expect(gap!.textContent).toBe('Gap <b>here</b>');
    expect(gap!.querySelector('b')).toBeNull();
    expect(signin!.textContent).toMatch(/^User bob signed in at /);
    expect(
      rows(log)
        .slice(2)
        .map((row) => row.querySelector('.rwc-chatbox__text')?.textContent),
    ).toEqual(['old', 'older copy', 'live']);
  });
});
