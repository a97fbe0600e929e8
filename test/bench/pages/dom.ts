// (b) Plain DOM append: one row element per message (a sender and a text span: six nodes), appended
// to a scrolling log as each message arrives. No virtualization, no scrolling to the end.
import { config, registerVariant, seqOf } from './harness.ts';

interface Packet {
  type: string;
  name?: string;
  text?: string;
}

const root = document.getElementById('root')!;
const log = document.createElement('div');
log.className = 'log';
log.setAttribute('role', 'log');
const field = document.createElement('textarea');
field.setAttribute('aria-label', 'Message');
field.rows = 1;
root.append(log, field);
field.focus();

let count = 0;
let newest = -1;
const socket = new WebSocket(config.server);
socket.onmessage = (event: MessageEvent<string>) => {
  const packet = JSON.parse(event.data) as Packet;
  if (packet.type !== 'message') return;
  const row = document.createElement('div');
  row.className = 'row';
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = packet.name ?? '';
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = packet.text ?? '';
  row.append(name, ' ', text);
  log.append(row);
  count++;
  newest = seqOf(packet.text);
};

registerVariant({ newestRendered: () => newest, renderedCount: () => count });
