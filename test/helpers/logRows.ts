// Reading a ChatBox's log as laid out in the page: its rows, their texts, the row at the top.

/** The log's rendered rows (the virtualizer renders those near the view), in order. */
export const rows = (log: HTMLElement) => [...log.querySelectorAll<HTMLElement>('.rwc-chatbox__row')];

/** A row's message text, or the whole row's text for a notice. */
export const textOf = (row: Element) => row.querySelector('.rwc-chatbox__text')?.textContent ?? row.textContent;

/** The first row whose top is inside the view, and where it is relative to the log. */
export function topRow(log: HTMLElement): { text: string | null; top: number } {
  const outer = log.getBoundingClientRect();
  const row = rows(log)
    .map((r) => ({ r, top: r.getBoundingClientRect().top - outer.top }))
    .filter(({ top }) => top >= -0.5)
    .sort((a, b) => a.top - b.top)[0];
  return { text: row ? textOf(row.r) : null, top: row?.top ?? Number.NaN };
}
