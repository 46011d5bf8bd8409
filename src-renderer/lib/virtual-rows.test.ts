import { describe, expect, it } from 'vitest';
import { panRange, rowWindow, zoomRange } from './virtual-rows';

describe('rowWindow', () => {
  it('renders the rows in view and a few either side', () => {
    expect(rowWindow(2_400, 420, 24, 100_000, 10)).toEqual({ first: 90, end: 128 });
  });

  it('stays inside the table at both ends', () => {
    expect(rowWindow(0, 420, 24, 5, 10)).toEqual({ first: 0, end: 5 });
    expect(rowWindow(24 * 100_000, 420, 24, 100_000, 10)).toEqual({ first: 99_990, end: 100_000 });
  });
});

describe('zoomRange and panRange', () => {
  it('zooms about the centre and never past the session', () => {
    expect(zoomRange({ startNs: 0, endNs: 1_000_000 }, 0.5, 1_000_000)).toEqual({
      startNs: 250_000,
      endNs: 750_000,
    });
    expect(zoomRange({ startNs: 800_000, endNs: 1_000_000 }, 4, 1_000_000)).toEqual({
      startNs: 200_000,
      endNs: 1_000_000,
    });
  });

  it('pans by a share of the span, stopping at the ends', () => {
    expect(panRange({ startNs: 100_000, endNs: 300_000 }, -0.5, 1_000_000)).toEqual({
      startNs: 0,
      endNs: 200_000,
    });
    expect(panRange({ startNs: 900_000, endNs: 1_000_000 }, 0.5, 1_000_000)).toEqual({
      startNs: 900_000,
      endNs: 1_000_000,
    });
  });
});
