import { describe, expect, it } from 'vitest';
import { translucent } from './palette';

describe('translucent', () => {
  it('adds an opacity to a six- or three-digit hex colour', () => {
    expect(translucent('#1a66d6', 0.3)).toBe('rgb(26 102 214 / 0.3)');
    expect(translucent('#fff', 0.5)).toBe('rgb(255 255 255 / 0.5)');
  });

  it('leaves any other colour as it is', () => {
    expect(translucent('rgb(0 0 0 / 0.08)', 0.3)).toBe('rgb(0 0 0 / 0.08)');
  });
});
