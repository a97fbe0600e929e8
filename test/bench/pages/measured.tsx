// Render counting, in the profiling build only (`__BENCH_PROFILING__`, defined by the build; React's
// production build ignores a Profiler's `onRender`, react-dom's profiling build calls it):
// - `<Measured id>`: a React Profiler; each commit of its subtree counts as `<id> (Profiler)`;
// - `counted(id, Component)`: calls `Component` as a function from a wrapper component that counts
//   each call as `<id>`. The hooks run in the wrapper's fiber, in the same order, so it renders
//   exactly when the component would: this counts the component's own renders, which the Profiler
//   cannot tell apart from renders of what is inside it (the virtualized list's own updates).
import { Profiler, type ReactNode } from 'react';

import { countRender } from './harness.ts';

declare const __BENCH_PROFILING__: boolean;

export const PROFILING: boolean = typeof __BENCH_PROFILING__ !== 'undefined' && __BENCH_PROFILING__;

export function Measured({ id, children }: { id: string; children: ReactNode }) {
  if (!PROFILING) return <>{children}</>;
  return (
    <Profiler id={id} onRender={() => countRender(`${id} (Profiler)`)}>
      {children}
    </Profiler>
  );
}

export function counted<P extends object>(id: string, Component: (props: P) => ReactNode): (props: P) => ReactNode {
  if (!PROFILING) return Component;
  const Counted = (props: P) => {
    countRender(id);
    return Component(props);
  };
  Counted.displayName = `Counted(${id})`;
  return Counted;
}
