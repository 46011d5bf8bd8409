import { describe, expect, it } from 'vitest';
// The app's rule, to hold the two to the same output: the layer rules keep them in two modules.
import { formatByteRate as appFormatByteRate } from '../../src-renderer/charts/series/format';
import { formatByteRate } from './byte-rate';

const MiB = 1 << 20;

describe('formatByteRate', () => {
  it('scales to the largest binary unit under 1024 at three significant digits', () => {
    expect(formatByteRate(5500 * MiB)).toBe('5.37 GiB/s');
    expect(formatByteRate(256 * MiB)).toBe('256 MiB/s');
    expect(formatByteRate(27.5 * MiB)).toBe('27.5 MiB/s');
    expect(formatByteRate(1023.99 * 1024)).toBe('1.00 MiB/s');
    expect(formatByteRate(512.4)).toBe('512 B/s');
    expect(formatByteRate(0)).toBe('0 B/s');
  });

  it('prints every rate as the app does', () => {
    const rates = [
      0,
      0.4,
      1,
      512.4,
      1023,
      1024,
      1536,
      1_048_000,
      27.5 * MiB,
      999.9 * MiB,
      5500 * MiB,
      3 * 2 ** 40,
    ];
    for (let rate = 1; rate < 2 ** 44; rate *= 1.37) rates.push(rate);
    for (const rate of rates) expect(formatByteRate(rate), String(rate)).toBe(appFormatByteRate(rate));
  });
});
