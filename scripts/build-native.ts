// `npm install` (the root package's install script) and `npm run build:native`: compiles the
// learning core's native kernels (native/) with node-gyp. Never fails the install: without
// the addon the learning core runs on TensorFlow.js's wasm kernels alone (slower), and
// `ddrl about` says why.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runStep } from './run-step.ts';

const nativeDir = join(import.meta.dirname, '..', 'native');

/** npm tells its scripts where its bundled node-gyp is; else the copy beside npm, else PATH. */
function nodeGyp(): { command: string; args: string[] } {
  const bundled =
    process.env.npm_config_node_gyp ?? join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  return existsSync(bundled) ? { command: process.execPath, args: [bundled] } : { command: 'node-gyp', args: [] };
}

const gyp = nodeGyp();
process.stdout.write('Building the native learning kernels (native/, node-gyp)...\n');
const code = await runStep(gyp.command, [...gyp.args, 'rebuild', '--release', '--loglevel', 'warn'], nativeDir);
process.stdout.write(
  code === 0
    ? 'Native learning kernels built: native/build/Release/ddrl_kernels.node.\n'
    : 'The native learning kernels did not build (they need python3, make, a C++ compiler and Node headers): training runs on TensorFlow.js wasm kernels alone, several times slower. `npm run build:native` retries.\n',
);
