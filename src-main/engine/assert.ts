/**
 * Exhaustiveness for switches over a kind: adding a variant to a union makes every switch that
 * forgets it fail to compile here rather than misbehave at run time.
 */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
