import { useEffect, useId, useState, type CSSProperties, type FormEvent } from 'react';
import { useChatUsers, useSetUsername } from '../../src/components/index.js';

/**
 * The name field: prefilled with the current name (the server's, if it gave another), renames on
 * submit. Not on every keystroke: each rename is announced to everyone, and the server limits how
 * often a connection may write. Used by the Live chat story and the end-to-end fixture app.
 */
export function NameField({ className, style }: { className?: string; style?: CSSProperties }) {
  const { username } = useChatUsers();
  const setUsername = useSetUsername();
  const [draft, setDraft] = useState(username);
  const id = useId();
  useEffect(() => setDraft(username), [username]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = draft.trim();
    if (name !== '') setUsername(name);
  };
  return (
    <form onSubmit={submit} className={className} style={style}>
      <label htmlFor={id}>Your name</label>
      <input
        id={id}
        dir="auto"
        value={draft}
        onChange={(event) => setDraft(event.currentTarget.value)}
        maxLength={64}
        autoComplete="nickname"
      />
      <button type="submit" disabled={draft.trim() === '' || draft.trim() === username}>
        Change name
      </button>
    </form>
  );
}
