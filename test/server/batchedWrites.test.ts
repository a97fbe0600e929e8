// @vitest-environment node
// The packets a room relays to a connection in one tick leave in one write to its socket
// (ChatConnection's cork until the end of the tick), not one write each: writing was most of a
// broadcast's CPU (`npm run bench`'s fan-out profile: `writev` 60-80 %). Real server, real clients;
// the server's writes are counted on its net.Socket for one reader's connection.
import { Socket } from 'node:net';

import { expect, it } from 'vitest';

import { TestClient, startServer } from '../helpers/referenceServer.ts';

type Write = (this: Socket, ...args: unknown[]) => unknown;
const socketPrototype = Socket.prototype as unknown as { _write: Write; _writev: Write };

/** `ws` keeps its net.Socket as `_socket`. */
const netSocket = (client: TestClient) => (client.socket as unknown as { _socket: Socket })._socket;

it('writes the packets relayed in one tick to a connection in one write, in order', async () => {
  const server = await startServer();
  const [writer, reader] = await TestClient.connectMany(server.url, 2);
  await writer!.register('ada');
  await reader!.waitFor((p) => p.type === 'userlist' && Array.isArray(p.users) && p.users.includes('ada'), 'ada in the list');
  // The server's end of the reader's connection is the socket whose remote port is the reader's own.
  const readerPort = netSocket(reader!).localPort;
  let writes = 0;
  const original = { _write: socketPrototype._write, _writev: socketPrototype._writev };
  for (const method of ['_write', '_writev'] as const) {
    socketPrototype[method] = function (this: Socket, ...args: unknown[]) {
      if (this.remotePort === readerPort) writes++;
      return original[method].apply(this, args);
    };
  }
  try {
    // Three messages in one TCP write: the server reads them together and relays them in one tick.
    const raw = netSocket(writer!);
    raw.cork();
    for (const text of ['one', 'two', 'three']) writer!.sendMessage(text);
    raw.uncork();
    const messages = await reader!.waitForCount((p) => p.type === 'message', 3, 'three messages');
    expect(messages.map((p) => p.text)).toEqual(['one', 'two', 'three']);
    // One write for all three (two if the server happened to read them in two chunks); one each before.
    expect(writes).toBeGreaterThan(0);
    expect(writes).toBeLessThan(3);
  } finally {
    Object.assign(socketPrototype, original);
  }
});
