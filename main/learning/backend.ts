/**
 * Chooses and initialises the TensorFlow.js backend for everything the method trains.
 *
 * Preference order: WebGPU on a real GPU (any vendor with a Vulkan, Metal or D3D12
 * driver), native TensorFlow with CUDA, native TensorFlow on CPU, the embedded wasm
 * backend (XNNPACK, the default that always ships), the pure-JS cpu backend (slow, last
 * resort). The GPU and native packages are optional installs, so they are loaded by
 * dynamic import and their absence is reported as a fallback reason, not an error.
 * WebGPU on a fallback adapter (a software rasteriser such as SwiftShader) is never
 * chosen automatically: it is far slower than the CPU backends; forcing it is allowed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerLearningKernels, type NativeKernelsStatus } from './kernels/register.ts';
import { describeGpuAdapter } from '@shared/api/about-text.ts';
import { GPU_DRIVER_HINT, loadWebGpuBackend, probeWebGpu, vulkanLoaderPresent, type GpuAdapter } from './webgpu.ts';

export const BACKEND_NAMES = ['webgpu', 'node-gpu', 'node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendFallback {
  readonly name: BackendName;
  readonly reason: string;
}

export interface BackendInfo {
  /** Our name for the backend (one of BACKEND_NAMES). */
  readonly name: BackendName;
  /** The name tfjs knows it by (`webgpu`, `tensorflow`, `wasm`, `cpu`). */
  readonly tfjsBackend: string;
  readonly tfjsVersion: string;
  /** Every preferred backend that was not used, and why. */
  readonly fallbacks: readonly BackendFallback[];
  /** Our native conv and pool kernels inside the wasm backend (instruction set, threads), or why they are not used. */
  readonly nativeKernels: NativeKernelsStatus;
  /** The GPU adapter the webgpu backend runs on; null for the other backends. */
  readonly gpuAdapter: GpuAdapter | null;
}

/** A backend that cannot start here, with the reason as users should read it. */
class BackendUnavailable extends Error {}

/** How to bring each backend up (`forced`: the user asked for it by name); resolves to the tfjs backend name. */
const loaders: Record<BackendName, (forced: boolean) => Promise<string>> = {
  webgpu: async (forced) => {
    if (!forced && vulkanLoaderPresent() === false) throw new BackendUnavailable(`no Vulkan loader (libvulkan.so.1) on this machine: ${GPU_DRIVER_HINT}`);
    let adapter: GpuAdapter;
    try {
      adapter = await probeWebGpu();
    } catch (error) {
      const message = firstLine(error);
      throw new BackendUnavailable(/Cannot find (package|module) 'webgpu'/.test(message) ? `not installed (the optional package webgpu: ${message})` : message);
    }
    if (adapter.fallback && !forced) {
      throw new BackendUnavailable(
        `the only WebGPU adapter is a fallback one (${describeGpuAdapter(adapter)}), slower than the CPU backends; DDRL_BACKEND=webgpu uses it anyway`,
      );
    }
    return loadWebGpuBackend();
  },
  'node-gpu': async () => {
    await importOptional('@tensorflow/tfjs-node-gpu');
    return 'tensorflow';
  },
  node: async () => {
    await importOptional('@tensorflow/tfjs-node');
    return 'tensorflow';
  },
  wasm: async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    return 'wasm';
  },
  cpu: async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    return 'cpu';
  },
};

// A variable specifier keeps TypeScript and bundlers from resolving packages that may be absent.
async function importOptional(specifier: string): Promise<void> {
  await import(/* @vite-ignore */ specifier);
}

export function parseBackendName(value: string): BackendName {
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new Error(`Unknown backend '${value}'. Valid backends: ${BACKEND_NAMES.join(', ')}.`);
}

let current: BackendInfo | undefined;

/**
 * Initialises a backend and registers our kernels and gradients on it.
 * `requested` (or the `DDRL_BACKEND` environment variable) forces one backend and fails
 * if it cannot start; without it the best backend that starts is chosen.
 */
export async function initBackend(requested?: string): Promise<BackendInfo> {
  const forcedName = requested ?? (process.env.DDRL_BACKEND || undefined);
  const candidates = forcedName === undefined ? BACKEND_NAMES : [parseBackendName(forcedName)];
  if (current && candidates.includes(current.name) && tf.getBackend() === current.tfjsBackend) {
    return current;
  }
  const fallbacks: BackendFallback[] = [];
  for (const name of candidates) {
    const reason = await tryStart(name, forcedName !== undefined);
    if (reason === undefined) {
      const nativeKernels = registerLearningKernels(tf.getBackend());
      const gpuAdapter = name === 'webgpu' ? await probeWebGpu() : null;
      current = { name, tfjsBackend: tf.getBackend(), tfjsVersion: tf.version_core, fallbacks, nativeKernels, gpuAdapter };
      return current;
    }
    fallbacks.push({ name, reason });
  }
  const why = fallbacks.map((f) => `${f.name}: ${f.reason}`).join('; ');
  throw new Error(
    forcedName === undefined
      ? `No TensorFlow.js backend could start (${why}).`
      : `Backend '${forcedName}' could not start: ${why}. Valid backends: ${BACKEND_NAMES.join(', ')}.`,
  );
}

/** Starts one backend; resolves to undefined on success, or the reason it failed. */
async function tryStart(name: BackendName, forced: boolean): Promise<string | undefined> {
  let tfjsName: string;
  try {
    tfjsName = await loaders[name](forced);
  } catch (error) {
    return error instanceof BackendUnavailable ? error.message : `not installed or failed to load (${firstLine(error)})`;
  }
  try {
    if (await tf.setBackend(tfjsName)) {
      await tf.ready();
      return undefined;
    }
    return `tfjs backend '${tfjsName}' failed to initialise`;
  } catch (error) {
    return `tfjs backend '${tfjsName}' failed to initialise (${firstLine(error)})`;
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/** The backend initBackend chose, if it ran. */
export function currentBackend(): BackendInfo | undefined {
  return current;
}
