// @vitest-environment node
// The switch behind `npm start`'s s and r keys, with real reference servers on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';

import { ChatServerSwitch } from '../../.storybook/ChatServerSwitch.ts';
import { createChatServer, type ChatServer } from '../../src/server/index.ts';
import { TestClient } from '../helpers/referenceServer.ts';

const created: ChatServer[] = [];

afterEach(async () => {
  await Promise.all(created.map((server) => server.close()));
  created.length = 0;
});

async function create(): Promise<ChatServer> {
  const server = await createChatServer({ host: '127.0.0.1', port: 0, rateLimit: false, heartbeatInterval: 0 });
  created.push(server);
  return server;
}

describe('ChatServerSwitch', () => {
  it('stops the running server (its clients get 1001) and starts a new one that takes connections', async () => {
    const chat = new ChatServerSwitch(create);
    const first = await chat.start();
    const client = await TestClient.connect(first.url);

    await expect(chat.toggle()).resolves.toBeNull();
    expect(chat.server).toBeNull();
    await expect(client.closed).resolves.toMatchObject({ code: 1001 });

    const second = await chat.toggle();
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    expect(chat.server).toBe(second);
    const again = await TestClient.connect(second!.url);
    expect(again.socket.readyState).toBe(again.socket.OPEN);
    again.socket.terminate();
  });

  it('runs calls in the order made: two quick toggles start, then stop (never two servers at once)', async () => {
    const chat = new ChatServerSwitch(create);
    const [started, stopped] = await Promise.all([chat.toggle(), chat.toggle()]);
    expect(started).not.toBeNull();
    expect(stopped).toBeNull();
    expect(created).toHaveLength(1);
    expect(chat.server).toBeNull();
  });

  it('does nothing for start while running or stop while stopped', async () => {
    const chat = new ChatServerSwitch(create);
    const first = await chat.start();
    await expect(chat.start()).resolves.toBe(first);
    expect(created).toHaveLength(1);
    await chat.stop();
    await chat.stop();
    expect(chat.server).toBeNull();
  });

  it('restarts: the old server closes its clients, a new one runs', async () => {
    const chat = new ChatServerSwitch(create);
    const first = await chat.start();
    const client = await TestClient.connect(first.url);
    const second = await chat.restart();
    await expect(client.closed).resolves.toMatchObject({ code: 1001 });
    expect(second).not.toBe(first);
    expect(chat.server).toBe(second);
  });

  it('stays stopped when the server cannot listen, and a later start still works', async () => {
    let fail = true;
    const chat = new ChatServerSwitch(() => (fail ? Promise.reject(new Error('EADDRINUSE')) : create()));
    await expect(chat.toggle()).rejects.toThrow('EADDRINUSE');
    expect(chat.server).toBeNull();
    fail = false;
    const server = await chat.start();
    expect(server.port).toBeGreaterThan(0);
    expect(chat.server).toBe(server);
  });
});
