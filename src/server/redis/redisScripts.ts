// The room's Lua scripts: Redis runs each one whole, with nothing of another client in between, so
// numbering, keeping and the resend check are one step for every node.
//
// Keys of a room named K: `K:epoch` (names the sequence), `K:seq` (its last `seq`), `K:log` (a
// Stream: one entry per packet, id `SEQ-0`, fields `at` and `text`: the history and the fan-out),
// `K:amended` (a hash: `seq` -> the text an edit or delete put in place of that entry's, read with it),
// `K:nonce:NAME\nNONCE` (a relayed message's key, expiring after the dedupe window), `K:nodes` (the
// last node number given: each node's connection ids come from a range of its own), `K:name:KEY` (who
// holds a name: a connection's session, leased and renewed while it is here). The presence's keys:
// presenceScripts.ts.

/** The keys of room `key`. */
export function roomKeys(key: string): {
  readonly epoch: string;
  readonly seq: string;
  readonly log: string;
  readonly amended: string;
  readonly nonce: string;
  readonly nodes: string;
  readonly name: string;
  readonly users: string;
  /** The pub/sub channel of typing frames. */
  readonly typing: string;
  readonly present: string;
  readonly joins: string;
  /** The prefix of the keys the presence scripts reach by name (`K:`). */
  readonly prefix: string;
} {
  return {
    epoch: `${key}:epoch`,
    seq: `${key}:seq`,
    log: `${key}:log`,
    amended: `${key}:amended`,
    nonce: `${key}:nonce:`,
    nodes: `${key}:nodes`,
    name: `${key}:name:`,
    users: `${key}:users`,
    typing: `${key}:typing`,
    present: `${key}:present`,
    joins: `${key}:joins`,
    prefix: `${key}:`,
  };
}

/**
 * KEYS epoch, seq, log; ARGV a new epoch, the caller's last `seq` (0: none), the caller's epoch ('':
 * none). Answers `{epoch, seq}`: where the room stands. When nothing names the sequence (a new room,
 * or a Redis that lost its data) or the caller's own sequence stands below what the caller already
 * served (a Redis restored from an older copy), a new epoch begins there, never below the caller's
 * position. A sequence other than the caller's is taken as it is, wherever it stands: another node
 * began it (its clients may have been served from it already), and the caller's positions mean
 * nothing in it. So one new epoch, not one per node that comes back further on than the first (nodes
 * read the Stream at their own pace: they stand a few packets apart when Redis goes). What the log
 * still held belongs to the old epoch: dropped.
 */
export const POSITION_SCRIPT = `
local epoch = redis.call('GET', KEYS[1])
local seq = tonumber(redis.call('GET', KEYS[2]) or '0')
local last = tonumber(ARGV[2])
if not epoch or (epoch == ARGV[3] and seq < last) then
  epoch = ARGV[1]
  seq = math.max(seq, last)
  redis.call('SET', KEYS[1], epoch)
  redis.call('SET', KEYS[2], seq)
  redis.call('DEL', KEYS[3])
end
return {epoch, seq}
`;

/**
 * KEYS epoch, seq, log[, nonce[, author]]; ARGV epoch, json (a packet without seq), at, maxlen,
 * window (ms)[, the JSON of the name it goes out under]. Answers the new `seq`; 0: a resend (the
 * nonce key is there), nothing published; -1: the epoch is not the caller's (Redis lost its data,
 * or another sequence began): nothing published. The author key (editScripts.ts), set with the nonce
 * key and expiring with it (the name, a line break, the message's `seq`), makes the message its
 * author's to change on every node.
 * The text kept is the json with `,"seq":N` before its closing brace: what `JSON.stringify` of the
 * packet with `seq` as its last field gives, as the in-memory room sends it.
 */
export const PUBLISH_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if KEYS[4] and not redis.call('SET', KEYS[4], '1', 'NX', 'PX', ARGV[5]) then return 0 end
local seq = redis.call('INCR', KEYS[2])
if KEYS[5] then redis.call('SET', KEYS[5], ARGV[6] .. '\\n' .. seq, 'PX', ARGV[5]) end
local text = string.sub(ARGV[2], 1, -2) .. ',"seq":' .. seq .. '}'
redis.call('XADD', KEYS[3], 'MAXLEN', ARGV[4], seq .. '-0', 'at', ARGV[3], 'text', text)
return seq
`;

/**
 * The shared head of the two read scripts: `first`, the oldest `seq` the history holds for a reader
 * at `cutoff` (entries kept at or before it are too old) among the newest `limit` (KEYS seq, log,
 * amended; ARGV[1] cutoff, ARGV[2] limit), and `keep`, which adds entries to the answer (with the
 * text `amended` holds for them, if any). The Stream may hold more than `limit` (it is also the
 * fan-out, which keeps a reserve), and old entries until they are trimmed: the reads leave both
 * out. Entries are in time order (nodes' clocks aside): a binary search finds the first one new enough.
 */
const FIRST = `
local cutoff = tonumber(ARGV[1])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local head = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
local first = -1
local function atOf(seq)
  local id = string.format('%d-0', seq)
  local entry = redis.call('XRANGE', KEYS[2], id, id)[1]
  if entry then return tonumber(entry[2][2]) end
  return cutoff
