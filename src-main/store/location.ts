/**
 * Where the shared database lives. The desktop app, the CLI and the server resolve it the same way,
 * so they see the same sessions: `--db FILE`, else HEAPSCOPE_DB, else a per-user data directory.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DATABASE_FILE_NAME = 'heapscope.db';

export interface LocationEnv {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

const currentEnv = (): LocationEnv => ({ platform: process.platform, env: process.env, home: homedir() });

/** The per-user data directory, following each platform's convention. */
export function userDataDirectory({ platform, env, home }: LocationEnv = currentEnv()): string {
  switch (platform) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Heapscope');
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Heapscope');
    default:
      return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'heapscope');
  }
}

export function resolveDatabasePath(
  explicit: string | undefined,
  location: LocationEnv = currentEnv(),
): string {
  if (explicit !== undefined && explicit !== '') return explicit;
  const fromEnv = location.env.HEAPSCOPE_DB;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return join(userDataDirectory(location), DATABASE_FILE_NAME);
}
