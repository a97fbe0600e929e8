// Who is in the room over Redis, on every node, with leases: the names (unique across nodes), the
// user list (every node's users, published in the room's sequence), the sessions (a user rejoins on
// any node), and the node's own lease, which its heartbeat renews: a node that dies stops renewing,
// and the next heartbeat of another node removes its users from the list and frees their names.
import { CLAIM_NAME_SCRIPT, RELEASE_NAME_SCRIPT, type roomKeys } from './redisScripts.js';
import { ABSENT_SCRIPT, HEARTBEAT_SCRIPT, PRESENT_SCRIPT, SYNC_SCRIPT } from './presenceScripts.js';
import { type RedisClient, runScript } from './runScript.js';
import type { SessionUser } from '../sessions.js';

/** What the presence needs of its backend. */
export interface PresenceContext {
  readonly client: RedisClient;
  readonly keys: ReturnType<typeof roomKeys>;
  /** The lease (ms) of a node, its names and its connections' sessions; renewed every third of it. */
  readonly lease: number;
  /** How long (ms) a session may rejoin after its connection closed. */
  readonly rejoinWindow: number;
  /** The Stream's MAXLEN. */
  readonly maxlen: number;
  readonly now: () => number;
  /** The sequence's epoch, this node's number, and whether Redis is out of reach. */
  readonly state: () => { readonly epoch: string; readonly node: number; readonly lost: boolean };
  /** This node's lease ran out before it renewed it (a long pause): its users may have been removed. */
  readonly expired: (error: Error) => void;
  readonly error: (error: Error) => void;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** One node's part of the room's presence in Redis. */
export class RedisPresence {
  readonly #context: PresenceContext;
  /** The name key each owner (a connection's session) of this node holds. */
  readonly #names = new Map<string, string>();
  /** Names whose owner left while Redis was out of reach (name key -> owner): freed when it is back. */
  readonly #unreleased = new Map<string, string>();
  /** The owners of this node in the room's user list. */
  readonly #present = new Set<string>();
  #beating: ReturnType<typeof setInterval> | null = null;

  constructor(context: PresenceContext) {
    this.#context = context;
  }

  /** Take this node's lease (before it serves anyone) and renew it every third of it from now on. */
  async start(): Promise<void> {
    await this.#heartbeat();
    this.#beating ??= setInterval(() => {
      if (!this.#context.state().lost) void this.#beat();
    }, this.#context.lease / 3);
    this.#beating.unref();
  }

