import { act, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { Subscribable } from '../../src/core/index.js';
import { useDeferredStoreSelector } from '../../src/react/index.js';

/** A minimal store: `set` replaces the state and notifies. */
class CounterStore extends Subscribable<() => void> {
  constructor(private state: { count: number; other: string }) {
    super();
  }
  getState = () => this.state;
  set(patch: Partial<{ count: number; other: string }>) {
    this.state = { ...this.state, ...patch };
    this.emit();
  }
}

function Count({ store, renders }: { store: CounterStore; renders: string[] }) {
  const count = useDeferredStoreSelector(store, (state) => state.count);
  renders.push(String(count));
  return <output aria-label="count">{count}</output>;
}

const shown = () => screen.getByRole('status', { name: 'count' }).textContent;

describe('useDeferredStoreSelector', () => {
  it('shows the current selection, then every change once it has rendered', async () => {
    const store = new CounterStore({ count: 1, other: 'a' });
    const renders: string[] = [];
    render(<Count store={store} renders={renders} />);
    expect(shown()).toBe('1');
    await act(async () => store.set({ count: 2 }));
    expect(shown()).toBe('2');
  });

  it('renders changes that arrive while one is pending with the newest value, skipping the ones between', async () => {
    const store = new CounterStore({ count: 1, other: 'a' });
    const renders: string[] = [];
    render(<Count store={store} renders={renders} />);
    renders.length = 0;
    await act(async () => {
      store.set({ count: 2 });
      store.set({ count: 3 });
      store.set({ count: 4 });
    });
    expect(shown()).toBe('4');
    expect(renders.length).toBeGreaterThan(0);
    expect(new Set(renders)).toEqual(new Set(['4']));
  });

  it('lets an urgent update render first: the value lags while a transition is pending', async () => {
    const store = new CounterStore({ count: 1, other: 'a' });
    let bump: () => void = () => {};
    const seen: string[] = [];
    function Both() {
      const [clicks, setClicks] = useState(0);
      const count = useDeferredStoreSelector(store, (state) => state.count);
      bump = () => {
        store.set({ count: 2 });
        setClicks((c) => c + 1);
      };
      seen.push(`${clicks}:${count}`);
      return null;
    }
    render(<Both />);
    seen.length = 0;
    // An update of default priority together with a store change: it renders on its own first, the
    // store's change follows in a transition.
    await act(async () => bump());
    expect(seen[0]).toBe('1:1');
    expect(seen.at(-1)).toBe('1:2');
  });

  it('does not re-render when the selection is equal', async () => {
    const store = new CounterStore({ count: 1, other: 'a' });
    const renders: string[] = [];
    render(<Count store={store} renders={renders} />);
    renders.length = 0;
    await act(async () => store.set({ other: 'b' }));
    expect(renders).toEqual([]);
  });

  it("shows another store's state in the render that switches to it, not the previous store's", async () => {
    const first = new CounterStore({ count: 1, other: 'a' });
    const second = new CounterStore({ count: 50, other: 'a' });
    const renders: string[] = [];
    let swap: () => void = () => {};
    function Switcher() {
      const [store, setStore] = useState(first);
      swap = () => setStore(second);
      return <Count store={store} renders={renders} />;
    }
    render(<Switcher />);
    renders.length = 0;
    await act(async () => swap());
    expect(renders[0]).toBe('50');
    expect(renders).not.toContain('1');
    // And it follows the new store, not the old one.
    await act(async () => first.set({ count: 2 }));
    expect(shown()).toBe('50');
    await act(async () => second.set({ count: 51 }));
    expect(shown()).toBe('51');
  });

  it('does not miss a change made between its first render and its subscription', async () => {
    const store = new CounterStore({ count: 1, other: 'a' });
    function ChangesDuringRender() {
      // A sibling that changes the store while rendering, before the effects subscribe.
      if (store.getState().count === 1) store.set({ count: 7 });
      return null;
    }
    const renders: string[] = [];
    await act(async () => {
      render(
        <>
          <Count store={store} renders={renders} />
          <ChangesDuringRender />
        </>,
      );
    });
    expect(shown()).toBe('7');
  });
});

describe('useDeferredStoreSelector with a selector that depends on props', () => {
  it('applies a new selector at once, without waiting for the store to change', async () => {
    const store = new CounterStore({ count: 3, other: 'a' });
    let setFactor: (n: number) => void = () => {};
    function Scaled() {
      const [factor, set] = useState(1);
      setFactor = set;
      const value = useDeferredStoreSelector(store, (state) => state.count * factor);
      return <output aria-label="count">{value}</output>;
    }
    render(<Scaled />);
    expect(shown()).toBe('3');
    await act(async () => setFactor(10));
    expect(shown()).toBe('30');
    await act(async () => store.set({ count: 4 }));
    expect(shown()).toBe('40');
  });
});
