// @vitest-environment node
import { describe, expect, it } from 'vitest';

import type { WebSocketError } from '../../src/core/WebSocketError.ts';
import { currentLocationHref, isProtocolToken, normalizeProtocols, resolveWebSocketUrl, type Checked } from '../../src/core/validateUrl.ts';

function expectOk<T>(result: Checked<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.kind}: ${result.error.message}`);
  return result.value;
}

function expectError<T>(result: Checked<T>, kind: WebSocketError['kind']): WebSocketError {
  if (result.ok) throw new Error(`expected a '${kind}' error, got ok: ${String(result.value)}`);
  const { error } = result;
  expect(error.kind).toBe(kind);
  expect(Object.isFrozen(error)).toBe(true);
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  expect(typeof error.timestamp).toBe('number');
  expect(Number.isFinite(error.timestamp)).toBe(true);
  return error;
}

describe('currentLocationHref (node)', () => {
  it('is undefined where there is no location', () => {
    expect((globalThis as { location?: unknown }).location).toBeUndefined();
    expect(currentLocationHref()).toBeUndefined();
  });
});

describe('resolveWebSocketUrl', () => {
  describe('absolute ws/wss URLs', () => {
    it.each([
      ['ws://example.com/chat', 'ws://example.com/chat'],
      ['wss://example.com/chat', 'wss://example.com/chat'],
      ['ws://example.com', 'ws://example.com/'],
      ['WSS://Example.COM:443/Chat?room=1', 'wss://example.com/Chat?room=1'],
      ['ws://example.com:80/', 'ws://example.com/'],
      ['ws://example.com:8080/a b', 'ws://example.com:8080/a%20b'],
    ])('%s -> %s', (input, expected) => {
      expect(resolveWebSocketUrl(input)).toEqual({ ok: true, value: expected });
    });

    it('accepts a URL object', () => {
      expect(resolveWebSocketUrl(new URL('wss://example.com/x'))).toEqual({ ok: true, value: 'wss://example.com/x' });
    });

    it('ignores the base for absolute URLs (except mixed content)', () => {
      expect(resolveWebSocketUrl('wss://other.org/y', { baseUrl: 'https://example.com/app' })).toEqual({
        ok: true,
        value: 'wss://other.org/y',
      });
    });
  });

  describe('http/https map to ws/wss', () => {
    it.each([
      ['http://example.com/chat', 'ws://example.com/chat'],
      ['https://example.com/chat', 'wss://example.com/chat'],
      ['HTTPS://example.com:8443/chat?x=1', 'wss://example.com:8443/chat?x=1'],
      ['http://example.com:80/', 'ws://example.com/'],
      ['https://example.com:443/', 'wss://example.com/'],
    ])('%s -> %s', (input, expected) => {
      expect(resolveWebSocketUrl(input)).toEqual({ ok: true, value: expected });
    });
  });

  describe('relative URLs against a base', () => {
    it.each([
      ['/chat', 'https://example.com/app/page', 'wss://example.com/chat'],
      ['chat', 'https://example.com/app/page', 'wss://example.com/app/chat'],
      ['chat', 'https://example.com/app/', 'wss://example.com/app/chat'],
      ['../chat', 'https://example.com/a/b/c', 'wss://example.com/a/chat'],
      ['?room=2', 'https://example.com/app?room=1', 'wss://example.com/app?room=2'],
      ['//other.org/x', 'https://example.com/app', 'wss://other.org/x'],
      ['/chat', 'http://example.com:3000/', 'ws://example.com:3000/chat'],
      ['//other.org/x', 'http://example.com/', 'ws://other.org/x'],
    ])('%s from %s -> %s', (input, baseUrl, expected) => {
      expect(resolveWebSocketUrl(input, { baseUrl })).toEqual({ ok: true, value: expected });
    });

    it('drops the fragment of the base (only the input fragment counts)', () => {
      expect(resolveWebSocketUrl('/chat', { baseUrl: 'https://example.com/app#section' })).toEqual({
        ok: true,
        value: 'wss://example.com/chat',
      });
    });
  });

  describe('syntax errors', () => {
    it.each(['/chat', 'chat', '//host/x', ''])('%j without any base is a syntax error with a hint', (input) => {
      const error = expectError(resolveWebSocketUrl(input), 'syntax');
      expect(error.message).toContain('base URL');
      expect(error.cause).toBeInstanceOf(TypeError);
    });

    it.each(['not a url', 'ws://', 'http://', 'ws://exa mple.com/', 'ws://[::1/', ':::'])(
      'garbage %j is a syntax error with the parser exception as cause',
      (input) => {
        const error = expectError(resolveWebSocketUrl(input), 'syntax');
        expect(error.message).toContain(`'${input}'`);
        expect(error.cause).toBeInstanceOf(TypeError);
      },
    );

    it.each(['ws://', 'http://', 'ws://exa mple.com/', 'ws://[::1/', 'ws://x:99999/'])(
      'garbage %j against a base is a syntax error without the missing-base hint',
      (input) => {
        const error = expectError(resolveWebSocketUrl(input, { baseUrl: 'https://example.com/' }), 'syntax');
        expect(error.message).toContain(`'${input}'`);
        expect(error.message).not.toContain('base URL');
        expect(error.cause).toBeInstanceOf(TypeError);
      },
    );

    it.each([
      ['ftp://example.com/file', 'ftp'],
      ['file:///etc/passwd', 'file'],
      ['javascript:alert(1)', 'javascript'],
      ['data:text/plain,hi', 'data'],
      ['mailto:a@example.com', 'mailto'],
      ['blob:https://example.com/uuid', 'blob'],
    ])('scheme of %s is a syntax error naming %s', (input, scheme) => {
      const error = expectError(resolveWebSocketUrl(input), 'syntax');
      expect(error.message).toContain(`'${scheme}'`);
      expect('cause' in error).toBe(false);
    });

    it('a relative URL against a non-http base with another scheme is a syntax error', () => {
      expectError(resolveWebSocketUrl('x', { baseUrl: 'file:///home/user/' }), 'syntax');
    });

    it.each([
      ['wss://example.com/chat#x', "'#x'"],
      ['ws://example.com/?a=1#frag', "'#frag'"],
      ['https://example.com/chat#x', "'#x'"],
      ['wss://example.com/chat#', "'#'"],
      ['ws://example.com#', "'#'"],
    ])('fragment in %s is a syntax error mentioning %s', (input, shown) => {
      const error = expectError(resolveWebSocketUrl(input), 'syntax');
      expect(error.message).toContain(shown);
      expect(error.message).toContain('fragment');
    });

    it.each(['#x', '#'])('relative fragment %j against a base is a syntax error', (input) => {
      expectError(resolveWebSocketUrl(input, { baseUrl: 'https://example.com/app' }), 'syntax');
    });

    it('accepts a percent-encoded # (not a fragment)', () => {
      expect(resolveWebSocketUrl('wss://example.com/a%23b')).toEqual({ ok: true, value: 'wss://example.com/a%23b' });
    });
  });

  describe('mixed content', () => {
    it('ws: from an https: page is a security error that suggests wss', () => {
      const error = expectError(resolveWebSocketUrl('ws://example.com/chat', { baseUrl: 'https://example.com/app' }), 'security');
      expect(error.message).toBe("Mixed content: use wss: for 'ws://example.com/chat' from an HTTPS page.");
      expect('cause' in error).toBe(false);
    });

    it('http: from an https: page is a security error too (it maps to ws:)', () => {
      expectError(resolveWebSocketUrl('http://example.com/chat', { baseUrl: 'https://example.com/' }), 'security');
    });

    it('a protocol-relative URL from an https: page becomes wss: and is fine', () => {
      expect(resolveWebSocketUrl('//example.com/chat', { baseUrl: 'https://example.com/' })).toEqual({
        ok: true,
        value: 'wss://example.com/chat',
      });
    });

    it('wss: from an https: page is fine', () => {
      expect(resolveWebSocketUrl('wss://example.com/chat', { baseUrl: 'https://example.com/' })).toEqual({
        ok: true,
        value: 'wss://example.com/chat',
      });
    });

    it('ws: from an http: page is fine', () => {
      expect(resolveWebSocketUrl('ws://example.com/chat', { baseUrl: 'http://example.com/' })).toEqual({
        ok: true,
        value: 'ws://example.com/chat',
      });
    });

    it('ws: with no base at all is fine (no page to be mixed with)', () => {
      expect(resolveWebSocketUrl('ws://example.com/chat')).toEqual({ ok: true, value: 'ws://example.com/chat' });
    });

    it.each([
      ['ws://localhost/chat', 'ws://localhost/chat'],
      ['ws://LOCALHOST:8080/chat', 'ws://localhost:8080/chat'],
      ['ws://foo.localhost/chat', 'ws://foo.localhost/chat'],
      ['ws://a.b.localhost:1234/', 'ws://a.b.localhost:1234/'],
      ['ws://127.0.0.1:8080/chat', 'ws://127.0.0.1:8080/chat'],
      ['ws://127.1.2.3/chat', 'ws://127.1.2.3/chat'],
      ['ws://127.255.255.255/', 'ws://127.255.255.255/'],
      ['ws://[::1]:8080/chat', 'ws://[::1]:8080/chat'],
    ])('loopback %s from an https: page is allowed', (input, expected) => {
      expect(resolveWebSocketUrl(input, { baseUrl: 'https://example.com/' })).toEqual({ ok: true, value: expected });
    });

    it.each([
      'ws://localhost.example.com/',
      'ws://notlocalhost/',
      'ws://128.0.0.1/',
      'ws://10.0.0.1/',
      'ws://[::2]/',
      'ws://example.com/localhost',
    ])('non-loopback %s from an https: page is a security error', (input) => {
      expectError(resolveWebSocketUrl(input, { baseUrl: 'https://example.com/' }), 'security');
    });

    it('an unparsable base is a syntax error for relative input', () => {
      expectError(resolveWebSocketUrl('/chat', { baseUrl: 'not a url' }), 'syntax');
    });
  });

  describe('errors are values', () => {
    it('never throws, whatever the input', () => {
      const inputs = ['', ' ', '\u0000', 'ws://\uD800/', '%', '#', '?', 'ws://h/#', 'ftp://x', 'ws://x:99999/'];
      for (const input of inputs) {
        for (const baseUrl of [undefined, 'https://example.com/', 'garbage']) {
          expect(() => resolveWebSocketUrl(input, { baseUrl })).not.toThrow();
        }
      }
    });

    it('stamps errors with the current time', () => {
      const before = Date.now();
      const error = expectError(resolveWebSocketUrl('chat'), 'syntax');
      expect(error.timestamp).toBeGreaterThanOrEqual(before);
      expect(error.timestamp).toBeLessThanOrEqual(Date.now());
    });

    it('returns frozen errors that cannot be changed', () => {
      const error = expectError(resolveWebSocketUrl('ftp://x'), 'syntax');
      expect(() => {
        (error as { kind: string }).kind = 'security';
      }).toThrow(TypeError);
      expect(error.kind).toBe('syntax');
    });
  });
});

describe('isProtocolToken', () => {
  it.each(['json', 'v1.chat', 'chat', 'a', 'A-Z', "a-b_c~!#$%&'*+.^`|", 'soap', 'graphql-transport-ws', '0123'])('accepts %j', (token) => {
    expect(isProtocolToken(token)).toBe(true);
  });

  it('accepts every visible ASCII character that is not a separator', () => {
    const separators = '()<>@,;:\\"/[]?={}';
    for (let code = 0x21; code <= 0x7e; code++) {
      const char = String.fromCharCode(code);
      expect(isProtocolToken(`a${char}b`)).toBe(!separators.includes(char));
    }
  });

  it('rejects the empty string', () => {
    expect(isProtocolToken('')).toBe(false);
  });

  it.each([' ', 'a b', ' json', 'json ', '\t', 'a\tb'])('rejects whitespace in %j', (value) => {
    expect(isProtocolToken(value)).toBe(false);
  });

  it.each('()<>@,;:\\"/[]?={}'.split(''))('rejects the separator %j', (separator) => {
    expect(isProtocolToken(separator)).toBe(false);
    expect(isProtocolToken(`chat${separator}v1`)).toBe(false);
  });

  it.each(['é', 'chät', '€', '😀', '\u00A0', '\u0080', '\uD800'])('rejects non-ASCII %j', (value) => {
    expect(isProtocolToken(value)).toBe(false);
  });

  it('rejects control characters, including DEL', () => {
    for (let code = 0; code < 0x20; code++) expect(isProtocolToken(`a${String.fromCharCode(code)}`)).toBe(false);
    expect(isProtocolToken('a\u007F')).toBe(false);
  });
});

