'use client';

import {
  useId,
  useRef,
  useState,
  useSyncExternalStore,
  type ComponentPropsWithoutRef,
  type ChangeEvent,
  type FormEvent,
  type FormEventHandler,
  type KeyboardEvent,
  type KeyboardEventHandler,
} from 'react';
import type { ChatMessageEntry } from '../chat/index.js';
import { composeEventHandlers } from '../react/composeEventHandlers.js';
import { useControllableState } from '../react/useControllableState.js';
import { cx, flag } from './cx.js';
import { useChatContext } from './ChatProvider.js';
import { useChatStrings, useSendMessage } from './useChat.js';
import { useConnectionLost } from './useConnectionLost.js';

/** The default of {@link MessageInputProps.maxLength}. */
export const DEFAULT_MESSAGE_MAX_LENGTH = 2000;

/** Props of {@link MessageInput}. The rest go to the root `<form>`. */
export interface MessageInputProps
  extends Omit<ComponentPropsWithoutRef<'form'>, 'children' | 'defaultValue' | 'onChange' | 'onKeyDown' | 'onSubmit'> {
  /** Class of the root `<form class="rwc-message-input">`, added to the default one. */
  className?: string;
  /** The text, when controlled (with {@link onValueChange}). */
  value?: string;
  /** The initial text, when uncontrolled. Default `''`. */
  defaultValue?: string;
  /** Called with the new text on every change, and with `''` after a send. */
  onValueChange?: (value: string) => void;
  /**
   * Called after a message was written to the chat (shown at once; sent when connected), with its
   * text and the new log entry. Not called when the chat refused it (too many messages waiting).
   */
  onSend?: (text: string, entry: ChatMessageEntry) => void;
  /**
   * The form's submit handler, called first: `event.preventDefault()` in it stops the send (the
   * form never navigates either way).
   */
  onSubmit?: FormEventHandler<HTMLFormElement>;
  /**
   * The textarea's keydown handler, called first: `event.preventDefault()` in it stops Enter from
   * sending.
   */
  onKeyDown?: KeyboardEventHandler<HTMLTextAreaElement>;
  /** The most characters (UTF-16 code units, as the `maxlength` attribute counts). Default 2000. */
  maxLength?: number;
  /** Placeholder of the field. Default `strings.messagePlaceholder`. */
  placeholder?: string;
  /**
   * Whether Enter sends (Shift+Enter always starts a new line): `true`, `false` (only the Send
   * button sends), or unset (the default): yes, except on touch screens (`(pointer: coarse)`), where
   * Enter starts a new line as on-screen keyboards lead people to expect, and Send sends. The
   * field's `enterKeyHint` follows: `"send"` when Enter sends, `"enter"` otherwise.
   */
  enterSends?: boolean;
  /** Visible rows of the field. Default 1 (the stylesheet lets it grow with its content). */
  rows?: number;
  /** Focus the field on mount. */
  autoFocus?: boolean;
  /**
   * Disable the field and the button. Never done for connection reasons: messages written while
   * disconnected wait and are sent on reconnect (`strings.sendWhenConnected` says so meanwhile).
   */
  disabled?: boolean;
  /** The field's `name`, for forms that read it. */
  name?: string;
  /** Show the label instead of hiding it visually (`rwc-visually-hidden`). Default false. */
  showLabel?: boolean;
  /** Class of the `<label>` (`rwc-message-input__label`). */
  labelClassName?: string;
  /** Class of the `<textarea>` (`rwc-message-input__field`). */
  textareaClassName?: string;
  /** Class of the send button (`rwc-message-input__send`). */
  buttonClassName?: string;
  /** Class of the counter (`rwc-message-input__counter`). */
  counterClassName?: string;
  /** Class of the note shown while not connected (`rwc-message-input__hint`). */
  hintClassName?: string;
}

/**
 * A form to write a message: a labelled `<textarea>`, a send button, and a character counter that
 * shows, and describes the field, only near the limit (the last 100 characters, or the last 10 %
 * of a limit over 1000) and over it. Enter sends (not on touch screens: see `enterSends`),
 * Shift+Enter starts a new line, Enter that confirms an IME composition does not send; blank text is not sent. After a send the field empties and
 * keeps focus. The field, the counter and the note have `dir="auto"`: the field takes the
 * direction of what is typed in it, the counter its sentence's, numbers included.
 * When the chat refuses a message (`maxUnconfirmed` messages still wait for the server), the text
 * stays in the field and `strings.sendRefused` shows as an alert until the next edit or send.
 *
 * It stays usable once the connection is lost: the message shows as pending and goes out on
 * connect, and meanwhile `strings.sendWhenConnected` ("will be sent when reconnected") shows
 * under the field and describes it. (Disabling it would lose the user's words at the moment a
 * network hiccup happens; the chat keeps them.) It reads only the connection's status, so
 * incoming messages do not re-render it. Controlled (`value`, `onValueChange`) or uncontrolled
 * (`defaultValue`).
 *
 * Parts: `rwc-message-input` (root `<form>`, `data-empty` when blank, `data-over-limit`,
 * `data-refused`), `__label`, `__field`, `__send`, `__counter`, `__hint`, `__refused`.
 *
 * @example
 * ```tsx
 * <MessageInput maxLength={500} onSend={(text) => console.log('sent', text)} />
 * ```
 */
