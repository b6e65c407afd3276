import type { AboutInfo } from '@shared/api/about.ts';
import { formatAboutText } from '@shared/api/about-text.ts';
import type { CliCommand } from '../command.ts';
import { parseOptions } from '../parse-options.ts';
import { startServices } from '../../services/app-services.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';

export const aboutCommand: CliCommand = {
  path: ['about'],
  summary: 'Show the app version, the TensorFlow.js backend and the database',
  usage: [
    'Usage: ddrl about [--db PATH] [--json]',
    '',
    dbUsage,
    '  --json          print the about record as JSON',
    '',
    'DDRL_BACKEND=node-gpu|node|wasm|cpu forces a TensorFlow.js backend.',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...dbOption, json: { type: 'boolean' } });
    const services = startServices({ dbPath: databasePathFrom(values), runtime: 'node' });
    try {
      const reply = await services.dispatch('about.get', {});
      if (!reply.ok) throw new Error(reply.error.message);
      const info = reply.output as AboutInfo;
      if (values.json) io.out(JSON.stringify(info, null, 2));
      else formatAboutText(info).forEach((line) => io.out(line));
      return 0;
    } finally {
      services.close();
    }
  },
};
