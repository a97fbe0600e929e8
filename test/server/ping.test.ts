// @vitest-environment node
// The protocol extension's keep-alive: the text frame `ping` is answered with `pong`, to the sender
// alone, never relayed, never counted as invalid, free of the rate limit, and answered at most once
// per PING_SPACING ms.
import { describe, expect, it } from 'vitest';

import { PING_SPACING } from '../../src/server/index.ts';
import { TestClient, barrier, startServer, withoutBarriers } from '../helpers/referenceServer.ts';

describe('ping', () => {
  it('is answered with pong to the sender alone, never relayed nor counted as invalid', async () => {
    const server = await startServer();
    const [a, b] = (await TestClient.connectMany(server.url, 2)) as [TestClient, TestClient];
    await a.register('ada');
    await b.register('bob');
    const bSawBefore = b.received.length;
    a.send('ping');
    expect(await a.waitForTexts(1, 'pong')).toEqual(['pong']);
    await barrier(a, [a, b]);
    expect(b.texts).toEqual([]);
    expect(withoutBarriers(b.received.slice(bSawBefore))).toEqual([]);
    expect(a.socket.readyState).toBe(a.socket.OPEN);
    expect(server.stats()).toMatchObject({ pongs: 1, pingsIgnored: 0, invalidPackets: 0, invalidJson: 0 });
  });

  it('costs no rate token', async () => {
    let time = 1_000_000;
    // maxBacklog 0: a frame over the rate is cut at once, so a ping that cost a token would show.
    const server = await startServer({ rateLimit: { messages: 2, interval: 60_000, maxBacklog: 0 }, now: () => time });
    const a = await TestClient.connect(server.url);
    for (let i = 1; i <= 10; i++) {
      a.send('ping');
      await a.waitForTexts(i, `pong ${i}`);
      time += PING_SPACING;
    }
    // The bucket is still full: two messages pass, the third is over the rate.
    a.sendMessage('one');
    a.sendMessage('two');
    await a.waitForCount((p) => p.type === 'message', 2, 'two messages');
    a.sendMessage('three');
    expect((await a.closed).code).toBe(1008);
    expect(server.stats()).toMatchObject({ pongs: 10, rateLimited: 1 });
  });

  it('answers at most one ping per PING_SPACING ms: the others are ignored and counted', async () => {
    let time = 1_000_000;
    const server = await startServer({ now: () => time });
    const a = await TestClient.connect(server.url);
    for (let i = 0; i < 5; i++) a.send('ping');
    await barrier(a, [a]);
    expect(a.texts).toEqual(['pong']);
    time += PING_SPACING - 1;
    a.send('ping');
    await barrier(a, [a]);
    expect(a.texts).toEqual(['pong']);
    time += 1;
    a.send('ping');
    expect(await a.waitForTexts(2, 'second pong')).toEqual(['pong', 'pong']);
    expect(server.stats()).toMatchObject({ pongs: 2, pingsIgnored: 5, invalidPackets: 0 });
  });

  it('only the exact text frame `ping` is one: a binary or JSON "ping" is still invalid', async () => {
    const server = await startServer();
    const a = await TestClient.connect(server.url);
    a.socket.send(Buffer.from('ping'), { binary: true });
    a.send('"ping"');
    a.send('PING');
    await barrier(a, [a]);
    expect(a.texts).toEqual([]);
    expect(server.stats()).toMatchObject({ pongs: 0, binaryFrames: 1, invalidJson: 1, malformedPackets: 1, invalidPackets: 3 });
  });
});
