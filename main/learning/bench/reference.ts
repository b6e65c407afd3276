/**
 * Runs `shared/bench/torch_reference.py` with Debian's PyTorch (`/usr/bin/python3`, one
 * thread) so our timings can be compared with PyTorch's on the same machine, same run.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SYSTEM_PYTHON = '/usr/bin/python3';

/** `<repo>/../shared/bench/torch_reference.py`, the reference material next to the repository. */
export const REFERENCE_SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/bench/torch_reference.py');

export interface ReferenceTiming {
  readonly workload: string;
  readonly ms: number;
  readonly samples_per_s: number;
}

export type ReferenceOutcome =
  { readonly ok: true; readonly version: string; readonly results: readonly ReferenceTiming[] } | { readonly ok: false; readonly reason: string };

export async function runTorchReference(threads = 1, script = REFERENCE_SCRIPT): Promise<ReferenceOutcome> {
  if (!existsSync(SYSTEM_PYTHON)) return { ok: false, reason: `${SYSTEM_PYTHON} not found` };
  if (!existsSync(script)) return { ok: false, reason: `reference script not found at ${script}` };
  const { code, stdout, stderr } = await run(SYSTEM_PYTHON, [script, '--threads', String(threads), '--json']);
  if (code !== 0) {
    const why = /No module named 'torch'/.test(stderr)
      ? 'PyTorch is not installed (apt-get install -y python3-torch)'
      : (stderr.trim().split('\n').pop() ?? `exit code ${code}`);
    return { ok: false, reason: why };
  }
  try {
    const parsed = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { version: string; results: ReferenceTiming[] };
    return { ok: true, version: parsed.version, results: parsed.results };
  } catch {
    return { ok: false, reason: `unreadable reference output: ${stdout.slice(0, 200)}` };
  }
}

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => resolvePromise({ code: -1, stdout, stderr: error.message }));
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}
