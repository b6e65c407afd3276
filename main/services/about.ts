import type { AboutInfo } from '@shared/api/about.ts';
import type { ParsedCallInput } from '@shared/api/contract.ts';
import { availableParallelism } from 'node:os';
import { describeNativeKernels } from '../learning/kernels/register.ts';
import { readDatabaseInfo } from '../storage/database-info.ts';
import { appIdentity } from './app-version.ts';
import type { ServiceContext } from './context.ts';

export async function about(_input: ParsedCallInput<'about.get'>, ctx: ServiceContext): Promise<AboutInfo> {
  const backend = await ctx.backend();
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
    tensorflow: {
      backend: backend.name,
      tfjsBackend: backend.tfjsBackend,
      version: backend.tfjsVersion,
      fallbacks: backend.fallbacks.map((fallback) => ({ ...fallback })),
      nativeKernels: describeNativeKernels(backend.nativeKernels),
      gpuAdapter: backend.gpuAdapter && { ...backend.gpuAdapter },
    },
    database: readDatabaseInfo(ctx.db),
  };
}
