import { homedir } from 'node:os';
import { join } from 'node:path';

const fileName = 'ddrl.sqlite';

/** The per-user data folder of this platform (XDG on Linux). */
export function userDataFolder(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'ddrl-studio');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'ddrl-studio');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'ddrl-studio');
}

/** The database file: `--db PATH` first, then `DDRL_DB`, then the user's data folder. */
export function resolveDatabasePath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined) return flag;
  if (env.DDRL_DB) return env.DDRL_DB;
  return join(userDataFolder(env), fileName);
}
