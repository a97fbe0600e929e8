// @vitest-environment node
// One set of name rules (src/protocol/names.ts): the mock chat server of `react-ws-chat/testing`
// gives the same names as the reference server, so a test written against the mock meets what the
// real server does.
import { afterEach, describe, expect, it } from 'vitest';

import { createMockChatServer, type MockChatServer } from '../../src/testing/index.ts';
import { TestClient, startServer } from '../helpers/referenceServer.ts';

/** Names asked for in order, each by a new connection that stays open. */
const ASKED = ['ada', 'Ａｄａ', 'ADA', '  ada\n', 'bob\u0000', 'x'.repeat(70), ''];

const mocks: MockChatServer[] = [];
afterEach(() => {
  for (const mock of mocks.splice(0)) mock.stop();
});

/** The names the reference server gives to connections asking for `ASKED`, in order. */
async function realNames(): Promise<string[]> {
  const server = await startServer();
  const names: string[] = [];
  for (const name of ASKED) names.push(await (await TestClient.connect(server.url)).register(name));
  return names;
}

/** The same through the mock server, with its own (mock-socket) WebSocket. */
async function mockNames(): Promise<string[]> {
  const mock = createMockChatServer();
  mocks.push(mock);
  const names: string[] = [];
  for (const name of ASKED) {
    const socket = new mock.WebSocket(mock.url, 'json');
    const id = await new Promise<number>((resolve) => {
      socket.onmessage = (event: MessageEvent) => {
        const packet = JSON.parse(String(event.data)) as { type: string; id: number };
        if (packet.type === 'id') resolve(packet.id);
      };
    });
    const given = new Promise<string>((resolve) => {
      socket.onmessage = (event: MessageEvent) => {
        const packet = JSON.parse(String(event.data)) as { type: string; id: number; name: string };
        if (packet.type === 'username' && packet.id === id) resolve(packet.name);
      };
    });
    socket.send(JSON.stringify({ type: 'username', name, id, date: 0 }));
    names.push(await given);
  }
  return names;
}

describe('name rules', () => {
  it('the mock server gives the names the reference server gives', async () => {
    const real = await realNames();
    // Case and compatibility forms are one name; control characters and spaces are cleaned; long ones cut.
    expect(real.slice(0, 5)).toEqual(['ada', 'Ａｄａ2', 'ADA3', 'ada4', 'bob']);
    expect(Array.from(real[5] as string)).toHaveLength(64);
    expect(await mockNames()).toEqual(real);
  });
});
