'use client';

import type { ComponentPropsWithoutRef } from 'react';
import type { ChatStrings } from '../chat/index.js';
import { useStoreSelector, type ReadableStore } from '../react/useStoreSelector.js';
import { useChatContext } from './ChatProvider.js';
import { cx, flag } from './cx.js';
import { splitAtName } from './splitAtName.js';

const NOBODY_TYPING: readonly string[] = [];
/** The store of nobody typing (without `<ChatProvider typing>`): the same state every time. */
const NOBODY: ReadableStore<readonly string[]> = { subscribe: () => () => {}, getState: () => NOBODY_TYPING };

/** The default of `strings.typing`: "bob is typing…", "bob and alice are typing…", "Several people are typing…". */
export function typingText(names: readonly string[]): string {
  const [first, second] = names;
  if (names.length > 2) return 'Several people are typing…';
  if (second !== undefined) return `${first} and ${second} are typing…`;
  return first === undefined ? '' : `${first} is typing…`;
}

/**
 * The names of the others typing now, in the order they started (empty without
 * `<ChatProvider typing>`, or against a server that does not announce typing). Headless: for your
 * own indicator.
 */
export function useTyping(): readonly string[] {
  return useStoreSelector(useChatContext('useTyping').typing ?? NOBODY, (names) => names);
}

/** Props of {@link TypingIndicator}. The rest go to its `<div>`. */
export interface TypingIndicatorProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children' | 'role'> {
  /** Class of the `<div class="rwc-typing">`, added to the default one. */
  className?: string;
}

/**
 * Who else is typing ("bob is typing…", `strings.typing`), with `<ChatProvider typing={typingIndicator()}>`.
 * A polite `role="status"` that is always there, empty when nobody types: put it below the log
 * (the stylesheet gives it one line's height whether empty or not), so that it never moves the log;
 * screen readers hear it when it changes. Names are direction-isolated (`<bdi>`). Has `data-typing`
 * while someone types.
 */
export function TypingIndicator({ className, ...rest }: TypingIndicatorProps) {
  const { strings } = useChatContext('TypingIndicator');
  const names = useTyping();
  const sentence: NonNullable<ChatStrings['typing']> = strings.typing ?? typingText;
  // One or two names, each in a <bdi>; none for "several".
  const parts = names.length > 2 ? [sentence(names)] : splitAtName((...shown) => sentence(shown.slice(0, names.length)), ...names);
  return (
    <div {...rest} role="status" className={cx('rwc-typing', className)} data-typing={flag(names.length > 0)}>
      {/* biome-ignore lint/suspicious/noArrayIndexKey: the parts of one sentence, always in the same order */}
      {parts.map((part, i) => (i % 2 ? <bdi key={i}>{part}</bdi> : part))}
    </div>
  );
}
