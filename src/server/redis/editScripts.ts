// Who may change which message, kept in Redis for every node (see EditRelay for the rules, the same
// on one node). A message is its author's by `K:author:AUTHOR\nNONCE` (AUTHOR: `Editor.author`, a
// server-side secret; NONCE: the message's), whose value is the JSON of the name the message went
// out under, or `deleted` once deleted. PUBLISH_SCRIPT sets it in the step that relays the message
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
 * KEYS epoch, seq, log, author key; ARGV epoch, head, tail, at, maxlen, mode (`edit`, `delete`, or
 * `check`: only whether it may be changed). Checks that the message is the caller's and not deleted,
 * marks it deleted for a `delete`, and numbers and appends the packet `head .. name .. tail` (the
 * name it went out under, as kept), with `,"seq":N` before its closing brace as PUBLISH_SCRIPT does:
 * one step, so that every node sees one answer (of two deletes on two nodes, one is refused).
 * Answers the new `seq`, or EDIT_NOT_YOURS, EDIT_DELETED, EDIT_STALE (another sequence: nothing
 * done), EDIT_ALLOWED (`check`).
 */
export const EDIT_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return ${EDIT_STALE} end
local name = redis.call('GET', KEYS[4])
if not name then return ${EDIT_NOT_YOURS} end
if name == 'deleted' then return ${EDIT_DELETED} end
if ARGV[6] == 'check' then return ${EDIT_ALLOWED} end
if ARGV[6] == 'delete' then redis.call('SET', KEYS[4], 'deleted', 'KEEPTTL') end
local seq = redis.call('INCR', KEYS[2])
local text = ARGV[2] .. name .. string.sub(ARGV[3], 1, -2) .. ',"seq":' .. seq .. '}'
redis.call('XADD', KEYS[3], 'MAXLEN', ARGV[5], seq .. '-0', 'at', ARGV[4], 'text', text)
return seq
`;
