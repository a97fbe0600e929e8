// useControllableState: controlled while the prop is defined, internal state from the default
// otherwise; the setter reports every value to the latest onChange in both modes.
import { act, renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useControllableState } from '../../src/react/useControllableState.js';

interface Props {
  value: string | undefined;
  onChange?: (value: string) => void;
}

const render = (initialProps: Props) =>
  renderHook(({ value, onChange }: Props) => useControllableState(value, 'start', onChange), { initialProps });

describe('useControllableState', () => {
  it('is uncontrolled without a value: starts at the default, keeps what is set, and reports it', () => {
    const onChange = vi.fn();
    const { result } = render({ value: undefined, onChange });
    expect(result.current[0]).toBe('start');
    act(() => result.current[1]('next'));
    expect(result.current[0]).toBe('next');
    expect(onChange).toHaveBeenCalledExactlyOnceWith('next');
  });

  it('is controlled with a value: shows only the value, and asks onChange for a new one', () => {
    const onChange = vi.fn();
    const { result, rerender } = render({ value: 'owner', onChange });
    expect(result.current[0]).toBe('owner');
    act(() => result.current[1]('asked'));
    expect(result.current[0]).toBe('owner');
    expect(onChange).toHaveBeenCalledExactlyOnceWith('asked');
    rerender({ value: 'asked', onChange });
    expect(result.current[0]).toBe('asked');
  });

  it('keeps the setter while the mode stays, and calls the latest onChange', () => {
    const first = vi.fn();
    const latest = vi.fn();
    const { result, rerender } = render({ value: undefined, onChange: first });
    const setValue = result.current[1];
    rerender({ value: undefined, onChange: latest });
    expect(result.current[1]).toBe(setValue);
    act(() => result.current[1]('x'));
    expect(first).not.toHaveBeenCalled();
    expect(latest).toHaveBeenCalledExactlyOnceWith('x');
  });
});
