import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDatabasePath, userDataFolder } from './database-path.ts';

describe('resolveDatabasePath', () => {
  it('prefers --db, then DDRL_DB, then the data folder', () => {
    const env = { DDRL_DB: '/env/db.sqlite', XDG_DATA_HOME: '/xdg' };
    expect(resolveDatabasePath('/flag.sqlite', env)).toBe('/flag.sqlite');
    expect(resolveDatabasePath(undefined, env)).toBe('/env/db.sqlite');
    expect(resolveDatabasePath(undefined, { XDG_DATA_HOME: '/xdg' })).toBe(join('/xdg', 'ddrl-studio', 'ddrl.sqlite'));
  });

  it('follows each platform convention for the data folder', () => {
    expect(userDataFolder({}, 'linux')).toBe(join(homedir(), '.local', 'share', 'ddrl-studio'));
    expect(userDataFolder({}, 'darwin')).toBe(join(homedir(), 'Library', 'Application Support', 'ddrl-studio'));
    expect(userDataFolder({ APPDATA: 'C:/Users/r/AppData/Roaming' }, 'win32')).toBe(join('C:/Users/r/AppData/Roaming', 'ddrl-studio'));
  });
});
