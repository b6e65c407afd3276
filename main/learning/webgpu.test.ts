/**
 * The webgpu backend against wasm, on the machine's Vulkan driver: a GPU's, or SwiftShader
 * (software, from Debian's chromium) where there is none. Both backends run the same
 * computations (testing/backend-parity.ts) in child processes: the driver's environment
 * must be set when a process starts.
 *
 * Tolerances: every layer, its first and its second derivatives agree to 1e-5 of the
 * largest value (measured: 8e-7, float32 sums taken in another order; a kernel that fails
 * on the GPU gives differences of the values' own size). The matching distances subtract
 * nearly equal gradients before squaring them, which amplifies rounding: 1e-4 (measured
 * 4e-6). Pixel steps are read as (after - before) on the 0..255 scale, whose float32
 * spacing is 2^-16 near 255: two spacings, 2^-15 (measured one). Adam's first step is
 * g / (|g| + eps), sensitive where |g| ~ eps: 1e-4 of its size (measured 1.5e-5). The BC
 * runs' losses: 1e-4 absolute over 8 steps (measured 2e-6).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAYER_CASES, type ParityResults } from './testing/backend-parity.ts';
import { vulkanEnvironment } from './testing/vulkan-driver.ts';
import type { GpuAdapter } from './webgpu.ts';

interface ChildReport {
  readonly adapter: GpuAdapter | null;
  readonly results: ParityResults;
  readonly bcLosses: number[];
  readonly leakedTensors: number;
}

/** The optional packages (an install may have skipped them), else the Vulkan driver. */
function environment(): ReturnType<typeof vulkanEnvironment> {
  const missing = ['webgpu', '@tensorflow/tfjs-backend-webgpu'].find((name) => !existsSync(join('node_modules', name, 'package.json')));
  return missing ? { reason: `the optional package ${missing} is not installed` } : vulkanEnvironment();
}

const driver = environment();
if ('reason' in driver) console.warn(`webgpu backend tests skipped: ${driver.reason}`);
const run = promisify(execFile);

async function report(backend: string, env: NodeJS.ProcessEnv): Promise<ChildReport> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'main/learning/testing/backend-parity-main.ts', backend], {
    env,
    maxBuffer: 64 << 20,
  });
  return JSON.parse(stdout) as ChildReport;
}

/** The largest |a - b| over the largest |a|. */
function relativeError(a: readonly number[], b: readonly number[]): number {
  expect(b).toHaveLength(a.length);
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(a[i]!));
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

function absoluteError(a: readonly number[], b: readonly number[]): number {
  expect(b).toHaveLength(a.length);
  return a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i]!)), 0);
}

describe.skipIf('reason' in driver)(`webgpu backend vs wasm (${'reason' in driver ? `skipped: ${driver.reason}` : driver.driver})`, () => {
  let wasm: ChildReport;
  let gpu: ChildReport;

  // About 30 s on two idle cores; minutes where other work shares them (SwiftShader compiles every shader on the CPU).
  beforeAll(async () => {
    if ('reason' in driver) return;
    [wasm, gpu] = await Promise.all([report('wasm', process.env), report('webgpu', driver.env)]);
  }, 480_000);

  it('runs on a WebGPU adapter and reports it', () => {
    expect(gpu.adapter).toMatchObject({ vendor: expect.any(String), architecture: expect.any(String), fallback: expect.any(Boolean) });
    expect(wasm.adapter).toBeNull();
  });

  for (const c of LAYER_CASES) {
    it(`${c.name}: forward, first and second derivatives`, () => {
      const keys = Object.keys(wasm.results).filter((k) => k.startsWith(`${c.name}: `));
      expect(keys.length).toBeGreaterThanOrEqual(3);
      for (const key of keys) expect(relativeError(wasm.results[key]!, gpu.results[key]!), key).toBeLessThan(1e-5);
    });
  }

  for (const group of ['gm paper (student)', 'gm dc (student)', 'gm dsa (student)', 'gm dm (student)']) {
    it(`${group}: one matching step`, () => {
      const key = (q: string) => `${group}: ${q}`;
      expect(relativeError(wasm.results[key('distance')]!, gpu.results[key('distance')]!)).toBeLessThan(1e-4);
      expect(absoluteError(wasm.results[key('pixel step')]!, gpu.results[key('pixel step')]!)).toBeLessThanOrEqual(2 ** -15);
    });
  }

  it('one BC step: the loss and the Adam step', () => {
    expect(relativeError(wasm.results['bc step (student): loss']!, gpu.results['bc step (student): loss']!)).toBeLessThan(1e-5);
    expect(relativeError(wasm.results['bc step (student): parameter step']!, gpu.results['bc step (student): parameter step']!)).toBeLessThan(1e-4);
  });

  it('the action chooser samples the same actions, with the same log-probabilities', () => {
    expect(gpu.results['policy (student): actions']).toEqual(wasm.results['policy (student): actions']);
    expect(relativeError(wasm.results['policy (student): log probabilities']!, gpu.results['policy (student): log probabilities']!)).toBeLessThan(1e-5);
  });

  it('a tiny BC run learns, with the losses of the same run on wasm', () => {
    const losses = gpu.bcLosses;
    expect(losses).toHaveLength(8);
    expect(losses[7]!).toBeLessThan(0.1 * losses[0]!);
    expect(absoluteError(wasm.bcLosses, losses)).toBeLessThan(1e-4);
  });

  it('leaks no tensors', () => {
    expect(gpu.leakedTensors).toBe(0);
    expect(wasm.leakedTensors).toBe(0);
  });
});
