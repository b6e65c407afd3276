import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKEND_NAMES, initBackend } from './backend.ts';
import { vulkanLoaderPresent } from './webgpu.ts';

describe('initBackend', () => {
  it('starts the best available backend and says why better ones were not used', async () => {
    const info = await initBackend();
    expect(BACKEND_NAMES).toContain(info.name);
    expect(tf.getBackend()).toBe(info.tfjsBackend);
    expect(info.tfjsVersion).toBe(tf.version_core);
    const better = BACKEND_NAMES.slice(0, BACKEND_NAMES.indexOf(info.name));
    expect(info.fallbacks.map((f) => f.name)).toEqual(better);
    for (const f of info.fallbacks) expect(f.reason.length).toBeGreaterThan(0);
    if (vulkanLoaderPresent() === false) {
      expect(info.fallbacks.find((f) => f.name === 'webgpu')?.reason).toMatch(
        /^no Vulkan loader \(libvulkan\.so\.1\) on this machine: WebGPU needs a GPU driver with Vulkan/,
      );
    }
  });

  it('forces a named backend', async () => {
    expect((await initBackend('cpu')).tfjsBackend).toBe('cpu');
    expect((await initBackend('wasm')).tfjsBackend).toBe('wasm');
  });

  it('reports the native kernels inside wasm, and why they are not used on another backend', async () => {
    expect((await initBackend('wasm')).nativeKernels).toMatchObject({ isa: expect.stringMatching(/avx2\+fma|generic/), threads: expect.any(Number) });
    expect((await initBackend('cpu')).nativeKernels).toEqual({ reason: 'they serve the wasm backend, not cpu' });
    await initBackend('wasm');
  });

  it('rejects an unknown backend, listing the valid names', async () => {
    await expect(initBackend('tpu')).rejects.toThrow("Unknown backend 'tpu'. Valid backends: webgpu, node-gpu, node, wasm, cpu.");
  });

  // Where a Vulkan driver exists, webgpu.test.ts covers the backend itself.
  it.skipIf(vulkanLoaderPresent() !== false)('without a Vulkan driver, forcing webgpu fails saying what is missing', async () => {
    await expect(initBackend('webgpu')).rejects.toThrow(
      /^Backend 'webgpu' could not start: webgpu: no WebGPU adapter: WebGPU needs a GPU driver with Vulkan \(Linux, Windows\), Metal/,
    );
    await initBackend('wasm');
  });

  it('registers gradients the stock tfjs-core Node bundle lacks', async () => {
    await initBackend('wasm');
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, 2]));
    expect(Array.from(g.dataSync())).toEqual([2, 4]);
  });
});
