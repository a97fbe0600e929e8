/**
 * One handler from a user's and a component's own, as Radix composes them: the user's runs first,
 * and `event.preventDefault()` in it opts out of the component's.
 */
export function composeEventHandlers<E extends { readonly defaultPrevented: boolean }>(
  theirs: ((event: E) => void) | undefined,
  ours: (event: E) => void,
): (event: E) => void {
  return (event) => {
    theirs?.(event);
    if (!event.defaultPrevented) ours(event);
  };
}
