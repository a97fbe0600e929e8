import { PRUNE_AMENDED } from './redisScripts.js';
// Who may change which message, kept in Redis for every node (see EditRelay for the rules, the same
// on one node). A message is its author's by `K:author:AUTHOR\nNONCE` (AUTHOR: `Editor.author`, a
// server-side secret; NONCE: the message's), whose value is the JSON of the name the message went
// out under then, after a line break, the `seq`s of the message and its edits (comma-separated), or
// `deleted` once deleted. PUBLISH_SCRIPT sets it in the step that relays the message
// (only when it is not a resend), with the same expiry as the (name, nonce) resend key: the dedupe
// window, as long as one node remembers a message. Keyed by author, not name: an `edit` names only
// the nonce, and its author may have been renamed since.

/** The author key of `nonce` written by `author`, in the room whose keys start with `prefix` (`K:`). */
export function authorKey(prefix: string, author: string, nonce: string): string {
  return `${prefix}author:${author}\n${nonce}`;
}

/** What EDIT_SCRIPT answers besides a `seq` (> 0). */
export const EDIT_STALE = -1;
export const EDIT_NOT_YOURS = -2;
export const EDIT_DELETED = -3;
/** `check` only: the message may be changed by this author (nothing published). */
export const EDIT_ALLOWED = 0;

/**
 * The Lua that amends, in the history's `amended` hash (KEYS[5]), entry `seq` of the Stream (KEYS[3])
 * of a message being changed: the message itself (a delete: empty text, `deleted: true`; an edit: the
 * text now, `edited`: the change's date) or an earlier edit of it (a delete: served as a `delete`;
 * an edit: the text now), as EditRelay's amendments do on one node. The packet is written back with
 * `type` first (what `isEditText` reads), then the fields it had, numbers as integers.
 */
const AMEND = `
local order = {'type', 'id', 'name', 'text', 'date', 'edited', 'deleted', 'nonce', 'seq'}
local function encode(packet)
  local parts, done = {}, {}
  local function put(key)
    local value = packet[key]
    if value == nil or done[key] then return end
    done[key] = true
    local json = type(value) == 'number' and string.format('%.17g', value) or cjson.encode(value)
    table.insert(parts, cjson.encode(key) .. ':' .. json)
  end
  for _, key in ipairs(order) do put(key) end
  for key in pairs(packet) do put(key) end
  return '{' .. table.concat(parts, ',') .. '}'
end
local function amend(seq, deleting, text, date)
  local id = seq .. '-0'
  local entry = redis.call('XRANGE', KEYS[3], id, id)[1]
  if not entry then return end
  local packet = cjson.decode(redis.call('HGET', KEYS[5], seq) or entry[2][4])
  if packet.type == 'message' then
    if deleting then
      packet.text = ''
      packet.deleted = true
      packet.edited = nil
    else
      packet.text = text
      packet.edited = date
    end
  elseif packet.type == 'edit' then
    if deleting then
      packet = {type = 'delete', id = packet.id, name = packet.name, nonce = packet.nonce, date = packet.date, seq = packet.seq}
    else
      packet.text = text
    end
  else
    return
  end
  redis.call('HSET', KEYS[5], seq, encode(packet))
end
`;

/**
 * KEYS epoch, seq, log, author key, amended; ARGV epoch, head, tail, at, maxlen, mode (`edit`,
 * `delete`, or `check`: only whether it may be changed), the edit's text, the change's date. Checks
 * that the message is the caller's and not deleted, amends what the change replaces in the history
 * (the message and its earlier edits, whose `seq`s the author key lists after the name: see
 * PUBLISH_SCRIPT), marks it deleted for a `delete` (or adds the edit's `seq` to the list), and
 * numbers and appends the packet `head .. name .. tail` (the name it went out under, as kept), with
 * `,"seq":N` before its closing brace as PUBLISH_SCRIPT does: one step, so that every node sees one
 * answer (of two deletes on two nodes, one is refused) and no node serves a replaced text once the
 * change can be read. Answers the new `seq`, or EDIT_NOT_YOURS, EDIT_DELETED, EDIT_STALE (another
 * sequence: nothing done), EDIT_ALLOWED (`check`).
 */
export const EDIT_SCRIPT = `${AMEND}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return ${EDIT_STALE} end
local held = redis.call('GET', KEYS[4])
if not held then return ${EDIT_NOT_YOURS} end
if held == 'deleted' then return ${EDIT_DELETED} end
if ARGV[6] == 'check' then return ${EDIT_ALLOWED} end
-- The name, then the seqs of the message and its edits (a key written before they were kept: none).
local name, seqs = string.match(held, '^([^\\n]*)\\n?(.*)$')
local deleting = ARGV[6] == 'delete'
for seq in string.gmatch(seqs, '%d+') do amend(seq, deleting, ARGV[7], tonumber(ARGV[8])) end
local seq = redis.call('INCR', KEYS[2])
if deleting then
  redis.call('SET', KEYS[4], 'deleted', 'KEEPTTL')
else
  redis.call('SET', KEYS[4], name .. '\\n' .. (seqs == '' and '' or seqs .. ',') .. seq, 'KEEPTTL')
end
local text = ARGV[2] .. name .. string.sub(ARGV[3], 1, -2) .. ',"seq":' .. seq .. '}'
redis.call('XADD', KEYS[3], 'MAXLEN', ARGV[5], seq .. '-0', 'at', ARGV[4], 'text', text)
${PRUNE_AMENDED}
return seq
`;
