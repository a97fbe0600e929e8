import { nameKey, uniqueName } from '../protocol/names.js';

/** Names a claim tries at once (`ada`, `ada2`, … `ada16`), and the most batches before it gives up. */
const CLAIM_BATCH = 16;
const CLAIM_BATCHES = 8;

/** Claims for `owner` the first free of `keys` (or one `previousOwner` holds): its index, -1 when all are taken. */
export type NameClaim = (owner: string, keys: readonly string[], previousOwner?: string) => Promise<number>;

/** What a claim needs: the name asked for (cleaned), who asks, and what this process already sees taken. */
export interface NameRequest {
  readonly base: string;
  readonly maxNameLength: number;
  /** Name keys of the other members here: never tried. */
  readonly taken: ReadonlySet<string>;
  readonly owner: string;
  readonly previousOwner?: string | undefined;
}

/**
 * The first name of `base`'s sequence (`ada`, `ada2`, `ada3`…, as `uniqueName` numbers them) that
 * `claim` gets, tried in batches (a broker answers for a whole batch at once); null when every
 * candidate was taken.
 */
export async function claimName(claim: NameClaim, request: NameRequest): Promise<string | null> {
  const { base, maxNameLength, owner, previousOwner } = request;
  const tried = new Set(request.taken);
  for (let batch = 0; batch < CLAIM_BATCHES; batch++) {
    const names: string[] = [];
    while (names.length < CLAIM_BATCH) {
      const name = uniqueName(base, maxNameLength, (key) => tried.has(key));
      names.push(name);
      tried.add(nameKey(name));
    }
    const index = await claim(owner, names.map(nameKey), previousOwner);
    if (index >= 0) return names[index] as string;
  }
  return null;
}

/** A member whose frames wait (in `waiting`) while a claim of its name runs. */
export interface Claimant {
  waiting: (() => void)[] | null;
}

/**
 * Hold what `member` sends while `claiming` runs, then `register` the name it got (null: none, also
 * when the claim failed: `onError`), then run what waited, in order. A rename among them claims
 * again: the rest wait for that one.
 */
export async function afterClaim(
  member: Claimant,
  claiming: () => Promise<string | null>,
  register: (given: string | null) => void,
  onError: (error: unknown) => void,
): Promise<void> {
  member.waiting = [];
  let given: string | null = null;
  try {
    given = await claiming();
  } catch (error) {
    onError(error);
  }
  const waiting = member.waiting;
  member.waiting = null;
  register(given);
  for (const [index, next] of waiting.entries()) {
    if (member.waiting) {
      (member.waiting as (() => void)[]).push(...waiting.slice(index));
      return;
    }
    next();
  }
}
