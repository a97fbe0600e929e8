// installLayoutStub (react-ws-chat/testing): the layout and ResizeObserver that let <ChatBox> show its
// rows in jsdom, as a user's own Vitest + jsdom test needs. The model's rules, the observer's
// browser-like batching (one callback per observer per frame), scrolling, and ChatBox on top of it.
import { configure, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatBox, ChatProvider } from '../../src/components/index.js';
import { createMockChatServer, installLayoutStub, installResizeObserverStub, type MockChatServer } from '../../src/testing/index.js';

// The waits are on conditions; on a shared, loaded machine a chat's first frames can take more than
// Testing Library's default second.
configure({ asyncUtilTimeout: 5000 });

let uninstall: () => void = () => {};
let chat: MockChatServer | undefined;
afterEach(() => {
  uninstall();
  uninstall = () => {};
  chat?.stop();
  chat = undefined;
});

/** The next animation frame (after the stub's own, which was requested earlier). */
const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

const message = (text: string, id = 2) => ({ type: 'message', id, name: 'bob', text, date: Date.now() });

/** A chat as a user's test renders one (the provider's default publishing, on animation frames). */
async function renderChat(): Promise<MockChatServer> {
  const server = createMockChatServer();
  chat = server;
  render(
    <ChatProvider url={server.url} username="ada" WebSocket={server.WebSocket}>
      <ChatBox />
    </ChatProvider>,
  );
  await server.waitForPacket((packet) => packet.type === 'username');
  return server;
}

// A chat's start (connection, sign-in, first frames) and virtua's measuring take a few frames each.
describe('ChatBox in jsdom', { timeout: 15_000 }, () => {
  it('renders no rows with only the inert ResizeObserver stub: jsdom has no layout', async () => {
    uninstall = installResizeObserverStub();
    const server = await renderChat();
    server.send(message('hi'));
    // The entries arrived (the log is no longer empty) ...
    await waitFor(() => expect(screen.getByRole('log').getAttribute('data-state')).toBe('pinned'));
    // ... but virtua never learns the viewport's size, so it renders none of them.
    expect(screen.getByRole('log').querySelectorAll('.rwc-chatbox__row')).toHaveLength(0);
    expect(screen.queryByText('hi')).toBeNull();
  });

  it('shows the rows of messages from the mock server with installLayoutStub', async () => {
    uninstall = installLayoutStub();
    const server = await renderChat();
    server.send(message('hi'));
    const text = await screen.findByText('hi');
    const row = text.closest('.rwc-chatbox__row');
    expect(row?.getAttribute('data-kind')).toBe('message');
    expect(row?.textContent).toContain('bob');
    // The sign-in notice before it is a row too.
    expect(screen.getByRole('log').querySelectorAll('.rwc-chatbox__row[data-kind="signin"]')).toHaveLength(1);
  });

  it('virtualizes like a browser: the newest rows in view, the oldest out of the DOM, the log scrolled to its end', async () => {
    uninstall = installLayoutStub({ rowHeight: 20, viewportHeight: 200 });
    const server = await renderChat();
    for (let i = 1; i <= 60; i++) server.send(message(`message ${i}`));
    expect(await screen.findByText('message 60')).toBeTruthy();
    const log = screen.getByRole('log');
    // Until virtua has measured the rows (20 px, not its 40 px guess) and scrolled to the new end.
    await waitFor(() => {
      expect(log.scrollTop).toBe(log.scrollHeight - log.clientHeight);
      // 200 px of view (10 rows) and at most virtua's 200 px margin on either side: not all 61.
      const rows = log.querySelectorAll('.rwc-chatbox__row');
      expect(rows.length).toBeGreaterThanOrEqual(10);
      expect(rows.length).toBeLessThanOrEqual(30);
      expect(rows[rows.length - 1]?.textContent).toContain('message 60');
    });
    expect(log.scrollTop).toBeGreaterThan(1000);
    expect(log.getAttribute('data-state')).toBe('pinned');
    expect(screen.queryByText('message 1')).toBeNull();
  });
});

