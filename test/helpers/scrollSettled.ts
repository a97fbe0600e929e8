import { expect } from 'vitest';

/** Wait until `box`'s scroll position stops changing (a wheel scroll may still be animating). */
export async function scrollSettled(box: HTMLElement): Promise<void> {
  let last = -1;
  await expect
    .poll(() => {
      const still = box.scrollTop === last;
      last = box.scrollTop;
      return still;
    })
    .toBe(true);
}
