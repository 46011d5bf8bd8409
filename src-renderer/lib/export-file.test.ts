import { describe, expect, it } from 'vitest';
import type { HeapscopeBridge } from './bridge';
import type { SaveFileRequest, SaveFileResult } from './contract';
import {
  chartFileName,
  dataExportItems,
  exportResultBytes,
  exportResultFile,
  pngDataUrlFile,
  saveFile,
  type FileToSave,
} from './export-file';

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

describe('saveFile', () => {
  const file = exportResultFile({
    format: 'csv',
    fileName: 'heapscope-3-cycles.csv',
    mimeType: 'text/csv',
    encoding: 'utf8',
    content: 'seq\r\n1\r\n',
    bytes: 8,
  });
  const browser = (): { downloaded: string[]; download: (f: FileToSave) => void } => {
    const downloaded: string[] = [];
    return { downloaded, download: (f) => downloaded.push(f.fileName) };
  };
  const desktop = (result: SaveFileResult): HeapscopeBridge & { requests: SaveFileRequest[] } => {
    const requests: SaveFileRequest[] = [];
    return {
      requests,
      invoke: () => Promise.reject(new Error('not used')),
      on: () => () => undefined,
      saveFile: (request) => (requests.push(request), Promise.resolve(result)),
    };
  };

  it('downloads in a browser', async () => {
    const { downloaded, download } = browser();

    expect(await saveFile(file, null, download)).toEqual({ saved: true, where: 'heapscope-3-cycles.csv' });
    expect(downloaded).toEqual(['heapscope-3-cycles.csv']);
  });

  it('goes through the native dialog in the desktop app, and reports where the file went', async () => {
    const bridge = desktop({ saved: true, path: '/home/u/gc/cycles.csv' });
    const { downloaded, download } = browser();

    expect(await saveFile(file, bridge, download)).toEqual({ saved: true, where: '/home/u/gc/cycles.csv' });
    expect(bridge.requests).toEqual([
      { kind: 'csv', fileName: 'heapscope-3-cycles.csv', encoding: 'utf8', content: 'seq\r\n1\r\n' },
    ]);
    expect(downloaded).toEqual([]);
  });

  it('reports a cancelled dialog as not saved', async () => {
    expect(await saveFile(file, desktop({ saved: false, path: null }), browser().download)).toEqual({
      saved: false,
    });
  });

  it('saves a chart from its PNG data URL as base64', () => {
    expect(pngDataUrlFile('data:image/png;base64,iVBORw0KGgo=', 'heapscope-3-heap-chart.png')).toEqual({
      kind: 'png',
      fileName: 'heapscope-3-heap-chart.png',
      mimeType: 'image/png',
      encoding: 'base64',
      content: 'iVBORw0KGgo=',
    });
  });
});
