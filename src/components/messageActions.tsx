'use client';

import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import type { ChatEditsState, ChatMessageEntry, ChatState } from '../chat/index.js';
import type { EditRefusal } from '../protocol/index.js';
import { useStoreSelector } from '../react/useStoreSelector.js';
import { breakUrls } from './breakUrls.js';
import type { RenderText } from './ChatBoxRow.js';
import { useChatContext } from './ChatProvider.js';

/** The words of {@link messageActions}: replace any of them. */
export interface MessageActionsStrings {
  /** The button that opens the editor. Default "Edit". */
  edit: string;
  /** The button that asks to delete. Default "Delete". */
  delete: string;
  /** The editor's field label (visually hidden). Default "Edit message". */
  editLabel: string;
  /** The editor's buttons. Default "Save" and "Cancel" (Cancel also in the delete question). */
  save: string;
  cancel: string;
  /** The question before a delete. Default "Delete this message?". */
  confirmDelete: string;
  /** The marker of an edited message. Default "(edited)". */
  edited: string;
  /** When it was edited (`time` in the chat's locale), shown on hover and focus of the marker and read by screen readers. */
  editedAt: (time: string) => string;
  /** The tombstone of a deleted message (its row is named with it too: "bob, 9:30 AM: Message deleted"). Default "Message deleted". */
  deleted: string;
  /** An own change on its way. Default "Saving…". */
  saving: string;
  /** An own change the server refused. */
  failed: (kind: 'edit' | 'delete', reason: EditRefusal | undefined) => string;
  /** Sends a refused change again. Default "Retry". */
  retry: string;
  /** Drops a failed change (the message as the server has it). Default "Dismiss". */
  dismiss: string;
}

const REASONS: Readonly<Record<EditRefusal, string>> = {
  'not-yours': 'the server no longer knows this message as yours',
  deleted: 'the message was deleted',
  blank: 'the text is empty',
  'too-long': 'the text is too long',
};

/** The English words of {@link messageActions}; `messageActions({ strings })` replaces any of them. */
export const defaultMessageActionsStrings: MessageActionsStrings = {
  edit: 'Edit',
  delete: 'Delete',
  editLabel: 'Edit message',
  save: 'Save',
  cancel: 'Cancel',
  confirmDelete: 'Delete this message?',
  edited: '(edited)',
  editedAt: (time) => `edited at ${time}`,
  deleted: 'Message deleted',
  saving: 'Saving…',
  // (A reason this version does not know is shown as the server said it.)
  failed: (kind, reason) => `${kind === 'edit' ? 'Edit not saved' : 'Not deleted'}${reason ? `: ${REASONS[reason] ?? reason}` : ''}`,
  retry: 'Retry',
  dismiss: 'Dismiss',
};

/** Options of {@link messageActions}. */
export interface MessageActionsOptions {
  /** How the text itself is shown (`linkify`, or your own). Default `breakUrls`, as ChatBox's. */
  renderText?: (text: string, message: ChatMessageEntry) => ReactNode;
  strings?: Partial<MessageActionsStrings>;
}

/**
 * The rows' side of `messageEdits()`: a `renderText` for `<ChatBox>` that shows, with the text, the
 * "(edited)" marker (the time on hover and focus), a "Message deleted" tombstone, an own change on
 * its way ("Saving…") or refused (with Retry and Dismiss), and on the user's own messages **Edit**
 * (an inline editor: Enter saves, Shift+Enter is a new line, Escape cancels; the focus goes back
 * where it was) and **Delete** (asks first: "Delete this message?", the focus on Cancel). Real
 * buttons, in the tab order. Only while the server announced edits (`state.edits.available`):
 * against MDN's server the rows show no button. Create it once (a module constant, or `useMemo`).
 *
 * @example
 * ```tsx
 * const renderText = messageActions({ renderText: linkify });
 * function Chat() {
 *   const onKeyDown = useEditLastMessage(); // ArrowUp in the empty field edits your last message
 *   return (
 *     <>
 *       <ChatBox renderText={renderText} />
 *       <MessageInput onKeyDown={onKeyDown} />
 *     </>
 *   );
 * }
 * <ChatProvider url={url} username="ada" edits={messageEdits()}><Chat /></ChatProvider>
 * ```
 */
