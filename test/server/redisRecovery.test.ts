// @vitest-environment node
// A node that loses its Redis connections while it is behind (other nodes published what it has not
// read yet) reads on from where it stopped once they are back: it delivers every packet, none skipped.
// A node that was ahead when Redis lost its data takes the new epoch a node behind it began.
import { Socket } from 'node:net';

import { describe, expect, it } from 'vitest';

import type { ChatServer } from '../../src/server/index.ts';
import { POSITION_SCRIPT, PUBLISH_SCRIPT } from '../../src/server/redis/redisScripts.ts';
import { redisNodesPerFile } from '../helpers/redisNodes.ts';
import { TestClient } from '../helpers/referenceServer.ts';

const redisFile = redisNodesPerFile();

/** One RESP command (an array of bulk strings). */
const resp = (args: readonly string[]) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;

/** Send `commands` to Redis in one write (Redis runs them back to back) and resolve once `replies` replies came. */
function pipeline(port: number, commands: readonly (readonly string[])[], replies: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let got = '';
    socket.on('error', reject);
    socket.on('data', (data) => {
      got += String(data);
      if (got.split('\r\n').filter((line) => /^[:+\-$*]/.test(line)).length >= replies) {
        socket.destroy();
        resolve(got);
      }
    });
    socket.connect(port, '127.0.0.1', () => socket.write(commands.map(resp).join('')));
  });
}

describe('a node behind when it loses Redis', () => {
  it('delivers what it had not read yet once its connections are back (nothing skipped)', async () => {
    const key = 'recovery:room';
    const [node] = (await redisFile.start(1, key, {}, 3000)) as [ChatServer];
    const watcher = await TestClient.connect(node.url);
    const { epoch } = watcher.received[0] as { epoch: string };
    // The node's connections are cut, and in the same breath (before it can reconnect) another
    // node publishes 3 packets: the node is behind by 3 when it is back.
    const packet = (n: number) => JSON.stringify({ type: 'message', id: 9, name: 'other', text: `while away ${n}`, date: 1 });
    const publish = (n: number) => [
      'EVAL',
      PUBLISH_SCRIPT,
      '3',
      `${key}:epoch`,
      `${key}:seq`,
      `${key}:log`,
      epoch,
      packet(n),
      String(Date.now()),
      '1000',
      '0',
    ];
    await pipeline(redisFile.redis.port, [['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes'], publish(1), publish(2), publish(3)], 4);
    // The watcher was closed with 1013 (Redis lost); a new client joins once the node serves again.
    expect((await watcher.closed).code).toBe(1013);
    await expect.poll(async () => (await fetch(`${node.url.replace('ws:', 'http:')}/ready`)).status, { timeout: 4000 }).toBe(200);
    // The node reads on from where it stopped: its position (a new client's id's seq) reaches the 3.
    const position = async () => ((await TestClient.connect(node.url)).received[0] as { seq: number }).seq;
    await expect.poll(position, { timeout: 4000 }).toBe(3);
    const reader = await TestClient.connect(node.url);
    reader.send({ type: 'history', after: 0, epoch });
    const done = await reader.waitFor((p) => p.type === 'history' && p.done === true, 'the catch-up');
    expect(done.gap).toBeUndefined();
    const caught = reader.ofType('history').flatMap((f) => f.packets as { text?: string }[]);
    expect(caught.map((p) => p.text)).toEqual(['while away 1', 'while away 2', 'while away 3']);
  }, 10_000);
});

describe('a node ahead when Redis lost its data', () => {
  it('takes the new epoch another node began below its position, and begins none of its own: what was said in it stays', async () => {
    const key = 'recovery:ahead';
    const [node] = (await redisFile.start(1, key, {}, 3000)) as [ChatServer];
    const ada = await TestClient.connect(node.url);
    await ada.register('ada'); // seq 1, and the user list 2: delivered, so the node stands at 2
    const { epoch } = ada.received[0] as { epoch: string };
    // Redis loses the room while the node is cut off; another node, which had read none of it yet
    // (nodes read the Stream at their own pace), is back first: it begins epoch "next" at 0, and one
    // of its clients is told its message went out there, as seq 1.
    const keys = ['3', `${key}:epoch`, `${key}:seq`, `${key}:log`];
    const said = JSON.stringify({ type: 'message', id: 9, name: 'bob', text: 'said in the new epoch', date: 1 });
    const replies = await pipeline(
      redisFile.redis.port,
      [
        ['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes'],
        ['FLUSHALL'],
        ['EVAL', POSITION_SCRIPT, ...keys, 'next', '0', epoch],
        ['EVAL', PUBLISH_SCRIPT, ...keys, 'next', said, String(Date.now()), '1000', '0'],
      ],
      5,
    );
    expect(replies.endsWith(':1\r\n')).toBe(true);
    expect((await ada.closed).code).toBe(1013);
    await expect.poll(async () => (await fetch(`${node.url.replace('ws:', 'http:')}/ready`)).status, { timeout: 4000 }).toBe(200);
    // The node serves the epoch the other began (one sequence for the room), from where it stands.
    const joiner = await TestClient.connect(node.url);
    expect(joiner.received[0]).toMatchObject({ epoch: 'next', seq: 1 });
    joiner.send({ type: 'history' });
    const join = await joiner.waitFor((p) => p.type === 'history' && p.done === true, 'the join history');
    expect((join.packets as { text?: string }[]).map((p) => p.text)).toEqual(['said in the new epoch']);
  }, 10_000);
});
