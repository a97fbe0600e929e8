// Object.prototype pollution check: the own property names (and their descriptors' values) of the
// built-in prototypes a hostile `__proto__`/`constructor` key could reach.
const watched: ReadonlyArray<readonly [string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
];

export type PrototypeFingerprint = string;

export function prototypeFingerprint(): PrototypeFingerprint {
  return watched.map(([name, proto]) => `${name}:${Reflect.ownKeys(proto).map(String).sort().join(',')}`).join('\n');
}

/** Properties a pollution would make every object show. */
export function pollutionProbe(): unknown[] {
  const probe = {} as Record<string, unknown>;
  return [probe.polluted, probe.isAdmin, probe.__rwcPolluted, ([] as unknown as Record<string, unknown>).polluted];
}
