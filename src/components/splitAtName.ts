/**
 * A sentence of `strings` cut around the names in it, `[before, name, between, name, after]` in the
 * sentence's order, so that each name can be rendered apart, direction-isolated in a `<bdi>` (the
 * odd indices are names). The sentence returns plain text: it is called once more with
 * placeholders (the noncharacters U+FDD0 for the first name, U+FDD1 for the second, which no
 * sentence has) to find where the names go. It is cut only where the parts joined are exactly
 * `sentence(...names)`; otherwise (a replacement that changes a name) it gives
 * `[sentence(...names)]`, shown as it is.
 */
export function splitAtName(sentence: (...names: string[]) => string, ...names: string[]): string[] {
  const parts = sentence('\ufdd0', '\ufdd1')
    .split(/([\ufdd0\ufdd1])/)
    .map((part, i) => (i % 2 ? (names[part.charCodeAt(0) - 0xfdd0] ?? '') : part));
  const text = sentence(...names);
  return parts.join('') === text ? parts : [text];
}