  /** Stop renewing; remove this node's users from the list and give up its lease (a clean shutdown). */
  async stop(): Promise<void> {
    if (this.#beating) clearInterval(this.#beating);
    this.#beating = null;
    if (this.#context.state().lost) return;
    const { client, keys } = this.#context;
    await this.#run(SYNC_SCRIPT, [String(this.#context.state().node)]);
    await client.sendCommand(['DEL', `${keys.prefix}node:${this.#context.state().node}`]);
  }

  /** Redis lost the room (a new sequence): none of this node's names or users are there any more. */
  forget(): void {
    this.#names.clear();
    this.#unreleased.clear();
    this.#present.clear();
  }

  /** Redis is back with the room: free what was left meanwhile, and list only the users still here. */
  async resync(): Promise<void> {
    const left = [...this.#unreleased];
    this.#unreleased.clear();
    await Promise.all(left.map(([key, owner]) => this.#release(owner, key)));
    await this.#run(SYNC_SCRIPT, [String(this.#context.state().node), ...this.#present]);
  }

  /** See RoomBroker.claimName. */
  async claimName(owner: string, keys: readonly string[], previousOwner?: string): Promise<number> {
    const { client, lease } = this.#context;
    if (this.#context.state().lost) throw new Error('Redis unavailable: no name claimed');
    const prefixed = keys.map((key) => this.#context.keys.name + key);
    const reply = Number(await runScript(client, CLAIM_NAME_SCRIPT, prefixed, [owner, String(lease), previousOwner ?? '']));
    if (reply === 0) return -1;
    const claimed = prefixed[reply - 1] as string;
    const before = this.#names.get(owner);
    if (before !== undefined && before !== claimed) void this.#release(owner, before);
    if (previousOwner !== undefined) this.#names.delete(previousOwner);
    this.#names.set(owner, claimed);
    return reply - 1;
  }

  /** See RoomBroker.releaseName. */
  releaseName(owner: string): void {
    const key = this.#names.get(owner);
    if (key === undefined) return;
    this.#names.delete(owner);
    void this.#release(owner, key);
  }

  /** The user `session` belongs to, while it may rejoin (its connection open, or closed within the window); null otherwise. */
  async session(session: string): Promise<SessionUser | null> {
    if (this.#context.state().lost) return null;
    const reply = await this.#context.client.sendCommand(['GET', `${this.#context.keys.prefix}session:${session}`]);
    return typeof reply === 'string' ? sessionUser(reply, session) : null;
  }

  /** `owner` is in the room as `name`, the author `author` (in place of the user of session `replaces`): the list is published. */
  join(owner: string, name: string, author: string, replaces?: string): void {
    this.#present.add(owner);
    if (replaces !== undefined) this.#present.delete(replaces);
    const { node } = this.#context.state();
    const user = JSON.stringify([name, author]);
    const args = [owner, String(node), this.#names.get(owner) ?? '', name, replaces ?? '', String(this.#sessionLease()), user];
    this.#change(PRESENT_SCRIPT, args);
  }

  /**
   * `owner`'s user rejoined on a new connection (PRESENT_SCRIPT took its entry, name and session
   * over): this node no longer renews them, and its leave changes nothing more.
   */
  replaced(owner: string): void {
    this.#present.delete(owner);
    this.#names.delete(owner);
  }

  /** `owner` left: out of the list (published), its session kept for the rejoin window. */
  leave(owner: string): void {
    if (!this.#present.delete(owner)) return;
    this.#change(ABSENT_SCRIPT, [owner, String(this.#context.rejoinWindow)]);
  }

  /** A session stays while its connection is open and for the rejoin window after: a lease longer by that. */
  #sessionLease(): number {
    return this.#context.lease + this.#context.rejoinWindow;
  }

  /** Renew this node's leases and remove dead nodes' users; a lease that ran out is reported. */
  async #beat(): Promise<void> {
    try {
      const renewed = await this.#heartbeat();
      if (renewed === null) this.#context.expired(new Error("The room's sequence changed under this node (Redis lost its data)"));
      else if (!renewed) this.#context.expired(new Error("This node's lease in Redis ran out before it renewed it"));
    } catch (error) {
      this.#context.error(asError(error));
    }
  }

  /** One heartbeat: whether this node's lease was still there (null: the sequence is not this node's, nothing renewed). */
  async #heartbeat(): Promise<boolean | null> {
    const { node } = this.#context.state();
    const pairs: string[] = [];
    for (const owner of new Set([...this.#names.keys(), ...this.#present])) pairs.push(this.#names.get(owner) ?? '', owner);
    const reply = (await this.#run(HEARTBEAT_SCRIPT, [
      String(node),
      String(this.#context.lease),
      String(this.#sessionLease()),
      ...pairs,
    ])) as [number, number] | number;
    if (Number(reply) === -1) return null;
    return Array.isArray(reply) && Number(reply[0]) === 1;
  }

  /** Change the list (and publish it); a sequence that is not this node's any more is an outage, as for a publish. */
  #change(script: string, args: readonly string[]): void {
    this.#run(script, args).then(
      (reply) => {
        if (Number(reply) === -1) this.#context.expired(new Error("The room's sequence changed under this node (Redis lost its data)"));
      },
      (error: unknown) => this.#context.error(asError(error)),
    );
  }

  /** Run a presence script (its four common keys and arguments, then `args`). */
  #run(script: string, args: readonly string[]): Promise<unknown> {
    const { client, keys, maxlen, now } = this.#context;
    const { epoch } = this.#context.state();
    return runScript(
      client,
      script,
      [keys.epoch, keys.seq, keys.log, keys.users, keys.present, keys.joins],
      [epoch, String(now()), String(maxlen), keys.prefix, ...args],
    );
  }

  /** Free `key` if `owner` still holds it; if Redis cannot be reached, once it is back. */
  async #release(owner: string, key: string): Promise<void> {
    try {
      await runScript(this.#context.client, RELEASE_NAME_SCRIPT, [key], [owner]);
    } catch {
      this.#unreleased.set(key, owner);
    }
  }
}

/**
 * A session's value in Redis: `[name, author]` (see PRESENT_SCRIPT). A bare name was written by a node
 * of an earlier version (a rolling upgrade): its author is the session itself, a first connection's.
 */
function sessionUser(value: string, session: string): SessionUser {
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed) && typeof parsed[0] === 'string' && typeof parsed[1] === 'string')
      return { name: parsed[0], author: parsed[1] };
  } catch {
    // A bare name.
  }
  return { name: value, author: session };
}
