import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError, type CliCommand } from '../command.ts';
import { parseIntegerOption, parseOptions } from '../parse-options.ts';
import { startServices } from '../../services/app-services.ts';
import { startHost } from '../../host/server.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';

const defaultRendererDir = fileURLToPath(new URL('../../../out/renderer', import.meta.url));

export const serveCommand: CliCommand = {
  path: ['serve'],
  summary: 'Serve the app and its API over HTTP + WebSocket for a browser (headless host)',
  usage: [
    'Usage: ddrl serve [--port N] [--host ADDRESS] [--db PATH]',
    '',
    '  --port N        port to listen on, 0 picks a free one (default 5317)',
    '  --host ADDRESS  address to bind (default 127.0.0.1; anything else exposes the app to the network)',
    dbUsage,
    '',
    'Prints a URL with a per-start token; only that URL (and the page it opens) can use the API.',
    'From another machine: ssh -L 5317:127.0.0.1:5317 user@server, then open the printed URL locally.',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...dbOption, port: { type: 'string' }, host: { type: 'string' } });
    const port = parseIntegerOption('port', values.port, 5317, 0, 65535);
    const host = values.host ?? '127.0.0.1';
    const rendererDir = process.env.DDRL_RENDERER_DIR ?? defaultRendererDir;
    if (!existsSync(join(rendererDir, 'index.html'))) {
      io.err(`ddrl serve: the renderer is not built (${rendererDir}/index.html is missing); run \`npm run build\` first. Serving the API only.`);
    }
    const services = startServices({ dbPath: databasePathFrom(values), runtime: 'node' });
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
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await running.close();
      return 0;
    } finally {
      services.close();
    }
  },
};
