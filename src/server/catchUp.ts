// Sending history to one member: a catch-up (what it missed, then live, with nothing lost or doubled
// at the seam) and older pages. The room's live packets for a member in a catch-up wait in its
// CatchUpQueue and follow the catch-up's last frame, those the catch-up already held left out.
import type { HistoryPacket } from '../protocol/packets.js';
import type { ChatRoomOptions, PeerLink, RoomHistoryRequest } from './ChatRoomOptions.js';
import type { HistoryEntry, RoomHistory } from './RoomHistory.js';

/** The close code of a member whose live packets outgrew its queue while its catch-up was sent: retry later. */
export const CATCH_UP_OVERFLOW_CODE = 1013;

/** A member, as history is sent to it. */
export interface Recipient {
  readonly link: PeerLink;
  /** The room's last `seq` when it joined: every later packet it got live, or finds in its queue. */
  readonly joinSeq: number;
  /** Its live packets while a catch-up is sent; null otherwise. */
  queue: CatchUpQueue | null;
}

/** What sending history needs of the room. */
export interface HistoryContext {
  readonly history: RoomHistory;
  /** The most packets per frame. */
  readonly pageSize: number;
  readonly now: () => number;
  /** A backend's failure (logged; the member is told that packets may be missing). */
  readonly onError: (error: Error) => void;
}

/** The packets a catch-up sends: those after `from` up to `end`, and whether the member asked from a position it had. */
export interface CatchUpRange {
  readonly from: number;
  readonly end: number;
  /** It said where it stopped (a gap there is news to it); false: a first join's recent history. */
  readonly resume: boolean;
  /** Its position is from another epoch: whatever came before the first packet sent may be missing. */
  readonly stale: boolean;
}

/** Frames held for one member during its catch-up, bounded in bytes. */
export class CatchUpQueue {
  readonly #frames: { readonly text: string; readonly seq: number | undefined }[] = [];
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Hold a frame; past `maxBytes` the member is too far behind: closed (its client resumes later). */
  push(link: PeerLink, text: string, seq: number | undefined): void {
    this.#frames.push({ text, seq });
    this.#bytes += text.length;
    if (this.#bytes > this.#maxBytes && link.open) link.close(CATCH_UP_OVERFLOW_CODE, 'Too far behind, try again later');
  }

  /** Send what was held, in order, but room packets up to `sentSeq` (the catch-up had them). */
  flush(link: PeerLink, sentSeq: number): void {
    for (const { text, seq } of this.#frames) if (seq === undefined || seq > sentSeq) link.send(text);
    this.#frames.length = 0;
  }
}

/**
 * Send `member` the packets in (`from`, `end`] that the history holds, `pageSize` per frame, each
 * after the one before left (so a long catch-up never piles up in the socket), the last frame
 * `done`; then what was queued meanwhile. `gap` on the first frame when some it asked for are gone.
 * Stops early when `stillHere` turns false.
 */
export async function catchUp(member: Recipient, context: HistoryContext, range: CatchUpRange, stillHere: () => boolean): Promise<void> {
  const { history, pageSize, now } = context;
  const { end, resume, stale } = range;
  let from = range.from;
  let first = true;
  try {
    for (;;) {
      const page = await history.after(from, Math.min(pageSize, end - from), now());
      if (!stillHere()) return;
      const entries = page.entries.filter((entry) => entry.seq > from && entry.seq <= end);
      const last = entries.at(-1)?.seq ?? end;
      const done = entries.length === 0 || last >= end;
      let gap: number | undefined;
      if (first) {
        const oldest = Math.min(page.first ?? end + 1, end + 1);
        if (stale || (resume && oldest > from + 1)) gap = oldest;
      }
      await sendFrame(member.link, frame(entries, { gap, done: done || undefined }));
      first = false;
      from = last;
      if (done || !stillHere()) return;
    }
  } catch (error) {
    context.onError(error instanceof Error ? error : new Error(String(error)));
    // Whatever was not sent may be missing: say so, and end the catch-up.
    if (stillHere()) member.link.send(frame([], { gap: from + 1, done: true }));
  } finally {
    const queue = member.queue;
    member.queue = null;
    queue?.flush(member.link, from);
  }
}

/** Send `member` the latest `limit` (at most `pageSize`) packets before `before`, as one frame. */
export async function olderPage(member: Recipient, context: HistoryContext, before: number, limit: number): Promise<void> {
  let page;
  try {
    page = await context.history.before(before, Math.min(limit, context.pageSize), context.now());
  } catch (error) {
    context.onError(error instanceof Error ? error : new Error(String(error)));
    page = { entries: [], first: null };
  }
  const entries = page.entries.filter((entry) => entry.seq < before);
  const oldest = entries[0]?.seq;
  const more = oldest !== undefined && page.first !== null && oldest > page.first;
  const text = frame(entries, { before, more });
  if (member.queue) member.queue.push(member.link, text, undefined);
  else member.link.send(text);
}

/** A `history` frame: the kept texts spliced in as they are (never parsed again). */
function frame(entries: readonly HistoryEntry[], fields: Omit<HistoryPacket, 'type' | 'packets'>): string {
  const rest = JSON.stringify(fields).slice(1);
  return `{"type":"history","packets":[${entries.map((entry) => entry.text).join(',')}]${rest === '}' ? '}' : `,${rest}`}`;
}

function sendFrame(link: PeerLink, text: string): Promise<void> {
  return new Promise((resolve) => link.send(text, resolve));
}

/** A member as a `history` request serves it: a recipient that may be given a floor (see `serveHistory`). */
export interface HistoryRequester extends Recipient {
  readonly id: number;
  /** Live packets up to this `seq` are not sent to it again (it resumed from a position this process had not reached). */
  floor: number;
}

/**
 * A `history` request from `member` (see `ChatRoom.history`): an older page (`before`), or a
 * catch-up (join or resume), one at a time (another while one runs is ignored). `epoch` is the
 * room's; `stillHere` says whether the member is still in the room. Never rejects.
 */
export async function serveHistory(
  member: HistoryRequester,
  request: RoomHistoryRequest,
  options: ChatRoomOptions,
  epoch: string,
  stillHere: () => boolean,
): Promise<void> {
  const { history, historyPageSize: pageSize, historyOnJoin, maxBufferedAmount, now, log } = options;
  if (!history) return;
  const context = { history, pageSize, now, onError: (error: Error) => log({ type: 'error', id: member.id, error }) };
  if (request.before !== undefined) {
    await olderPage(member, context, request.before, request.limit ?? pageSize);
    return;
  }
  if (member.queue) return;
  const { after } = request;
  const end = member.joinSeq;
  // A position from another epoch (a restarted room) tells nothing: all of this one is missed.
  const stale = after !== undefined && request.epoch !== epoch;
  const from = after === undefined ? Math.max(0, end - historyOnJoin) : stale ? 0 : Math.min(after, end);
  // Resumed on a node behind the one it left (a shared room): what it had comes here live later.
  if (after !== undefined && !stale && after > end) member.floor = after;
  member.queue = new CatchUpQueue(maxBufferedAmount);
  await catchUp(member, context, { from, end, resume: after !== undefined, stale }, stillHere);
}