describe('normalizeProtocols', () => {
  it('turns undefined into an empty list', () => {
    expect(normalizeProtocols(undefined)).toEqual({ ok: true, value: [] });
  });

  it('wraps a single string', () => {
    expect(normalizeProtocols('json')).toEqual({ ok: true, value: ['json'] });
  });

  it('keeps an array in order', () => {
    expect(normalizeProtocols(['v2.chat', 'v1.chat', 'json'])).toEqual({ ok: true, value: ['v2.chat', 'v1.chat', 'json'] });
  });

  it('accepts an empty array', () => {
    expect(normalizeProtocols([])).toEqual({ ok: true, value: [] });
  });

  it('returns a frozen copy and leaves the input alone', () => {
    const input = ['a', 'b'];
    const value = expectOk(normalizeProtocols(input));
    expect(value).not.toBe(input);
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(input)).toBe(false);
    input.push('c');
    expect(value).toEqual(['a', 'b']);
  });

  it('rejects duplicates with a syntax error naming the protocol', () => {
    const error = expectError(normalizeProtocols(['json', 'xml', 'json']), 'syntax');
    expect(error.message).toContain("'json'");
    expect(error.message).toBe("Duplicate sub-protocol 'json'.");
  });

  it('treats protocols differing in case as distinct', () => {
    expect(normalizeProtocols(['json', 'JSON'])).toEqual({ ok: true, value: ['json', 'JSON'] });
  });

  it.each([[''], [' '], ['a b'], ['chat,json'], ['é'], ['\u0001'], ['a\nb']])('rejects the single string %j', (value) => {
    const error = expectError(normalizeProtocols(value), 'syntax');
    expect(error.message).toContain(`Invalid sub-protocol '${value}'`);
  });

  it.each('()<>@,;:\\"/[]?={}'.split(''))('rejects an array holding the separator %j', (separator) => {
    expectError(normalizeProtocols(['json', `v1${separator}`]), 'syntax');
  });

  it.each([[['json', '']], [['json', ' ']], [['ok', 'nön-ascii']], [['ok', 'ctl\u007F']], [['ok', 'ctl\u0000']]])(
    'rejects an array with an invalid entry: %j',
    (list) => {
      expectError(normalizeProtocols(list), 'syntax');
    },
  );

  it('rejects a non-string entry at run time', () => {
    const error = expectError(normalizeProtocols(['json', 42 as unknown as string]), 'syntax');
    expect(error.message).toContain('42');
  });

  it('never throws', () => {
    expect(() => normalizeProtocols([null as unknown as string])).not.toThrow();
    expect(() => normalizeProtocols(['a', 'a', ''])).not.toThrow();
  });
});

it('hints at the missing base only for URLs that look relative', () => {
  const relative = resolveWebSocketUrl('chat');
  const garbage = resolveWebSocketUrl('ws://exa mple.com/');
  expect(relative.ok || relative.error.message).toMatch(/relative URLs need a base URL/);
  expect(garbage.ok || garbage.error.message).not.toMatch(/relative URLs/);
});
