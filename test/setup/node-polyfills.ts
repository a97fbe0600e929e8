/**
 * ES2024 built-ins missing from Node 20 (added in Node 21/22) that Vitest 5
 * calls in the main process, e.g. the failure reporter (`Map.groupBy`), the
 * snapshot writer (`Object.groupBy`) and the file watcher
 * (`Promise.withResolvers`). Without them a single failing test crashes the
 * reporter instead of printing the failure.
 *
 * Imported at the top of vitest.config.ts (main process: reporters, snapshot
 * manager) and listed in `setupFiles` of Node-side projects (test workers).
 * Every polyfill is a no-op when the runtime already provides it.
 */

type KeySelector<T, K> = (item: T, index: number) => K;

if (typeof (Map as { groupBy?: unknown }).groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', {
    configurable: true,
    writable: true,
    value: function groupBy<T, K>(items: Iterable<T>, keySelector: KeySelector<T, K>): Map<K, T[]> {
      const groups = new Map<K, T[]>();
      let index = 0;
      for (const item of items) {
        const key = keySelector(item, index++);
        const group = groups.get(key);
        if (group) group.push(item);
        else groups.set(key, [item]);
      }
      return groups;
    },
  });
}

if (typeof (Object as { groupBy?: unknown }).groupBy !== 'function') {
  Object.defineProperty(Object, 'groupBy', {
    configurable: true,
    writable: true,
    value: function groupBy<T>(items: Iterable<T>, keySelector: KeySelector<T, PropertyKey>): Record<PropertyKey, T[]> {
      const groups = Object.create(null) as Record<PropertyKey, T[]>;
      let index = 0;
      for (const item of items) {
        const key = keySelector(item, index++);
        const group = groups[key];
        if (group) group.push(item);
        else groups[key] = [item];
      }
      return groups;
    },
  });
}

if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export {};
