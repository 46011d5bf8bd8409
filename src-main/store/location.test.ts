import { describe, expect, it } from 'vitest';
import { resolveDatabasePath, userDataDirectory } from './location';

const linux = { platform: 'linux' as const, env: {}, home: '/home/ada' };

describe('resolveDatabasePath', () => {
  it('prefers --db, then HEAPSCOPE_DB, then the per-user data directory', () => {
    const env = { ...linux, env: { HEAPSCOPE_DB: '/data/env.db' } };

    expect(resolveDatabasePath('/tmp/flag.db', env)).toBe('/tmp/flag.db');
    expect(resolveDatabasePath(undefined, env)).toBe('/data/env.db');
    expect(resolveDatabasePath(undefined, linux)).toBe('/home/ada/.local/share/heapscope/heapscope.db');
  });

  it('follows each platform convention for the data directory', () => {
    expect(userDataDirectory({ ...linux, env: { XDG_DATA_HOME: '/xdg' } })).toBe('/xdg/heapscope');
    expect(userDataDirectory({ ...linux, platform: 'darwin' })).toBe(
      '/home/ada/Library/Application Support/Heapscope',
    );
    expect(
      userDataDirectory({
        platform: 'win32',
        env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
        home: 'C:\\Users\\ada',
      }),
    ).toMatch(/Roaming[\\/]Heapscope$/);
  });
});
