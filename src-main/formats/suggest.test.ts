import { describe, expect, it } from 'vitest';
import { editDistance, nearestName, unknownNameMessage } from './suggest';

const PRESETS = ['steady', 'leak', 'cache-churn', 'pool-buffers', 'go-churn', 'go-pool'];

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('steady', 'steady')).toBe(0);
    expect(editDistance('stedy', 'steady')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('nearestName', () => {
  it('suggests the closest name for a typo', () => {
    expect(nearestName('stedy', PRESETS)).toBe('steady');
    expect(nearestName('go-pol', PRESETS)).toBe('go-pool');
    expect(nearestName('Leak', PRESETS)).toBe('leak');
  });

  it('suggests a name the typed text begins', () => {
    expect(nearestName('pool-b', PRESETS)).toBe('pool-buffers');
  });

  it('suggests nothing for a name far from every candidate', () => {
    expect(nearestName('mandelbrot', PRESETS)).toBeNull();
  });
});

describe('unknownNameMessage', () => {
  it('names the typo, the suggestion and the valid choices', () => {
    expect(unknownNameMessage('scenario', 'stedy', ['steady', 'leak'])).toBe(
      'unknown scenario "stedy" (did you mean "steady"?); valid scenarios: steady, leak',
    );
    expect(unknownNameMessage('collector', 'boehm', ['mark-sweep'])).toBe(
      'unknown collector "boehm"; valid collectors: mark-sweep',
    );
  });
});
