import type { CliCommand } from '../command.ts';

/** Every `ddrl` sub-command, in the order `ddrl --help` lists them. */
export const commands: readonly CliCommand[] = [];
