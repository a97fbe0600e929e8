// The room's presence scripts: who is in the room on every node, as one `userlist` in the room's
// sequence. Each script changes the presence and publishes the new list in one step (numbered and
// appended like any packet: PUBLISH_SCRIPT's epoch check, INCR, XADD), so every node delivers the
// same list at the same place of the sequence.
//
// Keys of a room named K (besides redisScripts.ts's): `K:users` (a hash: owner, a connection's
// session -> `[node, nameKey, name]` as JSON), `K:present` (a sorted set: the owners in the order
// they came, the order of `userlist`), `K:joins` (the last order given), `K:node:N` (node N is alive:
// leased, renewed by the node), `K:session:OWNER` (the user of a session that may rejoin, `[name,
// author]` as JSON (author: `Editor.author`): leased while its connection is open, `rejoinWindow`
// after it closed). Every script is called with KEYS
// epoch, seq, log, users, present, joins and ARGV epoch, at, maxlen, keyPrefix first; the keys it
// reaches through keyPrefix (a node's, a session's, a name's) are the room's own (one Redis, no cluster).

/**
 * The shared head: `publishList()` numbers and appends the room's user list (the names, in the
 * order their owners came) as a `userlist` packet, as PUBLISH_SCRIPT does any packet; the epoch
 * check answers -1 (not the caller's sequence: nothing changed). `publishList(replaced)`: the list of a
 * takeover, whose entry also carries the session whose connection it replaced (field `replaced`): every
 * node reads it at that place of the sequence, and the one still holding that connection closes it.
 */
const HEAD = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local prefix = ARGV[4]
local function publishList(replaced)
  local names = {}
  for _, owner in ipairs(redis.call('ZRANGE', KEYS[5], 0, -1)) do
    local entry = redis.call('HGET', KEYS[4], owner)
    if entry then table.insert(names, cjson.decode(entry)[3]) end
  end
  local users = '[]'
  if #names > 0 then users = cjson.encode(names) end
  local seq = redis.call('INCR', KEYS[2])
  local text = '{"type":"userlist","users":' .. users .. ',"seq":' .. seq .. '}'
  if replaced then
    redis.call('XADD', KEYS[3], 'MAXLEN', ARGV[3], seq .. '-0', 'at', ARGV[2], 'text', text, 'replaced', replaced)
  else
    redis.call('XADD', KEYS[3], 'MAXLEN', ARGV[3], seq .. '-0', 'at', ARGV[2], 'text', text)
  end
  return seq
end
local function remove(owner)
  redis.call('ZREM', KEYS[5], owner)
  redis.call('HDEL', KEYS[4], owner)
end
`;

/**
 * ARGV (after the four) owner, node, nameKey (the full key, or ''), name, replaces (the session it
 * rejoined with, or ''), session lease (ms), the session's value. `owner` is in the room as `name`: at the place of the
 * entry it replaces (a user rejoining, maybe on another node: that entry leaves, its session is used
 * up, and the list's entry names it: see HEAD), or its own, or last. Answers the list's `seq`.
 */
export const PRESENT_SCRIPT = `${HEAD}
local owner, replaces = ARGV[5], ARGV[9]
local score = redis.call('ZSCORE', KEYS[5], owner)
if replaces ~= '' then
  score = redis.call('ZSCORE', KEYS[5], replaces) or score
  remove(replaces)
  redis.call('DEL', prefix .. 'session:' .. replaces)
end
score = score or redis.call('INCR', KEYS[6])
redis.call('ZADD', KEYS[5], score, owner)
redis.call('HSET', KEYS[4], owner, cjson.encode({tonumber(ARGV[6]), ARGV[7], ARGV[8]}))
redis.call('SET', prefix .. 'session:' .. owner, ARGV[11], 'PX', ARGV[10])
if replaces ~= '' then return publishList(replaces) end
return publishList()
`;

/**
 * ARGV (after the four) owner, rejoin window (ms; 0: none). `owner` left: out of the list, its
 * session kept for the window (if it had one). Answers the list's `seq`.
 */
export const ABSENT_SCRIPT = `${HEAD}
local owner = ARGV[5]
remove(owner)
if tonumber(ARGV[6]) > 0 then
  redis.call('PEXPIRE', prefix .. 'session:' .. owner, ARGV[6])
else
  redis.call('DEL', prefix .. 'session:' .. owner)
end
return publishList()
`;

/**
 * ARGV (after the four) node, lease (ms), session lease (ms), then pairs of a name key and its owner
 * (this node's named connections). The node's heartbeat: its own lease renewed (`K:node:N`), its
 * names' and sessions' leases extended (a name only while its owner still holds it), and the entries
 * of nodes whose lease ran out (dead nodes) removed, with the names they held; a list is published
 * when any left. Answers `{was, removed}`: whether this node's own lease was still there (0: it ran
 * out, and its entries may have been removed by another node), and how many entries left.
 */
export const HEARTBEAT_SCRIPT = `${HEAD}
local alive = prefix .. 'node:' .. ARGV[5]
local was = redis.call('GET', alive)
redis.call('SET', alive, '1', 'PX', ARGV[6])
for i = 8, #ARGV - 1, 2 do
  if redis.call('GET', ARGV[i]) == ARGV[i + 1] then redis.call('PEXPIRE', ARGV[i], ARGV[6]) end
  redis.call('PEXPIRE', prefix .. 'session:' .. ARGV[i + 1], ARGV[7])
end
local living = {}
local removed = 0
local entries = redis.call('HGETALL', KEYS[4])
for i = 1, #entries, 2 do
  local owner, entry = entries[i], cjson.decode(entries[i + 1])
  local node = tostring(entry[1])
  if living[node] == nil then living[node] = redis.call('EXISTS', prefix .. 'node:' .. node) == 1 end
  if not living[node] then
    remove(owner)
    if entry[2] ~= '' and redis.call('GET', entry[2]) == owner then redis.call('DEL', entry[2]) end
    removed = removed + 1
  end
end
if removed > 0 then publishList() end
if was then return {1, removed} end
return {0, removed}
`;

/**
 * ARGV (after the four) node, then the owners this node still has. Removes the node's other entries
 * (connections that left while Redis was out of reach, or all of them when the node shuts down);
 * publishes a list when any left. Answers how many left.
 */
export const SYNC_SCRIPT = `${HEAD}
local kept = {}
for i = 6, #ARGV do kept[ARGV[i]] = true end
local removed = 0
local entries = redis.call('HGETALL', KEYS[4])
for i = 1, #entries, 2 do
  local owner = entries[i]
  if tostring(cjson.decode(entries[i + 1])[1]) == ARGV[5] and not kept[owner] then
    remove(owner)
    removed = removed + 1
  end
end
if removed > 0 then publishList() end
return removed
`;
