// A stand-in for MDN's sample chat server (mdn/samples-server, s/websocket-chat) on `ws`, written from
// its documented behaviour (MDN's guide "Writing WebSocket client applications" and the README's protocol sections), not from its code, so that tests can check
// the kit against a server that knows nothing of the kit's protocol extension:
// - `id` to each new connection, with no extension field;
// - `username`: the name is made unique by exact-case comparison (the asked name plus a number),
//   with `rejectusername` to the requester when it changed, then `userlist` to everyone;
// - `message`: `name` is set from the connection;
// - every JSON object, whatever its type and with whatever fields the client sent, is relayed to
//   every connection, the sender included;
// - a frame that is not JSON crashes it: here every connection is terminated, it stops accepting,
//   and `crashed` says so.
import { WebSocket, WebSocketServer } from 'ws';

export interface MdnSampleServer {
  /** `ws://127.0.0.1:PORT`. */
  readonly url: string;
  /** Every text frame the clients sent, in order. */
  readonly received: readonly string[];
  /** Whether a frame that was not JSON crashed it. */
  readonly crashed: boolean;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

interface Connection {
  readonly id: number;
  readonly socket: WebSocket;
  username: string | null;
}

/** Start the stand-in on 127.0.0.1 and a free port. */
export async function startMdnSampleServer(): Promise<MdnSampleServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (offered) => (offered.has('json') ? 'json' : false) });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const address = wss.address();
  if (address === null || typeof address === 'string') throw new Error('the MDN stand-in has no TCP address');
  const connections: Connection[] = [];
  const received: string[] = [];
  let crashed = false;
  let nextId = 1;
  let appendToMakeUnique = 1;

  const sendToAll = (packet: unknown) => {
    const text = JSON.stringify(packet);
    for (const connection of connections) if (connection.socket.readyState === WebSocket.OPEN) connection.socket.send(text);
  };
  const sendUserListToAll = () => sendToAll({ type: 'userlist', users: connections.map((c) => c.username) });
  const crash = () => {
    crashed = true;
    for (const connection of connections) connection.socket.terminate();
    wss.close();
  };

  wss.on('connection', (socket) => {
    const connection: Connection = { id: nextId++, socket, username: null };
    connections.push(connection);
    socket.send(JSON.stringify({ type: 'id', id: connection.id }));
    socket.on('message', (data) => {
      const text = String(data);
      received.push(text);
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(text) as Record<string, unknown>;
      } catch {
        crash();
        return;
      }
      if (msg.type === 'message') {
        msg.name = connection.username;
      } else if (msg.type === 'username') {
        const asked = String(msg.name);
        let name = asked;
        while (connections.some((c) => c !== connection && c.username === name)) name = `${asked}${appendToMakeUnique++}`;
        if (name !== asked) socket.send(JSON.stringify({ id: msg.id, type: 'rejectusername', name }));
        msg.name = name;
        connection.username = name;
        sendUserListToAll();
      }
      sendToAll(msg);
    });
    socket.on('close', () => {
      connections.splice(connections.indexOf(connection), 1);
      if (!crashed) sendUserListToAll();
    });
  });

  return {
    url: `ws://127.0.0.1:${address.port}`,
    received,
    get crashed() {
      return crashed;
    },
    get connections() {
      return nextId - 1;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
