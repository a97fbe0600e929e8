// @vitest-environment node
// The protocol extension's edits and deletes on the reference server: announced in `id`; an own
// message (by its nonce) changed only by its author, also after a rejoin with the session; relayed
// as room packets (a `seq`, kept in the history) to the connections that said they understand them,
// never to MDN's client; everything else refused to the sender alone, with a typed reason, or counted.
import { describe, expect, it } from 'vitest';

import { TestClient, barrier, startServer, type Packet } from '../helpers/referenceServer.ts';

const sessionOf = (client: TestClient): string => client.received.find((p) => p.type === 'id')?.session as string;

/** A client that says, as the kit does, that it understands edits (in its `username`). */
async function editor(url: string, name: string, session?: string): Promise<TestClient> {
  const client = await TestClient.connect(url);
  const from = client.received.length;
  client.send({ type: 'username', name, id: client.id, date: Date.now(), edits: true, ...(session && { session }) });
  await client.waitFor((p) => p.type === 'userlist', `userlist after ${name}`, from);
  return client;
}

/** `client` writes `text` with `nonce` and waits for its echo. */
async function write(client: TestClient, text: string, nonce: string): Promise<Packet> {
  client.sendMessage(text, { nonce });
  return client.waitFor((p) => p.type === 'message' && p.nonce === nonce, `echo of ${nonce}`);
}

const refusal = (client: TestClient, nonce: string) =>
  client.waitFor((p) => p.refused !== undefined && p.nonce === nonce, `refusal of ${nonce}`);

