import { useEffect, type ReactNode } from 'react';
import type { ChatMessageEntry } from '../../src/chat/index.js';
import { useSendMessage } from '../../src/components/index.js';

/** useSendMessage's `send`. */
export type SendMessage = (text: string) => ChatMessageEntry | null;

/** What {@link sendMessageProbe} gives a test. */
export interface SendMessageProbe {
  /** Render inside the `ChatProvider`: it hands over useSendMessage's `send`. */
  Probe: () => ReactNode;
  /** The latest `send`; null until `Probe` has rendered. */
  current(): SendMessage | null;
}

/** A component that lets a test send as the page's user, the way a component of the page would. */
export function sendMessageProbe(): SendMessageProbe {
  let send: SendMessage | null = null;
  function Probe(): ReactNode {
    const value = useSendMessage();
    useEffect(() => {
      send = value;
    }, [value]);
    return null;
  }
  return { Probe, current: () => send };
}
