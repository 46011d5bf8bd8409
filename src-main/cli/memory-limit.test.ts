import { describe, expect, it } from 'vitest';
import { parseMemoryLimit } from './memory-limit';

describe('parseMemoryLimit (GOMEMLIMIT syntax)', () => {
  it('reads a byte count with a binary unit, or off', () => {
    expect(parseMemoryLimit('64MiB')).toBe(64 * 2 ** 20);
    expect(parseMemoryLimit('1GiB')).toBe(2 ** 30);
    expect(parseMemoryLimit('512KiB')).toBe(512 * 1024);
    expect(parseMemoryLimit('1048576')).toBe(1048576);
    expect(parseMemoryLimit('1048576B')).toBe(1048576);
    expect(parseMemoryLimit('2TiB')).toBe(2 * 2 ** 40);
    expect(parseMemoryLimit('off')).toBeNull();
  });

  it('refuses anything else, naming the accepted forms', () => {
    for (const bad of ['64MB', '64 mib', '-1', '1.5GiB', '', 'on', '64M']) {
      expect(() => parseMemoryLimit(bad)).toThrow(/expected a byte count with an optional unit/);
    }
    expect(() => parseMemoryLimit('99999999TiB')).toThrow(/too large/);
  });
});
