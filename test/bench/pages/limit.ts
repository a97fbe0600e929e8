// (a) The limit: a WebSocket and JSON.parse, no DOM per message. Its field is there for the
// keystroke-latency scenario (the same plain <textarea> as (b)).
// In the catch-up scenarios (resume, join) it speaks the history extension as the kit does, and no
// more: on `id` it asks for the recent history (first join) or for what it missed (`after` the last
// `seq` it took), parses every `history` frame and counts the messages in it, each `seq` once; it
// reconnects at once when its socket closes. It sends no `username` (so nothing live comes after
// a catch-up to be ordered against it).
import { CATCH_UP_SCENARIOS, config, onStart, registerVariant, seqOf } from './harness.ts';

interface Packet {
  type: string;
  text?: string;
  seq?: number;
  epoch?: string;
  packets?: Packet[];
}

const catchUp = CATCH_UP_SCENARIOS.includes(config.scenario);
let count = 0;
let newest = -1;
/** Catch-ups: the greatest `seq` taken, and the epoch it belongs to. */
let last = 0;
let epoch: string | undefined;

function take(packet: Packet): void {
  if (typeof packet.seq === 'number') {
    if (packet.seq <= last) return;
    last = packet.seq;
  }
  if (packet.type !== 'message') return;
  count++;
  newest = seqOf(packet.text);
}

function connect(): void {
  const socket = new WebSocket(config.server);
  socket.onmessage = (event: MessageEvent<string>) => {
    const packet = JSON.parse(event.data) as Packet;
    if (!catchUp) {
      if (packet.type !== 'message') return;
      count++;
      newest = seqOf(packet.text);
    } else if (packet.type === 'id') {
      socket.send(JSON.stringify(epoch === undefined ? { type: 'history' } : { type: 'history', after: last, epoch }));
      epoch = packet.epoch;
    } else if (packet.type === 'history') {
      for (const inner of packet.packets ?? []) take(inner);
    } else take(packet);
  };
  if (catchUp) socket.onclose = connect;
}
onStart(connect);

const field = document.createElement('textarea');
field.setAttribute('aria-label', 'Message');
field.rows = 1;
document.getElementById('root')!.append(field);
field.focus();

registerVariant({ newestRendered: () => newest, renderedCount: () => count });
