// (a) The limit: a WebSocket and JSON.parse, no DOM per message. Its field is there for the
// keystroke-latency scenario (the same plain <textarea> as (b)).
import { config, registerVariant, seqOf } from './harness.ts';

interface Packet {
  type: string;
  text?: string;
}

let count = 0;
let newest = -1;
const socket = new WebSocket(config.server);
socket.onmessage = (event: MessageEvent<string>) => {
  const packet = JSON.parse(event.data) as Packet;
  if (packet.type !== 'message') return;
  count++;
  newest = seqOf(packet.text);
};

const field = document.createElement('textarea');
field.setAttribute('aria-label', 'Message');
field.rows = 1;
document.getElementById('root')!.append(field);
field.focus();

registerVariant({ newestRendered: () => newest, renderedCount: () => count });
