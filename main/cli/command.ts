/**
 * What every `ddrl` sub-command provides. A command is registered once in
 * `commands/index.ts`; the dispatcher builds `--help` from these fields.
 */
export interface CliCommand {
  /** Words that select the command, e.g. `['bench', 'envs']`. */
  readonly path: readonly string[];
  /** One line for the command list. */
  readonly summary: string;
  /** Full usage text shown by `ddrl <command> --help` and after a usage error. */
  readonly usage: string;
  /** Runs with the arguments after the command words; resolves to the exit code. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Where a command writes; tests pass their own to capture output. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** True when stdout is an interactive terminal (progress bars instead of plain lines). */
  readonly isTty: boolean;
}

/**
 * Bad arguments: the dispatcher prints the message and the command's usage and
 * exits with code 2. The message must say what is wrong and how to fix it.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
