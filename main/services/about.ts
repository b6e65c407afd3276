import type { AboutInfo } from '@shared/api/about.ts';
import type { ParsedCallInput } from '@shared/api/contract.ts';
import { availableParallelism } from 'node:os';
import { describeNativeKernels } from '../learning/kernels/register.ts';
import { probeRunBackend } from '../pipeline/run-process.ts';
import { readDatabaseInfo } from '../storage/database-info.ts';
import { appIdentity } from './app-version.ts';
import type { ServiceContext } from './context.ts';

/** A child process's backend, asked once per database's services (it takes seconds: a Node.js starts and loads TensorFlow.js). */
const runBackends = new WeakMap<ServiceContext['db'], ReturnType<typeof probeRunBackend>>();

async function runsInfo(ctx: ServiceContext, here: AboutInfo['tensorflow']): Promise<AboutInfo['runs']> {
  const place = ctx.runPlace;
  if (!place || place.kind === 'thread') return { place: 'thread', node: null, tensorflow: null, probeError: null };
  // The same Node.js with the same environment, outside Electron, loads what this process loaded: no need to ask
  // (asking costs a Node.js start and TensorFlow.js's, seconds of CPU beside a page that is loading).
  if (place.node === process.execPath && !process.versions.electron) return { place: 'process', node: place.node, tensorflow: here, probeError: null };
  let probe = runBackends.get(ctx.db);
  if (!probe) runBackends.set(ctx.db, (probe = probeRunBackend(place, ctx.db.path)));
  return { place: 'process', node: place.node, ...(await probe) };
}

export async function about(_input: ParsedCallInput<'about.get'>, ctx: ServiceContext): Promise<AboutInfo> {
  const backend = await ctx.backend();
  const tensorflow: AboutInfo['tensorflow'] = {
    backend: backend.name,
    tfjsBackend: backend.tfjsBackend,
    version: backend.tfjsVersion,
    fallbacks: backend.fallbacks.map((fallback) => ({ ...fallback })),
    nativeKernels: describeNativeKernels(backend.nativeKernels),
    gpuAdapter: backend.gpuAdapter && { ...backend.gpuAdapter },
  };
  return {
    app: {
      ...appIdentity,
      runtime: ctx.runtime,
      nodeVersion: process.versions.node,
      electronVersion: process.versions.electron ?? null,
      platform: process.platform,
      arch: process.arch,
      cpuCount: availableParallelism(),
    },
    tensorflow,
    runs: await runsInfo(ctx, tensorflow),
    database: readDatabaseInfo(ctx.db),
  };
}
