import type { CliCommand } from '../command.ts';
import { aboutCommand } from './about.ts';
import { benchLearnCommand } from './bench-learn.ts';
import { runCommand } from './run.ts';
import { serveCommand } from './serve.ts';
import { simulateCommand } from './simulate.ts';

/** Every `ddrl` sub-command, in the order `ddrl --help` lists them. */
export const commands: readonly CliCommand[] = [serveCommand, aboutCommand, simulateCommand, runCommand, benchLearnCommand];
