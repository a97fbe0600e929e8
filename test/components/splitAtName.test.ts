// @vitest-environment node
// Cutting a `strings` sentence around the name, for ChatBox's notices (the name goes in a <bdi>).
import { describe, expect, it } from 'vitest';
import { defaultChatStrings } from '../../src/chat/index.js';
import { splitAtName } from '../../src/components/splitAtName.js';

const signedIn = (name: string) => defaultChatStrings.signedIn(name, '10:04');

describe('splitAtName', () => {
  it('cuts the default sentences around the name', () => {
    expect(splitAtName(signedIn, 'שרה')).toEqual(['User ', 'שרה', ' signed in at 10:04']);
    expect(splitAtName(defaultChatStrings.renamed, 'carol!')).toEqual([
      'Your username has been set to ',
      'carol!',
      ' because the name you chose is in use.',
    ]);
  });

  it('cuts a sentence with two names around each, in the order the sentence puts them', () => {
    expect(splitAtName(defaultChatStrings.nameChanged, 'guest-2596', 'שרה')).toEqual(['', 'guest-2596', ' is now ', 'שרה', '']);
    expect(splitAtName(defaultChatStrings.left, 'is now')).toEqual(['', 'is now', ' left']);
    const hebrew = (previous: string, name: string) => `${name} (לשעבר ${previous})`;
    expect(splitAtName(hebrew, 'bob', 'בוב')).toEqual(['', 'בוב', ' (לשעבר ', 'bob', ')']);
  });

  it('finds the name where the sentence puts it, not where the same letters first occur', () => {
    // "User" and "e" occur before the name: the placeholder call tells where the name is.
    expect(splitAtName(signedIn, 'User')).toEqual(['User ', 'User', ' signed in at 10:04']);
    expect(splitAtName(defaultChatStrings.renamed, 'e')).toEqual([
      'Your username has been set to ',
      'e',
      ' because the name you chose is in use.',
    ]);
  });

  it('cuts a replacement in another language, the name anywhere in it', () => {
    const hebrew = (name: string) => `${name} נכנס/ה לצ׳אט`;
    expect(splitAtName(hebrew, 'carol!')).toEqual(['', 'carol!', ' נכנס/ה לצ׳אט']);
  });

  it('keeps names with markup, the placeholder character or nothing at all as text', () => {
    expect(splitAtName(signedIn, '<b>x</b>')).toEqual(['User ', '<b>x</b>', ' signed in at 10:04']);
    expect(splitAtName(signedIn, 'a\ufdd0b')).toEqual(['User ', 'a\ufdd0b', ' signed in at 10:04']);
    expect(splitAtName(defaultChatStrings.nameChanged, '\ufdd1', '\ufdd0')).toEqual(['', '\ufdd1', ' is now ', '\ufdd0', '']);
    expect(splitAtName(signedIn, '')).toEqual(['User ', '', ' signed in at 10:04']);
  });

  it('leaves uncut, exactly as returned, a sentence that changes a name; cuts around each place a name appears', () => {
    const shortened = (name: string) => `${name.slice(0, 3)} joined`;
    const upper = (name: string) => `${name.toUpperCase()} joined`;
    const anonymous = () => 'Someone joined';
    const stripped = (name: string) => `${name.replace(/\p{Noncharacter_Code_Point}/gu, '')} joined`;
    expect(splitAtName(shortened, 'carol')).toEqual(['car joined']);
    expect(splitAtName(upper, 'carol')).toEqual(['CAROL joined']);
    expect(splitAtName(anonymous, 'carol')).toEqual(['Someone joined']);
    expect(splitAtName(stripped, 'carol')).toEqual(['carol joined']);
    const twice = (name: string) => `${name}, welcome ${name}`;
    const oneOfTwo = (previous: string) => `${previous} changed name`;
    expect(splitAtName(twice, 'carol')).toEqual(['', 'carol', ', welcome ', 'carol', '']);
    expect(splitAtName(oneOfTwo, 'bob', 'carol')).toEqual(['', 'bob', ' changed name']);
  });
});
