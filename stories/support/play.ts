import { expect, waitFor, type within } from 'storybook/test';

/** What `within(canvasElement)` returns: the `canvas` of a play function. */
export type Canvas = ReturnType<typeof within>;

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The log, by its role and name. */
export const getLog = (canvas: Canvas) => canvas.getByRole('log', { name: 'Messages' });

/** The user list, by its role and name. */
export const getUsers = (canvas: Canvas) => canvas.getByRole('list', { name: 'Users' });

/**
 * Wait until the connection status starts with `expected`: a string is matched as a whole
 * sentence ("Connected" does not match "Disconnected"), a RegExp as it is.
 */
export async function expectStatus(canvas: Canvas, expected: string | RegExp) {
  const pattern = typeof expected === 'string' ? new RegExp(`^${escapeRegExp(expected)}(\\s|$)`) : expected;
  await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent(pattern));
}

/** The rendered rows of the log (virtualized: only those near the view). */
export const rowsOf = (log: HTMLElement) => [...log.querySelectorAll<HTMLElement>('.rwc-chatbox__row')];

/** ChatBox's live region: the one that announces new messages, beside the log (whose rows are not live). */
export function announcerOf(log: HTMLElement): HTMLElement {
  const region = log.parentElement?.querySelector<HTMLElement>(':scope > [aria-live="polite"]');
  if (!region) throw new Error('No live region beside the log');
  return region;
}

/** Whether an element takes room on screen: false for one hidden by `rwc-visually-hidden` (1 px, clipped). */
export const shown = (element: Element) => element.getBoundingClientRect().width > 1;

/** The text bubbles of the rendered rows. */
export const bubblesOf = (log: HTMLElement) => [...log.querySelectorAll<HTMLElement>('.rwc-chatbox__text')];

/** The row showing a message whose text is exactly `text`, or undefined. */
export function rowWithText(log: HTMLElement, text: string): HTMLElement | undefined {
  return (
    bubblesOf(log)
      .find((bubble) => bubble.textContent === text)
      ?.closest<HTMLElement>('.rwc-chatbox__row') ?? undefined
  );
}

/**
 * The notice (sign-in, rename) whose text starts with `start`, or undefined. The name inside a
 * notice is in a `<bdi>` (its own direction), so `getByText` does not see the whole sentence.
 */
export function noticeStartingWith(log: HTMLElement, start: string): HTMLElement | undefined {
  return [...log.querySelectorAll<HTMLElement>('.rwc-chatbox__notice')].find((notice) => notice.textContent?.startsWith(start));
}

/** Relative luminance (WCAG) of a computed `rgb()`/`rgba()` colour: 0 black, 1 white. */
export function luminance(color: string): number {
  const match = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(color);
  if (!match) throw new Error(`Not an rgb() colour: ${color}`);
  const [r, g, b] = [match[1], match[2], match[3]].map((channel) => {
    const c = Number(channel) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Scroll the log to its top and wait until ChatBox has noticed (it is then "scrolled-up", and
 * stops following the newest). ChatBox unpins on a scroll *up* from the offset it last saw; a
 * scroll to the top made in the same frame as its own scroll to the end is coalesced with it and
 * reads as no move at all. So, until it holds: from the top, go back to the end, then up again.
 */
export async function scrollLogToTop(log: HTMLElement) {
  await waitFor(() => {
    if (log.dataset.state !== 'scrolled-up') log.scrollTop = log.scrollTop === 0 ? log.scrollHeight : 0;
    else if (log.scrollTop !== 0) log.scrollTop = 0;
    expect(log).toHaveAttribute('data-state', 'scrolled-up');
    expect(log.scrollTop).toBe(0);
  });
}
