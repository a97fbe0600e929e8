// @vitest-environment node
// The bounded memory behind rejoining: sessions of users who left, for a window, at most `capacity`.
import { describe, expect, it } from 'vitest';

import { DepartedSessions } from '../../src/server/sessions.ts';

describe('DepartedSessions', () => {
  it('gives back the name within the window, once', () => {
    const left = new DepartedSessions(1000, 10);
    left.add('s1', 'bob', 0);
    expect(left.take('s1', 999)).toBe('bob');
    expect(left.take('s1', 999)).toBeNull();
  });

  it('forgets a session once the window has passed', () => {
    const left = new DepartedSessions(1000, 10);
    left.add('s1', 'bob', 0);
    expect(left.take('s1', 1000)).toBeNull();
    expect(left.size).toBe(0);
  });

  it('keeps at most `capacity`, forgetting the oldest first', () => {
    const left = new DepartedSessions(60_000, 2);
    for (let i = 1; i <= 5; i++) left.add(`s${i}`, `user${i}`, i);
    expect(left.size).toBe(2);
    expect(left.take('s3', 10)).toBeNull();
    expect(left.take('s4', 10)).toBe('user4');
    expect(left.take('s5', 10)).toBe('user5');
  });

  it('keeps nothing with a window of 0', () => {
    const left = new DepartedSessions(0, 10);
    left.add('s1', 'bob', 0);
    expect(left.size).toBe(0);
    expect(left.take('s1', 0)).toBeNull();
  });
});
