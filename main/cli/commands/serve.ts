import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError, type CliCommand } from '../command.ts';
import { parseIntegerOption, parseOptions } from '../parse-options.ts';
import { startServices } from '../../services/app-services.ts';
import { CALL_WORKER_ENTRY } from '../../services/call-pool.ts';
import { prepareWorkerBundle } from '../../host/worker-bundles.ts';
import { startHost } from '../../host/server.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const defaultRendererDir = join(repoRoot, 'out/renderer');
/** How long SIGINT or SIGTERM waits for the executing run to stop at a step before its worker is terminated. */
const stopGraceMs = 5000;

export const serveCommand: CliCommand = {
  path: ['serve'],
  summary: 'Serve the app and its API over HTTP + WebSocket for a browser (headless host)',
  usage: [
    'Usage: ddrl serve [--port N] [--host ADDRESS] [--runs-in thread|process] [--db PATH]',
    '',
    '  --port N        port to listen on, 0 picks a free one (default 5317)',
    '  --host ADDRESS  address to bind (default 127.0.0.1; anything else exposes the app to the network)',
    '  --runs-in WHERE thread (default): runs execute in worker threads of the host; process: each in a',
    '                  child Node.js process, as in the desktop app (a crashing run cannot take the host down)',
    dbUsage,
    '',
    'Prints a URL with a per-start token; only that URL (and the page it opens) can use the API.',
    'From another machine: ssh -L 5317:127.0.0.1:5317 user@server, then open the printed URL locally.',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...dbOption, port: { type: 'string' }, host: { type: 'string' }, 'runs-in': { type: 'string' } });
    const runsIn = values['runs-in'] ?? 'thread';
    if (runsIn !== 'thread' && runsIn !== 'process') throw new UsageError(`--runs-in ${runsIn}: expected thread or process.`);
    const port = parseIntegerOption('port', values.port, 5317, 0, 65535);
    const host = values.host ?? '127.0.0.1';
    const rendererDir = process.env.DDRL_RENDERER_DIR ?? defaultRendererDir;
    if (!existsSync(join(rendererDir, 'index.html'))) {
      io.err(`ddrl serve: the renderer is not built (${rendererDir}/index.html is missing); run \`npm run build\` first. Serving the API only.`);
    }
    // The call pool's first worker then answers a freshly started host's first frame-heavy call sooner.
    const unbundled = await prepareWorkerBundle(CALL_WORKER_ENTRY);
    if (unbundled) io.err(`ddrl serve: ${unbundled}; the call workers start from source (their first call waits about a second longer).`);
    const services = startServices({
      dbPath: databasePathFrom(values),
      runtime: 'node',
      ...(runsIn === 'process' ? { runPlace: { kind: 'process', node: process.execPath, sourceRoot: repoRoot } as const } : {}),
    });
    try {
      const backend = await services.backend();
      const log = (line: string) => io.out(`${new Date().toISOString().slice(11, 19)} ${line}`);
      const running = await startHost({ services, rendererDir, host, port, log }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') throw new UsageError(`--port ${port} is in use on ${host}; pick another port, or --port 0 for a free one.`);
        if (error.code === 'EADDRNOTAVAIL') throw new UsageError(`--host ${host} is not an address of this machine; use 127.0.0.1 (default) or 0.0.0.0.`);
        throw error;
      });
      io.out(`DDRL Studio host on ${host}:${running.port} (TensorFlow.js ${backend.name}, database ${services.db.path})`);
      io.out(`Open: ${running.url}`);
      const signal = await new Promise<string>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      log(`${signal}: stopping; an executing run is cancelled (resumable with \`ddrl resume RUN\`)`);
      await running.close();
      await services.stopRuns(stopGraceMs);
      return 0;
    } finally {
      services.close();
    }
  },
};
