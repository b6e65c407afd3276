// Builds better-sqlite3 for Electron's ABI into .electron-native/, leaving the Node build
// in node_modules (used by the CLI, the host and the tests) untouched.
import { pathToFileURL } from 'node:url';
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { electronAvailability } from './electron-binary.ts';
import { bin, runStep } from './run-step.ts';

export const electronSqliteBinding = join('.electron-native', 'better_sqlite3.node');

export async function buildElectronSqlite(electronVersion: string): Promise<void> {
  if (existsSync(electronSqliteBinding)) return;
  const work = join('.electron-native', 'better-sqlite3');
  rmSync(work, { recursive: true, force: true });
  mkdirSync('.electron-native', { recursive: true });
  cpSync(join('node_modules', 'better-sqlite3'), work, { recursive: true });
  rmSync(join(work, 'build'), { recursive: true, force: true });
  // A prebuilt binary when one is published for this Electron; else compile against Electron's headers.
  if ((await runStep(bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion], work)) !== 0) {
    const compile = ['--yes', 'node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers'];
    if ((await runStep('npx', compile, work)) !== 0) {
      throw new Error(
        `Could not build better-sqlite3 for Electron ${electronVersion}: neither a prebuilt binary nor a local compile (needs python3, make and a C++ compiler) worked.`,
      );
    }
  }
  copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), electronSqliteBinding);
  process.stdout.write(`Built ${electronSqliteBinding} for Electron ${electronVersion}.\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const electron = electronAvailability();
  if (!electron.available) {
    process.stderr.write(`electron:native: Electron is not available: ${electron.reason}.\n`);
    process.exitCode = 1;
  } else {
    await buildElectronSqlite(electron.version);
  }
}
