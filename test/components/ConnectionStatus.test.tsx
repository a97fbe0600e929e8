import { act, fireEvent, render, screen } from '@testing-library/react';
import { Profiler, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatProvider, ConnectionStatus, useChatContext, useChatEntries } from '../../src/components/index.js';
import { renderInChat, startChatServer, stopChatServers } from '../helpers/chat.js';

// Fake timers throughout: mock-socket's 4 ms delays, the reconnect delay and the countdown all
// advance only when the test says so. (No user-event or waitFor here: both wait on a real setTimeout.)
const tick = (ms = 5) => act(() => vi.advanceTimersByTimeAsync(ms));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
  stopChatServers();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** Buttons for the connection's actions, as an app around the status would have. */
function Actions() {
  const { client } = useChatContext();
  return (
    <>
      <button type="button" onClick={() => void client?.close(1000, 'Bye')}>
        Leave
      </button>
      <button type="button" onClick={() => client?.reconnect()}>
        App reconnect
      </button>
    </>
  );
}

/** `ui` with the actions beside it, in a chat on a mock server. */
const renderStatus = (ui: ReactNode = <ConnectionStatus />, options?: Parameters<typeof renderInChat>[1]) =>
  renderInChat(
    <>
      {ui}
      <Actions />
    </>,
    options,
  );

const status = () => screen.getByRole('status');
/** The state as a sighted user reads it: without the visually hidden copy, the error, nor the button. */
const visibleText = () =>
  Array.from(status().children)
    .filter(
      (child) => !child.classList.contains('rwc-visually-hidden') && !child.hasAttribute('data-error-kind') && child.tagName !== 'BUTTON',
    )
    .map((child) => child.textContent)
    .join(' ');
/** The status's button ("Retry now" or "Reconnect"), if any. */
const action = () => status().querySelector('button');
/** The state as assistive technology reads it: without what is aria-hidden, the error, nor the button. */
const announcedText = () =>
  Array.from(status().children)
    .filter((child) => child.getAttribute('aria-hidden') !== 'true' && !child.hasAttribute('data-error-kind') && child.tagName !== 'BUTTON')
    .map((child) => child.textContent)
    .join(' ');

