// One WebSocket connection of the reference server, each of its events handled by a named method:
// frames in (the extension's ping, the rate limit, invalid frames, then the room), frames out (a
// reader too slow is cut), the protocol-level pong and errors. It is the room's PeerLink: the room
// reaches the socket only through it.
import { WebSocket, type RawData } from 'ws';

import { createPacer, type Pacer } from '../protocol/createPacer.js';
import { decodeClientPacket } from '../protocol/decodeClientPacket.js';
import { PROTOCOL_EXTENSION_VERSION, type IdPacket } from '../protocol/packets.js';
import type { ChatRoom } from './ChatRoom.js';
import type { PeerLink, RoomEdit, RoomHistoryRequest, RoomMember, RoomMessage } from './ChatRoomOptions.js';
import type { ResolvedChatServerOptions } from './options.js';
import type { ChatServerStats, InvalidPacketKind } from './types.js';

/** The longest nonce kept, in UTF-16 code units; a longer one makes the message malformed. */
export const MAX_NONCE_LENGTH = 64;

/**
 * The least time (ms) between two `ping` frames of one connection that are answered; one that comes
 * sooner is ignored (and counted), so that pings cannot make the server write without bound. Below
 * the heartbeat's shortest useful interval: a client pinging every 500 ms or more is always answered.
 */
export const PING_SPACING = 400;

const PING = Buffer.from('ping');
/** The kit's two `typing` frames, as it serializes them: recognised without parsing, before the rate limit. */
const TYPING_FRAMES = [false, true].map((typing) => Buffer.from(JSON.stringify({ type: 'typing', typing })));

/** The counters of `ChatServerStats` that connections add to. */
export type ConnectionCounter = Extract<
  keyof ChatServerStats,
  | 'invalidPackets'
  | 'invalidJson'
  | 'binaryFrames'
  | 'malformedPackets'
  | 'unknownTypes'
  | 'textTooLong'
  | 'rateDelayed'
  | 'rateLimited'
  | 'invalidClosed'
  | 'slowConsumers'
  | 'pongs'
  | 'pingsIgnored'
  | 'historyRequests'
>;

const INVALID_COUNTERS: Readonly<Record<InvalidPacketKind, ConnectionCounter>> = {
  json: 'invalidJson',
  binary: 'binaryFrames',
  malformed: 'malformedPackets',
  'unknown-type': 'unknownTypes',
  'text-too-long': 'textTooLong',
};

/** What the connections of one server share. */
export interface ConnectionContext {
  readonly options: ResolvedChatServerOptions;
  readonly room: ChatRoom;
  /** The server's counters, which its connections add to. */
  readonly counters: Record<ConnectionCounter, number>;
}

/**
 * A connection: joins the room when created; its `on*` methods are its socket's listeners (bound,
 * so that they can be passed as they are). Frames are handled in order, each once the rate lets it
 * through; one that comes while the connection is closing is dropped.
 */
export class ChatConnection implements PeerLink {
  /** Its id in the room (the one its `id` packet tells). */
  readonly id: number;
  /** It in the room. */
  readonly member: RoomMember;
  readonly #socket: WebSocket;
  readonly #context: ConnectionContext;
  /** Its frames through the rate limit, or null without one. */
  readonly #pacer: Pacer | null;
  /** Answered (or wrote) since the last ping. */
  #alive = true;
  /** When its last `ping` frame was answered. */
  #pongAt = Number.NEGATIVE_INFINITY;
  /** Invalid frames so far. */
  #invalidFrames = 0;
  /** The code the server closed it with, when the server did. */
  #closeCode: number | null = null;

  constructor(socket: WebSocket, context: ConnectionContext) {
    this.#socket = socket;
    this.#context = context;
    this.member = context.room.join(this);
    this.id = this.member.id;
    const { rateLimit, now } = context.options;
    this.#pacer = rateLimit ? createPacer(rateLimit, now) : null;
  }

  get open(): boolean {
    return this.#socket.readyState === WebSocket.OPEN;
  }

  /** Whether it answered (or wrote) since the last {@link ping}. */
  get alive(): boolean {
    return this.#alive;
  }