describe('installLayoutStub', () => {
  function element(style: Partial<CSSStyleDeclaration> = {}, parent: Element = document.body): HTMLElement {
    const div = document.createElement('div');
    Object.assign(div.style, style);
    parent.append(div);
    return div;
  }

  it('gives rows, scroll containers and pixel-sized elements their sizes; hidden ones none', () => {
    uninstall = installLayoutStub({ rowHeight: 30, viewportHeight: 300 });
    const viewport = element({ overflowY: 'auto' });
    const content = element({ height: '1000px' }, viewport);
    const row = element({}, content);
    const hidden = element({ display: 'none' });
    const inHidden = element({}, hidden);
    const detached = document.createElement('div');

    expect([row.offsetHeight, row.clientHeight, row.clientWidth]).toEqual([30, 30, window.innerWidth]);
    expect([viewport.clientHeight, viewport.scrollHeight]).toEqual([300, 1000]);
    expect(content.offsetHeight).toBe(1000);
    expect([inHidden.offsetHeight, inHidden.offsetWidth, detached.clientHeight]).toEqual([0, 0, 0]);
    expect(row.offsetParent).toBe(document.body);
    expect(inHidden.offsetParent).toBeNull();
    expect(detached.offsetParent).toBeNull();
    viewport.remove();
    hidden.remove();
  });

  it('scrolls within the content and fires one scroll event on the next frame', async () => {
    uninstall = installLayoutStub({ viewportHeight: 300 });
    const viewport = element({ overflowY: 'scroll' });
    element({ height: '1000px' }, viewport);
    let scrolls = 0;
    viewport.addEventListener('scroll', () => scrolls++);

    viewport.scrollTop = 5000;
    expect(viewport.scrollTop).toBe(700);
    viewport.scrollBy({ top: -200 });
    viewport.scrollTo(0, -10);
    viewport.scrollTo({ top: 100 });
    expect(viewport.scrollTop).toBe(100);
    expect(scrolls).toBe(0);
    await nextFrame();
    expect(scrolls).toBe(1);
    // Content that shrinks brings the offset back within it.
    viewport.scrollTop = 700;
    (viewport.firstElementChild as HTMLElement).style.height = '500px';
    expect(viewport.scrollTop).toBe(200);
    viewport.remove();
  });

  it('calls each ResizeObserver back once per frame with every observation, as browsers do', async () => {
    uninstall = installLayoutStub({ rowHeight: 25 });
    const rows = [element(), element(), element(), element()];
    const calls: { target: Element; height: number; blockSize: number | undefined }[][] = [];
    const observer = new ResizeObserver((entries) => {
      calls.push(
        entries.map((entry) => ({ target: entry.target, height: entry.contentRect.height, blockSize: entry.borderBoxSize[0]?.blockSize })),
      );
    });
    for (const row of rows) observer.observe(row);
    observer.unobserve(rows[3]!);
    const other: Element[][] = [];
    new ResizeObserver((entries) => other.push(entries.map((entry) => entry.target))).observe(rows[0]!);

    await nextFrame();
    expect(calls).toEqual([rows.slice(0, 3).map((target) => ({ target, height: 25, blockSize: 25 }))]);
    expect(other).toEqual([[rows[0]]]);

    // Nothing changed: no callback. A change of size is reported on the next frame, with what was
    // observed meanwhile, in one callback.
    await nextFrame();
    expect(calls).toHaveLength(1);
    rows[1]!.style.height = '60px';
    rows[2]!.hidden = true;
    observer.observe(rows[3]!);
    await nextFrame();
    expect(calls[1]?.map(({ target, height }) => [target, height])).toEqual([
      [rows[1], 60],
      [rows[2], 0],
      [rows[3], 25],
    ]);
    // A change alone (no new observation) is reported too.
    rows[1]!.style.height = '70px';
    await nextFrame();
    await nextFrame();
    expect(calls[2]?.map(({ target, height }) => [target, height])).toEqual([[rows[1], 70]]);
    expect(calls).toHaveLength(3);
    observer.disconnect();
    for (const row of rows) row.remove();
  });

  it('restores jsdom when uninstalled', () => {
    const remove = installLayoutStub();
    const div = element();
    expect(div.clientHeight).toBe(40);
    // A second install while one is active changes nothing, nor does its uninstall.
    installLayoutStub({ rowHeight: 10 })();
    expect(div.clientHeight).toBe(40);
    remove();
    expect(div.clientHeight).toBe(0);
    expect(div.offsetParent).toBeNull();
    expect('ResizeObserver' in globalThis).toBe(false);
    expect('scrollTo' in div).toBe(false);
    div.scrollTop = 50;
    expect(div.scrollTop).toBe(50); // jsdom's own: stored, never clamped
    div.remove();
  });
});
