/**
 * GOMEMLIMIT's syntax (runtime/debug.SetMemoryLimit, the GOMEMLIMIT environment variable): a
 * whole number of bytes with an optional unit — B, KiB, MiB, GiB or TiB (powers of 1024) — or
 * "off" for no limit.
 */
const UNITS: Record<string, number> = { '': 1, B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 };

export const MEMORY_LIMIT_FORMS =
  'a byte count with an optional unit (B, KiB, MiB, GiB, TiB), e.g. 64MiB, or off';

/** Bytes, or null for "off"; throws a RangeError naming the accepted forms. */
export function parseMemoryLimit(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === 'off') return null;
  const match = /^(\d+)(B|KiB|MiB|GiB|TiB)?$/.exec(trimmed);
  if (match === null) throw new RangeError(`"${text}" is not a memory limit: expected ${MEMORY_LIMIT_FORMS}`);
  const bytes = Number(match[1]) * UNITS[match[2] ?? '']!;
  if (!Number.isSafeInteger(bytes)) throw new RangeError(`"${text}" is too large a memory limit`);
  return bytes;
}
