// Each component reads its own slice: a burst of messages renders <ChatBox> (once per publish, and
// its announcer once more when it says so) and neither <UserList> nor <MessageInput>; typing renders
// <MessageInput> only.
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Profiler, type ProfilerOnRenderCallback } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChatBox, ChatProvider, ConnectionStatus, MessageInput, UserList, immediateScheduler } from '../../src/index.js';
import { createMockChatServer, installResizeObserverStub, type MockChatServer } from '../../src/testing/index.js';

let removeStub: () => void = () => {};
beforeAll(() => {
  removeStub = installResizeObserverStub();
});
afterAll(() => removeStub());

let server: MockChatServer | null = null;
afterEach(() => server?.stop());

describe('render isolation', () => {
  it('renders only the components whose slice changed', async () => {
    server = createMockChatServer();
    const renders: Record<string, number> = { ChatBox: 0, UserList: 0, MessageInput: 0 };
    const count: ProfilerOnRenderCallback = (id) => {
      renders[id] = (renders[id] ?? 0) + 1;
    };
    render(
      <ChatProvider url={server.url} username="ada" WebSocket={server.WebSocket} schedule={immediateScheduler}>
        <ConnectionStatus />
        <Profiler id="ChatBox" onRender={count}>
          <ChatBox />
        </Profiler>
        <Profiler id="UserList" onRender={count}>
          <UserList />
        </Profiler>
        <Profiler id="MessageInput" onRender={count}>
          <MessageInput />
        </Profiler>
      </ChatProvider>,
    );
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Connected'));
    await waitFor(() => expect(screen.getByRole('list', { name: 'Users' }).textContent).toContain('ada'));
    const settled = { ...renders };

    act(() => {
      for (let i = 0; i < 50; i++) server!.send({ type: 'message', id: 9, name: 'bob', text: `m${i}`, date: i });
    });
    await waitFor(() => expect(renders.ChatBox).toBeGreaterThan(settled.ChatBox!));
    // The last of the burst's renders: the announcer's (a timer after the log's).
    await waitFor(() =>
      expect(document.querySelector('.rwc-chatbox > [aria-live="polite"]')?.textContent).toBe('50 new messages from bob'),
    );
    expect(renders.UserList).toBe(settled.UserList);
    expect(renders.MessageInput).toBe(settled.MessageInput);

    const afterBurst = { ...renders };
    const field = screen.getByRole('textbox', { name: 'Message' });
    for (const value of ['h', 'he', 'hel', 'hell', 'hello']) fireEvent.change(field, { target: { value } });
    expect(renders.MessageInput).toBe(afterBurst.MessageInput! + 5);
    expect(renders.ChatBox).toBe(afterBurst.ChatBox);
    expect(renders.UserList).toBe(afterBurst.UserList);
  });
});
