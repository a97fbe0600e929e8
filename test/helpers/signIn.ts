import { expect } from 'vitest';
import type { MockChatServer } from '../../src/testing/index.js';

/**
 * The mock server's side of the page's sign-in: wait for its one connection, give it `id` 1, wait
 * for its `username`, then list `users` when given (no `userlist` otherwise).
 */
export async function signIn(chat: MockChatServer, users?: readonly (string | null)[]): Promise<void> {
  await expect.poll(() => chat.connections.length).toBe(1);
  chat.send({ type: 'id', id: 1 });
  await chat.waitForPacket((p) => 'type' in p && p.type === 'username');
  if (users) chat.send({ type: 'userlist', users: [...users] });
}
