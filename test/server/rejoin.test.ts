// @vitest-environment node
// The protocol extension's rejoin: a `username` carrying the `session` of a user who was here moments
// ago (closed within rejoinWindow, or still open on a half-open link) is that user coming back: the
// old name back, `rejoin: true` in the relayed `username`; a session is used once, and never lets
// anyone take another user's name.
import { describe, expect, it } from 'vitest';

import { REJOINED_CLOSE_CODE, createChatServer } from '../../src/server/index.ts';
import { TestClient, barrier, startServer, type Packet } from '../helpers/referenceServer.ts';

const sessionOf = (client: TestClient): string => client.received.find((p) => p.type === 'id')?.session as string;

/** Ask for `name` with `session` (what the kit's store sends after a reconnect); resolves with the relayed `username`. */
async function rejoin(client: TestClient, name: string, session: string, observer: TestClient): Promise<Packet> {
  const from = observer.received.length;
  client.send({ type: 'username', name, id: client.id, date: Date.now(), session });
  return observer.waitFor((p) => p.type === 'username' && p.id === client.id, `username of ${client.id}`, from);
}

describe('rejoin', () => {
  it('a user back with the session of a closed connection gets its name, relayed with rejoin: true', async () => {
    const server = await startServer();
    const observer = await TestClient.connect(server.url);
    await observer.register('ada');
    const first = await TestClient.connect(server.url);
    expect(await first.register('bob')).toBe('bob');
    const session = sessionOf(first);
    await first.close();
    await observer.waitFor((p) => p.type === 'userlist' && (p.users as unknown[]).length === 1, 'bob gone');

    const again = await TestClient.connect(server.url);
    expect(sessionOf(again)).not.toBe(session);
    const packet = await rejoin(again, 'bob', session, observer);
    expect(packet).toMatchObject({ type: 'username', name: 'bob', rejoin: true });
    expect(again.ofType('rejectusername')).toEqual([]);
    expect(server.stats().rejoins).toBe(1);
  });

  it('takes over a half-open connection of the same user: the old one is closed with REJOINED_CLOSE_CODE, the name stays bob', async () => {
    const server = await startServer();
    const observer = await TestClient.connect(server.url);
    await observer.register('ada');
    const stale = await TestClient.connect(server.url);
    await stale.register('bob');

    const again = await TestClient.connect(server.url);
    const packet = await rejoin(again, 'bob', sessionOf(stale), observer);
    expect(packet).toMatchObject({ name: 'bob', rejoin: true });
    expect(again.ofType('rejectusername')).toEqual([]);
    expect(await stale.closed).toEqual({ code: REJOINED_CLOSE_CODE, reason: 'Rejoined on a new connection' });
    await expect.poll(() => observer.ofType('userlist').at(-1)?.users).toEqual(['ada', 'bob']);
    await expect.poll(() => server.stats().closes).toEqual({ [REJOINED_CLOSE_CODE]: 1 });
  });

  it("a rejoin racing the old connection's close (a reconnect) is still a rejoin, and bob once in the list", async () => {
    const server = await startServer();
    const observer = await TestClient.connect(server.url);
    await observer.register('ada');
    const first = await TestClient.connect(server.url);
    await first.register('bob');
    const again = await TestClient.connect(server.url);
    // The close and the new sign-in leave together, on two connections: either may be read first.
    first.socket.close(1000);
    expect(await rejoin(again, 'bob', sessionOf(first), observer)).toMatchObject({ name: 'bob', rejoin: true });
    await first.closed;
    await expect.poll(() => observer.ofType('userlist').at(-1)?.users).toEqual(['ada', 'bob']);
  });

  it('an unknown session, or its own, is an ordinary sign-in', async () => {
    const server = await startServer();
    const observer = await TestClient.connect(server.url);
    const a = await TestClient.connect(server.url);
    expect(await rejoin(a, 'bob', 'no-such-session', observer)).not.toHaveProperty('rejoin');
    const b = await TestClient.connect(server.url);
    expect(await rejoin(b, 'carol', sessionOf(b), observer)).not.toHaveProperty('rejoin');
    expect(server.stats().rejoins).toBe(0);
  });

  it('a session expires after rejoinWindow', async () => {
    let time = 1_000_000;
    const server = await startServer({ rejoinWindow: 1000, now: () => time });
    const observer = await TestClient.connect(server.url);
    const first = await TestClient.connect(server.url);
    await first.register('bob');
    await first.close();
    await expect.poll(() => server.stats().closes).toEqual({ 1000: 1 });
    time += 1000;
    const again = await TestClient.connect(server.url);
    const packet = await rejoin(again, 'bob', sessionOf(first), observer);
    expect(packet).toMatchObject({ name: 'bob' });
    expect(packet).not.toHaveProperty('rejoin');
  });

  it('a session is used once: the next connection presenting it signs in as a new user', async () => {
    const server = await startServer();
    const observer = await TestClient.connect(server.url);
    const first = await TestClient.connect(server.url);
    await first.register('bob');
    const session = sessionOf(first);
    await first.close();
    const second = await TestClient.connect(server.url);
    expect(await rejoin(second, 'bob', session, observer)).toMatchObject({ name: 'bob', rejoin: true });
    const third = await TestClient.connect(server.url);
    const packet = await rejoin(third, 'bob', session, observer);
    // bob (the second connection) is not closed, and keeps the name.
    expect(packet).toMatchObject({ name: 'bob2' });
    expect(packet).not.toHaveProperty('rejoin');
    await barrier(observer, [second]);
    expect(second.socket.readyState).toBe(second.socket.OPEN);
  });

  it("never takes another user's name: a session only brings back the name it had", async () => {
    const server = await startServer();
    const alice = await TestClient.connect(server.url);
    await alice.register('alice');
    const first = await TestClient.connect(server.url);
    await first.register('bob');
    const session = sessionOf(first);
    await first.close();
    const again = await TestClient.connect(server.url);
    const packet = await rejoin(again, 'alice', session, alice);
    expect(packet).toMatchObject({ name: 'alice2' });
    expect(packet).not.toHaveProperty('rejoin');
    expect(again.ofType('rejectusername')).toEqual([expect.objectContaining({ name: 'alice2' })]);
    expect(alice.socket.readyState).toBe(alice.socket.OPEN);
  });

  it('rejoinWindow is checked like the other options', async () => {
    await expect(createChatServer({ port: 0, rejoinWindow: -1 })).rejects.toThrow(RangeError);
  });
});
