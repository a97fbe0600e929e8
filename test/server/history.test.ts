// @vitest-environment node
// The protocol extension's history on the reference server: the room's sequence, the bounded
// history, catch-ups on join and resume (the seam under traffic), gaps, older pages, and a resend
// across a reconnect. Real server, real `ws` clients.
import { describe, expect, it } from 'vitest';

import { MemoryHistory, type RoomHistory } from '../../src/server/index.ts';
import { TestClient, barrier, keepSending, startServer, type Packet } from '../helpers/referenceServer.ts';

type Room = Packet & { seq: number };

const isRoomPacket = (p: Packet): p is Room => typeof p.seq === 'number' && p.type !== 'id';
const frames = (client: TestClient) => client.ofType('history');
const packetsOf = (frame: Packet) => frame.packets as Room[];

/** `history` whose reads answer after a macrotask: a backend across the network. */
function withLatency(history: RoomHistory): RoomHistory {
  const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 1));
  return {
    position: () => history.position(),
    append: (entry) => history.append(entry),
    amend: (seq, text) => history.amend(seq, text),
    after: async (after, limit, now) => later(await history.after(after, limit, now)),
    before: async (before, limit, now) => later(await history.before(before, limit, now)),
  };
}

/** Ask for a catch-up and wait for its last frame; returns the frames. */
async function catchUp(client: TestClient, request: Record<string, unknown> = {}): Promise<Packet[]> {
  const from = client.received.length;
  client.send({ type: 'history', ...request });
  await client.waitFor((p) => p.type === 'history' && p.done === true, 'the catch-up done', from);
  return client.received.slice(from).filter((p) => p.type === 'history');
}

/** The id packet's history fields. */
function idOf(client: TestClient): { seq: number; epoch: string; history: number } {
  return client.received[0] as unknown as { seq: number; epoch: string; history: number };
}

