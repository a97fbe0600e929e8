import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserList, useChatContext, useChatEntries } from '../../src/components/index.js';
import type { MockChatServer } from '../../src/testing/index.js';
import { renderInChat, startChatServer, stopChatServers } from '../helpers/chat.js';

afterEach(() => {
  stopChatServers();
  vi.restoreAllMocks();
});

const usersList = () => screen.getByRole('list', { name: 'Users' });
const itemTexts = () =>
  within(usersList())
    .queryAllByRole('listitem')
    .map((li) => li.textContent);

/** Connected, signed in, and the server's own first user list shown. */
async function signedIn(chat: MockChatServer, name = 'ada') {
  await chat.waitForPacket((p) => 'type' in p && p.type === 'username');
  await waitFor(() => expect(itemTexts()).toContain(`${name} (you)`));
}

/** Send a user list and wait until it is shown. */
async function showUsers(chat: MockChatServer, users: (string | null)[]) {
  act(() => chat.send({ type: 'userlist', users }));
  await waitFor(() => expect(within(usersList()).queryAllByRole('listitem')).toHaveLength(users.length));
}

/** A button that reconnects at once, as an app around the list would have. */
function ReconnectButton() {
  const { client } = useChatContext();
  return (
    <button type="button" onClick={() => client?.reconnect()}>
      Reconnect
    </button>
  );
}

/** Shows how many messages the store holds: proof that a message arrived. */
function EntryCount() {
  return <output aria-label="entries">{useChatEntries().length}</output>;
}

