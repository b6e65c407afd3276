/**
 * A parent for run-process.test.ts: services that execute runs in a Node.js child
 * process (as the Electron app's do) start one tiny run and say so once it
 * reports progress; the test then kills this process and watches the child.
 * argv: database path, the Node.js executable for runs, then `--set` settings.
 */
import { resolve } from 'node:path';
import { startServices } from '../../services/app-services.ts';

const [dbPath, node, ...settings] = process.argv.slice(2);
const services = startServices({
  dbPath: dbPath!,
  runtime: 'node',
  runPlace: { kind: 'process', node: node!, sourceRoot: resolve(import.meta.dirname, '../../..') },
});
let announced = false;
services.events.subscribe((event) => {
  if (event.type === 'progress' && !announced) {
    announced = true;
    process.stdout.write(`progress ${event.runId}\n`);
  }
});
const reply = await services.dispatch('runs.start', { preset: 'quick-bigfish', set: settings });
if (!reply.ok) throw new Error(reply.error.message);
