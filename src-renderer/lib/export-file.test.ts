import { describe, expect, it } from 'vitest';
import { chartFileName, dataExportItems, exportResultBytes } from './export-file';

describe('the Export menu entries', () => {
  it('offers pprof of the selected snapshot cycle', () => {
    const pprof = dataExportItems('simulation', 17).find((item) => item.key === 'pprof')!;

    expect(pprof).toMatchObject({
      label: 'pprof heap profile (gc 17)',
      request: { format: 'pprof', cycle: 17 },
      disabledReason: null,
    });
  });

  it('disables pprof, saying why, for an imported log or no snapshot', () => {
    const imported = dataExportItems('gctrace', null).find((item) => item.key === 'pprof')!;
    const none = dataExportItems('simulation', null).find((item) => item.key === 'pprof')!;

    expect(imported.disabledReason).toMatch(/no heap snapshots/);
    expect(none.disabledReason).toMatch(/no heap snapshot is selected/);
    expect(dataExportItems('gctrace', null).filter((i) => i.disabledReason === null)).toHaveLength(5);
  });
});

describe('export files', () => {
  it('decodes base64 results to their bytes and text results to UTF-8', () => {
    const binary = exportResultBytes({
      format: 'pprof',
      fileName: 'x.pb.gz',
      mimeType: 'application/gzip',
      encoding: 'base64',
      content: 'H4sIAA==',
      bytes: 4,
    });
    const text = exportResultBytes({
      format: 'gctrace',
      fileName: 'x.txt',
      mimeType: 'text/plain',
      encoding: 'utf8',
      content: 'gc 1 µ',
      bytes: 7,
    });

    expect([...binary]).toEqual([0x1f, 0x8b, 0x08, 0x00]);
    expect(text).toHaveLength(7);
  });

  it('names chart images after the session and the chart', () => {
    expect(chartFileName(3, 'heap-chart')).toBe('heapscope-3-heap-chart.png');
    expect(chartFileName(3, 'Pause histogram!')).toBe('heapscope-3-pause-histogram.png');
    expect(chartFileName(3, '')).toBe('heapscope-3-chart.png');
  });
});
