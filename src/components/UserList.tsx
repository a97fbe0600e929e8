'use client';

import { useId, useMemo, useState, type ComponentPropsWithoutRef } from 'react';
import { cx, flag } from './cx.js';
import { useChatContext } from './ChatProvider.js';
import { useChatUsers } from './useChat.js';
import { useConnectionLost } from './useConnectionLost.js';

/** Props of {@link UserList}. The rest go to the root `<div>`. */
export interface UserListProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children'> {
  /** Class of the root `<div class="rwc-user-list">`, added to the default one. */
  className?: string;
  /**
   * Level of the visible heading (`strings.usersLabel`) that names the list. Default 2. The heading
   * is always rendered: it is the list's accessible name (`aria-labelledby`).
   */
  headingLevel?: 1 | 2 | 3 | 4 | 5 | 6;
  /** Class of the heading (`rwc-user-list__heading`). */
  headingClassName?: string;
  /** Class of the user count (`rwc-user-list__count`). */
  countClassName?: string;
  /** Class of the `<ul>` (`rwc-user-list__list`). */
  listClassName?: string;
  /** Class of every `<li>` (`rwc-user-list__item`). */
  itemClassName?: string;
}

/** One row of the list: the user's name (null: none yet) and a key stable across updates. */
interface UserRow {
  readonly key: string;
  readonly name: string | null;
  readonly self: boolean;
}

/**
 * The connected users, as the server last listed them: the current user first, marked with
 * `strings.you` (`data-self` on its `<li>`), the others in the server's order; users without a name
 * yet as `strings.unnamedUser` (`data-unnamed`). Each name, the count and `strings.usersOffline`
 * have `dir="auto"`: their own direction, numbers included, isolated from the list's. A visible
 * heading names the list (`getByRole('list', { name: 'Users' })`) and `strings.userCount(n)`
 * describes it.
 *
 * Once the connection is lost, until it is back, the list is the last one known, not who is
 * present: the heading adds `strings.usersOffline` (so the list is named "Users (offline)") and
 * the root has `data-offline` (the stylesheet dims the names).
 *
 * In the heading, a "Users" button (`aria-expanded`) shows and hides the list where the stylesheet
 * displays it (instead of the title): in its column layout on screens under 40rem. It is not
 * displayed otherwise (inline `display: none`), and the list then always shows. With
 * `<ChatProvider avatars>`, each item starts with the user's avatar.
 *
 * It reads only the users, the current name (`useChatUsers`) and the connection's status: chat
 * messages do not re-render it.
 *
 * Parts: `rwc-user-list` (root, `data-empty` when nobody is listed, `data-offline`, `data-open`), `__header`,
 * `__heading`, `__title`, `__toggle`, `__offline`, `__count`, `__list`, `__item` (`data-self`, `data-unnamed`), `__name`, `__you`.
 *
 * @example
 * ```tsx
 * <ChatProvider url="wss://chat.example.com" username="ada">
 *   <UserList headingLevel={3} />
 * </ChatProvider>
 * ```
 */
export function UserList({
  className,
  headingLevel = 2,
  headingClassName,
  countClassName,
  listClassName,
  itemClassName,
  ...rest
}: UserListProps) {
  const { users, username } = useChatUsers();
  const { strings, avatars } = useChatContext('UserList');
  const offline = useConnectionLost();
  const id = useId();
  const headingId = `${id}-heading`;
  const countId = `${id}-count`;
  // Shown or not behind the toggle, which only the stylesheet's narrow layout displays.
  const [open, setOpen] = useState(false);
  const rows = useMemo(() => toRows(users, username), [users, username]);
  const Heading = `h${headingLevel}` as const;

  return (
    <div
      {...rest}
      className={cx('rwc-user-list', className)}
      data-empty={flag(rows.length === 0)}
      data-offline={flag(offline)}
      data-open={flag(open)}
    >
      <div className="rwc-user-list__header">
        <Heading id={headingId} className={cx('rwc-user-list__heading', headingClassName)}>
          <span className="rwc-user-list__title">{strings.usersLabel}</span>
          {/* Not displayed without the stylesheet (the list then always shows); the stylesheet displays it, instead of the title, on narrow screens. */}
          <button type="button" className="rwc-user-list__toggle" aria-expanded={open} onClick={() => setOpen(!open)} style={NOT_DISPLAYED}>
            {strings.usersLabel}
          </button>
          {offline && (
            <>
              {' '}
              <span dir="auto" className="rwc-user-list__offline">
                {strings.usersOffline}
              </span>
            </>
          )}
        </Heading>
        <span id={countId} dir="auto" className={cx('rwc-user-list__count', countClassName)}>
          {strings.userCount(users.length)}
        </span>
      </div>
      {/* role="list": Safari drops the list role of a `list-style: none` list (as styles.css sets). */}
      {/* biome-ignore lint/a11y/noRedundantRoles: see above */}
      <ul role="list" className={cx('rwc-user-list__list', listClassName)} aria-labelledby={headingId} aria-describedby={countId}>
        {rows.map((row) => {
          // No name yet: null, or the empty string some servers send.
          const unnamed = !row.name;
          return (
            <li key={row.key} className={cx('rwc-user-list__item', itemClassName)} data-self={flag(row.self)} data-unnamed={flag(unnamed)}>
              {avatars?.(row.name)}
              <span dir="auto" className="rwc-user-list__name">
                {unnamed ? strings.unnamedUser : row.name}
              </span>
              {row.self && (
                <>
                  {' '}
                  <span className="rwc-user-list__you">{strings.you}</span>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

const NOT_DISPLAYED = { display: 'none' } as const;

/**
 * Keys from the name and its occurrence number (`ada#0`, `ada#1`, `null#0`): stable while the server
 * keeps the relative order of equal names, unique even with duplicates and nulls. The first entry
 * equal to `username` moves to the front.
 */
function toRows(users: readonly (string | null)[], username: string): UserRow[] {
  const seen = new Map<string | null, number>();
  let selfIndex = -1;
  const rows = users.map((name, index): UserRow => {
    const occurrence = seen.get(name) ?? 0;
    seen.set(name, occurrence + 1);
    const self = selfIndex === -1 && name !== null && name === username;
    if (self) selfIndex = index;
    // JSON keeps `null` apart from the name "null".
    return { key: `${JSON.stringify(name)}#${occurrence}`, name, self };
  });
  if (selfIndex > 0) {
    const [self] = rows.splice(selfIndex, 1);
    if (self) rows.unshift(self);
  }
  return rows;
}
