import { expect } from 'vitest';
import { immediateScheduler } from '../../src/chat/index.js';
import { ChatBox, ChatProvider, type ChatBoxProps } from '../../src/components/index.js';
import { createMockChatServer, type MockChatServer } from '../../src/testing/index.js';
import type { PageRoots } from './pageRoots.js';

/** What {@link showMessages} shows. */
export interface ShownMessages {
  chat: MockChatServer;
  log: HTMLElement;
  /** The `.rwc-chatbox__text` of each text, in order. */
  bubbles: HTMLElement[];
}

/**
 * A ChatBox (`props`) 320 px wide in `.rwc-chat`, signed in as ada, showing `texts` as bob's
 * messages a minute apart from 2026-01-15 09:30 UTC.
 */
export async function showMessages(
  { afterThisTest, mountRoot }: PageRoots,
  texts: readonly string[],
  props: ChatBoxProps = {},
): Promise<ShownMessages> {
  const chat = createMockChatServer({ autoRespond: false });
  afterThisTest(() => chat.stop());
  const { container, root } = mountRoot('width: 320px; font: 16px/20px "DejaVu Sans", sans-serif;');
  root.render(
    <ChatProvider url={chat.url} username="ada" WebSocket={chat.WebSocket} schedule={immediateScheduler}>
      <div className="rwc-chat">
        <ChatBox style={{ blockSize: 400 }} {...props} />
      </div>
    </ChatProvider>,
  );
  await expect.poll(() => chat.connections.length).toBe(1);
  chat.send({ type: 'id', id: 1 });
  for (const [i, text] of texts.entries()) {
    chat.send({ type: 'message', id: 2, name: 'bob', text, date: Date.UTC(2026, 0, 15, 9, 30 + i) });
  }
  const log = container.querySelector<HTMLElement>('[role="log"]')!;
  await expect.poll(() => log.querySelectorAll('.rwc-chatbox__text').length).toBe(texts.length);
  return { chat, log, bubbles: [...log.querySelectorAll<HTMLElement>('.rwc-chatbox__text')] };
}