export function MessageInput({
  className,
  value: valueProp,
  defaultValue = '',
  onValueChange,
  onSend,
  onSubmit,
  onKeyDown,
  maxLength = DEFAULT_MESSAGE_MAX_LENGTH,
  placeholder,
  enterSends,
  rows = 1,
  autoFocus,
  disabled,
  name,
  showLabel = false,
  labelClassName,
  textareaClassName,
  buttonClassName,
  counterClassName,
  hintClassName,
  ...rest
}: MessageInputProps) {
  const { strings } = useChatStrings();
  const send = useSendMessage();
  const { typing } = useChatContext();
  const lost = useConnectionLost();
  const [value, setValue] = useControllableState(valueProp, defaultValue, onValueChange);
  const [refused, setRefused] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const fieldId = `${id}-field`;
  const counterId = `${id}-counter`;
  const hintId = `${id}-hint`;
  const left = maxLength - value.length;
  // Shown (and read with the field) only when it matters: near the limit, or over it.
  const nearLimit = left <= 100 || left * 10 <= maxLength;
  const blank = value.trim() === '';
  const overLimit = left < 0;
  // Followed as it changes (a tablet's keyboard can come and go); a server render and the hydration
  // after it take a fine pointer, then the field is told the truth.
  const coarse = useSyncExternalStore(watchPointer, coarsePointer, finePointer);
  const enterSubmits = enterSends ?? !coarse;

  const handleSubmit = composeEventHandlers(onSubmit, (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // A value set from outside may exceed the limit the field enforces on typing.
    if (blank || overLimit || disabled) return;
    const text = value;
    const entry = send(text);
    field.current?.focus();
    // Refused (too many waiting): keep the text so that nothing typed is lost.
    setRefused(entry === null);
    if (entry === null) return;
    setValue('');
    typing?.typed('');
    onSend?.(text, entry);
  });

  const handleKeyDown = composeEventHandlers(onKeyDown, (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || event.shiftKey || !enterSubmits) return;
    // Enter that confirms an IME composition (229: Safari reports it after compositionend).
    if (event.nativeEvent.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    const form = event.currentTarget.form;
    if (!form) return;
    // Submitting through the form runs the owner's `onSubmit` too. (No requestSubmit: Safari < 16.)
    if (typeof form.requestSubmit === 'function') form.requestSubmit();
    else form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });

  return (
    <form
      {...rest}
      className={cx('rwc-message-input', className)}
      onSubmit={handleSubmit}
      data-empty={flag(blank)}
      data-over-limit={flag(overLimit)}
      data-disabled={flag(disabled)}
      data-refused={flag(refused)}
    >
      <label htmlFor={fieldId} className={cx('rwc-message-input__label', !showLabel && 'rwc-visually-hidden', labelClassName)}>
        {strings.messageLabel}
      </label>
      <textarea
        ref={field}
        id={fieldId}
        dir="auto"
        className={cx('rwc-message-input__field', textareaClassName)}
        value={value}
        onChange={(event: ChangeEvent<HTMLTextAreaElement>) => {
          setRefused(false);
          setValue(event.currentTarget.value);
          typing?.typed(event.currentTarget.value);
        }}
        onKeyDown={handleKeyDown}
        maxLength={maxLength}
        placeholder={placeholder ?? strings.messagePlaceholder}
        rows={rows}
        // biome-ignore lint/a11y/noAutofocus: only forwards the caller's autoFocus prop
        autoFocus={autoFocus}
        disabled={disabled}
        name={name}
        enterKeyHint={enterSubmits ? 'send' : 'enter'}
        aria-describedby={cx(nearLimit && counterId, lost && hintId) || undefined}
        aria-invalid={overLimit ? true : undefined}
      />
      <button type="submit" className={cx('rwc-message-input__send', buttonClassName)} disabled={disabled}>
        {strings.send}
      </button>
      {nearLimit && (
        <span id={counterId} dir="auto" className={cx('rwc-message-input__counter', counterClassName)}>
          {strings.charactersLeft(left)}
        </span>
      )}
      {lost && (
        <span id={hintId} dir="auto" className={cx('rwc-message-input__hint', hintClassName)}>
          {strings.sendWhenConnected}
        </span>
      )}
      {refused && (
        <span role="alert" className="rwc-message-input__refused">
          {strings.sendRefused}
        </span>
      )}
    </form>
  );
}

const COARSE_POINTER = '(pointer: coarse)';
const coarsePointer = () => !!globalThis.matchMedia?.(COARSE_POINTER).matches;
const finePointer = () => false;
function watchPointer(change: () => void): () => void {
  const query = globalThis.matchMedia?.(COARSE_POINTER);
  query?.addEventListener('change', change);
  return () => query?.removeEventListener('change', change);
}
