// Type checks: the Node side, the renderer (tsc + svelte-check) and, where Electron's types are installed, the Electron layer.
import { pathToFileURL } from 'node:url';
import { electronAvailability } from './electron-binary.ts';
import { bin, runStep } from './run-step.ts';
import { existsSync } from 'node:fs';

export async function typecheck(): Promise<number> {
  const checks: [string, string[]][] = [
    [bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']],
    [bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']],
    [bin('tsc'), ['-p', 'tsconfig.e2e.json', '--noEmit']],
    [bin('svelte-check'), ['--tsconfig', 'tsconfig.web.json', '--fail-on-warnings', '--output', 'human']],
  ];
  // Electron's typings ship in its package, which is absent where its binary could not download
  // (.ci/run unpacks the package without its binary and sets DDRL_REQUIRE_ELECTRON_TYPES, so CI never skips this).
  if (existsSync('node_modules/electron/electron.d.ts')) checks.push([bin('tsc'), ['-p', 'tsconfig.electron.json', '--noEmit']]);
  else if (process.env.DDRL_REQUIRE_ELECTRON_TYPES === '1') {
    process.stderr.write(
      'typecheck: node_modules/electron/electron.d.ts is missing, and DDRL_REQUIRE_ELECTRON_TYPES=1 requires checking main/electron against it: ' +
        'install the package without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install), or run .ci/run.\n',
    );
    return 1;
  } else {
    const electron = electronAvailability();
    process.stdout.write(`typecheck: main/electron skipped: ${electron.available ? 'electron.d.ts missing' : electron.reason}.\n`);
  }
  let failed = 0;
  for (const [command, args] of checks) if ((await runStep(command, args)) !== 0) failed += 1;
  return failed === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await typecheck();
