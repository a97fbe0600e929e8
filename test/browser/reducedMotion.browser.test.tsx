// Reduced motion (#14): under `prefers-reduced-motion: reduce` (emulated in Chromium over CDP, as
// Playwright's `emulateMedia({ reducedMotion })` does) nothing in the kit moves: no transition, no
// animation, no smooth scrolling, whether the components sit in the `.rwc-chat` wrapper or not.
import '../../src/styles.css';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cdp } from 'vitest/browser';
import { immediateScheduler } from '../../src/chat/index.js';
import { ChatBox, ChatProvider, ConnectionStatus, MessageInput, UserList } from '../../src/components/index.js';
import { createMockChatServer } from '../../src/testing/index.js';
import { pageRootsPerTest } from '../helpers/pageRoots.js';

const { afterThisTest, mountRoot } = pageRootsPerTest();

async function emulateReducedMotion(value: 'reduce' | 'no-preference') {
  await cdp().send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-reduced-motion', value }] });
}

afterEach(async () => {
  await cdp().send('Emulation.setEmulatedMedia', { features: [] });
});

/** What moves in `root`'s elements and their `::before`/`::after`: one line per moving part. */
function motion(root: Element): string[] {
  const found: string[] = [];
  for (const element of [root, ...root.querySelectorAll('*')]) {
    for (const pseudo of [null, '::before', '::after']) {
      const style = getComputedStyle(element, pseudo);
      if (pseudo && style.content === 'none') continue;
      const what = `${element.className || element.tagName}${pseudo ?? ''}`;
      const durations = style.transitionDuration.split(',').map((d) => Number.parseFloat(d));
      if (durations.some((d) => d > 0)) found.push(`${what}: transition ${style.transitionProperty} ${style.transitionDuration}`);
      if (style.animationName !== 'none') found.push(`${what}: animation ${style.animationName}`);
      if (style.scrollBehavior !== 'auto') found.push(`${what}: scroll-behavior ${style.scrollBehavior}`);
    }
  }
  return found;
}

/**
 * The four components with a message in the log and the status connecting (its dot pulses), twice:
 * inside the `.rwc-chat` wrapper and on their own (no wrapper).
 */
async function mountChats(): Promise<HTMLElement[]> {
  const chat = createMockChatServer();
  afterThisTest(() => chat.stop());
  const never = () => new Promise<string>(() => {});
  const parts = (
    <>
      <ChatProvider url={never} username="ada">
        <ConnectionStatus />
      </ChatProvider>
      <ChatProvider url={chat.url} username="ada" WebSocket={chat.WebSocket} schedule={immediateScheduler}>
        <ChatBox style={{ blockSize: 200 }} />
        <UserList />
        <MessageInput defaultValue="draft" />
      </ChatProvider>
    </>
  );
  const wrapped = mountRoot('width: 600px');
  const alone = mountRoot('width: 600px');
  wrapped.root.render(
    <StrictMode>
      <div className="rwc-chat">{parts}</div>
    </StrictMode>,
  );
  alone.root.render(<StrictMode>{parts}</StrictMode>);
  await expect.poll(() => chat.connections.length).toBe(2);
  chat.send({ type: 'userlist', users: ['ada', 'bob'] });
  chat.send({ type: 'message', id: 99, name: 'bob', text: 'hello', date: Date.now() });
  const containers = [wrapped.container, alone.container];
  for (const container of containers) {
    await expect.poll(() => container.querySelector('.rwc-chatbox__text')?.textContent).toBe('hello');
    await expect.poll(() => container.querySelector('.rwc-connection-status')?.getAttribute('data-state')).toBe('connecting');
  }
  return containers;
}

describe('reduced motion', () => {
  it('without the preference, the kit has transitions and the connecting dot pulses (what the next test turns off)', async () => {
    await emulateReducedMotion('no-preference');
    for (const container of await mountChats()) {
      const moving = motion(container);
      expect(moving.some((line) => line.includes('animation rwc-pulse'))).toBe(true);
      expect(moving.some((line) => line.includes('transition'))).toBe(true);
    }
  });

  it('under prefers-reduced-motion: reduce, nothing moves, in the .rwc-chat wrapper or not', async () => {
    await emulateReducedMotion('reduce');
    expect(matchMedia('(prefers-reduced-motion: reduce)').matches).toBe(true);
    const [wrapped, alone] = await mountChats();
    expect(motion(wrapped!)).toEqual([]);
    expect(motion(alone!)).toEqual([]);
  });
});
