import { z } from 'zod';

/** A TensorFlow.js backend that was tried before the one in use, and why it was not used. */
export const backendFallback = z.object({ name: z.string(), reason: z.string() });

/** The GPU adapter the webgpu backend runs on; `fallback`: a software or limited one (SwiftShader, lavapipe). */
export const gpuAdapter = z.object({ vendor: z.string(), architecture: z.string(), description: z.string(), fallback: z.boolean() });
export type GpuAdapterInfo = z.infer<typeof gpuAdapter>;

/** A TensorFlow.js backend that loaded, as `about.get` reports it. */
export const tensorflowInfo = z.object({
  /** Our name for the backend: `webgpu`, `node-gpu`, `node`, `wasm` or `cpu`. */
  backend: z.string(),
  /** The name TensorFlow.js itself reports (`webgpu`, `tensorflow`, `wasm`, `cpu`). */
  tfjsBackend: z.string(),
  version: z.string(),
  fallbacks: z.array(backendFallback),
  /** Our native conv/pool kernels inside the wasm backend: in use (instruction set, threads), or why not. */
  nativeKernels: z.object({ active: z.boolean(), detail: z.string() }),
  /** The adapter in use on the webgpu backend; null on the others. */
  gpuAdapter: gpuAdapter.nullable(),
});
export type TensorflowInfo = z.infer<typeof tensorflowInfo>;

/** What `about.get` reports: the app, the TensorFlow.js backend that loaded, where runs execute, and the database. */
export const aboutInfo = z.object({
  app: z.object({
    name: z.string(),
    version: z.string(),
    /** `electron` inside the desktop app, `node` for the headless host. */
    runtime: z.enum(['electron', 'node']),
    nodeVersion: z.string(),
    electronVersion: z.string().nullable(),
    platform: z.string(),
    arch: z.string(),
    cpuCount: z.number().int().positive(),
  }),
  tensorflow: tensorflowInfo,
  /** Where runs execute, and in a child process what TensorFlow.js backend loads there. */
  runs: z.object({
    /** `thread`: worker threads of this process (the backend above); `process`: a Node.js child process (the Electron app). */
    place: z.enum(['thread', 'process']),
    /** The Node.js executable of a child process. */
    node: z.string().nullable(),
    /** The backend that process loads (asked once, by `ddrl about` in that Node.js); null for threads or when asking failed. */
    tensorflow: tensorflowInfo.nullable(),
    /** Why asking failed. */
    probeError: z.string().nullable(),
  }),
  database: z.object({
    path: z.string(),
    schemaVersion: z.number().int().nonnegative(),
    latestSchemaVersion: z.number().int().nonnegative(),
    sqliteVersion: z.string(),
    journalMode: z.string(),
    sizeBytes: z.number().int().nonnegative(),
    createdAt: z.string(),
    /** Set when the file is a results archive (`ddrl archive`): which experiment, archived from where, when. */
    archive: z.object({ experiment: z.string(), from: z.string(), at: z.string() }).nullable(),
  }),
});
export type AboutInfo = z.infer<typeof aboutInfo>;