  /**
   * Send a text frame, unless it is not open; a reader with more than `maxBufferedAmount` waiting is
   * terminated instead. `sent` is called once the frame left (or was dropped).
   */
  send(text: string, sent?: () => void): void {
    const socket = this.#socket;
    if (socket.readyState !== WebSocket.OPEN) return sent?.();
    if (socket.bufferedAmount > this.#context.options.maxBufferedAmount) {
      this.#context.counters.slowConsumers++;
      this.#context.options.log({ type: 'slow-consumer', id: this.id, bufferedAmount: socket.bufferedAmount });
      socket.terminate();
      return sent?.();
    }
    if (sent) socket.send(text, () => sent());
    else socket.send(text);
  }

  /** Close with `code` (the one counted in `stats().closes`, unless the server closed it already). */
  close(code: number, reason: string): void {
    this.#closeCode ??= code;
    this.#socket.close(code, reason);
  }

  /** Cut it at once, without a closing handshake (the peer is dead, or the server is done waiting). */
  terminate(): void {
    this.#socket.terminate();
  }

  /** `id`, with the protocol extension's fields (MDN's client reads `id` alone): the first frame it gets. */
  sendId(): void {
    const { rateLimit } = this.#context.options;
    const packet: IdPacket = {
      type: 'id',
      id: this.id,
      ext: PROTOCOL_EXTENSION_VERSION,
      session: this.member.session,
      typing: true,
      edits: true,
      ...(rateLimit && { rateMessages: rateLimit.messages, rateInterval: rateLimit.interval }),
      ...this.#context.room.idFields(this.member),
    };
    this.send(JSON.stringify(packet));
  }

  /** A protocol-level ping: it must answer (or write) before the next one. */
  ping(): void {
    this.#alive = false;
    this.#socket.ping();
  }

  /**
   * Its close (`received`: the client's code, 1005 for none, 1006 for none at all): drops the frames
   * waiting for the rate and returns the code to count, the server's when the server closed it.
   */
  closed(received: number): number {
    this.#pacer?.clear();
    return this.#closeCode ?? received;
  }

  readonly onPong = (): void => {
    this.#alive = true;
  };

  readonly onMessage = (data: RawData, isBinary: boolean): void => {
    if (!this.open) return;
    this.#alive = true;
    if (this.#answerPing(data, isBinary) || this.#typingFrame(data, isBinary)) return;
    const frame = () => this.#handle(data, isBinary);
    if (this.#pacer) this.#paced(this.#pacer.push(frame));
    else frame();
  };

  readonly onError = (error: Error): void => {
    // ws closes the connection itself on a protocol error (a frame over maxPayload: 1009...).
    this.#closeCode ??= closeCodeOf(error);
    this.#context.options.log({ type: 'error', id: this.id, error });
  };

  /**
   * The extension's keep-alive, before any other check: the text frame `ping` gets `pong`, to this
   * connection alone; it is not JSON, never relayed, never invalid, and costs no rate token. At most
   * one per {@link PING_SPACING} ms is answered. Returns whether the frame was a ping.
   */
  #answerPing(data: RawData, isBinary: boolean): boolean {
    if (isBinary || !Buffer.isBuffer(data) || !data.equals(PING)) return false;
    const time = this.#context.options.now();
    if (time - this.#pongAt < PING_SPACING) {
      this.#context.counters.pingsIgnored++;
    } else {
      this.#pongAt = time;
      this.#context.counters.pongs++;
      this.send('pong');
    }
    return true;
  }

  /**
   * The extension's typing frames, as the kit sends them, free of the chat's rate limit (the room
   * bounds what it relays of them: `TYPING_SPACING`), so that typing never delays a message nor
   * makes the store's pacing wrong. The same packet written otherwise goes the ordinary way (a
   * token, then decoded). Returns whether the frame was one.
   */
  #typingFrame(data: RawData, isBinary: boolean): boolean {
    if (isBinary || !Buffer.isBuffer(data)) return false;
    const index = TYPING_FRAMES.findIndex((frame) => data.equals(frame));
    if (index < 0) return false;
    this.#context.room.typing(this.member, index === 1);
    return true;
  }