describe('<ConnectionStatus>', () => {
  it('shows connecting, then connected, in a role="status" region with data-state', async () => {
    renderStatus();
    expect(status().getAttribute('data-state')).toBe('connecting');
    expect(status().textContent).toBe('Connecting…');
    await tick(20);
    expect(status().getAttribute('data-state')).toBe('open');
    expect(status().textContent).toBe('Connected');
    expect(status().className).toBe('rwc-connection-status');
  });

  it('shows closing while the close is under way, then disconnected for good, saying why', async () => {
    renderStatus();
    await tick(20);
    fireEvent.click(screen.getByRole('button', { name: 'Leave' }));
    expect(status().getAttribute('data-state')).toBe('closing');
    expect(status().textContent).toBe('Disconnecting…');
    await tick(20);
    expect(status().getAttribute('data-state')).toBe('closed');
    expect(visibleText()).toBe('Disconnected: the chat was closed');
    expect(action()?.textContent).toBe('Reconnect');
  });

  it('shows disconnected with the number of a server close code that has no sentence, when it will not reconnect', async () => {
    const { chat } = renderStatus(<ConnectionStatus />, { reconnect: false });
    await tick(20);
    act(() => chat.close({ code: 4321, reason: 'Kicked', wasClean: true }));
    await tick();
    expect(status().getAttribute('data-state')).toBe('closed');
    expect(visibleText()).toBe('Disconnected (code 4321)');
  });

  it('asks strings.disconnected for the sentence, with the close code', async () => {
    const disconnected = vi.fn((code: number | null) => `Gone (${String(code)})`);
    const { chat } = renderStatus(<ConnectionStatus />, { reconnect: false, strings: { disconnected } });
    await tick(20);
    act(() => chat.close({ code: 1008, reason: 'Too many messages', wasClean: true }));
    await tick();
    expect(visibleText()).toBe('Gone (1008)');
    expect(disconnected).toHaveBeenLastCalledWith(1008);
  });

  it('shows plain "Disconnected" when there is no connection (url null)', () => {
    render(
      <ChatProvider url={null} username="ada">
        <ConnectionStatus />
      </ChatProvider>,
    );
    expect(status().getAttribute('data-state')).toBe('closed');
    expect(status().textContent).toBe('Disconnected');
  });

  it('counts down to the next attempt once a second, showing the attempt, while announcing it once', async () => {
    // delay = floor(0.99 * 10 000) = 9 900 ms: "10 s", then 9 s after 900 ms, then once a second.
    const { chat } = renderStatus(<ConnectionStatus />, { reconnect: { initialDelay: 10_000, random: () => 0.99 } });
    await tick(20);
    act(() => chat.close());
    await tick(0);
    expect(status().getAttribute('data-state')).toBe('reconnecting');
    expect(visibleText()).toBe('Reconnecting in 10 s (attempt 1)');
    await tick(899);
    expect(visibleText()).toBe('Reconnecting in 10 s (attempt 1)');
    await tick(1);
    expect(visibleText()).toBe('Reconnecting in 9 s (attempt 1)');
    await tick(1000);
    expect(visibleText()).toBe('Reconnecting in 8 s (attempt 1)');
    await tick(5000);
    expect(visibleText()).toBe('Reconnecting in 3 s (attempt 1)');
    // The live region does not change every second: it says the sentence as it was when waiting began.
    expect(announcedText()).toBe('Reconnecting in 10 s (attempt 1)');

    // The attempt fails (the server is gone); the next one is further away and is announced anew.
    await tick(3000);
    await tick(50);
    expect(status().getAttribute('data-state')).toBe('reconnecting');
    expect(visibleText()).toBe('Reconnecting in 20 s (attempt 2)');
    expect(announcedText()).toBe('Reconnecting in 20 s (attempt 2)');
    // The failure is kept (the title), not shown beside the sentence while a retry is planned.
    expect(status().title).toBe(`The WebSocket connection to '${chat.url}' failed.`);
    expect(status().querySelector('[data-error-kind]')).toBeNull();
  });

  it('aligns the countdown to whole seconds of the time left', async () => {
    // delay = 0.5 * 5000 = 2500 ms: "3 s" for 500 ms, then "2 s", then "1 s".
    const { chat } = renderStatus(<ConnectionStatus />, { reconnect: { initialDelay: 5000, random: () => 0.5 } });
    await tick(20);
    act(() => chat.close());
    await tick(0);
    expect(visibleText()).toBe('Reconnecting in 3 s (attempt 1)');
    await tick(500);
    expect(visibleText()).toBe('Reconnecting in 2 s (attempt 1)');
    await tick(1000);
    expect(visibleText()).toBe('Reconnecting in 1 s (attempt 1)');
  });

  it('runs an interval only while waiting to reconnect, and clears it when connected again', async () => {
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    const clearIntervalSpy = vi.spyOn(globalThis, 'clearInterval');
    const { chat } = renderStatus(<ConnectionStatus />, { reconnect: { initialDelay: 10_000, random: () => 0.99 } });
    await tick(20);
    expect(setIntervalSpy).not.toHaveBeenCalled();
    act(() => chat.close());
    await tick(2000);
    expect(setIntervalSpy).toHaveBeenCalledTimes(1);
    const timer = setIntervalSpy.mock.results[0]?.value as ReturnType<typeof setInterval>;
    expect(clearIntervalSpy).not.toHaveBeenCalledWith(timer);

    startChatServer({ url: chat.url });
    fireEvent.click(screen.getByRole('button', { name: 'App reconnect' }));
    await tick(20);
    expect(status().textContent).toBe('Connected');
    expect(clearIntervalSpy).toHaveBeenCalledWith(timer);
    const intervals = setIntervalSpy.mock.calls.length;
    await tick(5000);
    expect(setIntervalSpy).toHaveBeenCalledTimes(intervals);
    expect(status().textContent).toBe('Connected');
  });

  it('shows offline while the network is down and no retry is scheduled, and reconnects when it is back', async () => {
    const onLine = vi.spyOn(window.navigator, 'onLine', 'get').mockReturnValue(true);
    const { chat } = renderStatus(<ConnectionStatus />, { reconnect: { initialDelay: 10_000 } });
    await tick(20);
    onLine.mockReturnValue(false);
    act(() => {
      window.dispatchEvent(new Event('offline'));
    });
    // Still open: the socket has not noticed yet.
    expect(status().getAttribute('data-state')).toBe('open');
    act(() => chat.close());
    await tick();
    expect(status().getAttribute('data-state')).toBe('offline');
    expect(visibleText()).toBe('Offline: waiting for the network');
    expect(action()?.textContent).toBe('Retry now');

    startChatServer({ url: chat.url });
    onLine.mockReturnValue(true);
    act(() => {
      window.dispatchEvent(new Event('online'));
    });
    // The retry's attempt under way: still reconnecting (attempt 1), and it says what it does.
    expect(status().getAttribute('data-state')).toBe('reconnecting');
    expect(visibleText()).toBe('Connecting…');
    await tick(20);
    expect(status().textContent).toBe('Connected');
  });

  it('shows the error, with its kind, next to the state', async () => {
    // The server selects no sub-protocol: the client reports it and does not retry.
    renderStatus(<ConnectionStatus errorClassName="err" />, { chat: startChatServer({ selectProtocol: () => '' }) });
    await tick(50);
    expect(status().getAttribute('data-state')).toBe('closed');
    const error = status().querySelector('[data-error-kind]');
    expect(error?.getAttribute('data-error-kind')).toBe('protocol');
    expect(error?.className).toBe('rwc-connection-status__error err');
    expect(error?.textContent).toBe('Error: The server selected none of the offered sub-protocols (json).');
    expect(status().textContent).toBe(
      // The error explains the close, so the close code's meaning is not repeated before it.
      'Disconnected Error: The server selected none of the offered sub-protocols (json). Reconnect',
    );
  });

  it('keeps a connection error out of sight while waiting to retry (the title has it), and clears it once connected', async () => {
    const chat = startChatServer();
    chat.stop(); // nobody listens: the first attempt fails
    renderStatus(<ConnectionStatus />, { chat, reconnect: { initialDelay: 10_000, random: () => 0.5 } });
    await tick(20);
    expect(status().getAttribute('data-state')).toBe('reconnecting');
    expect(status().querySelector('[data-error-kind]')).toBeNull();
    expect(status().textContent).not.toContain('Error');
    expect(status().title).toBe(`The WebSocket connection to '${chat.url}' failed.`);

    startChatServer({ url: chat.url });
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    await tick(20);
    expect(status().textContent).toBe('Connected');
    expect(status().hasAttribute('title')).toBe(false);
  });

  it('offers no button on the first attempt nor while connected', async () => {
    renderStatus();
    expect(action()).toBeNull();
    await tick(20);
    expect(status().getAttribute('data-state')).toBe('open');
    expect(action()).toBeNull();
  });

  it('offers "Retry now" while a retry is pending: it attempts at once, with the backoff started over', async () => {
    // delay = floor(0.99 * ceiling): 9 900 ms before attempt 1, 19 800 ms before attempt 2.
    const { chat } = renderStatus(<ConnectionStatus />, { reconnect: { initialDelay: 10_000, random: () => 0.99 } });
    await tick(20);
    act(() => chat.close()); // 1006, and nobody listens any more
    await tick(0);
    expect(visibleText()).toBe('Reconnecting in 10 s (attempt 1)');
    await tick(9900);
    await tick(50);
    expect(visibleText()).toBe('Reconnecting in 20 s (attempt 2)');

    // Still down: the retry fails at once, and the next wait is the first one's again.
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    expect(visibleText()).toBe('Connecting…');
    await tick(50);
    expect(visibleText()).toBe('Reconnecting in 10 s (attempt 1)');

    // Back up: connected at once, not in 10 s.
    startChatServer({ url: chat.url });
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    await tick(20);
    expect(status().textContent).toBe('Connected');
  });

  it('offers "Reconnect" once disconnected for good, and connects with it', async () => {
    const { chat } = renderStatus(<ConnectionStatus buttonClassName="act" />, { reconnect: false });
    await tick(20);
    act(() => chat.close({ code: 4321, reason: 'Kicked', wasClean: true }));
    await tick();
    expect(status().getAttribute('data-state')).toBe('closed');
    const reconnect = screen.getByRole('button', { name: 'Reconnect' });
    expect(reconnect.className).toBe('rwc-connection-status__action act');
    startChatServer({ url: chat.url });
    fireEvent.click(reconnect);
    await tick(20);
    expect(status().getAttribute('data-state')).toBe('open');
    expect(action()).toBeNull();
  });

  it('takes every visible string from strings', async () => {
    const { chat } = renderStatus(<ConnectionStatus />, {
      reconnect: { initialDelay: 4000, random: () => 0.5 },
      strings: {
        connecting: 'Verbinde…',
        connected: 'Verbunden',
        reconnecting: (s, a) => `Neuer Versuch (${a}) in ${s} s`,
        retryNow: 'Jetzt versuchen',
        reconnect: 'Neu verbinden',
        disconnected: () => 'Getrennt',
      },
    });
    expect(status().textContent).toBe('Verbinde…');
    await tick(20);
    expect(status().textContent).toBe('Verbunden');
    act(() => chat.close());
    await tick(0);
    expect(visibleText()).toBe('Neuer Versuch (1) in 2 s');
    expect(action()?.textContent).toBe('Jetzt versuchen');
    fireEvent.click(screen.getByRole('button', { name: 'Leave' }));
    await tick(20);
    expect(visibleText()).toBe('Getrennt');
    expect(action()?.textContent).toBe('Neu verbinden');
  });

  it('passes className and textClassName, and other props to the root', async () => {
    renderStatus(<ConnectionStatus className="mine" textClassName="t" aria-label="Connection" />);
    expect(screen.getByRole('status', { name: 'Connection' }).className).toBe('rwc-connection-status mine');
    expect(screen.getByText('Connecting…').className).toBe('rwc-connection-status__text t');
  });

  it('does not re-render when chat messages arrive', async () => {
    const onRender = vi.fn();
    function EntryCount() {
      return <p>Entries: {useChatEntries().length}</p>;
    }
    const { chat } = renderStatus(
      <>
        <Profiler id="status" onRender={onRender}>
          <ConnectionStatus />
        </Profiler>
        <EntryCount />
      </>,
    );
    await tick(20);
    expect(status().textContent).toBe('Connected');
    const renders = onRender.mock.calls.length;
    const entries = () => Number(screen.getByText(/^Entries:/).textContent?.replace(/\D/g, ''));
    const before = entries();
    act(() => {
      chat.send({ type: 'message', id: 99, name: 'bob', text: 'one', date: Date.now() });
      chat.send({ type: 'message', id: 99, name: 'bob', text: 'two', date: Date.now() });
    });
    await tick(20);
    expect(entries()).toBe(before + 2);
    expect(onRender).toHaveBeenCalledTimes(renders);
  });
});
