// Enter in the message field on a touch screen (#14): Chromium's touch emulation makes
// `(pointer: coarse)` match, as on a phone. There Enter starts a new line and Send sends, unless
// `enterSends` says otherwise; with a mouse and keyboard Enter sends.
import { StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cdp, page, userEvent } from 'vitest/browser';
import { immediateScheduler } from '../../src/chat/index.js';
import { ChatProvider, MessageInput, type MessageInputProps } from '../../src/components/index.js';
import { createMockChatServer } from '../../src/testing/index.js';
import { pageRootsPerTest } from '../helpers/pageRoots.js';

const { afterThisTest, mountRoot } = pageRootsPerTest();

afterEach(async () => {
  await cdp().send('Emulation.setTouchEmulationEnabled', { enabled: false });
});

/** Emulate a touch screen for this test: `(pointer: coarse)` matches until it ends. */
async function touchScreen() {
  await cdp().send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
  expect(matchMedia('(pointer: coarse)').matches).toBe(true);
}

/** A signed-in `<MessageInput>` on a mock server; `sent()` lists the texts the server received. */
async function mount(props: MessageInputProps = {}) {
  const chat = createMockChatServer();
  afterThisTest(() => chat.stop());
  const { root } = mountRoot();
  root.render(
    <StrictMode>
      <ChatProvider url={chat.url} username="ada" WebSocket={chat.WebSocket} schedule={immediateScheduler}>
        <MessageInput {...props} />
      </ChatProvider>
    </StrictMode>,
  );
  await chat.waitForPacket((p) => 'type' in p && p.type === 'username');
  const sent = () => chat.received.flatMap(({ packet: p }) => ('type' in p && p.type === 'message' ? [p.text] : []));
  const field = page.getByRole('textbox', { name: 'Message' });
  return { sent, field, element: field.element() as HTMLTextAreaElement };
}

describe('Enter in the message field', () => {
  it('on a touch screen starts a new line, and Send sends', async () => {
    await touchScreen();
    const { sent, field, element } = await mount();
    expect(element.enterKeyHint).toBe('enter');
    await userEvent.click(field);
    await userEvent.keyboard('one{Enter}two');
    expect(element.value).toBe('one\ntwo');
    await userEvent.click(page.getByRole('button', { name: 'Send' }));
    await expect.poll(sent).toEqual(['one\ntwo']);
    expect(element.value).toBe('');
  });

  it('on a touch screen sends with enterSends={true}', async () => {
    await touchScreen();
    const { sent, field, element } = await mount({ enterSends: true });
    expect(element.enterKeyHint).toBe('send');
    await userEvent.click(field);
    await userEvent.keyboard('hi{Enter}');
    await expect.poll(sent).toEqual(['hi']);
    expect(element.value).toBe('');
  });

  it('with a mouse sends', async () => {
    expect(matchMedia('(pointer: coarse)').matches).toBe(false);
    const { sent, field, element } = await mount();
    expect(element.enterKeyHint).toBe('send');
    await userEvent.click(field);
    await userEvent.keyboard('hi{Enter}');
    await expect.poll(sent).toEqual(['hi']);
  });

  it('with enterSends={false} only the button sends', async () => {
    const { sent, field, element } = await mount({ enterSends: false });
    expect(element.enterKeyHint).toBe('enter');
    await userEvent.click(field);
    await userEvent.keyboard('a{Enter}b');
    expect(element.value).toBe('a\nb');
    expect(sent()).toEqual([]);
  });
});

describe('a server-rendered field hydrated on a touch screen', () => {
  it('hydrates without a mismatch (the server cannot know the pointer), then hints "enter"', async () => {
    const chat = createMockChatServer();
    afterThisTest(() => chat.stop());
    const app = (
      <ChatProvider url={chat.url} username="ada" WebSocket={chat.WebSocket} schedule={immediateScheduler}>
        <MessageInput />
      </ChatProvider>
    );
    // What a server sends: rendered where nothing says the pointer is coarse.
    const matchMedia = window.matchMedia;
    Reflect.deleteProperty(window, 'matchMedia');
    const html = (() => {
      try {
        return renderToString(app);
      } finally {
        window.matchMedia = matchMedia;
      }
    })();
    await touchScreen();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    afterThisTest(() => errors.mockRestore());
    const container = document.createElement('div');
    container.innerHTML = html;
    document.body.append(container);
    const root = hydrateRoot(container, app);
    afterThisTest(() => {
      root.unmount();
      container.remove();
    });
    const field = container.querySelector('textarea')!;
    await expect.poll(() => field.enterKeyHint).toBe('enter');
    expect(errors.mock.calls.map((call) => String(call[0]))).toEqual([]);
  });
});