export function messageActions(options: MessageActionsOptions = {}): RenderText {
  const strings = { ...defaultMessageActionsStrings, ...options.strings };
  const renderText = options.renderText ?? breakUrls;
  const render: RenderText = (text, message) => <MessageText text={text} message={message} renderText={renderText} strings={strings} />;
  // A deleted message's row is named with its tombstone, not with its (empty) text.
  return Object.assign(render, { accessibleText: (message: ChatMessageEntry) => (message.deleted ? strings.deleted : message.text) });
}

const selectEdits = (state: ChatState) => state.edits;

interface MessageTextProps {
  text: string;
  message: ChatMessageEntry;
  renderText: (text: string, message: ChatMessageEntry) => ReactNode;
  strings: MessageActionsStrings;
}

/** A message's text with what `messageEdits()` adds to it. */
function MessageText({ text, message, renderText, strings }: MessageTextProps) {
  const { store, timeFormat } = useChatContext('messageActions');
  const edits = useStoreSelector(store, selectEdits);
  const [confirming, setConfirming] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const editing = edits?.editing === message.key;
  const { change } = message;
  const own = !!edits?.available && message.own && !!message.nonce && !message.deleted && message.status !== 'failed';

  if (editing && edits) return <Editor message={message} edits={edits} strings={strings} editButton={editButton} />;
  return (
    <>
      {message.deleted ? <span className="rwc-chatbox__deleted">{strings.deleted}</span> : renderText(text, message)}
      {message.edited !== undefined && !message.deleted && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the time of the edit shows on focus, as on hover
        <span className="rwc-chatbox__edited" tabIndex={0} title={timeFormat.full(message.edited)}>
          {' '}
          {strings.edited}
          <span className="rwc-chatbox__edited-time">
            {' '}
            <time dateTime={timeFormat.iso(message.edited)}>{strings.editedAt(timeFormat.time(message.edited))}</time>
          </span>
        </span>
      )}
      {change?.status === 'pending' && <span className="rwc-chatbox__status">{strings.saving}</span>}
      {change?.status === 'failed' && edits && (
        <span className="rwc-chatbox__change-failed">
          <span className="rwc-chatbox__status">{strings.failed(change.kind, change.reason)}</span>
          <span className="rwc-chatbox__actions">
            <button type="button" onClick={() => edits.retry(message.key)}>
              {strings.retry}
            </button>{' '}
            <button type="button" onClick={() => edits.dismiss(message.key)}>
              {strings.dismiss}
            </button>
          </span>
        </span>
      )}
      {own && edits && change?.status !== 'failed' && (
        <span className="rwc-chatbox__actions rwc-chatbox__message-actions">
          {confirming ? (
            <ConfirmDelete
              strings={strings}
              onDelete={(button) => {
                // The row becomes a tombstone: the focus stays in the log.
                button.closest<HTMLElement>('[role="log"]')?.focus({ preventScroll: true });
                edits.remove(message.key);
              }}
              onCancel={() => {
                setConfirming(false);
                requestAnimationFrame(() => deleteButton.current?.focus());
              }}
            />
          ) : (
            <>
              <button type="button" ref={editButton} onClick={() => edits.startEditing(message.key)}>
                {strings.edit}
              </button>{' '}
              <button type="button" ref={deleteButton} onClick={() => setConfirming(true)}>
                {strings.delete}
              </button>
            </>
          )}
        </span>
      )}
    </>
  );
}

