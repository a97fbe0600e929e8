// A `username` in a room whose broker claims names for every process (the Redis room): the name is
// claimed first (what the member sends meanwhile waits), then registered by the room.
import { cleanName, nameKey } from '../protocol/names.js';
import type { ChatRoomOptions, PeerLink, RoomUsername } from './ChatRoomOptions.js';
import { afterClaim, type Claimant, claimName, type NameClaim } from './claimName.js';
import type { SessionUser } from './sessions.js';

/** What the claim reads of a room member. */
export interface NamedMember extends Claimant {
  readonly id: number;
  readonly name: string | null;
  readonly session: string;
  /** Whose its messages are (`Editor.author`): the same for a user's connections, passed on as it rejoins. */
  readonly author: string;
  readonly link: Pick<PeerLink, 'open'>;
}

/**
 * The names (keys) of the members other than `member` whose connection is open, but those of
 * `rejoining`'s (an author: the user `member` rejoins as, whose older connections here it replaces).
 */
export function takenNames(members: Iterable<NamedMember>, member: NamedMember, rejoining?: string): Set<string> {
  const taken = new Set<string>();
  for (const other of members) {
    if (other !== member && other.name !== null && other.link.open && other.author !== rejoining) taken.add(nameKey(other.name));
  }
  return taken;
}

/**
 * Claim a name for `member`'s `packet` through the broker's `claim`, then `register` it with the
 * name given and the session's user found in the shared presence (if any). A claim that fails (Redis
 * unreachable: its connection is being closed) or finds every candidate taken registers nothing.
 * `members`: the room's, to see who else holds the session or a name here.
 */
export function claimThenRegister<M extends NamedMember>(
  claim: NameClaim,
  options: Pick<ChatRoomOptions, 'maxNameLength' | 'log' | 'broker'>,
  members: ReadonlyMap<number, M>,
  member: M,
  packet: RoomUsername,
  register: (given: string, held: SessionUser | null) => void,
): void {
  const { maxNameLength, log, broker } = options;
  const { session } = packet;
  // A user rejoining with its session takes its name over from the connection that had it (on any process, with a shared presence).
  const rejoining = session !== undefined && [...members.values()].some((o) => o !== member && o.session === session);
  let held: SessionUser | null = null;
  const base = cleanName(packet.name, maxNameLength) || member.name || `user${member.id}`;
  const claiming = async () => {
    if (session !== undefined && !rejoining && member.name === null) held = (await broker?.presence?.session(session)) ?? null;
    // Read once the session's user is known: its older connections here (their takeover may not have arrived yet) hold no name from it.
    const taken = takenNames(members.values(), member, held?.author);
    return claimName(claim, {
      base,
      maxNameLength,
      taken,
      owner: member.session,
      previousOwner: rejoining || held !== null ? session : undefined,
    });
  };
  void afterClaim(
    member,
    claiming,
    (given) => {
      if (given !== null && members.get(member.id) === member) register(given, held);
    },
    (error) => log({ type: 'error', id: member.id, error: error instanceof Error ? error : new Error(String(error)) }),
  );
}
