/**
 * The page of the e2e tests of `sharedTabs()` (test/e2e/sharedTabs.e2e.test.ts): the core alone, no
 * React, as an application would use it. Its URL says what to do:
 *
 *   ?server=ws://127.0.0.1:PORT   the chat server (required)
 *   &share=NAME                   the name the tabs share by (default "e2e")
 *   &takeoverAfter=MS             `sharedTabs({ takeoverAfter })` (default: the kit's)
 *
 * It keeps the room's packets by `seq` and, in the tab that holds the socket, signs in (rejoining
 * as the last connection's user) and resumes after the last packet it has on every new connection
 * (the server's history: README "History and resume"), as a chat does. `window.__tabs` lets the test read and write.
 */
import { autoReconnect, sharedTabs, type SharedWebSocketClient } from '../../../src/core/index.ts';

interface Packet {
  readonly type?: string;
  readonly seq?: number;
  readonly id?: number;
  readonly epoch?: string;
  readonly session?: string;
  readonly text?: string;
  readonly packets?: readonly Packet[];
}

export interface TabsHook {
  readonly client: SharedWebSocketClient<Packet, object>;
  /** The room's messages this tab has, in the room's order (by `seq`). */
  texts(): string[];
  /** Send a chat message with this text (its nonce: the text). */
  say(text: string): string;
  /** When (Date.now()) this tab last became the leader of an open connection, or 0. */
  ledAt: number;
}

declare global {
  interface Window {
    __tabs?: TabsHook;
  }
}

const params = new URLSearchParams(location.search);
const takeoverAfter = params.get('takeoverAfter');
const share = sharedTabs({ name: params.get('share') ?? 'e2e', takeoverAfter: takeoverAfter ? Number(takeoverAfter) : undefined });
const client = share.create<Packet, object>({
  url: params.get('server') ?? '',
  protocols: 'json',
  reconnect: autoReconnect({ initialDelay: 100, maxDelay: 500 }),
});

/** The room's packets by `seq`: a catch-up and live packets may come in either order. */
const room = new Map<number, Packet>();
let lastSeq = 0;
let epoch: string | undefined;
let connectionId = 0;
/** The last connection's `session` (every tab sees the `id` packets): the user this page rejoins as. */
let session: string | undefined;

const keep = (packet: Packet) => {
  if (typeof packet.seq !== 'number') return;
  room.set(packet.seq, packet);
  lastSeq = Math.max(lastSeq, packet.seq);
};

// The tab that holds the socket signs in first, as the user of the last connection (its session),
// as a chat does: the server then knows a message sent again on the new connection by its nonce
// (a send the last leader made but could not confirm before it went: sends are at least once
// across a takeover, README "One connection for all tabs").
client.on('open', () => {
  if (client.getSnapshot().shared !== 'follower') client.sendJson({ type: 'username', name: 'tabs', ...(session && { session }) });
});

client.on('message', (packet) => {
  if (packet.type === 'id') {
    connectionId = packet.id ?? 0;
    session = packet.session;
    // The tab that holds the socket asks for what the room said since the last packet it has.
    if (client.getSnapshot().shared !== 'follower') {
      client.sendJson({ type: 'history', after: epoch === packet.epoch ? lastSeq : 0, epoch: packet.epoch });
    }
    epoch = packet.epoch;
  } else if (packet.type === 'history') for (const kept of packet.packets ?? []) keep(kept);
  else keep(packet);
});

const role = document.getElementById('role') as HTMLElement;
let leading = false;
client.subscribe(() => {
  const { shared, readyState } = client.getSnapshot();
  // Written only when it changes (the snapshot changes with every message: the page must not pay a
  // DOM write per message in the figures).
  const text = `${shared} ${readyState}`;
  if (role.textContent !== text) role.textContent = text;
  const leads = shared === 'leader' && readyState === 1;
  if (leads && !leading && window.__tabs) window.__tabs.ledAt = Date.now();
  leading = leads;
});
client.acquire();

window.__tabs = {
  client,
  texts: () =>
    [...room.keys()]
      .sort((a, b) => a - b)
      .map((seq) => room.get(seq) as Packet)
      .filter((packet) => packet.type === 'message')
      .map((packet) => packet.text ?? ''),
  say: (text) => client.sendJson({ type: 'message', text, id: connectionId, date: Date.now(), nonce: text }),
  ledAt: 0,
};