describe('edits', () => {
  it('are announced in id', async () => {
    const server = await startServer();
    const client = await TestClient.connect(server.url);
    expect(client.ofType('id')[0]).toMatchObject({ ext: 1, edits: true });
  });

  it("relays an author's edit and delete as room packets to the clients that understand them, the author included, never to an MDN client", async () => {
    const server = await startServer();
    const mdn = await TestClient.connect(server.url);
    await mdn.register('mdn');
    const bob = await editor(server.url, 'bob');
    const ada = await editor(server.url, 'ada');
    const message = await write(bob, 'helo', 'n1');

    bob.send({ type: 'edit', nonce: 'n1', text: 'hello' });
    const edit = await ada.waitFor((p) => p.type === 'edit', 'edit');
    expect(edit).toEqual({
      type: 'edit',
      id: bob.id,
      name: 'bob',
      nonce: 'n1',
      text: 'hello',
      date: expect.any(Number),
      seq: expect.any(Number),
    });
    expect(edit.seq).toBeGreaterThan(message.seq as number);
    bob.send({ type: 'delete', nonce: 'n1' });
    const deleted = await ada.waitFor((p) => p.type === 'delete', 'delete');
    expect(deleted).toEqual({
      type: 'delete',
      id: bob.id,
      name: 'bob',
      nonce: 'n1',
      date: expect.any(Number),
      seq: (edit.seq as number) + 1,
    });
    await bob.waitFor((p) => p.type === 'delete', 'the author gets its own delete');

    await barrier(bob, [mdn, ada, bob]);
    expect(mdn.received.filter((p) => p.type !== 'id' && p.type !== 'username' && p.type !== 'userlist' && p.type !== 'message')).toEqual(
      [],
    );
    expect(server.stats()).toMatchObject({ editsRelayed: 1, deletesRelayed: 1, editsRefused: 0, invalidPackets: 0 });
  });

  it("refuses another user's edit and delete (not-yours) to that user alone, and relays nothing", async () => {
    const server = await startServer();
    const bob = await editor(server.url, 'bob');
    const eve = await editor(server.url, 'eve');
    await write(bob, 'mine', 'n1');

    eve.send({ type: 'edit', nonce: 'n1', text: 'pwned' });
    expect(await refusal(eve, 'n1')).toEqual({ type: 'edit', nonce: 'n1', refused: 'not-yours' });
    eve.send({ type: 'delete', nonce: 'n1' });
    expect(await eve.waitFor((p) => p.type === 'delete' && p.refused !== undefined, 'delete refused')).toEqual({
      type: 'delete',
      nonce: 'n1',
      refused: 'not-yours',
    });
    eve.send({ type: 'edit', nonce: 'unknown', text: 'x' });
    await refusal(eve, 'unknown');

    await barrier(eve, [bob, eve]);
    expect(bob.received.filter((p) => p.type === 'edit' || p.type === 'delete')).toEqual([]);
    expect(server.stats()).toMatchObject({ editsRelayed: 0, deletesRelayed: 0, editsRefused: 3 });
  });

  it('refuses an edit of a deleted message, a blank edit and one too long (counted as an invalid frame), and counts malformed frames', async () => {
    const server = await startServer({ maxTextLength: 10 });
    const bob = await editor(server.url, 'bob');
    await write(bob, 'one', 'n1');
    await write(bob, 'two', 'n2');

    bob.send({ type: 'edit', nonce: 'n2', text: '   ' });
    expect(await refusal(bob, 'n2')).toMatchObject({ refused: 'blank' });
    bob.send({ type: 'edit', nonce: 'n1', text: 'far too long a text' });
    expect(await refusal(bob, 'n1')).toMatchObject({ refused: 'too-long' });
    bob.send({ type: 'delete', nonce: 'n1' });
    await bob.waitFor((p) => p.type === 'delete' && p.seq !== undefined, 'deleted');
    bob.send({ type: 'edit', nonce: 'n1', text: 'again' });
    expect(await bob.waitFor((p) => p.refused === 'deleted', 'edit of a deleted message')).toEqual({
      type: 'edit',
      nonce: 'n1',
      refused: 'deleted',
    });
    bob.send({ type: 'edit', text: 'no nonce' });
    bob.send({ type: 'delete', nonce: 42 });
    bob.send({ type: 'edit', nonce: 'x'.repeat(65), text: 'nonce too long' });

    await barrier(bob, [bob]);
    expect(server.stats()).toMatchObject({ editsRefused: 3, deletesRelayed: 1, textTooLong: 1, malformedPackets: 3, invalidPackets: 4 });
    expect(server.clientCount).toBe(1);
  });

  it('lets the author edit after rejoining with its session, never a new user who takes the name later', async () => {
    const server = await startServer();
    const ada = await editor(server.url, 'ada');
    const first = await editor(server.url, 'bob');
    await write(first, 'before the outage', 'n1');
    const session = sessionOf(first);
    await first.close();
    await ada.waitFor((p) => p.type === 'userlist' && (p.users as unknown[]).length === 1, 'bob gone');

    const again = await editor(server.url, 'bob', session);
    again.send({ type: 'edit', nonce: 'n1', text: 'after the outage' });
    expect(await ada.waitFor((p) => p.type === 'edit', 'edit after rejoin')).toMatchObject({ name: 'bob', text: 'after the outage' });
    await again.close();
    await ada.waitFor((p) => p.type === 'userlist' && (p.users as unknown[]).length === 1, 'bob gone again');

    const impostor = await editor(server.url, 'bob');
    impostor.send({ type: 'delete', nonce: 'n1' });
    expect(await refusal(impostor, 'n1')).toMatchObject({ refused: 'not-yours' });
    // Nor by resending a message with the same nonce under the same name: a resend, not relayed.
    impostor.sendMessage('copy', { nonce: 'n1' });
    impostor.send({ type: 'delete', nonce: 'n1' });
    await impostor.waitForCount((p) => p.refused === 'not-yours', 2, 'second refusal');
    expect(ada.ofType('delete')).toEqual([]);
  });

  it('a rename keeps the messages written under the old name editable, relayed under that name', async () => {
    const server = await startServer();
    const ada = await editor(server.url, 'ada');
    const bob = await editor(server.url, 'bob');
    await write(bob, 'hi', 'n1');
    await bob.register('robert');
    bob.send({ type: 'edit', nonce: 'n1', text: 'hi all' });
    expect(await ada.waitFor((p) => p.type === 'edit', 'edit')).toMatchObject({ id: bob.id, name: 'bob', nonce: 'n1' });
  });

  it('keeps edits and deletes in the history, erasing what they replaced: a late joiner gets no trace of a deleted or edited-away text', async () => {
    const server = await startServer();
    const bob = await editor(server.url, 'bob');
    const first = await write(bob, 'first', 'n1');
    const second = await write(bob, 'second', 'n2');
    bob.send({ type: 'edit', nonce: 'n1', text: 'first, edited' });
    bob.send({ type: 'edit', nonce: 'n2', text: 'second, edited' });
    bob.send({ type: 'edit', nonce: 'n1', text: 'first, final' });
    bob.send({ type: 'delete', nonce: 'n2' });
    const deleted = await bob.waitFor((p) => p.type === 'delete', 'delete');
    const edits = bob.ofType('edit');

    const late = await TestClient.connect(server.url);
    late.send({ type: 'history' });
    const reply = await late.waitFor((p) => p.type === 'history' && p.done === true, 'catch-up');
    const packets = (reply.packets as Packet[]).filter((p) => p.type !== 'userlist' && p.type !== 'username');
    // Every packet keeps its place (gap-free `seq`s), reading as its message reads now.
    expect(packets).toEqual([
      { ...first, text: 'first, final', edited: edits[2]?.date },
      { ...second, text: '', deleted: true },
      { ...edits[0], text: 'first, final' },
      { type: 'delete', id: bob.id, name: 'bob', nonce: 'n2', date: edits[1]?.date, seq: edits[1]?.seq },
      edits[2],
      deleted,
    ]);
    const older = late.received.length;
    late.send({ type: 'history', before: (deleted.seq as number) + 1, limit: 50 });
    const page = await late.waitFor((p) => p.type === 'history' && p.before !== undefined, 'older page', older);
    for (const frame of [reply, page]) {
      expect(JSON.stringify(frame)).not.toMatch(/"first"|first, edited|second/);
    }
  });

  it('edits go through the rate limit like messages', async () => {
    const server = await startServer({ rateLimit: { messages: 3, interval: 600, maxBacklog: 50 } });
    const bob = await editor(server.url, 'bob'); // one token
    await write(bob, 'one', 'n1'); // two
    bob.send({ type: 'edit', nonce: 'n1', text: 'uno' }); // three
    bob.send({ type: 'edit', nonce: 'n1', text: 'eins' }); // waits for the next token (200 ms)
    await bob.waitForCount((p) => p.type === 'edit', 2, 'both edits, the second once a token came back');
    expect(server.stats().rateDelayed).toBeGreaterThanOrEqual(1);
    expect(bob.ofType('edit').map((p) => p.text)).toEqual(['uno', 'eins']);
  });
});
