import type { AboutInfo, GpuAdapterInfo } from './about.ts';

/** `nvidia ampere (NVIDIA GeForce RTX 3080)`, with `, fallback adapter` for a software one. */
export function describeGpuAdapter(adapter: GpuAdapterInfo): string {
  const base = `${adapter.vendor} ${adapter.architecture}${adapter.description ? ` (${adapter.description})` : ''}`;
  return adapter.fallback ? `${base}, fallback adapter` : base;
}

/** 1536 -> "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** The about record as plain lines: `ddrl about` prints them, the About view copies them for bug reports. */
export function formatAboutText(info: AboutInfo): string[] {
  const { app, tensorflow, database } = info;
  const runtime = app.electronVersion ? `Electron ${app.electronVersion}, Node ${app.nodeVersion}` : `Node ${app.nodeVersion}`;
  return [
    `${app.name} ${app.version} (${app.runtime}: ${runtime}, ${app.platform}-${app.arch}, ${app.cpuCount} cores)`,
    `TensorFlow.js ${tensorflow.version}: backend ${tensorflow.backend} (tfjs '${tensorflow.tfjsBackend}')`,
    ...(tensorflow.gpuAdapter ? [`  GPU adapter: ${describeGpuAdapter(tensorflow.gpuAdapter)}`] : []),
    ...tensorflow.fallbacks.map((fallback) => `  not ${fallback.name}: ${fallback.reason}`),
    `  native kernels: ${tensorflow.nativeKernels.active ? 'in use, ' : 'not used: '}${tensorflow.nativeKernels.detail}`,
    `Runs execute in ${describeRunPlace(info.runs)}`,
    `Database ${database.path}`,
    `  schema ${database.schemaVersion} of ${database.latestSchemaVersion}, SQLite ${database.sqliteVersion}, journal ${database.journalMode}, ${formatBytes(database.sizeBytes)}, created ${database.createdAt}`,
    ...(database.archive ? [`  ${describeArchive(database.archive)}`] : []),
  ];
}

/** What a results archive holds and lacks, in a sentence. */
export function describeArchive(archive: NonNullable<AboutInfo['database']['archive']>): string {
  return `a results archive of '${archive.experiment}' (from ${archive.from}, ${archive.at}): results, configs, logs and experts, without frames, synthetic sets, student weights or episode actions`;
}

/** Where runs execute and, in a child process, on what backend: "worker threads of this process (the backend above)". */
export function describeRunPlace(runs: AboutInfo['runs']): string {
  if (runs.place === 'thread') return 'worker threads of this process (the backend above)';
  const where = `a Node.js child process (${runs.node})`;
  if (!runs.tensorflow) return `${where}; its backend is unknown: ${runs.probeError}`;
  const adapter = runs.tensorflow.gpuAdapter ? ` on ${describeGpuAdapter(runs.tensorflow.gpuAdapter)}` : '';
  return `${where}: TensorFlow.js ${runs.tensorflow.backend}${adapter}`;
}
