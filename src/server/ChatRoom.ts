// The chat room of the reference server: who is in it, under which name, and what reaches whom.
// It reaches connections only through PeerLink, never through `ws`: the seam where a room backed by
// a broker (another process, another machine) can later take its place behind the same methods.
import { randomBytes } from 'node:crypto';

import { cleanName, cutCodePoints, nameKey, uniqueName } from '../protocol/names.js';
import type {
  DeletePacket,
  EditPacket,
  EditRefusal,
  EditRefusedPacket,
  IdPacket,
  MessagePacket,
  ServerPacket,
  UserListPacket,
  UsernamePacket,
} from '../protocol/packets.js';
import { authorship, brokerEdit } from './brokerEdit.js';
import { type Recipient, serveHistory } from './catchUp.js';
import { claimThenRegister, takenNames } from './claimThenRegister.js';
import { EditHistory } from './EditHistory.js';
import { EditRelay, type Editor, isEditText } from './EditRelay.js';
import type { RoomBroker } from './RoomBroker.js';
import { RecentKeys } from './RecentKeys.js';
import type { HistoryPosition } from './RoomHistory.js';
import { DepartedSessions, REJOINED_CLOSE_CODE, rejoinedName, replaceSession, type SessionUser } from './sessions.js';
import { TYPING_SPACING, type Typist, TypingRelay } from './TypingRelay.js';
import type {
  ChatRoomOptions,
  PeerLink,
  RoomCounts,
  RoomEdit,
  RoomEvent,
  RoomHistoryRequest,
  RoomMember,
  RoomMessage,
  RoomUsername,
} from './ChatRoomOptions.js';

// (Re-exported: importers of the room's types from here, tests among them, keep working.)
export type { ChatRoomOptions, PeerLink, RoomCounts, RoomEdit, RoomEvent, RoomHistoryRequest, RoomMember, RoomMessage, RoomUsername };

export { REJOINED_CLOSE_CODE };

/** The most departed sessions remembered for rejoining; the oldest are forgotten first. */
const REJOIN_CAPACITY = 10_000;

interface Member extends RoomMember, Recipient, Typist, Editor {
  name: string | null;
  /** Its user rejoined on a new connection, which used its session up. */
  replaced: boolean;
  /** It resumed from a `seq` this process had not reached yet (another node's): live packets up to it are not sent again. */
  floor: number;
  /** While its name is claimed through the broker: what it sent meanwhile, handled in order once it has the name. */
  waiting: (() => void)[] | null;
}

/**
 * The room: registers and renames members (names unique case-insensitively, sessions to rejoin),
 * relays their messages once per (name, nonce), and sends `username` and `userlist` to everyone.
 * Synchronous: each method sends what it must before it returns, in the order MDN's clients expect.
 */
