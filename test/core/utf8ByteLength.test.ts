// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { utf8ByteLength } from '../../src/core/utf8ByteLength.ts';
import { mulberry32 } from '../helpers/random.js';

const encoder = new TextEncoder();
const encodedLength = (s: string): number => encoder.encode(s).length;

describe('utf8ByteLength', () => {
  it.each([
    ['empty', '', 0],
    ['ASCII', 'hello, world', 12],
    ['NUL and DEL', '\u0000\u007F', 2],
    ['2-byte (U+0080, é, U+07FF)', '\u0080é\u07FF', 6],
    ['3-byte (U+0800, €, U+FFFF)', '\u0800€\uFFFF', 9],
    ['3-byte just below/above the surrogates', '\uD7FF\uE000', 6],
    ['4-byte (surrogate pair U+1F600)', '😀', 4],
    ['4-byte (U+10000 and U+10FFFF)', '\u{10000}\u{10FFFF}', 8],
    ['mixed', 'a€é😀', 1 + 3 + 2 + 4],
    ['lone high surrogate', '\uD800', 3],
    ['lone high surrogate in the middle', 'a\uD83Db', 5],
    ['high surrogate at the end', 'abc\uDBFF', 6],
    ['lone low surrogate', '\uDC00', 3],
    ['lone low surrogate in the middle', 'a\uDFFFb', 5],
    ['low then high (reversed pair)', '\uDE00\uD83D', 6],
    ['two high surrogates then a low', '\uD83D\uD83D\uDE00', 3 + 4],
    ['high surrogate followed by a non-surrogate', '\uD83Dx', 4],
    ['high surrogate followed by a 2-byte char', '\uD83Dé', 5],
  ])('%s', (_label, text, expected) => {
    expect(utf8ByteLength(text)).toBe(expected);
    expect(utf8ByteLength(text)).toBe(encodedLength(text));
  });

  it('matches TextEncoder at every encoding-width boundary', () => {
    const boundaries = [0x00, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffd, 0xffff];
    for (const unit of boundaries) {
      const text = String.fromCharCode(unit);
      expect(utf8ByteLength(text)).toBe(encodedLength(text));
    }
  });

  it('matches TextEncoder for long repeated strings', () => {
    for (const chunk of ['a', 'é', '€', '😀', '\uD800', 'x\uDC00']) {
      const text = chunk.repeat(1000);
      expect(utf8ByteLength(text)).toBe(encodedLength(text));
    }
  });

  it('matches TextEncoder for 500 random strings of random UTF-16 code units (seeded)', () => {
    const random = mulberry32(0xc0ffee);
    // Bias towards the interesting ranges so surrogates (paired and lone) show up often.
    const ranges: Array<[number, number]> = [
      [0x0000, 0x007f],
      [0x0080, 0x07ff],
      [0x0800, 0xd7ff],
      [0xd800, 0xdbff],
      [0xdc00, 0xdfff],
      [0xe000, 0xffff],
    ];
    let sawPair = false;
    let sawLone = false;
    for (let n = 0; n < 500; n++) {
      const length = Math.floor(random() * 40);
      const units: number[] = [];
      for (let i = 0; i < length; i++) {
        const [lo, hi] = ranges[Math.floor(random() * ranges.length)] as [number, number];
        units.push(lo + Math.floor(random() * (hi - lo + 1)));
      }
      const text = String.fromCharCode(...units);
      if (/[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(text)) sawPair = true;
      if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) sawLone = true;
      expect(utf8ByteLength(text), `units ${units.map((u) => u.toString(16)).join(' ')}`).toBe(encodedLength(text));
    }
    // Guard that the generator actually exercised the tricky cases.
    expect(sawPair).toBe(true);
    expect(sawLone).toBe(true);
  });

  it('matches TextEncoder for 300 random strings of random code points (seeded)', () => {
    const random = mulberry32(42);
    for (let n = 0; n < 300; n++) {
      let text = '';
      const length = Math.floor(random() * 30);
      for (let i = 0; i < length; i++) {
        let cp = Math.floor(random() * 0x110000);
        if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x41; // code points only, no surrogates
        text += String.fromCodePoint(cp);
      }
      expect(utf8ByteLength(text)).toBe(encodedLength(text));
    }
  });
});
