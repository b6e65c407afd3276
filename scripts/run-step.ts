import { spawn } from 'node:child_process';
import { join } from 'node:path';

const forwarded = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs a command with inherited output; resolves to its exit code (never rejects).
 * While it runs, SIGINT/SIGTERM are passed to it, so stopping the parent stops it cleanly.
 */
export function runStep(command: string, args: readonly string[], cwd?: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    forwarded.forEach((signal) => process.on(signal, forward));
    const done = (code: number) => {
      forwarded.forEach((signal) => process.off(signal, forward));
      resolve(code);
    };
    child.on('error', (error) => {
      process.stderr.write(`${command}: ${error.message}\n`);
      done(127);
    });
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

/** A local tool from the project's node_modules/.bin. */
export function bin(name: string): string {
  return join(import.meta.dirname, '..', 'node_modules', '.bin', name);
}
