/**
 * The WebGPU backend under Node: Dawn's Node bindings (the optional npm package `webgpu`,
 * binaries inside the package) provide `navigator.gpu`, and tfjs-backend-webgpu runs on it.
 * Everything here is loaded lazily, so the CPU path never loads Dawn.
 *
 * Facts this module works around (tfjs-backend-webgpu 4.22, webgpu 0.6.2):
 * - the tfjs package registers its backend at import only if `navigator.gpu` exists then,
 *   and its shaders use WebGPU's globals (GPUBufferUsage, ...): both are installed first;
 * - synchronous reads (dataSync) throw under Node (they draw through an OffscreenCanvas):
 *   code that may run here reads with `await data()`;
 * - Dawn refuses to run inside Electron's processes (the V8 sandbox forbids the external
 *   buffers it maps), so there it is reported unavailable without being loaded;
 * - a live device keeps Node's event loop alive: `releaseWebGpu()` destroys it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { GpuAdapterInfo } from '@shared/api/about.ts';

/** The adapter Dawn chose (description: the driver's own, e.g. `SwiftShader driver 5.0.0`), as the About view and `ddrl about` show it. */
export type GpuAdapter = Readonly<GpuAdapterInfo>;

/** What a GPU user needs, said wherever no adapter was found. */
export const GPU_DRIVER_HINT =
  "WebGPU needs a GPU driver with Vulkan (Linux, Windows), Metal (macOS) or D3D12 (Windows); on Linux install the GPU vendor's Vulkan driver (NVIDIA's, or Mesa's mesa-vulkan-drivers)";

// The few parts of the WebGPU API used here (the project does not depend on @webgpu/types).
interface DawnAdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  readonly device: string;
  readonly isFallbackAdapter?: boolean;
}
interface DawnGpu {
  requestAdapter(options: { powerPreference: 'high-performance' }): Promise<{ readonly info: DawnAdapterInfo } | null>;
}
interface DawnModule {
  create(options: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

// Variables, not literals: the packages are optional, so neither TypeScript nor a bundler may resolve them.
const DAWN_PACKAGE = 'webgpu';
const TFJS_WEBGPU_PACKAGE = '@tensorflow/tfjs-backend-webgpu';

let gpu: DawnGpu | undefined;
let probed: Promise<GpuAdapter> | undefined;

/** Why Dawn cannot run in this process, or undefined if it may. */
export function dawnUnavailableReason(): string | undefined {
  if (process.versions.electron) {
    return "Dawn cannot run inside Electron's processes (the V8 sandbox forbids the external buffers it maps): use the headless host or the ddrl command for GPU training";
  }
  return undefined;
}

/**
 * Whether a Vulkan loader can be found on Linux, checked without loading Dawn (which would
 * print a warning on every start of a machine without one). Undefined where it cannot tell.
 */
export function vulkanLoaderPresent(): boolean | undefined {
  if (process.platform !== 'linux') return undefined;
  const library = 'libvulkan.so.1';
  const dirs = (process.env.LD_LIBRARY_PATH ?? '').split(delimiter).filter(Boolean);
  if (dirs.some((dir) => existsSync(join(dir, library)))) return true;
  try {
    // The dynamic linker's cache lists every library it can find by name.
    return readFileSync('/etc/ld.so.cache').includes(library);
  } catch {
    return undefined;
  }
}

/**
 * Loads Dawn, installs `navigator.gpu` and WebGPU's globals, and asks for the
 * high-performance adapter (the one tfjs-backend-webgpu will ask for). Rejects with a
 * reason when Dawn is absent or finds no adapter.
 */
export function probeWebGpu(): Promise<GpuAdapter> {
  probed ??= (async () => {
    const unavailable = dawnUnavailableReason();
    if (unavailable) throw new Error(unavailable);
    const dawn = (await import(/* @vite-ignore */ DAWN_PACKAGE)) as DawnModule;
    for (const [name, value] of Object.entries(dawn.globals)) if (!(name in globalThis)) Object.assign(globalThis, { [name]: value });
    gpu = dawn.create([]);
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) throw new Error(`no WebGPU adapter: ${GPU_DRIVER_HINT}`);
    const holder = (globalThis as { navigator?: object }).navigator ?? ((globalThis as { navigator?: object }).navigator = {});
    Object.defineProperty(holder, 'gpu', { value: gpu, configurable: true, writable: true });
    const info = adapter.info;
    return {
      vendor: info.vendor || 'unknown vendor',
      architecture: info.architecture || 'unknown architecture',
      description: info.description || info.device || '',
      fallback: info.isFallbackAdapter === true,
    };
  })();
  // A failed probe may succeed later (a driver installed meanwhile is not picked up, but a retry is harmless).
  probed.catch(() => (probed = undefined));
  return probed;
}

/** After a successful probe: registers tfjs's webgpu backend (its import does) and returns the tfjs name. */
export async function loadWebGpuBackend(): Promise<string> {
  await probeWebGpu();
  await import(/* @vite-ignore */ TFJS_WEBGPU_PACKAGE);
  return 'webgpu';
}

/** Destroys the webgpu backend's device and drops `navigator.gpu`, so Node can exit. */
export function releaseWebGpu(): void {
  if (!gpu) return;
  // The engine's registry, not tf.findBackend: that would start a backend that never ran.
  const backend = (tf.engine() as unknown as { registry: Record<string, { device?: { destroy(): void } } | undefined> }).registry.webgpu;
  if (backend) {
    tf.removeBackend('webgpu');
    backend.device?.destroy();
  }
  const holder = (globalThis as { navigator?: { gpu?: DawnGpu } }).navigator;
  if (holder?.gpu === gpu) delete holder.gpu;
  gpu = undefined;
  probed = undefined;
}
