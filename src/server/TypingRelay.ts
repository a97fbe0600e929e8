import type { TypingPacket } from '../protocol/packets.js';

/**
 * The least time (ms) between two `typing: true` of one member that are relayed; one sooner is
 * dropped (counted in `typingIgnored`). The kit renews every 3 s while typing; the spacing bounds
 * what anyone else can make the server relay (one start a second, and one stop per start), and
 * typing frames cost no token of the chat's rate limit.
 */
export const TYPING_SPACING = 1000;

/** What the relay reads and keeps on a room member. */
export interface Typist {
  readonly id: number;
  readonly name: string | null;
  /** It sent a `typing` frame (protocol extension): it gets the others'. */
  typingListener: boolean;
  /** When its last `typing: true` was relayed; -Infinity while it is not typing. */
  typingAt: number;
}

/** The room's typing counters (`RoomCounts`), counted here. */
export interface TypingCounts {
  typingRelayed: number;
  typingIgnored: number;
}

/**
 * The room's `typing` frames (protocol extension), apart from its names and messages: who listens,
 * who is typing, and what is relayed to whom. Never to the sender, never in the history.
 */
export class TypingRelay<M extends Typist> {
  readonly #members: ReadonlyMap<number, M>;
  readonly #counts: TypingCounts;
  readonly #now: () => number;
  readonly #deliver: (member: M, text: string) => void;
  readonly #share: ((text: string) => void) | undefined;

  /**
   * `members`: the room's, in the order they came; `deliver`: how a frame reaches one; `share`: how
   * a relayed frame reaches the other processes of a shared room (they hand it to {@link remote}).
   */
  constructor(
    members: ReadonlyMap<number, M>,
    counts: TypingCounts,
    now: () => number,
    deliver: (member: M, text: string) => void,
    share?: (text: string) => void,
  ) {
    this.#members = members;
    this.#counts = counts;
    this.#now = now;
    this.#deliver = deliver;
    this.#share = share;
  }

  /** A frame another process of the room relayed: to every member here that listens. */
  remote(text: string): void {
    for (const member of this.#members.values()) if (member.typingListener) this.#deliver(member, text);
  }

  /** A `typing` frame from `member`: see `ChatRoom.typing`. */
  typing(member: M, typing: boolean): void {
    // (A first stop is how a client says it listens: not counted as ignored.)
    const listened = member.typingListener;
    member.typingListener = true;
    if (!typing) {
      if (!this.stop(member) && listened) this.#counts.typingIgnored++;
      return;
    }
    const time = this.#now();
    if (member.name === null || time - member.typingAt < TYPING_SPACING) {
      this.#counts.typingIgnored++;
      return;
    }
    member.typingAt = time;
    this.#relay(member, true);
  }

  /** A member that was typing stopped (or left): the others hear it. Returns whether it was typing. */
  stop(member: M): boolean {
    if (member.typingAt === Number.NEGATIVE_INFINITY) return false;
    member.typingAt = Number.NEGATIVE_INFINITY;
    this.#relay(member, false);
    return true;
  }

  /** A member's message says it stopped typing: the clients clear it themselves, so nothing is relayed. */
  sentMessage(member: M): void {
    member.typingAt = Number.NEGATIVE_INFINITY;
  }

  #relay(member: M, typing: boolean): void {
    const packet: TypingPacket = { type: 'typing', id: member.id, name: member.name as string, typing };
    const text = JSON.stringify(packet);
    this.#counts.typingRelayed++;
    for (const other of this.#members.values()) {
      if (other !== member && other.typingListener) this.#deliver(other, text);
    }
    this.#share?.(text);
  }
}
