import type { UsernamePacket } from '../protocol/packets.js';
import type { ChatLeaveEntry, ChatNameChangeEntry, ChatSignInEntry } from './ChatState.js';

/**
 * How long (ms) a name gone from `userlist` may take to come back before it is logged as gone: a
 * reconnect (a dropped link, `reconnect()`) comes back well within it and shows nothing.
 */
export const LEAVE_DELAY_MS = 5000;

/** A notice {@link createPresence} logs (the store adds the key). */
export type PresenceNotice = Omit<ChatSignInEntry, 'key'> | Omit<ChatNameChangeEntry, 'key'> | Omit<ChatLeaveEntry, 'key'>;

/** Who is in the room as the log tells it: see {@link createPresence}. */
export interface Presence {
  /** A `username` packet; `own`: the user's own (its id is the connection's). */
  username(packet: UsernamePacket, own: boolean): void;
  /** A `rejectusername` packet gave the user `name`: its notice tells the rename, so none is logged for it. */
  rejected(name: string): void;
  /** A `userlist` packet. */
  userlist(users: readonly (string | null)[]): void;
  /** The store's connection ended: the next `userlist` only says who is there. */
  disconnected(): void;
  /** Log no more leaves (their timers run out doing nothing). */
  clear(): void;
}

/**
 * Turns `username` and `userlist` packets into sign-in, name-change and leave notices, by name
 * (names may repeat: they are counted, not set). MDN's protocol announces no leave and no rename:
 * - a name that leaves `userlist` is logged as gone ("NAME left") after {@link LEAVE_DELAY_MS},
 *   unless it comes back first (a reconnect: nothing is logged);
 * - a `username` is a rename when the user had another name: the server says which (protocol
 *   extension `previous`), or its id had it, or, on MDN's sample server (which sends `userlist`
 *   before `username`), the list just before it removed exactly one name and added this one (a user
 *   who was there before the store connected, whose id it never saw);
 * - a `username` for a name already present (a rejoin, a repeated request) logs nothing;
 * - the user's own first `username` is its sign-in; a later one under the same name (its own
 *   reconnect) logs nothing, one under another name is its rename (logged unless `rejectusername`
 *   gave that name: its notice already says so);
 * - the first `userlist` after the store (re)connects logs nothing: those present were already
 *   there, and those missing from it left while the store was away (unless they come back within
 *   the delay, they are dropped without a notice).
 *
 * @param log Called with each notice, when it happens.
 * @param now The clock, for the time of a leave.
 */
export function createPresence(log: (notice: PresenceNotice) => void, now: () => number): Presence {
  /** The names present as the log tells it. */
  let present: string[] = [];
  /** Names the last `userlist` added that no `username` has explained yet (MDN's order). */
  let fresh: string[] = [];
  /** Names the last `userlist` removed. */
  let removed: string[] = [];
  /** Names gone from the list, not logged yet (each with its timer, which logs it unless it was taken out). */
  const leaving: string[] = [];
  /** Each id's name, on the current connection (a restarted server gives the ids out again). */
  const ids = new Map<number, string>();
  let baseline = true;
  /** The user's own name, as the server last confirmed it (kept across reconnects), and the one `rejectusername` gave. */
  let self: string | undefined;
  let given: string | undefined;

  return {
    username({ id, name, date, previous }, own) {
      const listed = take(fresh, name);
      previous ??= (own ? self : ids.get(id)) ?? (listed && removed.length === 1 ? removed[0] : undefined);
      ids.set(id, name);
      const quiet = own && name === given;
      if (own) {
        self = name;
        given = undefined;
      }
      const renamed = previous !== undefined && previous !== name;
      const back = take(leaving, renamed ? (previous as string) : name);
      // Present before this packet (a name the list just added is new, even if it was there twice).
      const here = !listed && present.includes(name);
      if (!listed) {
        // The list comes next (the reference server's order): bring the names up to date for it.
        if (renamed) take(present, previous as string);
        if (!here) present.push(name);
      }
      if (renamed ? !quiet : own ? previous === undefined : !back && !here) {
        log(
          renamed
            ? { kind: 'namechange', date, senderId: id, previous: previous as string, name }
            : { kind: 'signin', date, senderId: id, name },
        );
      }
    },
    userlist(users) {
      const names = users.filter((user) => user !== null);
      const date = now();
      const quietly = baseline;
      removed = minus(present, names);
      fresh = baseline ? [] : minus(names, present);
      for (const name of removed) {
        leaving.push(name);
        setTimeout(() => {
          if (take(leaving, name) && !quietly) log({ kind: 'leave', date, name });
        }, LEAVE_DELAY_MS);
      }
      present = names;
      baseline = false;
    },
    rejected(name) {
      given = name;
    },
    disconnected() {
      ids.clear();
      baseline = true;
    },
    clear() {
      // The timers find nothing left to log.
      leaving.length = 0;
    },
  };
}

/** Take one `name` out of `names`: whether it was there. */
function take(names: string[], name: string): boolean {
  const index = names.indexOf(name);
  if (index >= 0) names.splice(index, 1);
  return index >= 0;
}

/** `a` without one of each name of `b` (counted: linear, for a user list of thousands). */
function minus(a: readonly string[], b: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const name of b) counts.set(name, (counts.get(name) ?? 0) + 1);
  return a.filter((name) => {
    const count = counts.get(name);
    if (count) counts.set(name, count - 1);
    return !count;
  });
}
