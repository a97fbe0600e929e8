'use client';

import { useEffect, useId, useState, type ComponentPropsWithoutRef, type FormEvent } from 'react';
import { DEFAULT_MAX_NAME_LENGTH } from '../protocol/names.js';
import { cx } from './cx.js';
import { useChatUsers, useSetUsername } from './useChat.js';

/** Props of {@link UsernameInput}. The rest go to the root `<form>`. */
export interface UsernameInputProps extends Omit<ComponentPropsWithoutRef<'form'>, 'children' | 'onSubmit'> {
  /** Class of the root `<form class="rwc-username-input">`, added to the default one. */
  className?: string;
  /** The field's visible label. Default `'Your name'`. */
  label?: string;
  /** The submit button's text. Default `'Change name'`. */
  submitLabel?: string;
  /** The most characters. Default 64, the reference server's limit (`DEFAULT_MAX_NAME_LENGTH`). */
  maxLength?: number;
  /** Called with the name asked for, after the chat asked the server for it. */
  onRename?: (name: string) => void;
}

/**
 * A form to choose or change the user's name: a labelled field prefilled with the current name (the
 * server's, when it gave another: the field follows it) and a submit button. Submitting asks the
 * server for the trimmed name (`useSetUsername`); the button is disabled while the name is blank or
 * unchanged. Not on every keystroke: every rename is announced to everyone. What the server decides
 * shows in the log (a rename notice) and in the field. Opt-in: a separate component, bundled only
 * when imported. Its texts are props (the kit's `strings` do not carry them, to keep the base small).
 *
 * Parts: `rwc-username-input` (root `<form>`), `__label`, `__field`, `__submit`.
 *
 * @example
 * ```tsx
 * <ChatProvider url={url} username="guest">
 *   <div className="rwc-chat">
 *     <UsernameInput />
 *     <ChatBox />
 *     <MessageInput />
 *   </div>
 * </ChatProvider>
 * ```
 */
export function UsernameInput({
  className,
  label = 'Your name',
  submitLabel = 'Change name',
  maxLength = DEFAULT_MAX_NAME_LENGTH,
  onRename,
  ...rest
}: UsernameInputProps) {
  const { username } = useChatUsers();
  const setUsername = useSetUsername();
  const [draft, setDraft] = useState(username);
  const id = useId();
  // The server may give another name (taken, too long): show the one in use.
  useEffect(() => setDraft(username), [username]);
  const name = draft.trim();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (name === '' || name === username) return;
    setUsername(name);
    onRename?.(name);
  };
  return (
    <form {...rest} className={cx('rwc-username-input', className)} onSubmit={submit}>
      <label htmlFor={id} className="rwc-username-input__label">
        {label}
      </label>
      <input
        id={id}
        dir="auto"
        className="rwc-username-input__field"
        value={draft}
        onChange={(event) => setDraft(event.currentTarget.value)}
        maxLength={maxLength}
        autoComplete="nickname"
        spellCheck={false}
      />
      <button type="submit" className="rwc-username-input__submit" disabled={name === '' || name === username}>
        {submitLabel}
      </button>
    </form>
  );
}
