import { spawn } from 'node:child_process';

/** Runs a command with inherited output; resolves to its exit code (never rejects). */
export function runStep(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.on('error', (error) => {
      process.stderr.write(`${command}: ${error.message}\n`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** A local tool from node_modules/.bin. */
export function bin(name: string): string {
  return `node_modules/.bin/${name}`;
}