describe('<UserList>', () => {
  it('is a list named by a visible heading and described by the user count; empty before the server lists anyone', () => {
    renderInChat(<UserList />);
    const list = screen.getByRole('list', { name: 'Users', description: '0 users' });
    expect(list.tagName).toBe('UL');
    expect(within(list).queryAllByRole('listitem')).toEqual([]);
    expect(screen.getByRole('heading', { level: 2, name: 'Users' })).toBeTruthy();
    expect(list.closest('.rwc-user-list')?.hasAttribute('data-empty')).toBe(true);
  });

  it('lists connected users from the server, the current user first with "(you)", others in server order', async () => {
    const { chat } = renderInChat(<UserList />);
    await signedIn(chat);
    await showUsers(chat, ['bob', 'carol', 'ada', 'dave']);
    expect(itemTexts()).toEqual(['ada (you)', 'bob', 'carol', 'dave']);
    const items = within(usersList()).getAllByRole('listitem');
    expect(items.map((li) => li.hasAttribute('data-self'))).toEqual([true, false, false, false]);
    expect(screen.getByRole('list', { name: 'Users', description: '4 users' })).toBe(usersList());
  });

  it('marks only the first entry equal to the current name as self, and shows users without a name as unnamed', async () => {
    const { chat } = renderInChat(<UserList />);
    await signedIn(chat);
    await showUsers(chat, [null, 'bob', 'ada', 'ada', null]);
    expect(itemTexts()).toEqual(['ada (you)', '(no name yet)', 'bob', 'ada', '(no name yet)']);
    const items = within(usersList()).getAllByRole('listitem');
    expect(items.filter((li) => li.hasAttribute('data-self'))).toHaveLength(1);
    expect(items.map((li) => li.hasAttribute('data-unnamed'))).toEqual([false, true, false, false, true]);
  });

  it('follows the name the server gave instead of the one asked for', async () => {
    const chat = startChatServer();
    // Someone already holds "ada": the server renames us to "ada2".
    const other = new chat.WebSocket(chat.url, 'json');
    other.onmessage = (event: MessageEvent) => {
      const packet = JSON.parse(String(event.data)) as { type: string; id?: number };
      if (packet.type === 'id') other.send(JSON.stringify({ type: 'username', id: packet.id, name: 'ada', date: Date.now() }));
    };
    await chat.waitForPacket((p) => 'type' in p && p.type === 'username');
    renderInChat(<UserList />, { chat });
    await waitFor(() => expect(itemTexts()).toEqual(['ada2 (you)', 'ada']));
    other.close();
  });

  it('shows the count with strings.userCount, singular and plural, as users come and go', async () => {
    const { chat } = renderInChat(<UserList />);
    await signedIn(chat);
    expect(screen.getByText('1 user')).toBeTruthy();
    await showUsers(chat, ['ada', 'bob', null]);
    expect(screen.getByText('3 users')).toBeTruthy();
    await showUsers(chat, ['ada', 'bob']);
    expect(screen.getByText('2 users')).toBeTruthy();
    expect(usersList().closest('.rwc-user-list')?.hasAttribute('data-empty')).toBe(false);
  });

  it('says the list is the last one known once the connection is lost ("Users (offline)", data-offline), until connected again', async () => {
    const { chat } = renderInChat(
      <>
        <UserList />
        <ReconnectButton />
      </>,
      { reconnect: { initialDelay: 60_000 } },
    );
    await signedIn(chat);
    await showUsers(chat, ['ada', 'bob']);
    const root = () => usersList().closest('.rwc-user-list');
    expect(root()?.hasAttribute('data-offline')).toBe(false);
    act(() => chat.close());
    const offline = await screen.findByRole('list', { name: 'Users (offline)' });
    expect(offline.closest('.rwc-user-list')?.hasAttribute('data-offline')).toBe(true);
    expect(screen.getByRole('heading', { level: 2, name: 'Users (offline)' })).toBeTruthy();
    // Still listed, as last known.
    expect(
      within(offline)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['ada (you)', 'bob']);

    const back = startChatServer({ url: chat.url });
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect' }));
    await back.waitForPacket((p) => 'type' in p && p.type === 'username');
    await waitFor(() => expect(root()?.hasAttribute('data-offline')).toBe(false));
    expect(screen.getByRole('list', { name: 'Users' })).toBe(usersList());
  });

  it('keeps stable, unique keys with duplicate names and nulls: rows keep their DOM nodes, no key warnings', async () => {
    const consoleError = vi.spyOn(console, 'error');
    const { chat } = renderInChat(<UserList />);
    await signedIn(chat);
    await showUsers(chat, ['ada', 'bob', null, 'bob', null, 'null']);
    const before = within(usersList()).getAllByRole('listitem');
    await showUsers(chat, ['carol', 'ada', 'bob', null, 'bob', null, 'null']);
    const after = within(usersList()).getAllByRole('listitem');
    expect(after.map((li) => li.textContent)).toEqual(['ada (you)', 'carol', 'bob', '(no name yet)', 'bob', '(no name yet)', 'null']);
    // Same rows, same nodes (only "carol" is new), in the same relative order.
    expect([after[0], ...after.slice(2)]).toEqual(before);
    expect(after[1]).not.toBe(before[1]);
    expect(consoleError.mock.calls.flat().join(' ')).not.toMatch(/key/i);
  });

  it('shows hostile names verbatim, as text, creating no element', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const alert = vi.fn();
    vi.stubGlobal('alert', alert);
    try {
      const { chat } = renderInChat(<UserList />);
      await signedIn(chat);
      await showUsers(chat, ['ada', hostile, '<b>bold</b>', '&amp;']);
      expect(itemTexts()).toEqual(['ada (you)', hostile, '<b>bold</b>', '&amp;']);
      expect(document.querySelector('img')).toBeNull();
      expect(usersList().querySelector('b')).toBeNull();
      expect(alert).not.toHaveBeenCalled();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('takes every visible string from strings', async () => {
    const { chat } = renderInChat(<UserList headingLevel={3} />, {
      strings: { usersLabel: 'Benutzer', you: '(du)', unnamedUser: '(noch ohne Namen)', userCount: (n) => `${n} Personen` },
    });
    await chat.waitForPacket((p) => 'type' in p && p.type === 'username');
    await waitFor(() => expect(screen.getByRole('list', { name: 'Benutzer' }).textContent).toBe('ada (du)'));
    act(() => chat.send({ type: 'userlist', users: ['ada', null] }));
    await waitFor(() =>
      expect(screen.getByRole('list', { name: 'Benutzer', description: '2 Personen' }).textContent).toContain('(noch ohne Namen)'),
    );
    expect(screen.getByRole('heading', { level: 3, name: 'Benutzer' })).toBeTruthy();
  });

  it('passes className and part classes, and other props to the root', async () => {
    renderInChat(
      <UserList className="mine" listClassName="l" itemClassName="i" headingClassName="h" countClassName="c" data-testid="root" />,
    );
    const root = screen.getByTestId('root');
    expect(root.className).toBe('rwc-user-list mine');
    expect(usersList().className).toBe('rwc-user-list__list l');
    expect(screen.getByRole('heading', { name: 'Users' }).className).toBe('rwc-user-list__heading h');
    expect(screen.getByText('0 users').className).toBe('rwc-user-list__count c');
  });

  it('does not re-render when a chat message arrives, but does when the user list changes', async () => {
    const onRender = vi.fn();
    const { chat } = renderInChat(
      <>
        <Profiler id="users" onRender={onRender}>
          <UserList />
        </Profiler>
        <EntryCount />
      </>,
    );
    await signedIn(chat);
    // The sign-in notice is an entry already.
    await waitFor(() => expect(screen.getByRole('status', { name: 'entries' }).textContent).toBe('1'));
    const renders = onRender.mock.calls.length;

    act(() => {
      chat.send({ type: 'message', id: 99, name: 'bob', text: 'hello', date: Date.now() });
      chat.send({ type: 'message', id: 99, name: 'bob', text: 'again', date: Date.now() });
    });
    await waitFor(() => expect(screen.getByRole('status', { name: 'entries' }).textContent).toBe('3'));
    expect(onRender).toHaveBeenCalledTimes(renders);

    // Control: a new user list does re-render it.
    await showUsers(chat, ['ada', 'bob']);
    expect(onRender.mock.calls.length).toBeGreaterThan(renders);
  });
});
