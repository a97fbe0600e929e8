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
  readonly link: Pick<PeerLink, 'open'>;
}

/** The names (keys) of the members other than `member` whose connection is open. */
export function takenNames(members: Iterable<NamedMember>, member: NamedMember): Set<string> {
  const taken = new Set<string>();
  for (const other of members) {
    if (other !== member && other.name !== null && other.link.open) taken.add(nameKey(other.name));
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
  const request = {
    base: cleanName(packet.name, maxNameLength) || member.name || `user${member.id}`,
    maxNameLength,
    taken: takenNames(members.values(), member),
    owner: member.session,
  };
  const claiming = async () => {
    if (session !== undefined && !rejoining && member.name === null) held = (await broker?.presence?.session(session)) ?? null;
    return claimName(claim, { ...request, previousOwner: rejoining || held !== null ? session : undefined });
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
