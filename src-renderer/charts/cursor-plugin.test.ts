import type { ChartConfiguration } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { withCursor } from './cursor-plugin';

const base: ChartConfiguration<'line', { x: number; y: number }[]> = {
  type: 'line',
  data: { datasets: [{ label: 'heap', data: [{ x: 0, y: 1 }] }] },
  options: { animation: false, plugins: { legend: { display: false } } },
};

describe('withCursor', () => {
  it('puts the cursor in the plugin options and keeps the rest of the config', () => {
    const config = withCursor(base, 2_500_000, '#123');

    expect(config.options?.plugins?.playbackCursor).toEqual({ ns: 2_500_000, color: '#123' });
    expect(config.options?.plugins?.legend).toEqual({ display: false });
    expect(config.options?.animation).toBe(false);
  });

  it('shares the data, so moving the cursor copies no points', () => {
    expect(withCursor(base, 1, '#123').data).toBe(base.data);
  });

  it('leaves the original config untouched', () => {
    withCursor(base, 1, '#123');

    expect(base.options?.plugins?.playbackCursor).toBeUndefined();
  });
});
