import type { IncomingData, ParseOption } from './types.js';
import { failure, type Checked } from './validateUrl.js';
import { describeCause } from './WebSocketError.js';

/**
 * What happens to an incoming frame: `parse` turns it into a message (`'json'` by default, `'text'`
 * as is, or a function), then `validate`, if given, must accept it. Never throws: a frame that
 * cannot be parsed is a `parse` error, one that fails (or throws in) `validate` a `validation`
 * error, each carrying the frame as `data` (and what was thrown as `cause`).
 */
export function decodeFrame<In>(
  data: IncomingData,
  parse: ParseOption<In> = 'json',
  validate?: ((value: unknown) => boolean) | undefined,
): Checked<In> {
  let value: unknown = data;
  try {
    if (typeof parse === 'function') value = parse(data);
    else if (typeof data !== 'string')
      return failure('parse', `Could not parse a binary frame (${binaryName(data)}): expected text.`, { data });
    else if (parse === 'json') value = JSON.parse(data);
  } catch (error) {
    return failure('parse', `Could not parse a frame${parse === 'json' ? ' as JSON' : ''}: ${describeCause(error)}`, {
      data,
      cause: error,
    });
  }
  try {
    if (validate && !validate(value)) return failure('validation', 'A message failed validation (skipped).', { data });
  } catch (cause) {
    return failure('validation', 'A message failed validation (skipped).', { data, cause });
  }
  return { ok: true, value: value as In };
}

function binaryName(data: unknown): string {
  return (data as { constructor?: { name?: string } } | null)?.constructor?.name ?? typeof data;
}
