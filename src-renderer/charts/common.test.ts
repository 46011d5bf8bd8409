import { describe, expect, it } from 'vitest';
import { formatTick } from './common';

describe('formatTick', () => {
  it.each([
    [0.015, 0.005, '0.015'],
    [0.01, 0.005, '0.01'],
    [7.5, 2.5, '7.5'],
    [1500, 500, '1,500'],
    [0.0002, 0.0001, '0.0002'],
    [0.00002, 0.00001, '0.00002'],
  ])('shows %d with a step of %d as %s', (value, step, text) => {
    expect(formatTick(value, step)).toBe(text);
  });

  it('keeps two decimals when there is no step to go by', () => {
    expect(formatTick(1.23456, 0)).toBe('1.23');
  });
});
