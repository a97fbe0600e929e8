// @vitest-environment node
// The protocol extension's typing frames on the reference server: announced in `id`; relayed only to
// connections that sent a typing frame themselves (MDN's client never does, so never gets one), never
// to the sender, never in the history; bounded (a start at most every TYPING_SPACING ms, a stop only
// after a start) and free of the chat's rate limit.
import { describe, expect, it } from 'vitest';

import { TYPING_SPACING } from '../../src/server/index.ts';
import { TestClient, barrier, startServer, withoutBarriers } from '../helpers/referenceServer.ts';

const START = { type: 'typing', typing: true };
const STOP = { type: 'typing', typing: false };

/** A client with a name that listens to typing frames (it sent the kit's first frame, a stop). */
async function typist(url: string, name: string): Promise<TestClient> {
  const client = await TestClient.connect(url);
  client.send(STOP);
  await client.register(name);
  return client;
}

describe('typing', () => {
  it('is announced in id', async () => {
    const server = await startServer();
    const client = await TestClient.connect(server.url);
    expect(client.ofType('id')[0]).toMatchObject({ ext: 1, typing: true });
  });

  it('relays a start and a stop to the clients that speak it, not to the sender nor to an MDN client', async () => {
    const server = await startServer();
    const mdn = await TestClient.connect(server.url);
    await mdn.register('mdn');
    const bob = await typist(server.url, 'bob');
    const ada = await typist(server.url, 'ada');

    bob.send(START);
    const start = await ada.waitFor((p) => p.type === 'typing', 'start');
    expect(start).toEqual({ type: 'typing', id: bob.id, name: 'bob', typing: true });
    bob.send(STOP);
    const stop = await ada.waitFor((p) => p.type === 'typing' && p.typing === false, 'stop');
    expect(stop).toEqual({ type: 'typing', id: bob.id, name: 'bob', typing: false });

    await barrier(bob, [mdn, ada, bob]);
    expect(mdn.ofType('typing')).toEqual([]);
    expect(bob.ofType('typing')).toEqual([]);
    expect(server.stats()).toMatchObject({ typingRelayed: 2, typingIgnored: 0, invalidPackets: 0 });
  });

  it('relays a start at most once per TYPING_SPACING, a stop only after a start, nothing from a user without a name', async () => {
    let time = 1_000_000;
    const server = await startServer({ now: () => time });
    const ada = await typist(server.url, 'ada');
    const bob = await typist(server.url, 'bob');
    const nameless = await TestClient.connect(server.url);

    nameless.send(START);
    bob.send(STOP); // not typing: nothing to say
    bob.send(START);
    bob.send(START); // too soon
    await barrier(bob, [ada]);
    time += TYPING_SPACING;
    bob.send(START); // a renewal
    await barrier(bob, [ada]);
    expect(withoutBarriers(ada.received).filter((p) => p.type === 'typing')).toEqual([
      { type: 'typing', id: bob.id, name: 'bob', typing: true },
      { type: 'typing', id: bob.id, name: 'bob', typing: true },
    ]);
    expect(server.stats()).toMatchObject({ typingRelayed: 2, typingIgnored: 3 });
  });

  it('a message or a leave ends the typing: a stop after the message is not relayed, a leave relays one', async () => {
    const server = await startServer();
    const ada = await typist(server.url, 'ada');
    const bob = await typist(server.url, 'bob');
    bob.send(START);
    await ada.waitFor((p) => p.type === 'typing', 'start');
    bob.sendMessage('hi');
    bob.send(STOP);
    await barrier(bob, [ada]);
    expect(ada.ofType('typing')).toHaveLength(1);

    bob.send(START);
    await ada.waitForCount((p) => p.type === 'typing', 2, 'second start');
    await bob.close();
    const stop = await ada.waitFor((p) => p.type === 'typing' && p.typing === false, 'stop on leave');
    expect(stop).toMatchObject({ id: bob.id, name: 'bob' });
  });

  it("costs no token of the rate limit (the kit's frames) and is never in the history", async () => {
    const server = await startServer({ rateLimit: { messages: 2, interval: 60_000, maxBacklog: 0 } });
    const ada = await TestClient.connect(server.url);
    ada.send(STOP);
    const bob = await TestClient.connect(server.url);
    bob.send(STOP);
    for (let i = 0; i < 10; i++) bob.send(START);
    bob.send(STOP);
    // Two tokens: the name and one message still go through; the typing frames took none.
    await bob.register('bob');
    bob.sendMessage('after typing');
    await ada.waitFor((p) => p.type === 'message', 'the message');
    expect(server.stats()).toMatchObject({ rateLimited: 0, rateDelayed: 0 });

    const reader = await TestClient.connect(server.url);
    reader.send({ type: 'history' });
    const reply = await reader.waitFor((p) => p.type === 'history' && p.done === true, 'catch-up');
    expect((reply.packets as { type: string }[]).map((p) => p.type)).not.toContain('typing');
  });

  it('a typing packet written otherwise goes the ordinary way, decoded: anything but true is a stop', async () => {
    const server = await startServer();
    const ada = await typist(server.url, 'ada');
    const bob = await typist(server.url, 'bob');
    bob.send('{ "typing": true, "type": "typing" }');
    await ada.waitFor((p) => p.type === 'typing' && p.typing === true, 'start');
    bob.send({ type: 'typing', typing: 'no' });
    await ada.waitFor((p) => p.type === 'typing' && p.typing === false, 'stop');
    expect(server.stats().invalidPackets).toBe(0);
  });
});
