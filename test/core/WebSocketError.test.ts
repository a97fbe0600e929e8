// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest';

import { createWebSocketError, isWebSocketError, type WebSocketErrorKind } from '../../src/core/WebSocketError.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createWebSocketError', () => {
  it('builds an error with kind, message and a Date.now() timestamp', () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    const error = createWebSocketError('connection', 'The connection failed.');
    expect(error).toEqual({ kind: 'connection', message: 'The connection failed.', timestamp: 1_700_000_000_000 });
    expect(Object.keys(error).sort()).toEqual(['kind', 'message', 'timestamp']);
  });

  it('uses a given timestamp, even 0', () => {
    const spy = vi.spyOn(Date, 'now').mockReturnValue(123);
    expect(createWebSocketError('send', 'x', { timestamp: 42 }).timestamp).toBe(42);
    expect(createWebSocketError('send', 'x', { timestamp: 0 }).timestamp).toBe(0);
    expect(spy).not.toHaveBeenCalled();
  });

  it('freezes the error', () => {
    const error = createWebSocketError('parse', 'bad frame', { data: '{', cause: new SyntaxError('x') });
    expect(Object.isFrozen(error)).toBe(true);
    expect(() => {
      (error as { message: string }).message = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      (error as { extra?: number }).extra = 1;
    }).toThrow(TypeError);
    expect(error.message).toBe('bad frame');
  });

  it('has no data or cause keys when none are given', () => {
    const error = createWebSocketError('heartbeat', 'timeout');
    expect('data' in error).toBe(false);
    expect('cause' in error).toBe(false);
    const withEmptyExtra = createWebSocketError('heartbeat', 'timeout', {});
    expect('data' in withEmptyExtra).toBe(false);
    expect('cause' in withEmptyExtra).toBe(false);
  });

  it('keeps data when given, and only data', () => {
    const data = { raw: 'frame' };
    const error = createWebSocketError('validation', 'invalid', { data });
    expect('data' in error).toBe(true);
    expect(error.data).toBe(data);
    expect('cause' in error).toBe(false);
  });

  it('keeps cause when given, and only cause', () => {
    const cause = new TypeError('boom');
    const error = createWebSocketError('resolve', 'url() threw', { cause });
    expect('cause' in error).toBe(true);
    expect(error.cause).toBe(cause);
    expect('data' in error).toBe(false);
  });

  it('keeps data and cause given explicitly as undefined (the key was given)', () => {
    const error = createWebSocketError('send', 'x', { data: undefined, cause: undefined });
    expect('data' in error).toBe(true);
    expect('cause' in error).toBe(true);
    expect(error.data).toBeUndefined();
    expect(error.cause).toBeUndefined();
  });

  it('keeps falsy data and cause values', () => {
    const error = createWebSocketError('overflow', 'full', { data: '', cause: 0 });
    expect(error.data).toBe('');
    expect(error.cause).toBe(0);
  });

  it('does not freeze or copy the data it carries', () => {
    const data = [1, 2];
    const error = createWebSocketError('overflow', 'full', { data });
    expect(error.data).toBe(data);
    expect(Object.isFrozen(data)).toBe(false);
  });

  it('does not keep a reference to the extra object', () => {
    const extra: { data?: unknown } = { data: 1 };
    const error = createWebSocketError('send', 'x', extra);
    extra.data = 2;
    expect(error.data).toBe(1);
  });

  it('accepts every kind', () => {
    const kinds: WebSocketErrorKind[] = [
      'syntax',
      'security',
      'resolve',
      'connection',
      'protocol',
      'parse',
      'validation',
      'overflow',
      'send',
      'heartbeat',
      'auth',
    ];
    for (const kind of kinds) expect(createWebSocketError(kind, 'm').kind).toBe(kind);
  });

  it('is a plain object, not an Error', () => {
    const error = createWebSocketError('syntax', 'x');
    expect(error).not.toBeInstanceOf(Error);
    expect(Object.getPrototypeOf(error)).toBe(Object.prototype);
  });
});

describe('isWebSocketError', () => {
  it('recognizes errors built by createWebSocketError', () => {
    expect(isWebSocketError(createWebSocketError('syntax', 'x'))).toBe(true);
    expect(isWebSocketError(createWebSocketError('send', '', { data: 1, cause: 2, timestamp: 3 }))).toBe(true);
  });

  it('recognizes structurally equal plain objects', () => {
    expect(isWebSocketError({ kind: 'connection', message: 'lost', timestamp: 1 })).toBe(true);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'syntax'],
    ['a number', 42],
    ['a boolean', true],
    ['a function', () => undefined],
    ['an empty object', {}],
    ['an array', ['syntax', 'x']],
    ['an Error (no kind)', new Error('boom')],
    ['a DOMException (no kind)', new DOMException('x', 'SyntaxError')],
    ['kind only', { kind: 'syntax' }],
    ['message only', { message: 'x' }],
    ['non-string kind', { kind: 1, message: 'x' }],
    ['non-string message', { kind: 'syntax', message: 1 }],
    ['null kind', { kind: null, message: 'x' }],
  ])('rejects %s', (_label, value) => {
    expect(isWebSocketError(value)).toBe(false);
  });
});
