import { describe, expect, it } from 'vitest';
import { sessionClocks, sharedTimeAxisName, timeAxisName, timeAxisTitle } from './time-axis';

describe('timeAxisName', () => {
  it("names a simulation's axis by the simulator's clock", () => {
    expect(timeAxisName('simulation')).toBe('virtual time');
  });

  it("names an imported log's and an attached program's axis by the program's clock", () => {
    expect(timeAxisName('gctrace')).toBe('program time');
    expect(timeAxisName('attach')).toBe('program time');
  });
});

describe('sharedTimeAxisName', () => {
  it('keeps virtual time when every compared session is simulated', () => {
    expect(sharedTimeAxisName(['simulation', 'simulation', 'simulation'])).toBe('virtual time');
  });

  it('says program time when every compared session is real, imported or attached', () => {
    expect(sharedTimeAxisName(['gctrace', 'attach'])).toBe('program time');
    expect(sharedTimeAxisName(['gctrace', 'gctrace'])).toBe('program time');
  });

  it('falls back to the neutral name when simulated and real sessions are mixed', () => {
    expect(sharedTimeAxisName(['simulation', 'gctrace'])).toBe('time since start');
    expect(sharedTimeAxisName(['attach', 'simulation', 'simulation'])).toBe('time since start');
  });

  it('uses the neutral name when there is no session to take a clock from', () => {
    expect(sharedTimeAxisName([])).toBe('time since start');
  });
});

describe('timeAxisTitle', () => {
  it('puts the unit after the name, and where in the cycle the points sit before it', () => {
    expect(timeAxisTitle('program time')).toBe('program time (ms)');
    expect(timeAxisTitle('virtual time', 'cycle end')).toBe('cycle end, virtual time (ms)');
    expect(timeAxisTitle('time since start', 'cycle start')).toBe('cycle start, time since start (ms)');
  });
});

describe('sessionClocks', () => {
  it('groups sessions by clock, in the order the clocks first appear', () => {
    const clocks = sessionClocks([
      { label: 'trace', source: 'gctrace' },
      { label: 'ms', source: 'simulation' },
      { label: 'live', source: 'attach' },
      { label: 'pooled', source: 'simulation' },
    ]);

    expect(clocks.map((c) => [c.name, c.labels])).toEqual([
      ['program time', ['trace', 'live']],
      ['virtual time', ['ms', 'pooled']],
    ]);
    expect(clocks.map((c) => c.meaning)).toEqual([
      "the program's own clock, since it started",
      "the simulator's clock",
    ]);
  });
});
