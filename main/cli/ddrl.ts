import { commands } from './commands/index.ts';
import { UsageError, type CliCommand, type CliIo } from './command.ts';

const processIo: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  isTty: Boolean(process.stdout.isTTY),
};

function overview(): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length), 8);
  const lines = commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return ['Usage: ddrl <command> [options]', '', 'Commands:', ...lines, '', 'Run `ddrl <command> --help` for the options of one command.'].join('\n');
}

/** The command whose words are the longest prefix of argv, if any. */
function findCommand(argv: string[]): CliCommand | undefined {
  let best: CliCommand | undefined;
  for (const command of commands) {
    const matches = command.path.every((word, i) => argv[i] === word);
    if (matches && (!best || command.path.length > best.path.length)) best = command;
  }
  return best;
}

/** Runs `ddrl` with the given arguments and resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(overview());
    return argv.length === 0 ? 2 : 0;
  }
  const command = findCommand(argv);
  if (!command) {
    io.err(`ddrl: unknown command '${argv.join(' ')}'.`);
    io.err(overview());
    return 2;
  }
  const rest = argv.slice(command.path.length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`ddrl ${command.path.join(' ')}: ${error.message}`);
      io.err(command.usage);
      return 2;
    }
    io.err(`ddrl ${command.path.join(' ')}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

// Only the real process entry point exits; tests import runCli instead.
if (process.argv[1] && /ddrl(\.ts|\.js)?$/.test(process.argv[1])) {
  // A reader that stops early (`ddrl runs | head`) closes the pipe: that ends the output, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  process.exitCode = await runCli(process.argv.slice(2));
}
