import { Subscribable, type Unsubscribe } from '../core/index.js';
import type { ClientTypingPacket, TypingPacket } from '../protocol/packets.js';
import type { ChatConnection } from './ChatStoreOptions.js';

/** While the user types, how often (ms) the kit says so again: the receivers' expiry is longer. */
export const TYPING_RENEW_MS = 3000;

/** How long (ms) someone shows as typing without a renewal: a stopped, closed or lost typist goes on its own. */
export const TYPING_EXPIRY_MS = 5000;

/** Options of {@link typingIndicator}. */
export interface TypingIndicatorOptions {
  /** How often a start is sent again while the user types (ms). Default {@link TYPING_RENEW_MS}. */
  renewInterval?: number;
  /** How long someone shows as typing without a renewal (ms). Default {@link TYPING_EXPIRY_MS}. */
  expiry?: number;
  /** The clock. Default `Date.now`. */
  now?: () => number;
}

/**
 * The typing indicator of the kit's protocol extension for `<ChatProvider typing>`: the value of
 * {@link typingIndicator}, so that a bundle without it carries none of this code.
 */
export interface ChatTyping {
  /** Start for one connection (called once per connection by `<ChatProvider>`). */
  attach(client: ChatConnection): TypingState;
}

/**
 * Who is typing, and the user's own typing, for one connection; also the connection the chat
 * store reads (the client without the typing frames it handled). It only ever sends to a server
 * whose `id` announced `typing` (never to MDN's sample server, which relays every JSON object to
 * everyone).
 */
export interface TypingState extends ChatConnection {
  /** The names of the others typing now, in the order they started (a new array on each change). */
  getState(): readonly string[];
  subscribe(listener: () => void): Unsubscribe;
  /**
   * The message field's text changed (`''` after a send): a start goes out at the first character
   * and again every `renewInterval` while the user types; a stop when the text becomes blank.
   */
  typed(text: string): void;
}

/**
 * A typing indicator for the chat: "bob is typing…" (`<TypingIndicator>` or `useTyping()`) and the
 * user's own typing, told to the others, over the kit's protocol extension. Against a server that
 * does not announce it (MDN's) it sends nothing and shows nothing.
 *
 * @example
 * ```tsx
 * <ChatProvider url={url} username="ada" typing={typingIndicator()}>
 *   <ChatBox />
 *   <TypingIndicator />
 *   <MessageInput />
 * </ChatProvider>
 * ```
 */
export function typingIndicator(options: TypingIndicatorOptions = {}): ChatTyping {
  return { attach: (client) => new Typing(client, options) };
}

type Listener = (value: unknown, raw: never) => void;

/** One connection's typing: what it sends, and who it shows, each until a stop, a message or the expiry. */
class Typing extends Subscribable<() => void> implements TypingState {
  readonly #client: ChatConnection;
  readonly #renew: number;
  readonly #expiry: number;
  readonly #now: () => number;
  /** The server announced `typing` in this connection's `id`. */
  #supported = false;
  /** When the last start was sent; -Infinity: the others think the user is not typing. */
  #startedAt = Number.NEGATIVE_INFINITY;
  /** Those typing, by id, with when they stop showing. */
  readonly #typists = new Map<number, { name: string; until: number }>();
  #names: readonly string[] = Object.freeze([]);
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(client: ChatConnection, options: TypingIndicatorOptions) {
    super();
    this.#client = client;
    this.#renew = options.renewInterval ?? TYPING_RENEW_MS;
    this.#expiry = options.expiry ?? TYPING_EXPIRY_MS;
    this.#now = options.now ?? Date.now;
  }

  // The connection the store reads: the client, but for `message`, which comes through here.
  readonly on = ((type: string, listener: Listener): Unsubscribe =>
    type === 'message' ? this.#listen(listener) : this.#client.on(type as 'close', listener as never)) as ChatConnection['on'];
  readonly sendJson: ChatConnection['sendJson'] = (packet) => this.#client.sendJson(packet);
  readonly discardQueued: NonNullable<ChatConnection['discardQueued']> = (filter) => this.#client.discardQueued?.(filter) ?? [];

  getState = (): readonly string[] => this.#names;

  typed(text: string): void {
    if (!this.#supported) return;
    if (text.trim() === '') {
      if (this.#startedAt !== Number.NEGATIVE_INFINITY) this.#send(false);
      this.#startedAt = Number.NEGATIVE_INFINITY;
      return;
    }
    const time = this.#now();
    if (time - this.#startedAt < this.#renew) return;
    this.#startedAt = time;
    this.#send(true);
  }

  /** The store listens: from then on this follows the frames and closes, and passes on all but typing frames. */
  #listen(listener: Listener): Unsubscribe {
    const stops = [
      this.#client.on('message', (value) => {
        if (!this.#receive(value)) listener(value, value as never);
      }),
      this.#client.on('close', () => this.#reset()),
    ];
    return () => {
      for (const stop of stops) stop();
      this.#reset();
    };
  }

  /** Handle a frame; returns whether it was a typing frame (not for the store). */
  #receive(value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const packet = value as Partial<Record<string, unknown>>;
    if (packet.type === 'id') {
      this.#reset();
      this.#supported = packet.typing === true;
      // The first frame says this connection listens (the server relays typing only to those that send it).
      if (this.#supported) this.#send(false);
    } else if (packet.type === 'message' && typeof packet.id === 'number') {
      // Its message ends its typing.
      if (this.#typists.delete(packet.id)) this.#changed();
    } else if (packet.type === 'typing' && this.#supported && isTypingPacket(packet)) {
      if (packet.typing) this.#typists.set(packet.id, { name: packet.name, until: this.#now() + this.#expiry });
      else this.#typists.delete(packet.id);
      this.#changed();
      return true;
    }
    // (A malformed typing frame, or one from a server that did not announce typing, goes to the store: counted as unknown.)
    return false;
  }

  #send(typing: boolean): void {
    const packet: ClientTypingPacket = { type: 'typing', typing };
    this.#client.sendJson(packet);
  }

  /** A connection ended (or a new one began): nobody shows as typing, nothing is sent until the next `id` says so. */
  #reset(): void {
    this.#supported = false;
    this.#startedAt = Number.NEGATIVE_INFINITY;
    this.#typists.clear();
    this.#changed();
  }

  /** Drop the expired, publish the names when they changed, and wake up at the next expiry. */
  #changed(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const time = this.#now();
    let next = Number.POSITIVE_INFINITY;
    for (const [id, typist] of this.#typists) {
      if (typist.until <= time) this.#typists.delete(id);
      else next = Math.min(next, typist.until);
    }
    if (next !== Number.POSITIVE_INFINITY) this.#timer = setTimeout(() => this.#changed(), next - time);
    const names = [...this.#typists.values()].map((typist) => typist.name);
    if (names.length === this.#names.length && names.every((name, i) => name === this.#names[i])) return;
    this.#names = Object.freeze(names);
    this.emit();
  }
}

function isTypingPacket(value: object): value is TypingPacket {
  const packet = value as Partial<Record<string, unknown>>;
  return typeof packet.id === 'number' && typeof packet.name === 'string' && typeof packet.typing === 'boolean';
}