export class ChatRoom {
  /** The members in the order they came: the order of `userlist`. */
  readonly #members = new Map<number, Member>();
  readonly #recent: RecentKeys;
  readonly #departed: DepartedSessions;
  readonly #options: ChatRoomOptions;
  readonly #counts = {
    messagesRelayed: 0,
    duplicateMessages: 0,
    blankMessages: 0,
    usernames: 0,
    rejoins: 0,
    typingRelayed: 0,
    typingIgnored: 0,
    editsRelayed: 0,
    deletesRelayed: 0,
    editsRefused: 0,
  };
  readonly #typing: TypingRelay<Member>;
  readonly #edits: EditRelay;
  readonly #editHistory: EditHistory;
  readonly #logError = (error: unknown): void => this.#options.log({ type: 'error', id: null, error: asError(error) });
  #nextId = 1;
  #closing = false;
  /** The last `seq` given; the sequence's epoch. */
  #seq: number;
  #epoch: string;

  /** `position`: where the history's sequence stands (`RoomHistory.position()`; none: a new one). */
  constructor(options: ChatRoomOptions, position: HistoryPosition = { epoch: randomBytes(9).toString('base64url'), seq: 0 }) {
    this.#options = options;
    this.#nextId = options.firstId ?? 1;
    this.#seq = position.seq;
    this.#epoch = position.epoch;
    this.#recent = new RecentKeys(options.dedupeWindow, options.dedupeCapacity);
    this.#departed = new DepartedSessions(options.rejoinWindow, REJOIN_CAPACITY);
    this.#typing = new TypingRelay(this.#members, this.#counts, options.now, deliver, options.broker?.typing?.bind(options.broker));
    this.#edits = new EditRelay(options.dedupeWindow, options.dedupeCapacity, this.#counts);
    this.#editHistory = new EditHistory(this.#edits, options.history, this.#logError);
  }

  /** A snapshot of the counters. */
  get counts(): RoomCounts {
    return { ...this.#counts };
  }

  /** Admit a connection, with a new id and session, nameless until it asks for a name or writes. */
  join(link: PeerLink): RoomMember {
    const session = randomBytes(16).toString('base64url');
    const member: Member = {
      id: this.#nextId++,
      session,
      author: session,
      editListener: false,
      link,
      name: null,
      replaced: false,
      typingListener: false,
      typingAt: Number.NEGATIVE_INFINITY,
      joinSeq: this.#seq,
      queue: null,
      floor: 0,
      waiting: null,
    };
    this.#members.set(member.id, member);
    return member;
  }

  /**
   * A member's connection closed: it leaves, its session is kept for rejoining (when it had a name
   * and was not replaced), and the others get the new `userlist` (not once the room is closing).
   */
  leave(member: RoomMember): void {
    const left = this.#members.get(member.id);
    if (!left) return;
    this.#members.delete(left.id);
    if (!this.#closing) this.#typing.stop(left);
    this.#options.broker?.releaseName?.(left.session);
    if (left.name !== null && !left.replaced) this.#departed.add(left.session, left.name, this.#options.now(), left.author);
    // A shared list is every process's: it changes even while this one closes.
    const presence = this.#options.broker?.presence;
    if (presence) presence.leave(left.session);
    else if (!this.#closing) this.#broadcast(this.userlist());
  }

  /** The server is shutting down: members leave from now on without a `userlist` to the others, who are leaving too. */
  close(): void {
    this.#closing = true;
  }

  /** The history fields of `member`'s `id` (protocol extension): none when the room keeps no history. */
  idFields(member: RoomMember): Pick<IdPacket, 'history' | 'seq' | 'epoch'> {
    const found = this.#members.get(member.id);
    if (!found || !this.#options.history) return {};
    return { history: this.#options.historyPageSize, seq: found.joinSeq, epoch: this.#epoch };
  }

  /**
   * A `history` request from a member: an older page (`before`), or a catch-up (join or resume),
   * one at a time per member (another while one runs is ignored). Resolves when it is sent; never rejects.
   */
  async history(member: RoomMember, request: RoomHistoryRequest): Promise<void> {
    const found = this.#members.get(member.id);
    if (found) await serveHistory(found, request, this.#options, this.#epoch, () => this.#members.get(found.id) === found);
  }

  /** The user of connection `session` rejoined on another process (only the broker calls it): that connection, if here, is closed with 4002. */
  rejoinedElsewhere(session: string): void {
    replaceSession(this.#members.values(), session);
  }

  /** A typing frame another process relayed (only the broker calls it): to the members here that listen. */
  typingFrom(text: string): void {
    this.#typing.remote(text);
  }

  /**
   * A `typing` frame from a member (protocol extension): from now on it gets the others' (MDN's
   * client never sends one, so it never gets one). A start is relayed to the other members that
   * listen, at most once per {@link TYPING_SPACING} ms and only once the member has a name; a stop
   * only after a start. Never to the sender, never in the history.
   */
  typing(member: RoomMember, typing: boolean): void {
    const found = this.#members.get(member.id);
    if (found) this.#typing.typing(found, typing);
  }

  /**
   * A `username` from a member: it gets the name it asked for, or the nearest free one (free in
   * every process, when the broker claims names).
   */
  rename(member: RoomMember, packet: RoomUsername): void {
    const found = this.#members.get(member.id);
    if (!found) return;
    if (found.waiting) {
      found.waiting.push(() => this.rename(member, packet));
      return;
    }
    if (packet.edits) found.editListener = true;
    const date = packet.date ?? this.#options.now();
    const broker = this.#options.broker;
    const claim = broker?.claimName?.bind(broker);
    if (claim) {
      const register = (given: string, held: SessionUser | null) => this.#register(found, packet.name, date, packet.session, given, held);
      claimThenRegister(claim, this.#options, this.#members, found, packet, register);
    } else this.#register(found, packet.name, date, packet.session);
  }

  /**
   * A `message` from a member: relayed to everyone with the member's name (given its default name
   * first if it has none), unless blank, or a resend of a (name, nonce) relayed within
   * `dedupeWindow`: that only goes back to its sender, which confirms it.
   */
  relay(member: RoomMember, packet: RoomMessage): void {
    const found = this.#members.get(member.id);
    if (!found) return;
    if (found.waiting) {
      found.waiting.push(() => this.relay(member, packet));
      return;
    }
    const { text, nonce } = packet;
    if (text.trim() === '') {
      this.#counts.blankMessages++;
      return;
    }
    const time = this.#options.now();
    if (found.name === null) this.#register(found, null, time);
    const name = found.name ?? `user${found.id}`;
    const date = packet.date ?? time;
    const message: MessagePacket = nonce
      ? { type: 'message', id: found.id, name, text, date, nonce }
      : { type: 'message', id: found.id, name, text, date };
    const { broker } = this.#options;
    if (broker) {
      // Its author's to change from now on (given back should the broker find it a resend); a broker
      // that keeps who wrote what for every process (`edit`) decides changes itself.
      const wrote = !broker.edit && !!nonce && this.#edits.wrote(found, name, nonce, time, message);
      this.#publish(broker, found, message, time, nonce ? `${nameKey(name)}\n${nonce}` : undefined, wrote);
      return;
    }
    if (nonce) {
      const key = `${nameKey(name)}\n${nonce}`;
      if (this.#recent.has(key, time)) {
        this.#counts.duplicateMessages++;
        this.#options.log({ type: 'duplicate', id: found.id, nonce });
        deliver(found, JSON.stringify(message));
        return;
      }
      this.#recent.add(key, time);
      this.#edits.wrote(found, name, nonce, time, message);
    }
    this.#counts.messagesRelayed++;
    this.#typing.sentMessage(found);
    const seq = this.#broadcast(message);
    if (nonce && seq !== null) this.#edits.numbered(message, seq);
  }

  /**
   * A packet of the broker's sequence (every process's, this one's included), in its order: sent to
   * every member here. Only the broker calls it.
   */
  deliver(seq: number, text: string): void {
    this.#seq = seq;
    this.#deliverAll(text, seq);
  }

  /**
   * An `edit` or `delete` of a member's own message (protocol extension; `refused`: by the
   * connection's checks): relayed to the room as its next packet, or refused to the member alone.
   * From now on the member gets the others' (see `EditRelay`; the broker's `edit`, when it keeps who wrote what for every process).
   */
  edit(member: RoomMember, request: RoomEdit, refused?: EditRefusal): void {
    const found = this.#members.get(member.id);
    if (!found) return;
    if (found.waiting) {
      found.waiting.push(() => this.edit(member, request, refused));
      return;
    }
    const shared = brokerEdit(this.#options, found, request, this.#counts, refused);
    if (shared) return void shared.then((refusal) => refusal && send(found, refusal));
    const outcome = this.#edits.change(found, request, this.#options.now(), refused);
    const { relay } = outcome;
    const { broker, now } = this.#options;
    if (!relay) send(found, outcome.refused);
    else if (broker) this.#editHistory.publish(broker, relay, now);
    else this.#editHistory.relay(relay, () => this.#broadcast(relay));
  }

  /**
   * The broker's sequence started again (its store lost what it kept): a new epoch, and the ids
   * from `firstId` on (the range this process holds now). Only while no member is served (the
   * server closed them): their positions belong to the old epoch.
   */
  resequence(position: HistoryPosition, firstId: number): void {
    this.#seq = position.seq;
    this.#epoch = position.epoch;
    this.#nextId = firstId;
  }

  /** A message through the broker: counted and confirmed by what it answers (a resend: echoed to its sender alone). */
  #publish(broker: RoomBroker, member: Member, message: MessagePacket, time: number, key: string | undefined, wrote: boolean): void {
    const numbering = broker.publish(JSON.stringify(message), time, key, authorship(member, message));
    if (!broker.edit) this.#editHistory.publishing(message, numbering);
    numbering.then(
      (seq) => {
        if (seq !== null) {
          this.#counts.messagesRelayed++;
          return;
        }
        this.#counts.duplicateMessages++;
        if (wrote) this.#edits.unwrote(message.name, message.nonce ?? '');
        this.#options.log({ type: 'duplicate', id: member.id, nonce: message.nonce ?? '' });
        if (this.#members.get(member.id) === member) deliver(member, JSON.stringify(message));
      },
      (error: unknown) => this.#options.log({ type: 'error', id: member.id, error: asError(error) }),
    );
  }

  /**
   * Send `packet` to every member, in the order they came (serialized once), as the next packet of
   * the room's sequence (its `seq`), kept in the history. With a broker, the broker numbers and
   * carries it (back here too); a broker without a shared presence gets no `userlist`: it stays
   * in this process (no `seq`), listing this process's members. Returns its `seq` (null: the broker gives it).
   */
  #broadcast(packet: UsernamePacket | MessagePacket | UserListPacket | EditPacket | DeletePacket): number | null {
    const { broker } = this.#options;
    if (broker) {
      const text = JSON.stringify(packet);
      if (packet.type === 'userlist') for (const member of this.#members.values()) deliver(member, text);
      else broker.publish(text, this.#options.now()).catch(this.#logError);
      return null;
    }
    const seq = ++this.#seq;
    const text = JSON.stringify({ ...packet, seq });
    const { history, now, log } = this.#options;
    if (history) {
      try {
        Promise.resolve(history.append({ seq, at: now(), text })).catch((error: unknown) =>
          log({ type: 'error', id: null, error: asError(error) }),
        );
      } catch (error) {
        log({ type: 'error', id: null, error: asError(error) });
      }
    }
    this.#deliverAll(text, seq);
    return seq;
  }

  /** A room packet to every member, in the order they came: edits only to those that understand them. */
  #deliverAll(text: string, seq: number): void {
    const edit = isEditText(text);
    for (const member of this.#members.values()) if (!edit || member.editListener) deliver(member, text, seq);
  }

  /** The names of the members whose connection is open, in the order they came (null: none yet). */
  userlist(): UserListPacket {
    return { type: 'userlist', users: [...this.#members.values()].filter((member) => member.link.open).map((member) => member.name) };
  }

  /**
   * Give `member` a name: the one it asked for (`requested`), or a default when null or empty. With
   * the `session` of a user who was here moments ago and that user's name, it is the same user rejoining.
   */
  #register(member: Member, requested: string | null, date: number, session?: string, given?: string, held?: SessionUser | null): void {
    const { maxNameLength, log } = this.#options;
    const previous =
      session !== undefined && member.name === null
        ? rejoinedName(this.#members.values(), member, session, this.#departed, this.#options.now(), held)
        : null;
    const cleaned = requested === null ? '' : cleanName(requested, maxNameLength);
    const base = cleaned || member.name || `user${member.id}`;
    const taken = takenNames(this.#members.values(), member);
    const name = given ?? uniqueName(base, maxNameLength, (key) => taken.has(key));
    const before = member.name;
    member.name = name;
    this.#counts.usernames++;
    log({ type: 'username', id: member.id, name, requested: requested === null ? null : cutCodePoints(requested, 200) });
    if (requested !== null && name !== requested) send(member, { type: 'rejectusername', id: member.id, name });
    const rejoin = previous === name;
    if (rejoin) this.#counts.rejoins++;
    // Extension fields only when they say something: `rejoin`, or the name it had (`previous`, a rename).
    const packet: UsernamePacket = { type: 'username', id: member.id, name, date };
    this.#broadcast(rejoin ? { ...packet, rejoin } : before !== null && before !== name ? { ...packet, previous: before } : packet);
    const presence = this.#options.broker?.presence;
    if (presence) presence.join(member.session, name, member.author, previous !== null ? session : undefined);
    else this.#broadcast(this.userlist());
  }
}

function send(member: Member, packet: ServerPacket | EditRefusedPacket): void {
  deliver(member, JSON.stringify(packet));
}

/** Send a frame to `member`, or hold it while its catch-up is sent (`seq`: a room packet's). */
function deliver(member: Member, text: string, seq?: number): void {
  if (seq !== undefined && seq <= member.floor) return;
  if (member.queue) member.queue.push(member.link, text, seq);
  else member.link.send(text);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