  /** After a frame went through the rate limit: handled (0 waiting), delayed, or, a flood, cut with 1008. */
  #paced(waiting: number): void {
    const { rateLimit, log } = this.#context.options;
    if (rateLimit && waiting > rateLimit.maxBacklog) {
      this.#context.counters.rateLimited++;
      log({ type: 'rate-limited', id: this.id });
      this.close(1008, 'Rate limit exceeded');
    } else if (waiting > 0) {
      this.#context.counters.rateDelayed++;
      if (waiting === 1) log({ type: 'rate-delayed', id: this.id });
    }
  }

  /** One frame the rate let through (a delayed one may find its connection closing: then dropped). */
  #handle(data: RawData, isBinary: boolean): void {
    if (!this.open) return;
    if (isBinary) {
      this.#countInvalid('binary', 'binary frames are not part of the protocol');
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(rawToString(data));
    } catch {
      this.#countInvalid('json', 'the frame is not JSON');
      return;
    }
    const result = decodeClientPacket(value);
    if (result.status === 'unknown') {
      this.#countInvalid('unknown-type', `unknown packet type ${JSON.stringify(result.type)}`);
    } else if (result.status === 'malformed') {
      this.#countInvalid('malformed', result.message);
    } else if (result.packet.type === 'username') {
      this.#context.room.rename(this.member, result.packet);
    } else if (result.packet.type === 'history') {
      this.#history(result.packet);
    } else if (result.packet.type === 'typing') {
      this.#context.room.typing(this.member, result.packet.typing === true);
    } else if (result.packet.type === 'edit' || result.packet.type === 'delete') {
      this.#edit(result.packet);
    } else {
      this.#relay(result.packet);
    }
  }

  /**
   * A `history` request (protocol extension) goes to the room when its positions are integers ≥ 0
   * (`limit` ≥ 1); otherwise it is malformed. To a server that keeps no history, it is an unknown type.
   */
  #history(packet: RoomHistoryRequest): void {
    if (!this.#context.options.history) {
      this.#countInvalid('unknown-type', 'unknown packet type "history" (this server keeps no history)');
      return;
    }
    const { after, before, limit } = packet;
    const bad =
      [after, before].some((n) => n !== undefined && !isPosition(n)) || (limit !== undefined && !(isPosition(limit) && limit >= 1));
    if (bad) {
      this.#countInvalid('malformed', '"history" packet: positions must be integers >= 0 and limit >= 1');
      return;
    }
    this.#context.counters.historyRequests++;
    void this.#context.room.history(this.member, packet);
  }

  /** A message within its bounds goes to the room; a text or nonce too long is an invalid frame. */
  #relay(packet: RoomMessage): void {
    const { text, nonce } = packet;
    const { maxTextLength } = this.#context.options;
    if (text.length > maxTextLength) {
      this.#countInvalid('text-too-long', `text of ${text.length} code units, the most is ${maxTextLength}`);
      return;
    }
    if (nonce !== undefined && nonce.length > MAX_NONCE_LENGTH) {
      this.#countInvalid('malformed', `nonce of ${nonce.length} code units, the most is ${MAX_NONCE_LENGTH}`);
      return;
    }
    this.#context.room.relay(this.member, packet);
  }

  /**
   * An `edit` or `delete` (protocol extension) goes to the room, which relays or refuses it; a nonce
   * too long is malformed, a text too long is an invalid frame that the room refuses too (`too-long`).
   */
  #edit(packet: RoomEdit): void {
    const { maxTextLength } = this.#context.options;
    if (packet.nonce.length > MAX_NONCE_LENGTH) {
      this.#countInvalid('malformed', `nonce of ${packet.nonce.length} code units, the most is ${MAX_NONCE_LENGTH}`);
      return;
    }
    const tooLong = packet.type === 'edit' && packet.text.length > maxTextLength;
    if (tooLong) this.#countInvalid('text-too-long', `text of ${packet.text.length} code units, the most is ${maxTextLength}`);
    this.#context.room.edit(this.member, packet, tooLong ? 'too-long' : undefined);
  }

  /** Count an invalid frame; one more than `maxInvalidPackets` closes the connection with 1007. */
  #countInvalid(kind: InvalidPacketKind, detail: string): void {
    const { counters, options } = this.#context;
    this.#invalidFrames++;
    counters.invalidPackets++;
    counters[INVALID_COUNTERS[kind]]++;
    options.log({ type: 'invalid', id: this.id, kind, detail, count: this.#invalidFrames });
    if (this.#invalidFrames > options.maxInvalidPackets) {
      counters.invalidClosed++;
      this.close(1007, 'Too many invalid packets');
    }
  }
}

function isPosition(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** The close code `ws` sends for one of its protocol errors (the error codes of ws/lib/receiver.js). */
function closeCodeOf(error: Error): number {
  const code = (error as { code?: unknown }).code;
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' || code === 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH') return 1009;
  if (code === 'WS_ERR_INVALID_UTF8') return 1007;
  if (code === 'WS_ERR_TOO_MANY_BUFFERED_PARTS') return 1008;
  return 1002;
}
