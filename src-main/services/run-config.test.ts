import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/contract';
import { SHORT_RUN } from '../test-support/requests';
import { presetScenarios } from './catalog';
import { prefilledLiveBytes, toSimulationConfig } from './runs';

const MiB = 2 ** 20;

describe('a run request’s collector options', () => {
  it('passes the barrier, the cycle collector and GOMEMLIMIT to the simulation, with defaults', () => {
    expect(
      toSimulationConfig({ ...SHORT_RUN, collector: 'incremental', barrier: 'yuasa' }).collectorOptions,
    ).toEqual({
      barrier: 'yuasa',
      cycleCollector: false,
    });
    expect(toSimulationConfig({ ...SHORT_RUN, memoryLimitBytes: 64 * MiB }).memoryLimitBytes).toBe(64 * MiB);
    expect(toSimulationConfig({ ...SHORT_RUN, memoryLimitBytes: null }).memoryLimitBytes).toBe(Infinity);
  });

  it('counts the live heap a scenario prefills: go-churn’s ring of 16 384 1 KiB buffers and its 24 B entries', () => {
    expect(prefilledLiveBytes(presetScenarios().get('go-churn')!)).toBe(16_384 * (1024 + 24));
    expect(prefilledLiveBytes(presetScenarios().get('steady')!)).toBeGreaterThanOrEqual(0);
  });

  it('refuses a memory limit below that live heap before the run, saying what it would take', () => {
    const request = { ...SHORT_RUN, scenario: 'go-churn', collector: 'go', memoryLimitBytes: 8 * MiB };
    expect(() => toSimulationConfig(request)).toThrow(ApiError);
    expect(() => toSimulationConfig(request)).toThrow(
      /GOMEMLIMIT 8\.0 MiB is below the 16\.4 MiB scenario go-churn keeps live from its start/,
    );
    expect(() => toSimulationConfig({ ...request, memoryLimitBytes: 24 * MiB })).not.toThrow();
  });
});