/** "Delete this message?" with Delete and Cancel, the focus on Cancel (Escape cancels too). */
function ConfirmDelete({
  strings,
  onDelete,
  onCancel,
}: {
  strings: MessageActionsStrings;
  onDelete: (button: HTMLElement) => void;
  onCancel: () => void;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    onCancel();
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of two buttons and its question, inside a message's text
    <span role="group" aria-label={strings.confirmDelete} onKeyDown={onKeyDown}>
      <span className="rwc-chatbox__confirm">{strings.confirmDelete}</span>{' '}
      <button type="button" onClick={(event) => onDelete(event.currentTarget)}>
        {strings.delete}
      </button>{' '}
      <button type="button" ref={cancel} onClick={onCancel}>
        {strings.cancel}
      </button>
    </span>
  );
}

interface EditorProps {
  message: ChatMessageEntry;
  edits: ChatEditsState;
  strings: MessageActionsStrings;
  editButton: RefObject<HTMLButtonElement | null>;
}

/**
 * The inline editor: the text in a field that has the focus; Enter (without Shift) or Save saves,
 * Escape or Cancel leaves it unchanged. Saving blank text saves nothing (delete it instead). The
 * focus then goes back where it was when editing began (the Edit button, or the message field for
 * ArrowUp), or to the message's Edit button.
 */
function Editor({ message, edits, strings, editButton }: EditorProps) {
  const field = useRef<HTMLTextAreaElement>(null);
  const [value, setValue] = useState(message.text);
  /** Where the focus was when editing began (kept from the first run: StrictMode runs the effect twice). */
  const before = useRef<Element | null>(null);
  useEffect(() => {
    const input = field.current;
    const document = input?.ownerDocument;
    // The message field, for ArrowUp; the body when it was on the Edit button, gone now.
    before.current ??= document?.activeElement ?? null;
    input?.focus();
    input?.setSelectionRange(input.value.length, input.value.length);
    return () => {
      // Only when the focus was in the editor (it is on the body once the editor is gone).
      if (document && document.activeElement !== document.body && document.activeElement !== null) return;
      const origin = before.current;
      const back = origin instanceof HTMLElement && origin !== document?.body && origin.isConnected && !origin.closest('.rwc-chatbox__row');
      requestAnimationFrame(() => (back ? origin : editButton.current)?.focus());
    };
  }, [editButton]);
  const close = useCallback(() => edits.startEditing(null), [edits]);
  const save = () => {
    if (value.trim() === '') return;
    if (value === message.text) close();
    else edits.edit(message.key, value);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      save();
    }
  };
  return (
    <form
      className="rwc-chatbox__editor"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <textarea
        ref={field}
        aria-label={strings.editLabel}
        dir="auto"
        value={value}
        rows={Math.min(6, value.split('\n').length)}
        onChange={(event) => setValue(event.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <span className="rwc-chatbox__actions">
        <button type="submit" disabled={value.trim() === ''}>
          {strings.save}
        </button>{' '}
        <button type="button" onClick={close}>
          {strings.cancel}
        </button>
      </span>
    </form>
  );
}

/**
 * A stable `<MessageInput onKeyDown>` handler: ArrowUp (no modifier) in the empty message field
 * edits the user's last message that can be edited (`messageEdits()`), as in Slack and Discord;
 * the row's editor takes the focus (when the row is in view) and gives it back to the field.
 */
export function useEditLastMessage(): (event: KeyboardEvent<HTMLTextAreaElement>) => void {
  const { store } = useChatContext('useEditLastMessage');
  return useCallback(
    (event: KeyboardEvent<HTMLTextAreaElement>) => {
      if (event.key !== 'ArrowUp' || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      if (event.currentTarget.value !== '') return;
      const { entries, edits } = store.getState();
      const last = entries.findLast(
        (entry): entry is ChatMessageEntry =>
          entry.kind === 'message' && entry.own && !!entry.nonce && !entry.deleted && entry.status !== 'failed',
      );
      if (last && edits?.startEditing(last.key)) event.preventDefault();
    },
    [store],
  );
}
