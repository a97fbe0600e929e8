// How the room's edits and deletes reach its history: what a change replaced is amended
// (`RoomHistory.amend`) before the change itself is kept, so that no catch-up or older page that
// starts once a client has the change serves the replaced text.
import type { DeletePacket, EditPacket, MessagePacket } from '../protocol/packets.js';
import type { Amendment, EditRelay } from './EditRelay.js';
import type { RoomBroker } from './RoomBroker.js';
import type { RoomHistory } from './RoomHistory.js';

/** The room's changes on their way to its history (none kept: amendments have nothing to do). */
export class EditHistory {
  readonly #edits: EditRelay;
  readonly #history: RoomHistory | null;
  readonly #onError: (error: unknown) => void;
  /** With a broker: the last message published (settled once it is numbered), and the changes' queue. */
  #published: Promise<unknown> = Promise.resolve();
  #queue: Promise<unknown> = Promise.resolve();

  /** `onError`: a failed amendment or publish (logged). */
  constructor(edits: EditRelay, history: RoomHistory | null, onError: (error: unknown) => void) {
    this.#edits = edits;
    this.#history = history;
    this.#onError = onError;
  }

  /**
   * A message on its way through the broker: `numbering` resolves with its `seq` (null: a resend).
   * Changed before it was numbered (only a client that sends a change before its echo does), it is
   * amended then.
   */
  publishing(message: MessagePacket, numbering: Promise<number | null>): void {
    this.#published = numbering.then(
      (seq) => (seq === null ? undefined : this.#amend(this.#edits.numbered(message, seq)).catch(this.#onError)),
      () => undefined,
    );
  }

  /** A change in this process alone: amended, then kept and sent by `broadcast`, which answers its `seq`. */
  relay(change: EditPacket | DeletePacket, broadcast: () => number | null): void {
    this.#amend(this.#edits.amendments(change)).catch(this.#onError);
    const seq = broadcast();
    if (seq !== null) this.#edits.numbered(change, seq);
  }

  /**
   * A change through the broker, after the changes before it: once the messages published before it
   * are numbered, the history is amended, and only once it is (on every node: the history is
   * shared) is the change published. Not published when the amendment failed (Redis out of reach:
   * the node closes its connections; the client sends the change again).
   */
  publish(broker: RoomBroker, change: EditPacket | DeletePacket, now: () => number): void {
    const published = this.#published;
    this.#queue = this.#queue
      .then(async () => {
        await published;
        await this.#amend(this.#edits.amendments(change));
        const seq = await broker.publish(JSON.stringify(change), now());
        if (seq !== null) await this.#amend(this.#edits.numbered(change, seq));
      })
      .catch(this.#onError);
  }

  /** Amend the history, all at once; rejects when one fails. */
  async #amend(amendments: readonly Amendment[]): Promise<void> {
    const history = this.#history;
    if (history) await Promise.all(amendments.map(async ({ seq, text }) => history.amend(seq, text)));
  }
}
