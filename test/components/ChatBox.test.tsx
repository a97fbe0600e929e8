// ChatBox in jsdom: what needs no layout. jsdom has no layout and no ResizeObserver, so virtua renders
// no rows here (and would throw without a ResizeObserver: a no-op one is installed below, nothing
// more: the kit's installResizeObserverStub). Rows, grouping, hostile content as rows, pinning and the new-messages button are tested
// in Chromium: test/browser/ChatBox.browser.test.tsx.
import { render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ChatBox } from '../../src/components/index.js';
import { installResizeObserverStub } from '../../src/testing/index.js';
import { renderInChat, stopChatServers } from '../helpers/chat.js';

// The helper the kit ships for its users' own jsdom tests.
let removeStub: () => void = () => {};
beforeAll(() => {
  removeStub = installResizeObserverStub();
});
afterAll(() => removeStub());

afterEach(() => {
  stopChatServers();
  vi.restoreAllMocks();
});

const renderChatBox = (props: Parameters<typeof ChatBox>[0] = {}) => renderInChat(<ChatBox {...props} />);

describe('ChatBox (jsdom)', () => {
  it('is a focusable log named by strings.messagesLabel, with a polite live region of its own from the first render', () => {
    renderChatBox();
    const log = screen.getByRole('log', { name: 'Messages' });
    // The virtualized rows are not live (a log's default): rows scrolled back into view are not news.
    expect(log.getAttribute('aria-live')).toBe('off');
    expect(log.tabIndex).toBe(0);
    expect(log.classList.contains('rwc-chatbox__log')).toBe(true);
    expect(log.parentElement?.classList.contains('rwc-chatbox')).toBe(true);
    const live = log.parentElement!.querySelectorAll('[aria-live="polite"]');
    expect(live).toHaveLength(1);
    expect(log.contains(live[0]!)).toBe(false);
    expect(live[0]!.className).toBe('rwc-visually-hidden');
    expect(live[0]!.textContent).toBe('');
  });

  it('takes its name from custom strings', () => {
    renderInChat(<ChatBox />, { strings: { messagesLabel: 'Nachrichten', noMessages: 'Noch nichts' } });
    expect(screen.getByRole('log', { name: 'Nachrichten' })).toBeTruthy();
    expect(screen.getByText('Noch nichts')).toBeTruthy();
  });

  it('says the log is empty, until the first entry arrives', async () => {
    const { chat } = renderChatBox();
    const log = screen.getByRole('log', { name: 'Messages' });
    const empty = screen.getByText('No messages yet');
    expect(empty.className).toBe('rwc-chatbox__empty');
    expect(log.getAttribute('data-state')).toBe('empty');
    expect(log.getAttribute('aria-describedby')).toBe(empty.id);

    // The server's answer to the sign-in is the first entry ("User ada signed in at …").
    await chat.waitForPacket((p) => 'type' in p && p.type === 'username');
    await waitFor(() => expect(screen.queryByText('No messages yet')).toBeNull());
    expect(log.getAttribute('data-state')).toBe('pinned');
    expect(log.hasAttribute('aria-describedby')).toBe(false);
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('puts className and other attributes on the root', () => {
    renderChatBox({ className: 'mine', id: 'chat-log', style: { height: 200 } });
    const root = document.getElementById('chat-log');
    expect(root?.className).toBe('rwc-chatbox mine');
    expect(root?.style.height).toBe('200px');
    expect(root?.querySelector('[role="log"]')).toBe(screen.getByRole('log'));
  });

  it('throws an error naming ChatProvider outside one', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(<ChatBox />)).toThrow(/must be used within `<ChatProvider>`/);
  });
});