end
if head then
  local lo = math.max(tonumber(string.match(head[1], '^%d+')), last - tonumber(ARGV[2]) + 1)
  local hi = last
  if lo <= hi and atOf(hi) > cutoff then
    while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      if atOf(mid) > cutoff then hi = mid else lo = mid + 1 end
    end
    first = lo
  end
end
local out = {first}
local function keep(entries)
  for _, entry in ipairs(entries) do
    local seq = string.match(entry[1], '^%d+')
    table.insert(out, seq)
    table.insert(out, entry[2][2])
    table.insert(out, redis.call('HGET', KEYS[3], seq) or entry[2][4])
  end
end
`;

/**
 * KEYS seq, log, amended; ARGV cutoff, limit, after, count. Answers `{first, seq, at, text, ...}`:
 * up to `count` entries after `after`, oldest first (`first` -1: none held; `count` 0: `first` alone).
 */
export const AFTER_SCRIPT = `${FIRST}
if first >= 0 and tonumber(ARGV[4]) > 0 then
  local from = math.max(tonumber(ARGV[3]) + 1, first)
  keep(redis.call('XRANGE', KEYS[2], string.format('%d-0', from), '+', 'COUNT', ARGV[4]))
end
return out
`;

/**
 * KEYS seq, log, amended; ARGV cutoff, limit, before, count. Answers `{first, seq, at, text, ...}`:
 * the latest `count` entries before `before`, oldest first.
 */
export const BEFORE_SCRIPT = `${FIRST}
local to = tonumber(ARGV[3]) - 1
if first >= 0 and to >= first and tonumber(ARGV[4]) > 0 then
  local entries = redis.call('XREVRANGE', KEYS[2], string.format('%d-0', to), string.format('%d-0', first), 'COUNT', ARGV[4])
  local oldestFirst = {}
  for i = #entries, 1, -1 do table.insert(oldestFirst, entries[i]) end
  keep(oldestFirst)
end
return out
`;

/**
 * KEYS log, amended; ARGV seq, text. Serve entry `seq` as `text` from now on, if the Stream still
 * holds it (a Stream entry cannot be changed in place, and deleting and adding it again would move
 * it to the end). Once the hash has more than twice as many fields as the Stream has entries, those
 * of entries trimmed since go (so each amendment costs O(1) on average).
 */
export const AMEND_SCRIPT = `
local id = ARGV[1] .. '-0'
if not redis.call('XRANGE', KEYS[1], id, id)[1] then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
${pruneAmended('KEYS[1]', 'KEYS[2]')}
return 1
`;

/** The Lua that drops the amendments of trimmed entries (`log`, `amended`: the Lua of their keys), once they are twice the Stream's entries. */
function pruneAmended(log: string, amended: string): string {
  return `
if redis.call('HLEN', ${amended}) > 2 * redis.call('XLEN', ${log}) then
  local head = redis.call('XRANGE', ${log}, '-', '+', 'COUNT', 1)[1]
  local first = tonumber(string.match(head[1], '^%d+'))
  for _, seq in ipairs(redis.call('HKEYS', ${amended})) do
    if tonumber(seq) < first then redis.call('HDEL', ${amended}, seq) end
  end
end`;
}

/** {@link pruneAmended} for EDIT_SCRIPT's keys (log 3, amended 5). */
export const PRUNE_AMENDED = pruneAmended('KEYS[3]', 'KEYS[5]');

/**
 * KEYS the name keys to try, in order; ARGV owner, lease (ms), previous owner (or ''). Claims the
 * first that is free, or held by the owner or by the previous owner (a user rejoining with its
 * session: the name passes to its new connection), for `lease` ms. Answers its index (1-based), 0
 * when every one is taken.
 */
export const CLAIM_NAME_SCRIPT = `
for i, key in ipairs(KEYS) do
  local holder = redis.call('GET', key)
  if not holder or holder == ARGV[1] or (ARGV[3] ~= '' and holder == ARGV[3]) then
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
    return i
  end
end
return 0
`;

/** KEYS a name key; ARGV its owner. Frees the name if the owner still holds it. */
export const RELEASE_NAME_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
`;
