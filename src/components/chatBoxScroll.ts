// Pure helpers of ChatBox's pinning (useChatBoxScroll): what changed in the log, and where its end
// is, computed from the virtual list's own model (no DOM reads, so no forced style or layout).
import type { ChatEntry, ChatHistoryState } from '../chat/index.js';

/** What changed between two versions of the log; work proportional to the change, not the log. */
export interface EntriesChange {
  /** Entries dropped from the start (the store keeps at most `maxEntries`). */
  readonly trimmed: number;
  /** Entries put before the start (an older page of `chatHistory()`). */
  readonly prepended: number;
  /** Entries appended at the end. */
  readonly added: number;
  /** How many of them are messages (the rest are notices). */
  readonly messages: number;
  /** Whether an appended entry is an own message (the user just wrote it). */
  readonly own: boolean;
  /** The log was emptied or replaced (a new connection's store). */
  readonly reset: boolean;
}

const RESET: EntriesChange = { trimmed: 0, prepended: 0, added: 0, messages: 0, own: false, reset: true };

export function diffEntries(previous: readonly ChatEntry[], next: readonly ChatEntry[]): EntriesChange {
  const first = next[0];
  if (first === undefined) return RESET;
  let trimmed = 0;
  let prepended = 0;
  const start = previous[0];
  if (start && start.key !== first.key) {
    // Keys are stable (an own message keeps its key when its status changes): find where the new
    // log starts in the old one. The search runs over the dropped entries only.
    trimmed = previous.findIndex((entry) => entry.key === first.key);
    if (trimmed < 0) {
      // Not a trim: older entries put before the old start (a rare, user-asked page, so the failed
      // search above, over the old log, is paid only then).
      trimmed = 0;
      prepended = next.findIndex((entry) => entry.key === start.key);
      if (prepended < 0) return RESET;
    }
  }
  const added = Math.max(0, next.length - (previous.length - trimmed + prepended));
  let messages = 0;
  let own = false;
  for (let i = next.length - added; i < next.length; i++) {
    const entry = next[i];
    if (entry?.kind === 'message') {
      messages++;
      own ||= entry.own;
    }
  }
  return { trimmed, prepended, added, messages, own, reset: false };
}

/**
 * What the end of the log is computed from: virtua's `VirtualizerHandle` has these three. `scrollSize` is
 * the rows' total height (at least the viewport's), `viewportSize` the log's content box height
 * (its ResizeObserver's `contentRect`, without padding), `scrollOffset` the `scrollTop` of the last
 * scroll event.
 */
export interface ScrollModel {
  readonly scrollOffset: number;
  readonly viewportSize: number;
  readonly scrollSize: number;
}

/**
 * The `scrollTop` of the very end of the log. The log's padding is in both its `scrollHeight` and
 * its `clientHeight`, so it cancels out: the DOM's end (`scrollHeight - clientHeight`) is the rows'
 * height minus the content box's, which is what virtua's model holds, without reading the DOM.
 */
export function endOffset(model: ScrollModel): number {
  return Math.max(0, model.scrollSize - model.viewportSize);
}

/** Whether `offset` (default: the model's) is within `threshold` pixels of the end. */
export function isAtEnd(model: ScrollModel, threshold: number, offset = model.scrollOffset): boolean {
  return offset >= endOffset(model) - threshold;
}

/**
 * Whether what the log gained between two publications of `chatHistory()`'s state came from a
 * catch-up (the recent history on joining, or what was missed after a reconnect), not live: the
 * history was or is catching up, or one completed in between (`caughtUp`: also a catch-up that
 * began and ended within one publication, even with the connection's end). Live packets that came
 * during a catch-up are shown right after it, in the same publication, and count with it. Always
 * false without history.
 */
export function isCatchUp(previous: ChatHistoryState | undefined, next: ChatHistoryState | undefined): boolean {
  return !!next && (next.catchingUp || !!previous?.catchingUp || next.caughtUp !== previous?.caughtUp);
}
