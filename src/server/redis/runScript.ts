import { createHash } from 'node:crypto';

import type { createClient } from '@redis/client';

/** A connection to Redis (node-redis). */
export type RedisClient = ReturnType<typeof createClient>;

/** Run a Lua script by its SHA-1, sending it whole when Redis does not have it (a new or restarted Redis). */
export async function runScript(client: RedisClient, script: string, keys: readonly string[], args: readonly string[]): Promise<unknown> {
  const sha = createHash('sha1').update(script).digest('hex');
  const rest = [String(keys.length), ...keys, ...args];
  try {
    return await client.sendCommand(['EVALSHA', sha, ...rest]);
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
    return client.sendCommand(['EVAL', script, ...rest]);
  }
}
