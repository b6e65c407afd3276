import { BACKEND_NAMES, initBackend } from '../../learning/backend.ts';
import { runTorchReference } from '../../learning/bench/reference.ts';
import { runWorkload, WORKLOAD_NAMES, type WorkloadName, type WorkloadTiming } from '../../learning/bench/workloads.ts';
import { describeGpuAdapter } from '@shared/api/about-text.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { parseOptions } from '../parse-options.ts';

const usage = [
  'Usage: ddrl bench learn [--json] [--backend B] [--workload W,...] [--no-reference]',
  '',
  'Times the learning workloads of ../shared/bench/torch_reference.py (same shapes) on a',
  'TensorFlow.js backend, then runs that PyTorch reference (Debian python3-torch, one thread)',
  'in the same invocation and prints ours/theirs.',
  '',
  `  --backend B       ${BACKEND_NAMES.join(' | ')} (default: the best that starts; env DDRL_BACKEND)`,
  `  --workload LIST   comma-separated subset of: ${WORKLOAD_NAMES.join(', ')}`,
  '  --no-reference    skip the PyTorch reference',
  '  --json            one JSON object per workload: workload, backend, ms, samples_per_s,',
  '                    gpu_adapter and fallback_adapter on webgpu, and reference_ms, ratio',
  '                    when the reference ran',
  '',
  'On webgpu the adapter is printed; a fallback adapter (SwiftShader, lavapipe) is a',
  "software rasteriser, and its figures say nothing about a GPU's speed.",
].join('\n');

function parseWorkloads(list: string | undefined): WorkloadName[] {
  if (list === undefined) return [...WORKLOAD_NAMES];
  return list.split(',').map((w) => {
    if (!(WORKLOAD_NAMES as readonly string[]).includes(w))
      throw new UsageError(`--workload '${w}' is not valid: use one or more of ${WORKLOAD_NAMES.join(', ')}.`);
    return w as WorkloadName;
  });
}

export const benchLearnCommand: CliCommand = {
  path: ['bench', 'learn'],
  summary: 'Time training/inference/distillation steps against PyTorch on this machine',
  usage,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      json: { type: 'boolean' },
      backend: { type: 'string' },
      workload: { type: 'string' },
      'no-reference': { type: 'boolean' },
    });
    if (values.backend !== undefined && !(BACKEND_NAMES as readonly string[]).includes(values.backend)) {
      throw new UsageError(`--backend '${values.backend}' is not valid: use one of ${BACKEND_NAMES.join(', ')}.`);
    }
    const workloads = parseWorkloads(values.workload);
    const backend = await initBackend(values.backend);
    if (!values.json) {
      io.out(
        `TensorFlow.js ${backend.tfjsVersion}, backend ${backend.name}${backend.fallbacks.length ? ` (not used: ${backend.fallbacks.map((f) => `${f.name}: ${f.reason}`).join('; ')})` : ''}`,
      );
      if (backend.gpuAdapter) io.out(`GPU adapter: ${describeGpuAdapter(backend.gpuAdapter)}`);
      if (backend.gpuAdapter?.fallback) io.out("  a fallback adapter is a software rasteriser: these figures are its, not a GPU's.");
    }
    const ours: WorkloadTiming[] = [];
    for (const w of workloads) {
      const timing = await runWorkload(w);
      if (!values.json) io.out(`  ${w.padEnd(18)} ${timing.ms.toFixed(1).padStart(10)} ms ${timing.samples_per_s.toFixed(1).padStart(10)} samples/s`);
      ours.push(timing);
    }
    const reference = values['no-reference'] ? undefined : await runTorchReference(1);
    if (!values.json) {
      if (reference?.ok) io.out(`PyTorch ${reference.version} CPU, 1 thread; ratio = ours / PyTorch (target <= 0.5):`);
      else if (reference) io.out(`PyTorch reference not run: ${reference.reason}.`);
    }
    for (const timing of ours) {
      const ref = reference?.ok ? reference.results.find((r) => r.workload === timing.workload) : undefined;
      const row = {
        workload: timing.workload,
        backend: backend.name,
        ms: round(timing.ms),
        samples_per_s: round(timing.samples_per_s),
        ...(backend.gpuAdapter ? { gpu_adapter: describeGpuAdapter(backend.gpuAdapter), fallback_adapter: backend.gpuAdapter.fallback } : {}),
        ...(ref ? { reference_ms: ref.ms, ratio: round(timing.ms / ref.ms, 3) } : {}),
      };
      if (values.json) io.out(JSON.stringify(row));
      else if (ref)
        io.out(
          `  ${timing.workload.padEnd(18)} ${row.ms.toFixed(1).padStart(10)} ms vs ${ref.ms.toFixed(1).padStart(8)} ms   ratio ${(timing.ms / ref.ms).toFixed(2)}`,
        );
    }
    return 0;
  },
};

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
