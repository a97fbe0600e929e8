// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ReadyState, connectionState } from '../../src/index.js';

describe('connectionState', () => {
  it.each([
    [ReadyState.OPEN, null, true, 'open'],
    [ReadyState.OPEN, null, false, 'open'],
    [ReadyState.CLOSING, 123, true, 'closing'],
    [ReadyState.CONNECTING, null, true, 'connecting'],
    // An attempt in flight is connecting even when the host reports offline.
    [ReadyState.CONNECTING, null, false, 'connecting'],
    [ReadyState.CLOSED, 123, true, 'reconnecting'],
    [ReadyState.CLOSED, 123, false, 'reconnecting'],
    [ReadyState.CLOSED, null, false, 'offline'],
    [ReadyState.CLOSED, null, true, 'closed'],
  ] as const)('readyState %s, next attempt %s, online %s: %s', (readyState, next, online, expected) => {
    expect(connectionState(readyState, next, online)).toBe(expected);
  });

  it.each([
    // A retry's attempt under way (after a lost connection) is still reconnecting, never a first connection.
    [ReadyState.CONNECTING, null, true, 1, 'reconnecting'],
    [ReadyState.CONNECTING, null, false, 3, 'reconnecting'],
    [ReadyState.CONNECTING, null, true, 0, 'connecting'],
    [ReadyState.OPEN, null, true, 2, 'open'],
    [ReadyState.CLOSING, null, true, 2, 'closing'],
    [ReadyState.CLOSED, 123, true, 2, 'reconnecting'],
    [ReadyState.CLOSED, null, true, 2, 'closed'],
  ] as const)('readyState %s, next attempt %s, online %s, reconnect attempt %s: %s', (readyState, next, online, attempt, expected) => {
    expect(connectionState(readyState, next, online, attempt)).toBe(expected);
  });
});
