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
