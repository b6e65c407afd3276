// `npm start`: the desktop app where Electron's binary installed; otherwise the headless host in a browser.
import { electronAvailability } from './electron-binary.ts';
import { buildElectronSqlite } from './electron-native.ts';
import { bin, runStep } from './run-step.ts';

const args = process.argv.slice(2);
const build = () => runStep(bin('electron-vite'), ['build', '--logLevel', 'warn']);

async function start(): Promise<number> {
  const electron = electronAvailability();
  if (electron.available) {
    await buildElectronSqlite(electron.version);
    if ((await build()) !== 0) return 1;
    // The app executes runs in a child process of this Node.js (see main/pipeline/run-process.ts).
    process.env.DDRL_NODE ??= process.execPath;
    return runStep(electron.executable, ['.', ...args]);
  }
  process.stdout.write(
    [
      `DDRL Studio: the desktop window is not available here: ${electron.reason}.`,
      'Starting the headless host instead: open the URL it prints in a browser (Chromium, Firefox, ...).',
      '',
    ].join('\n'),
  );
  if ((await build()) !== 0) return 1;
  return runStep(process.execPath, ['bin/ddrl.js', 'serve', ...args]);
}

process.exitCode = await start();
