import { closeCodeMeaning } from './closeCodes.js';

/** How a connection ended, as the `close` event told it, with the code's meaning added. */
export interface CloseInfo {
  /** The close code (1006 when the connection was lost without a close frame). */
  readonly code: number;
  /** The reason the peer gave, possibly empty. */
  readonly reason: string;
  /** Whether the closing handshake completed. */
  readonly wasClean: boolean;
  /** What the code means, from {@link CLOSE_CODES} or the code's range. */
  readonly meaning: string;
}

/** Build a frozen {@link CloseInfo}. */
export function createCloseInfo(code: number, reason = '', wasClean = false): CloseInfo {
  return Object.freeze({ code, reason, wasClean, meaning: closeCodeMeaning(code) });
}
