import { useState } from 'react';

/** A promise that settles only when told to: holds a connection attempt in CONNECTING. */
export interface Gate {
  readonly promise: Promise<void>;
  /** Let it through (again: nothing). */
  open(): void;
  readonly isOpen: boolean;
}

export function createGate(): Gate {
  let resolve!: () => void;
  let isOpen = false;
  const promise = new Promise<void>((r) => (resolve = r));
  return {
    promise,
    open() {
      isOpen = true;
      resolve();
    },
    get isOpen() {
      return isOpen;
    },
  };
}

/** A loader giving the story a fresh gate as `loaded.gate`. */
export const gateLoader = () => ({ gate: createGate() });

export function gateOf(loaded: Record<string, unknown>): Gate {
  const gate = loaded.gate as Gate | undefined;
  if (!gate) throw new Error('No gate: add gateLoader to the story’s loaders.');
  return gate;
}

/** A URL function that resolves to `url` only once the gate opens (the attempt stays CONNECTING until then). */
export function gatedUrl(gate: Gate, url: string): () => Promise<string> {
  return () => gate.promise.then(() => url);
}

/** The "Let it connect" button: opens the gate. */
export function LetItConnect({ gate }: { gate: Gate }) {
  const [open, setOpen] = useState(gate.isOpen);
  return (
    <p>
      <button
        type="button"
        disabled={open}
        onClick={() => {
          gate.open();
          setOpen(true);
        }}
      >
        Let it connect
      </button>
    </p>
  );
}
