/**
 * The box of the first occurrence of `part` in `element`'s text, across its text nodes: where the
 * glyphs landed, for checks of text direction (used by the mixed-direction story and its browser test).
 */
export function boxOf(element: Element, part: string): DOMRect {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent?.indexOf(part) ?? -1;
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + part.length);
    return range.getBoundingClientRect();
  }
  throw new Error(`${JSON.stringify(part)} is not in ${JSON.stringify(element.textContent)}`);
}
