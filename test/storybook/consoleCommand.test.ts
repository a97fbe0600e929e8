// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { CONSOLE_KEYS, consoleCommand } from '../../.storybook/consoleCommand.ts';

describe('consoleCommand (the keys of `npm start`)', () => {
  it('maps s to toggling the chat server, r to restarting it, q and Ctrl+C to quitting, h and ? to help', () => {
    expect(['s', 'r', 'q', '\u0003', 'h', '?'].map(consoleCommand)).toEqual(['toggle', 'restart', 'quit', 'quit', 'help', 'help']);
  });

  it('takes upper case too (Caps Lock on)', () => {
    expect(['S', 'R', 'Q', 'H'].map(consoleCommand)).toEqual(['toggle', 'restart', 'quit', 'help']);
  });

  it('ignores every other key, and the line ends of a console that is not a terminal', () => {
    expect(['x', ' ', '\n', '\r', '\u001b', 'ss', ''].map(consoleCommand)).toEqual([null, null, null, null, null, null, null]);
  });

  it('lists, for the console and the README, exactly the keys it answers to', () => {
    const listed = CONSOLE_KEYS.map((line) => line.charAt(0));
    expect(listed).toEqual(['s', 'r', 'q', 'h']);
    for (const key of listed) expect(consoleCommand(key)).not.toBeNull();
  });
});
