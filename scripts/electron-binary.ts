import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Whether Electron is usable here: the optional package installed and its binary downloaded. */
export type ElectronAvailability = { available: true; executable: string; version: string } | { available: false; reason: string };

export function electronAvailability(): ElectronAvailability {
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { available: false, reason: 'the optional `electron` package is not installed (its binary could not be downloaded during npm install)' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : undefined;
  if (!executable || !existsSync(executable)) {
    return { available: false, reason: `the \`electron\` package has no binary in ${join(packageDir, 'dist')} (its download failed)` };
  }
  const version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  return { available: true, executable, version };
}
