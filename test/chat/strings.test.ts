// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createTimeFormat, defaultChatStrings } from '../../src/chat/index.js';

describe('default strings', () => {
  it('say what MDN says, and count in the singular and plural', () => {
    expect(defaultChatStrings.signedIn('bob', '10:04')).toBe('User bob signed in at 10:04');
    expect(defaultChatStrings.renamed('ada2')).toBe('Your username has been set to ada2 because the name you chose is in use.');
    expect(defaultChatStrings.userCount(1)).toBe('1 user');
    expect(defaultChatStrings.userCount(3)).toBe('3 users');
    expect(defaultChatStrings.newMessages(1)).toBe('1 new message');
    expect(defaultChatStrings.newMessages(12)).toBe('12 new messages');
    expect(defaultChatStrings.reconnecting(3, 2)).toBe('Reconnecting in 3 s (attempt 2)');
    expect(defaultChatStrings.disconnected(null)).toBe('Disconnected');
    expect(defaultChatStrings.disconnected(1000)).toBe('Disconnected: the chat was closed');
    expect(defaultChatStrings.disconnected(1001)).toBe('Disconnected: the server is going away');
    expect(defaultChatStrings.disconnected(1006)).toBe('Disconnected: the connection was lost');
    expect(defaultChatStrings.disconnected(1008)).toBe('Disconnected: refused by the server. Wait a minute, then reconnect');
    expect(defaultChatStrings.disconnected(1009)).toBe('Disconnected: a message was too big');
    expect(defaultChatStrings.disconnected(1011)).toBe('Disconnected: server error');
    expect(defaultChatStrings.disconnected(1012)).toBe('Disconnected: the server is restarting');
    expect(defaultChatStrings.disconnected(1013)).toBe('Disconnected: the server is busy, try again later');
    expect(defaultChatStrings.disconnected(4000)).toBe('Disconnected: no reply to the heartbeat');
    expect(defaultChatStrings.disconnected(1002)).toBe('Disconnected (code 1002)');
    expect(defaultChatStrings.disconnected(4321)).toBe('Disconnected (code 4321)');
    expect(Object.isFrozen(defaultChatStrings)).toBe(true);
  });

  it('name a message for screen readers, and summarise a burst by its senders', () => {
    expect(defaultChatStrings.messageName('bob', 'hi there', '9:30 AM')).toBe('bob, 9:30 AM: hi there');
    expect(defaultChatStrings.messageName('bob', 'hi there')).toBe('bob: hi there');
    expect(defaultChatStrings.ownSender).toBe('You');
    expect(defaultChatStrings.newMessagesFrom(2, ['bob'])).toBe('2 new messages from bob');
    expect(defaultChatStrings.newMessagesFrom(5, ['bob', 'alice'])).toBe('5 new messages from bob and alice');
    expect(defaultChatStrings.newMessagesFrom(6, ['bob', 'alice', 'eve'])).toBe('6 new messages from bob, alice, and eve');
    expect(defaultChatStrings.newMessagesFrom(9, ['bob', 'alice', 'eve', 'ann', 'joe'])).toBe(
      '9 new messages from bob, alice, and 3 others',
    );
  });
});

describe('createTimeFormat', () => {
  const date = Date.UTC(2026, 10, 26, 14, 5);
  it('formats in the given locale and gives ISO for dateTime', () => {
    const format = createTimeFormat('en-US');
    expect(format.iso(date)).toBe('2026-11-26T14:05:00.000Z');
    expect(format.time(date)).toMatch(/^\d{1,2}:05\s?(AM|PM)$/);
    expect(createTimeFormat('de-DE').time(date)).toMatch(/^\d{2}:05$/);
    expect(createTimeFormat('ar-EG').time(date)).not.toBe(format.time(date));
  });
  it('gives the full date and time, for a message’s title', () => {
    expect(createTimeFormat('en-US').full(date)).toMatch(/^Thursday, November 26, 2026 at \d{1,2}:05\s?(AM|PM)$/);
    expect(createTimeFormat('de-DE').full(date)).toMatch(/^Donnerstag, 26\. November 2026 um \d{2}:05$/);
    expect(createTimeFormat('en-US').full(Number.NaN)).toBe('');
  });
  it('never throws on a bad date', () => {
    const format = createTimeFormat('en-US');
    expect(format.time(Number.NaN)).toBe('');
    expect(format.iso(Number.POSITIVE_INFINITY)).toBe('');
    // Finite, so a packet may carry it, but beyond what a Date can hold.
    expect(format.time(1e20)).toBe('');
    expect(format.iso(-1e20)).toBe('');
  });
});
