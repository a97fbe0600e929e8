/**
 * A sentence of `strings` cut around the name in it, `[before, name, after]`, so that the name can
 * be rendered apart, direction-isolated in a `<bdi>`. The sentence returns plain text: it is called
 * once more with a placeholder (NUL, which no sentence has) to find where the name goes. It is cut
 * only where `before + name + after` is exactly `sentence(name)`; otherwise (a replacement that
 * changes the name, leaves it out or puts it in twice) it gives `[sentence(name), '', '']`, shown
 * as it is. Either way the parts joined are exactly `sentence(name)`.
 */
export function splitAtName(sentence: (name: string) => string, name: string): [before: string, name: string, after: string] {
  const [before = '', after = ''] = sentence('\0').split('\0');
  const text = sentence(name);
  return before + name + after === text ? [before, name, after] : [text, '', ''];
}
