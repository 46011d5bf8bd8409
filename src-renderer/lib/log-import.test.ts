import { describe, expect, it } from 'vitest';
import { IMPORT_PIECE_BYTES, importProgressView, logFileProblem, pieceRanges } from './log-import';

describe('logFileProblem', () => {
  it('lets a file of any size through: it is sent in pieces', () => {
    expect(logFileProblem({ name: 'api.log', size: 5 * 2 ** 30 })).toBeNull();
  });

  it('refuses an empty file', () => {
    expect(logFileProblem({ name: 'empty.log', size: 0 })).toMatch(
      /^empty\.log is empty: expected a gctrace log/,
    );
  });
});

describe('pieceRanges', () => {
  it('covers the file end to end without overlap', () => {
    expect(pieceRanges(10, 4)).toEqual([
      [0, 4],
      [4, 8],
      [8, 10],
    ]);
    expect(pieceRanges(IMPORT_PIECE_BYTES * 2)).toHaveLength(2);
    expect(pieceRanges(0)).toEqual([]);
  });
});

describe('importProgressView', () => {
  const progress = {
    importId: 1,
    bytesReceived: 3 * 2 ** 20,
    totalBytes: null,
    linesRead: 120_400,
    cycles: 3010,
  };

  it('shows bytes of the total, lines and cycles', () => {
    expect(importProgressView(progress, 12 * 2 ** 20)).toEqual({
      fraction: 0.25,
      text: '3.0 of 12.0 MiB · 120,400 lines · 3,010 cycles',
    });
  });

  it('shows only bytes while a session export is read in', () => {
    expect(importProgressView({ ...progress, linesRead: 0, cycles: 0 }, 6 * 2 ** 20).text).toBe(
      '3.0 of 6.0 MiB',
    );
  });
});
