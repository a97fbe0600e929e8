import type { ClientPacket } from '../../src/protocol/index.js';
import { perStory } from './perStory.js';
import { createMockChatServer, type MockChatConnection, type MockChatServer, type MockChatServerOptions } from '../../src/testing/index.js';

/**
 * What the server does when the story's chat connects: called for every connection the story
 * makes (not those of `setup`'s bots), after the server's own handling of it (with `autoRespond`,
 * the `id` packet is already sent), with its index among them (0 for the first, 1 after a
 * reconnect...). Send with `server.send(packet)` (to every open connection) or
 * `server.send(packet, connection)`.
 */
export type ChatScenario = (server: MockChatServer, connection: MockChatConnection, index: number) => void;

/** Options of {@link withMockChatServer}: the mock server's, plus what it does. */
export interface WithMockChatServerOptions extends Omit<MockChatServerOptions, 'url'> {
  scenario?: ChatScenario;
  /**
   * Runs once, before the story renders (awaited): e.g. connect bots with {@link connectBot}.
   * May return a cleanup, run when the story is torn down.
   */
  setup?: (server: MockChatServer) => undefined | (() => void) | Promise<undefined | (() => void)>;
}

/**
 * `loaders` and `beforeEach` for a chat story driven by its own mock chat server
 * (`createMockChatServer`), at a URL unique to the story (`storyUrl`). The server is created
 * before the story renders (read it with {@link chatServerOf}`(loaded)`) and stopped when the story
 * is torn down.
 *
 * ```tsx
 * export const Empty: Story = {
 *   ...withMockChatServer({ autoRespond: false, scenario: (server) => server.send({ type: 'id', id: 1 }) }),
 *   render: (_, { loaded }) => <MockChatProvider chat={chatServerOf(loaded)}><ChatLayout /></MockChatProvider>,
 * };
 * ```
 *
 * Spread it first; a story that needs more loaders adds them: `loaders: [...server.loaders, more]`.
 */
export function withMockChatServer({ scenario, setup, ...serverOptions }: WithMockChatServerOptions = {}) {
  return perStory('chat', async (url) => {
    const chat = createMockChatServer({ ...serverOptions, url });
    const undo = await setup?.(chat);
    // Registered after the mock server's own listener (so the connection is in `connections`
    // and, with autoRespond, has its id) and after setup (so bots are not part of the scenario).
    let index = 0;
    chat.server.on('connection', () => {
      const connection = chat.connections[chat.connections.length - 1];
      if (connection) scenario?.(chat, connection, index++);
    });
    return {
      value: chat,
      stop: () => {
        chat.stop();
        if (typeof undo === 'function') undo();
      },
    };
  });
}

/** The story's mock chat server, as `withMockChatServer`'s loader left it. */
export function chatServerOf(loaded: Record<string, unknown>): MockChatServer {
  const chat = loaded.chat as MockChatServer | undefined;
  if (!chat) throw new Error('No mock chat server: spread withMockChatServer(...) into the story.');
  return chat;
}

// ---- bots ---------------------------------------------------------------------------------------

/**
 * Connect other users to the mock server (which must `autoRespond`), in order: real mock-socket
 * clients that take their id, ask for their name and stay connected, so the server lists them and
 * knows them by id. Resolves once every name is registered, with the function that disconnects them.
 *
 * ```ts
 * withMockChatServer({ setup: (chat) => connectBots(chat, ['bob', 'eve']) })
 * ```
 */
export async function connectBots(chat: MockChatServer, names: readonly string[]): Promise<() => void> {
  const sockets: WebSocket[] = [];
  for (const name of names) sockets.push(await connectBot(chat, name));
  return () => {
    for (const socket of sockets) socket.close();
  };
}

function connectBot(chat: MockChatServer, name: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new chat.WebSocket(chat.url, 'json');
    let id: number | null = null;
    socket.onerror = () => reject(new Error(`Bot ${name} could not connect to ${chat.url}`));
    socket.onmessage = (event: MessageEvent) => {
      const packet = JSON.parse(String(event.data)) as { type?: string; id?: number };
      if (packet.type === 'id' && typeof packet.id === 'number' && id === null) {
        id = packet.id;
        socket.send(JSON.stringify({ type: 'username', id, name, date: Date.now() } satisfies ClientPacket));
      } else if (packet.type === 'username' && id !== null && packet.id === id) {
        resolve(socket);
      }
    };
  });
}

/**
 * The server relays a message from the connected user registered as `name` (a bot), as MDN's server
 * does: to every open connection, with the sender's id and name.
 */
export function sayAs(chat: MockChatServer, name: string, text: string, date = Date.now()): void {
  const sender = chat.connections.find((connection) => connection.name === name && connection.socket.readyState === 1);
  if (!sender) throw new Error(`No connected user named ${name}`);
  chat.send({ type: 'message', id: sender.id, name, text, date });
}

/** Wait until the server received a chat message with this text. */
export function receivedMessage(chat: MockChatServer, text: string) {
  return chat.waitForPacket((packet) => 'type' in packet && packet.type === 'message' && packet.text === text);
}
