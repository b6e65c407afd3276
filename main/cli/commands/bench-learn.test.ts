import { describe, expect, it } from 'vitest';
import { runCaptured } from '../run-captured.ts';

describe('ddrl bench learn', () => {
  it('prints one JSON row per workload with the contract fields', async () => {
    const { code, out } = await runCaptured(['bench', 'learn', '--json', '--backend', 'wasm', '--workload', 'infer/student', '--no-reference']);
    expect(code).toBe(0);
    const rows = out.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ workload: 'infer/student', backend: 'wasm' });
    expect(rows[0]!['ms']).toBeGreaterThan(0);
    expect(rows[0]!['samples_per_s']).toBeCloseTo((256 * 1000) / (rows[0]!['ms'] as number), -1);
  }, 120_000);

  it('rejects an unknown backend or workload, naming the valid ones (exit 2)', async () => {
    const backend = await runCaptured(['bench', 'learn', '--backend', 'tpu']);
    expect(backend.code).toBe(2);
    expect(backend.err.join('\n')).toContain("--backend 'tpu' is not valid: use one of webgpu, node-gpu, node, wasm, cpu.");
    const workload = await runCaptured(['bench', 'learn', '--workload', 'bc_step/resnet']);
    expect(workload.code).toBe(2);
    expect(workload.err.join('\n')).toContain("--workload 'bc_step/resnet' is not valid");
  });
});
