import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** A real `ddrl serve` child process on a free port. */
export interface HostProcess {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  stop(): Promise<void>;
}

/** Runs `ddrl` to completion and returns its output (for comparing with what the app shows). */
export function runDdrl(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/ddrl.js', ...args], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Starts `ddrl serve --port 0 --db dbPath` and resolves once it printed its URL. Its runs
 * execute in child Node.js processes (`--runs-in process`), as the desktop app's do: the
 * UI is tested here in Chromium against the host, so the host behaves like the app.
 */
export function startHostProcess(dbPath: string): Promise<HostProcess> {
  const child = spawn(process.execPath, ['bin/ddrl.js', 'serve', '--port', '0', '--runs-in', 'process', '--db', dbPath], { cwd: repoRoot });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('timed out after 30 s')), 30_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      void stopChild(child);
      reject(new Error(`ddrl serve did not start: ${error.message}\n${output}`));
    };
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^Open: (\S+)$/m.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      const url = new URL(match[1]);
      resolve({ url: url.href, origin: url.origin, token: url.searchParams.get('token') ?? '', stop: () => stopChild(child) });
    });
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
  });
}
