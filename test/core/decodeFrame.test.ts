// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { decodeFrame } from '../../src/core/decodeFrame.ts';
import type { Checked } from '../../src/core/validateUrl.ts';
import type { WebSocketError } from '../../src/core/WebSocketError.ts';

function expectOk<T>(result: Checked<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.kind}: ${result.error.message}`);
  return result.value;
}

function expectError<T>(result: Checked<T>, kind: WebSocketError['kind']): WebSocketError {
  if (result.ok) throw new Error(`expected a '${kind}' error, got ok: ${String(result.value)}`);
  expect(result.error.kind).toBe(kind);
  return result.error;
}

const isPoint = (v: unknown): v is { x: number } => typeof (v as { x?: unknown } | null)?.x === 'number';

describe('decodeFrame', () => {
  it('parses JSON by default', () => {
    expect(expectOk(decodeFrame('{"a":1}'))).toEqual({ a: 1 });
    expect(expectOk(decodeFrame('null', 'json'))).toBeNull();
  });

  it('reports a frame that is not JSON as a parse error carrying the frame and the cause', () => {
    const error = expectError(decodeFrame('{not json'), 'parse');
    expect(error.message).toMatch(/^Could not parse a frame as JSON: ./);
    expect(error.data).toBe('{not json');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it("passes text as is with parse: 'text'", () => {
    expect(expectOk(decodeFrame('{not json', 'text'))).toBe('{not json');
  });

  it('reports a binary frame where text is expected, naming its type', () => {
    const buffer = new ArrayBuffer(4);
    const error = expectError(decodeFrame(buffer), 'parse');
    expect(error.message).toBe('Could not parse a binary frame (ArrayBuffer): expected text.');
    expect(error.data).toBe(buffer);
    expect(expectError(decodeFrame(new Blob(['x']), 'text'), 'parse').message).toMatch(/\(Blob\)/);
  });

  it('hands any frame, binary included, to a custom parser', () => {
    expect(expectOk(decodeFrame('ff', (data) => Number.parseInt(String(data), 16)))).toBe(255);
    expect(expectOk(decodeFrame(new ArrayBuffer(3), (data) => (data as ArrayBuffer).byteLength))).toBe(3);
  });

  it('reports a parser that throws as a parse error with its cause, without "as JSON"', () => {
    const boom = new Error('boom');
    const error = expectError(
      decodeFrame('x', () => {
        throw boom;
      }),
      'parse',
    );
    expect(error).toMatchObject({ data: 'x', cause: boom, message: 'Could not parse a frame: boom' });
  });

  it('keeps what validate accepts and reports what it refuses, never substituting a value', () => {
    expect(expectOk(decodeFrame('{"x":1}', 'json', isPoint))).toEqual({ x: 1 });
    const error = expectError(decodeFrame('{"x":"no"}', 'json', isPoint), 'validation');
    expect(error).toMatchObject({ data: '{"x":"no"}', message: 'A message failed validation (skipped).' });
    expect(error.cause).toBeUndefined();
  });

  it('reports a validator that throws as a validation error with its cause', () => {
    const boom = new Error('bad guard');
    const error = expectError(
      decodeFrame('1', 'json', () => {
        throw boom;
      }),
      'validation',
    );
    expect(error).toMatchObject({ data: '1', cause: boom });
  });
});
