import { describe, expect, it } from 'vitest';
import {
  byteScale,
  formatByteRate,
  durationScale,
  formatBytes,
  formatCompact,
  formatCount,
  formatMiB,
  formatMs,
  formatNs,
  formatPercent,
  formatProgress,
} from './format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1024, '1.00 KiB'],
    [1536, '1.50 KiB'],
    [12.34 * 1024 * 1024, '12.3 MiB'],
    [512 * 1024 * 1024, '512 MiB'],
    [3 * 1024 ** 3, '3.00 GiB'],
  ])('formats %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('steps up a unit instead of printing 1024 of the smaller one', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1.00 MiB');
  });

  it('prints a dash for a value that is not a number', () => {
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('formatNs', () => {
  it.each([
    [0, '0 ns'],
    [850, '850 ns'],
    [1_000, '1.00 µs'],
    [12_345, '12.3 µs'],
    [250_000, '250 µs'],
    [1_234_567, '1.23 ms'],
    [45_600_000, '45.6 ms'],
    [2_500_000_000, '2.50 s'],
  ])('formats %d ns as %s', (ns, text) => {
    expect(formatNs(ns)).toBe(text);
  });

  it('rounds 999.99 µs up to 1.00 ms rather than 1000 µs', () => {
    expect(formatNs(999_996)).toBe('1.00 ms');
  });
});

describe('durationScale', () => {
  it.each([
    [0, 'ns'],
    [999, 'ns'],
    [1_000, 'µs'],
    [999_999, 'µs'],
    [1_000_000, 'ms'],
    [3_000_000_000, 's'],
  ])('picks a unit for a maximum of %d ns: %s', (ns, unit) => {
    expect(durationScale(ns).unit).toBe(unit);
  });
});

describe('small formatters', () => {
  it('formats MiB as a bare number', () => {
    expect(formatMiB(5.25 * 1024 * 1024)).toBe('5.3');
  });

  it('formats virtual time as grouped milliseconds', () => {
    expect(formatMs(1_234_560_000)).toBe('1,234.6');
  });

  it('formats a fraction as a percentage', () => {
    expect(formatPercent(0.0234)).toBe('2.3%');
  });
});

describe('formatProgress', () => {
  it.each([
    [0, '0.0%'],
    [0.0035, '0.3%'],
    [0.0999, '9.9%'],
    [0.42, '42%'],
    [0.999, '99%'],
    [1, '100%'],
  ])('shows %d as %s', (fraction, text) => {
    expect(formatProgress(fraction)).toBe(text);
  });
});

describe('byteScale', () => {
  it.each([
    [0, 'B', 1],
    [1023, 'B', 1],
    [1024, 'KiB', 1024],
    [600 * 1024, 'KiB', 1024],
    [5 * 1024 * 1024, 'MiB', 1024 * 1024],
    [2 * 1024 ** 3, 'GiB', 1024 ** 3],
    [Number.NaN, 'B', 1],
  ])('picks a unit for a maximum of %d bytes: %s', (bytes, unit, bytesPerUnit) => {
    expect(byteScale(bytes)).toEqual({ unit, bytesPerUnit });
  });
});

describe('counts', () => {
  it('groups an exact count', () => {
    expect(formatCount(1_234_567)).toBe('1,234,567');
  });

  it('shortens a large count for an axis', () => {
    expect(formatCompact(1_234_567)).toBe('1.23M');
    expect(formatCompact(850)).toBe('850');
  });
});

describe('formatByteRate', () => {
  it('scales a rate to binary units at three significant digits, as the CLI prints it', () => {
    const MiB = 1024 * 1024;
    expect(formatByteRate(5500 * MiB)).toBe('5.37 GiB/s');
    expect(formatByteRate(27.5 * MiB)).toBe('27.5 MiB/s');
    expect(formatByteRate(512.4)).toBe('512 B/s');
    expect(formatByteRate(Number.NaN)).toBe('—');
  });
});