describe('the room sequence', () => {
  it('numbers every broadcast packet from 1, without gaps; what goes to one client alone has none', async () => {
    const server = await startServer();
    const [a, b] = (await TestClient.connectMany(server.url, 2)) as [TestClient, TestClient];
    await a.register('ada');
    await b.register('ada'); // taken: rejectusername to b alone
    a.sendMessage('one', { nonce: 'k' });
    a.sendMessage('one', { nonce: 'k' }); // a resend: echoed to a alone
    await a.waitForCount((p) => p.nonce === 'k', 2, 'both echoes');
    await barrier(b, [a, b]);
    const seqs = b.received.filter(isRoomPacket).map((p) => p.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(b.ofType('rejectusername')[0]).not.toHaveProperty('seq');
    const echoes = a.received.filter((p) => p.nonce === 'k');
    expect(echoes[0]).toHaveProperty('seq');
    expect(echoes[1]).not.toHaveProperty('seq');
  });
});

describe('join', () => {
  it('a client that asks gets the recent history (historyOnJoin) up to its join, marked as history, then live', async () => {
    const server = await startServer({ historyOnJoin: 3 });
    const a = await TestClient.connect(server.url);
    await a.register('ada');
    for (const text of ['m1', 'm2', 'm3', 'm4']) a.sendMessage(text);
    await a.waitFor((p) => p.text === 'm4', 'm4');

    const late = await TestClient.connect(server.url);
    expect(idOf(late)).toEqual({
      type: 'id',
      id: 2,
      ext: 1,
      session: expect.any(String),
      typing: true,
      edits: true,
      history: 200,
      seq: 6,
      epoch: expect.any(String),
    });
    const [frame, ...more] = await catchUp(late);
    expect(more).toEqual([]);
    expect(packetsOf(frame!).map((p) => p.text)).toEqual(['m2', 'm3', 'm4']);
    expect(packetsOf(frame!).map((p) => p.seq)).toEqual([4, 5, 6]);
    expect(frame).not.toHaveProperty('gap');
    // Live again: the next message arrives as an ordinary packet.
    a.sendMessage('m5');
    expect(await late.waitFor((p) => p.text === 'm5', 'm5')).toMatchObject({ type: 'message', seq: 7 });
    expect(server.stats().historyRequests).toBe(1);
  });

  it("a client that never asks (MDN's) gets no history and no packet of a new type", async () => {
    const server = await startServer();
    const a = await TestClient.connect(server.url);
    await a.register('ada');
    a.sendMessage('before');
    const mdn = await TestClient.connect(server.url);
    await mdn.register('mdn');
    a.sendMessage('after');
    await barrier(a, [mdn]);
    expect(new Set(mdn.received.map((p) => p.type))).toEqual(new Set(['id', 'username', 'userlist', 'message']));
    expect(mdn.received.some((p) => p.text === 'before')).toBe(false);
    expect(mdn.received.filter((p) => p.type === 'message').map((p) => p.text)).toEqual(['after', 'barrier']);
  });
});

describe('resume', () => {
  it('replays exactly what the client missed while others kept sending, then live: every message once, in order', async () => {
    // Small frames from a backend with a round trip (as Redis has), so that the catch-up takes
    // many turns of the event loop, and the traffic goes on during it.
    const server = await startServer({ historyPageSize: 5, history: withLatency(new MemoryHistory(10_000, 60_000)) });
    const [reader, writer] = (await TestClient.connectMany(server.url, 2)) as [TestClient, TestClient];
    await reader.register('reader');
    await writer.register('writer');
    // The writer keeps sending (at most 5 ahead of its echoes) until the reader is back and live again.
    const traffic = keepSending(writer);
    await reader.waitFor((p) => p.text === 'w20', 'w20 at the reader');
    await reader.close();
    const stopped = reader.received.filter(isRoomPacket);
    const last = stopped.at(-1)!.seq;
    const away = `w${traffic.sent + 100}`;
    await writer.waitFor((p) => p.text === away, 'traffic while away');

    const back = await TestClient.connect(server.url);
    back.send({ type: 'history', after: last, epoch: idOf(reader).epoch });
    await back.register('reader');
    await back.waitForCount((p) => p.type === 'message', 30, 'live messages after the catch-up');
    const total = await traffic.stop();
    await back.waitFor((p) => p.text === `w${total - 1}`, 'the last message');
    const catchUpFrames = frames(back);
    expect(catchUpFrames.at(-1)?.done).toBe(true);
    expect(catchUpFrames.length).toBeGreaterThan(1);
    expect(catchUpFrames.some((f) => 'gap' in f)).toBe(false);
    // Nothing live comes between the catch-up's frames: what was broadcast meanwhile waited for its end.
    const firstFrame = back.received.findIndex((p) => p.type === 'history');
    const doneFrame = back.received.findIndex((p) => p.type === 'history' && p.done === true);
    expect(back.received.slice(firstFrame, doneFrame).filter(isRoomPacket)).toEqual([]);

    // The client's view: what it had, the catch-up, then the live packets (those before the request included).
    const view = [...stopped, ...catchUpFrames.flatMap(packetsOf), ...back.received.filter(isRoomPacket)];
    expect(view.map((p) => p.seq)).toEqual(Array.from({ length: view.length }, (_, i) => i + 1));
    const texts = view.filter((p) => p.type === 'message').map((p) => p.text);
    expect(texts).toEqual(Array.from({ length: total }, (_, i) => `w${i}`));
  });

  it('tells the client when what it missed is older than the history holds: gap before the first packet it still has', async () => {
    const server = await startServer({ historyLimit: 5 });
    const a = await TestClient.connect(server.url);
    await a.register('ada');
    const stoppedAt = (a.ofType('userlist').at(-1) as Room).seq; // 2
    for (let i = 0; i < 10; i++) a.sendMessage(`m${i}`);
    await a.waitFor((p) => p.text === 'm9', 'm9');

    const back = await TestClient.connect(server.url);
    const [frame] = await catchUp(back, { after: stoppedAt, epoch: idOf(a).epoch });
    // Seqs 3..12 were sent; the history holds the last 5 (8..12).
    expect(frame).toMatchObject({ gap: 8, done: true });
    expect(packetsOf(frame!).map((p) => p.seq)).toEqual([8, 9, 10, 11, 12]);
  });

  it('tells the client when its position is from another epoch (a restarted in-memory server): all of this one, gap first', async () => {
    const server = await startServer();
    const a = await TestClient.connect(server.url);
    await a.register('ada');
    const b = await TestClient.connect(server.url);
    const [frame] = await catchUp(b, { after: 500, epoch: 'an-epoch-of-a-server-that-restarted' });
    expect(frame).toMatchObject({ gap: 1, done: true });
    expect(packetsOf(frame!).map((p) => p.seq)).toEqual([1, 2]);
    // Without an epoch, a position is no better.
    const c = await TestClient.connect(server.url);
    expect((await catchUp(c, { after: 1 }))[0]).toMatchObject({ gap: 1 });
  });

  it('a resume from where the client is sends nothing but done', async () => {
    const server = await startServer();
    const a = await TestClient.connect(server.url);
    await a.register('ada');
    const b = await TestClient.connect(server.url);
    const frames = await catchUp(b, { after: idOf(b).seq, epoch: idOf(b).epoch });
    expect(frames).toEqual([{ type: 'history', packets: [], done: true }]);
  });

  it('drops packets older than historyMaxAge', async () => {
    let time = 1_000_000;
    const server = await startServer({ now: () => time, historyMaxAge: 1000 });
    const a = await TestClient.connect(server.url);
    await a.register('ada');
    a.sendMessage('old');
    await a.waitFor((p) => p.text === 'old', 'old');
    time += 1000;
    a.sendMessage('new');
    await a.waitFor((p) => p.text === 'new', 'new');
    const b = await TestClient.connect(server.url);
    const [frame] = await catchUp(b, { after: 0, epoch: idOf(b).epoch });
    expect(packetsOf(frame!).map((p) => p.text)).toEqual(['new']);
    expect(frame).toMatchObject({ gap: 4 });
  });
});

describe('a catch-up under a flood', () => {
  it('closes a connection whose live packets outgrow maxBufferedAmount while its catch-up is read (1013), the others unharmed', async () => {
    const history = new MemoryHistory(10_000, 60_000);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // A backend that answers the catch-up only when the test says.
    const slow: RoomHistory = {
      position: () => history.position(),
      append: (entry) => history.append(entry),
      amend: (seq, text) => history.amend(seq, text),
      after: async (after, limit, now) => {
        await gate;
        return history.after(after, limit, now);
      },
      before: (before, limit, now) => history.before(before, limit, now),
    };
    const server = await startServer({ history: slow, maxBufferedAmount: 4000 });
    const [writer, other] = (await TestClient.connectMany(server.url, 2)) as [TestClient, TestClient];
    await writer.register('writer');
    const reader = await TestClient.connect(server.url);
    reader.send({ type: 'history' });
    await barrier(reader, [writer]); // the request is in: its live packets (the barrier too) are held from here
    for (let i = 0; i < 40; i++) writer.sendMessage(`${i} ${'x'.repeat(100)}`);
    expect(await reader.closed).toEqual({ code: 1013, reason: 'Too far behind, try again later' });
    release();
    await other.waitFor((p) => typeof p.text === 'string' && p.text.startsWith('39 '), 'the flood at the other');
    expect(frames(reader)).toEqual([]);
  });
});

describe('older pages', () => {
  it('the latest `limit` packets before a position, bounded by historyPageSize, with `more` until the start', async () => {
    const server = await startServer({ historyPageSize: 4 });
    const a = await TestClient.connect(server.url);
    await a.register('ada'); // seqs 1, 2
    for (let i = 0; i < 8; i++) a.sendMessage(`m${i}`); // seqs 3..10
    await a.waitFor((p) => p.text === 'm7', 'm7');

    const page = async (request: Record<string, unknown>) => {
      const from = a.received.length;
      a.send({ type: 'history', ...request });
      return a.waitFor((p) => p.type === 'history', 'a page', from);
    };
    const first = await page({ before: 11, limit: 3 });
    expect(first).toMatchObject({ before: 11, more: true });
    expect(packetsOf(first).map((p) => p.seq)).toEqual([8, 9, 10]);
    // A limit over the page size gets the page size.
    const second = await page({ before: 8, limit: 100 });
    expect(packetsOf(second).map((p) => p.seq)).toEqual([4, 5, 6, 7]);
    expect(second.more).toBe(true);
    const last = await page({ before: 4 });
    expect(packetsOf(last).map((p) => p.seq)).toEqual([1, 2, 3]);
    expect(last.more).toBe(false);
  });

  it('a request that is not well-formed is counted as invalid; a server without history does not know the type', async () => {
    const server = await startServer();
    const a = await TestClient.connect(server.url);
    a.send({ type: 'history', before: -1 });
    a.send({ type: 'history', after: 1.5 });
    a.send({ type: 'history', before: 3, limit: 0 });
    await barrier(a, [a]);
    expect(server.stats()).toMatchObject({ malformedPackets: 3, historyRequests: 0 });
    expect(frames(a)).toEqual([]);

    const bare = await startServer({ historyLimit: 0 });
    const b = await TestClient.connect(bare.url);
    expect(b.received[0]).not.toHaveProperty('history');
    expect(b.received[0]).not.toHaveProperty('epoch');
    b.send({ type: 'history' });
    await barrier(b, [b]);
    expect(bare.stats()).toMatchObject({ unknownTypes: 1 });
    expect(frames(b)).toEqual([]);
  });
});

describe('a resend across a reconnect', () => {
  it('is relayed once: the catch-up holds the original, the resend is only echoed to its sender', async () => {
    const server = await startServer();
    const [a, b] = (await TestClient.connectMany(server.url, 2)) as [TestClient, TestClient];
    await a.register('ada');
    await b.register('bob');
    a.sendMessage('exactly once', { nonce: 'once-1' });
    await b.waitFor((p) => p.nonce === 'once-1', 'relay at b');
    const last = (a.received.filter(isRoomPacket).at(-1) as Room).seq;
    // The connection dies before the sender learns its message went out (it takes the echo as lost).
    a.socket.terminate();
    await b.waitFor((p) => p.type === 'userlist' && (p.users as unknown[]).length === 1, 'userlist without ada');

    const again = await TestClient.connect(server.url);
    const [frame] = await catchUp(again, { after: last - 1, epoch: idOf(a).epoch });
    expect(packetsOf(frame!).filter((p) => p.nonce === 'once-1')).toHaveLength(1);
    await again.register('ada');
    again.sendMessage('exactly once', { nonce: 'once-1' });
    again.sendMessage('exactly once', { nonce: 'once-1' });
    await again.waitForCount((p) => p.nonce === 'once-1', 2, 'two echoes');
    await barrier(again, [b]);
    expect(b.received.filter((p) => p.nonce === 'once-1')).toHaveLength(1);
    expect(again.received.filter((p) => p.nonce === 'once-1').every((p) => p.seq === undefined)).toBe(true);
    expect(server.stats()).toMatchObject({ duplicateMessages: 2 });
  });

  it('the dedupe window is widened to cover the history', async () => {
    let time = 1_000_000;
    const server = await startServer({ now: () => time, dedupeWindow: 1000, historyMaxAge: 60_000 });
    const a = await TestClient.connect(server.url);
    await a.register('ada');
    a.sendMessage('x', { nonce: 'n' });
    await a.waitFor((p) => p.nonce === 'n', 'first');
    time += 30_000; // past dedupeWindow, within historyMaxAge
    a.sendMessage('x', { nonce: 'n' });
    await a.waitForCount((p) => p.nonce === 'n', 2, 'second');
    expect(server.stats()).toMatchObject({ messagesRelayed: 1, duplicateMessages: 1 });
  });
});
