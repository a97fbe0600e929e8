// createMockChatServer (react-ws-chat/testing): what a test can ask of the packets clients sent.
// `waitForPacket((packet) => packet.type === 'username')`, as the README writes it, must type-check
// (a received packet may be raw data) and narrow; data that is not a packet must never crash it.
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { ClientPacket, ClientUsernamePacket } from '../../src/protocol/index.js';
import { createMockChatServer, type MockChatServer, type RawPacket } from '../../src/testing/index.js';

let chat: MockChatServer | undefined;
afterEach(() => {
  chat?.stop();
  chat = undefined;
});

/** A client on the mock server that sends `frames` once open. */
function connect(server: MockChatServer, frames: string[]): WebSocket {
  const socket = new server.WebSocket(server.url);
  socket.addEventListener('open', () => {
    for (const frame of frames) socket.send(frame);
  });
  return socket;
}

describe('createMockChatServer', () => {
  it('waitForPacket narrows to the packet its predicate tests the type of', async () => {
    chat = createMockChatServer();
    connect(chat, [JSON.stringify({ type: 'username', id: 1, name: 'ada', date: 1 })]);
    const { packet, from } = await chat.waitForPacket((packet) => packet.type === 'username');
    expectTypeOf(packet).toEqualTypeOf<ClientUsernamePacket>();
    expect(packet.name).toBe('ada');
    expect(from.name).toBe('ada');
  });

  it('keeps what is not a packet as raw data, and goes on answering', async () => {
    chat = createMockChatServer();
    const junk = ['null', '42', '"text"', '[1]', '{"no":"type"}', 'not json'];
    connect(chat, [...junk, JSON.stringify({ type: 'username', id: 1, name: 'ada', date: 1 })]);
    await chat.waitForPacket((packet) => packet.type === 'username');
    const raw = chat.received.slice(0, junk.length).map(({ packet }) => packet);
    expectTypeOf(raw).toEqualTypeOf<(ClientPacket | RawPacket)[]>();
    expect(raw).toEqual(junk.map((data) => ({ raw: data })));
    expect(raw.every((packet) => packet.type === undefined)).toBe(true);
    expect(chat.connections[0]?.name).toBe('ada');
  });
});
