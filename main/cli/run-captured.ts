import type { CliIo } from './command.ts';
import { runCli } from './ddrl.ts';

/** Runs `ddrl` in this process with its output captured line by line (for tests). */
export async function runCaptured(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), isTty: false };
  const code = await runCli(argv, io);
  return { code, out, err };
}
