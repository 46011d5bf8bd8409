/**
 * Typed-array growth for the engine's struct-of-arrays stores (objects, spans, slots, pointer
 * fields, mark stacks). Capacities double, so a store that reaches N entries has copied at most 2N:
 * the hot paths stay free of per-object JavaScript objects and the garbage collector of the host.
 */

export function growInt32(
  array: Int32Array<ArrayBuffer>,
  minLength: number,
  fill = 0,
): Int32Array<ArrayBuffer> {
  if (array.length >= minLength) return array;
  const grown = new Int32Array(nextCapacity(array.length, minLength));
  grown.set(array);
  if (fill !== 0) grown.fill(fill, array.length);
  return grown;
}

export function growUint8(array: Uint8Array<ArrayBuffer>, minLength: number): Uint8Array<ArrayBuffer> {
  if (array.length >= minLength) return array;
  const grown = new Uint8Array(nextCapacity(array.length, minLength));
  grown.set(array);
  return grown;
}

export function growFloat64(array: Float64Array<ArrayBuffer>, minLength: number): Float64Array<ArrayBuffer> {
  if (array.length >= minLength) return array;
  const grown = new Float64Array(nextCapacity(array.length, minLength));
  grown.set(array);
  return grown;
}

function nextCapacity(current: number, minLength: number): number {
  let capacity = Math.max(16, current);
  while (capacity < minLength) capacity *= 2;
  return capacity;
}
