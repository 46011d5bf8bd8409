import { describe, expect, it } from 'vitest';
import { cycleRecord } from '../test-support/records';
import { CYCLE_CSV_COLUMNS, csvField, cyclesCsv, pausesCsv } from './csv';

describe('cycles as CSV', () => {
  it('has one column per CycleRecord field, pauses as a count, every header ending in its unit', () => {
    const fields = Object.keys(cycleRecord()).filter((f) => f !== 'pauses');

    expect(CYCLE_CSV_COLUMNS).toHaveLength(fields.length + 1);
    expect(new Set(CYCLE_CSV_COLUMNS).size).toBe(CYCLE_CSV_COLUMNS.length);
    const unitless = CYCLE_CSV_COLUMNS.filter(
      (h) => !/_(bytes|ns|count|fraction|ratio)$/.test(h) && h !== 'seq' && h !== 'trigger',
    );
    expect(unitless).toEqual([]);
  });

  it('writes nanoseconds, bytes and counts as integers and fractions with every digit', () => {
    // The simulation's background and idle CPU and its trigger come out of divisions.
    const cycle = cycleRecord({
      backgroundCpuNs: 54614.99999999999,
      idleCpuNs: 18725.14285714286,
      heapTriggerBytes: 4746067.122403059,
      gcCpuFraction: 0.123456789,
      assistRatio: 0.5,
      leakedBytes: null,
      pauses: [{ startNs: 1_000_000.4, durationNs: 20_000.6 }],
    });
    const [header, row] = cyclesCsv([cycle]).split('\r\n');
    const cell = (name: string): string => row!.split(',')[header!.split(',').indexOf(name)]!;

    expect(cell('background_cpu_ns')).toBe('54615');
    expect(cell('idle_cpu_ns')).toBe('18725');
    expect(cell('heap_trigger_bytes')).toBe('4746067');
    expect(cell('gc_cpu_fraction')).toBe('0.123456789');
    expect(cell('assist_ratio')).toBe('0.5');
    expect(cell('leaked_bytes')).toBe('');
    for (const name of header!.split(',').filter((h) => /_(ns|bytes|count)$/.test(h)))
      expect(cell(name), name).toMatch(/^-?\d*$/);
    expect(pausesCsv([cycle]).split('\r\n')[1]).toBe('1,0,1000000,20001');
  });

  it('writes CRLF rows, nulls as empty fields', () => {
    const text = cyclesCsv([cycleRecord({ seq: 7, objectsFreed: null, pauseNs: 350_000 })]);

    const [header, row, end] = text.split('\r\n');
    const cell = (name: string): string => row!.split(',')[header!.split(',').indexOf(name)]!;
    expect(end).toBe('');
    expect(text.includes('\n') && !/[^\r]\n/.test(text)).toBe(true);
    expect(cell('seq')).toBe('7');
    expect(cell('objects_freed_count')).toBe('');
    expect(cell('pause_ns')).toBe('350000');
    expect(cell('pause_count')).toBe('2');
  });

  it('quotes fields with commas, quotes or line breaks (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(0.25)).toBe('0.25');
  });

  it('lists every stop-the-world window in the pauses table', () => {
    const text = pausesCsv([cycleRecord({ seq: 3 }), cycleRecord({ seq: 4, pauses: [] })]);

    expect(text).toBe('seq,pause_index,start_ns,duration_ns\r\n3,0,1000000,20000\r\n3,1,1320000,330000\r\n');
  });
});
