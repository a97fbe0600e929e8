import type { PeerLink } from './ChatRoomOptions.js';

/**
 * The code a connection is closed with when its user rejoined on a new connection with its session
 * (the old one is a half-open link its client already gave up on): private use, the kit's server.
 */
export const REJOINED_CLOSE_CODE = 4002;

/** The user a session belongs to: its name, and whose its messages are (`Editor.author`). */
export interface SessionUser {
  readonly name: string;
  readonly author: string;
}

/** A user who left: its name, when, and whose its messages are. */
export interface DepartedUser extends SessionUser {
  readonly at: number;
}

/**
 * The sessions of users who left moments ago (the protocol extension's rejoin): a connection's
 * `session` (sent in its `id`) is kept for `windowMs` after it closed, with the name it had, so that
 * the same user reconnecting can send it back and be told apart from a new one. Bounded: at most
 * `capacity` are kept, the oldest forgotten first.
 */
export class DepartedSessions {
  /** session -> the name it had and when it left; a Map iterates in insertion order, so the oldest come first. */
  readonly #left = new Map<string, DepartedUser>();
  readonly #windowMs: number;
  readonly #capacity: number;

  constructor(windowMs: number, capacity: number) {
    this.#windowMs = windowMs;
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#left.size;
  }

  /** Keep `session` of a user named `name` who left at `now` (`author`: whose its messages are, see `Editor.author`). */
  add(session: string, name: string, now: number, author = session): void {
    this.#prune(now);
    if (this.#windowMs === 0 || this.#capacity === 0) return;
    this.#left.set(session, { name, at: now, author });
    while (this.#left.size > this.#capacity) {
      const oldest = this.#left.keys().next();
      if (oldest.done) break;
      this.#left.delete(oldest.value);
    }
  }

  /** The name of the user who left with `session` within the window, or null; either way the session is used up. */
  take(session: string, now: number): string | null {
    return this.takeUser(session, now)?.name ?? null;
  }

  /** The user who left with `session` within the window (its name and its messages' author), or null; the session is used up. */
  takeUser(session: string, now: number): DepartedUser | null {
    this.#prune(now);
    const found = this.#left.get(session);
    this.#left.delete(session);
    return found ?? null;
  }

  #prune(now: number): void {
    for (const [session, { at }] of this.#left) {
      if (now - at < this.#windowMs) break;
      this.#left.delete(session);
    }
  }
}

/** What rejoining reads and changes of a room member. */
export interface Rejoiner {
  readonly session: string;
  readonly name: string | null;
  readonly link: PeerLink;
  /** Its user rejoined on a new connection, which used its session up. */
  replaced: boolean;
  /** Whose its messages are (`Editor.author`): a rejoining member takes its user's. */
  author: string;
}

/**
 * The name of the user whose `session` this is, when it is another member's (of `members`): one
 * still here (a half-open link its client gave up on, closed here first so that its name is free
 * again; or one whose close is still on its way) or one that left within the window (`departed`).
 * Else `held`: the user the shared presence (another process) knows the session of; the same user's
 * older connections here (its author's) are closed too. Null otherwise.
 * A session is used once: the new member's own takes over. It only ever matches the connection that
 * was given it, so it takes no one's name. The member becomes the author of its user's messages
 * (they stay its own to edit).
 */
export function rejoinedName(
  members: Iterable<Rejoiner>,
  member: Rejoiner,
  session: string,
  departed: DepartedSessions,
  now: number,
  held: SessionUser | null = null,
): string | null {
  const all = [...members];
  for (const other of all) {
    if (other === member || other.session !== session || other.replaced) continue;
    replace(other);
    member.author = other.author;
    return other.name;
  }
  const left = departed.takeUser(session, now) ?? held;
  if (!left) return null;
  member.author = left.author;
  // Older connections of the same user here (its messages' author is passed on from one to the
  // next), whose takeover on another process has not reached this one yet.
  if (left === held) for (const other of all) if (other !== member && other.author === left.author && !other.replaced) replace(other);
  return left.name;
}

/**
 * The members (of `members`) of connection `session`, whose user rejoined on another process (with
 * a shared presence): replaced (see {@link rejoinedName}). Never the new connection: its own session differs.
 */
export function replaceSession(members: Iterable<Rejoiner>, session: string): void {
  for (const other of members) if (other.session === session && !other.replaced) replace(other);
}

/** `other`'s user came back on a new connection: its session is used up, and its link, if still open, closed with 4002. */
function replace(other: Rejoiner): void {
  other.replaced = true;
  if (other.link.open) other.link.close(REJOINED_CLOSE_CODE, 'Rejoined on a new connection');
}
