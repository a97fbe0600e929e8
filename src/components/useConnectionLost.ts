'use client';

import { useChatStatus } from './useChat.js';

/**
 * Whether the chat lost its connection (or an attempt failed) and is not connected again yet:
 * what the user list shows may be out of date, and what is written waits. False while the first
 * attempt is under way, and while open. Re-renders on status changes only, never on messages.
 */
export function useConnectionLost(): boolean {
  const { readyState, closeInfo, error } = useChatStatus();
  return readyState !== 1 /* ReadyState.OPEN */ && !!(closeInfo || error);
}
