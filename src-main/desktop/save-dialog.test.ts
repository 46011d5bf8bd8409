import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SaveFileRequest } from '../api/desktop';
import { saveFileRequestSchema } from '../api/schemas';
import { useTempDir } from '../test-support/temp';
import { saveDialogOptions, saveFilters, writeSavedFile } from './save-dialog';

const tempDir = useTempDir();

const request = (overrides: Partial<SaveFileRequest> = {}): SaveFileRequest => ({
  kind: 'json',
  fileName: 'heapscope-3.json',
  encoding: 'utf8',
  content: '{"formatVersion": 2}\n',
  ...overrides,
});

describe('the save dialog', () => {
  it('starts in Downloads with the suggested name and the format’s filter first', () => {
    expect(
      saveDialogOptions(request({ kind: 'pprof', fileName: 'heapscope-3-gc40.pb.gz' }), '/home/u/Downloads'),
    ).toEqual({
      title: 'Save export',
      defaultPath: join('/home/u/Downloads', 'heapscope-3-gc40.pb.gz'),
      filters: [
        { name: 'pprof profile (gzipped protobuf)', extensions: ['gz', 'pb'] },
        { name: 'All files', extensions: ['*'] },
      ],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    expect(
      saveDialogOptions(request({ kind: 'png', fileName: 'heapscope-3-heap-chart.png' }), '/d').title,
    ).toBe('Save chart');
  });

  it.each([
    ['json', 'json'],
    ['csv', 'csv'],
    ['gctrace', 'txt'],
    ['trace', 'json'],
    ['png', 'png'],
  ] as const)('offers %s files as .%s', (kind, extension) => {
    const [filter, all] = saveFilters(kind);

    expect(filter!.extensions).toContain(extension);
    expect(all).toEqual({ name: 'All files', extensions: ['*'] });
  });
});

describe('writeSavedFile', () => {
  it('writes text as UTF-8 and base64 as its bytes, leaving no temporary file', async () => {
    const dir = tempDir();

    await writeSavedFile(join(dir, 'a.json'), request({ content: 'Ünïcode\n' }));
    await writeSavedFile(
      join(dir, 'b.png'),
      request({ kind: 'png', encoding: 'base64', content: 'iVBORw0KGgo=' }),
    );

    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('Ünïcode\n');
    expect([...readFileSync(join(dir, 'b.png'))]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'b.png']);
  });

  it('fails naming the path and the reason, and leaves nothing behind', async () => {
    const dir = tempDir();
    const path = join(dir, 'taken');
    mkdirSync(path);

    await expect(writeSavedFile(path, request())).rejects.toThrow(`cannot write ${path}: EISDIR`);
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it('fails for a folder that does not exist', async () => {
    const path = join(tempDir(), 'gone', 'x.json');

    await expect(writeSavedFile(path, request())).rejects.toThrow(`cannot write ${path}: ENOENT`);
  });
});

describe('the save request schema', () => {
  it('takes a plain file name only: the user picks the folder', () => {
    expect(saveFileRequestSchema.safeParse(request()).success).toBe(true);
    for (const fileName of ['../../.bashrc', 'a/b.json', 'a\\b.json', '..', ''])
      expect(saveFileRequestSchema.safeParse(request({ fileName })).success).toBe(false);
  });

  it('refuses an unknown kind, saying what it takes', () => {
    const result = saveFileRequestSchema.safeParse({ ...request(), kind: 'exe' });

    expect(result.error?.issues[0]?.message).toBe(
      'expected what is saved: "json", "csv", "gctrace", "pprof", "trace" or "png"',
    );
  });
});
