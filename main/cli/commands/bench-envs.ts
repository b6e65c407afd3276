import { availableParallelism } from 'node:os';
import { MODES, type Mode } from '@shared/procgen/engine/game.ts';
import { GAME_NAMES, isGameName, type GameName } from '@shared/procgen/games/index.ts';
import type { VecBuffers } from '@shared/procgen/vec/vec-buffers.ts';
import { MAX_ENVS } from '@shared/procgen/vec/vec-buffers.ts';
import { VecEnv, type VecEnvConfig } from '@shared/procgen/vec/vec-env.ts';
import { measureHeap, type HeapReport } from '../../procgen/heap-check.ts';
import { ParallelVecEnv } from '../../procgen/parallel-vec-env.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { parseIntegerOption, parseOptions } from '../parse-options.ts';

/**
 * The real Procgen C++ library (Qt rendering, 64x64 frame every step, easy,
 * random actions, one env, no threads) on a 2-vCPU machine like ours:
 * ../shared/reference/procgen-measured.md.
 */
const PROCGEN_STEPS_PER_S: Readonly<Record<GameName, number>> = { bigfish: 130_300, starpilot: 89_200, jumper: 38_500 };
/** The target on several cores: this multiple of Procgen's one-core figure. */
const MULTI_CORE_TARGET = 1.8;
const DEFAULT_STEPS = 1_000_000;
/** Procgen's measurements stepped 16 environments per call. */
const DEFAULT_ENVS = 16;
const WARMUP_STEPS = 20_000;
/** Length of the fixed pseudo-random action table the runs cycle through. */
const ACTION_TABLE = 1 << 16;

const usage = [
  'Usage: ddrl bench envs [--json] [--steps N] [--envs N] [--threads N] [--game G] [--mode M]',
  '',
  'Environment steps per second for each game with the 64x64 observation rendered every step,',
  'over a fixed pseudo-random action sequence: on one core (this thread), then on all cores',
  "(worker threads), beside the real Procgen library's figure. Also reports heap growth and the",
  'bytes allocated per step over the one-core run. Timings are noisy when other jobs share the cores.',
  '',
  `  --steps N    environment steps per run, 1000..100000000 (default ${DEFAULT_STEPS.toLocaleString('en-US')})`,
  `  --envs N     environments stepped per call, 1..${MAX_ENVS} (default ${DEFAULT_ENVS}, as Procgen's measurement)`,
  '  --threads N  stepping threads for the all-cores run, 1..256 (default: one per core)',
  `  --game G     only this game: ${GAME_NAMES.join(' | ')} (default: all)`,
  `  --mode M     ${MODES.join(' | ')} (default easy; Procgen's figures are easy)`,
  '  --json       one JSON object per line per game and core count:',
  '               {game, cores, steps_per_s, procgen_steps_per_s, ...}',
].join('\n');

interface BenchOptions {
  steps: number;
  envs: number;
  threads: number;
  mode: Mode;
}

/** A fixed pseudo-random action table (the traces' generator, seeded once). */
function actionTable(): Int32Array {
  const table = new Int32Array(ACTION_TABLE);
  let x = 12345;
  for (let i = 0; i < table.length; i++) {
    x = (Math.imul(1103515245, x) + 12345) & 0x7fffffff;
    table[i] = (x >>> 16) % 15;
  }
  return table;
}

/** Wall-clock and process CPU time spent stepping. */
interface Timing {
  steps: number;
  wallMs: number;
  cpuMs: number;
}

const stepsPerSecond = (t: Timing) => t.steps / (t.wallMs / 1000);
/** CPU time over wall time: about 1 per stepping thread on an idle machine, less when other jobs take the cores. */
const cpuShare = (t: Timing) => t.cpuMs / t.wallMs;

/** Steps `step` (whole calls of numEnvs steps) with actions from the fixed table, timing what it runs. */
function stepper(buffers: VecBuffers, step: () => void) {
  const table = actionTable();
  const actions = buffers.actions;
  const n = buffers.numEnvs;
  let cursor = 0;
  const timing: Timing = { steps: 0, wallMs: 0, cpuMs: 0 };
  return {
    run(steps: number): void {
      const wall = performance.now();
      const cpu = process.cpuUsage();
      for (let done = 0; done < steps; done += n) {
        for (let k = 0; k < n; k++) {
          actions[k] = table[cursor]!;
          cursor = (cursor + 1) & (ACTION_TABLE - 1);
        }
        step();
      }
      const used = process.cpuUsage(cpu);
      timing.wallMs += performance.now() - wall;
      timing.cpuMs += (used.user + used.system) / 1000;
      timing.steps += steps;
    },
    /** Timing since the last call (the warm-up is not counted). */
    take(): Timing {
      const taken = { ...timing };
      timing.steps = timing.wallMs = timing.cpuMs = 0;
      return taken;
    },
  };
}

/** Steps per run rounded up to whole calls. */
function wholeCalls(steps: number, envs: number): number {
  return Math.ceil(steps / envs) * envs;
}

async function benchOneCore(config: VecEnvConfig, options: BenchOptions): Promise<{ timing: Timing; heap: HeapReport }> {
  const env = new VecEnv(config);
  const s = stepper(env.buffers, () => env.step());
  s.run(wholeCalls(Math.min(WARMUP_STEPS, options.steps), options.envs));
  s.take();
  const heap = await measureHeap((count) => s.run(count), wholeCalls(options.steps, options.envs), wholeCalls(10_000, options.envs));
  return { timing: s.take(), heap };
}

async function benchAllCores(config: VecEnvConfig, options: BenchOptions): Promise<Timing> {
  const env = await ParallelVecEnv.create(config, options.threads);
  try {
    const s = stepper(env.buffers, () => env.step());
    s.run(wholeCalls(Math.min(WARMUP_STEPS, options.steps), options.envs));
    s.take();
    s.run(wholeCalls(options.steps, options.envs));
    return s.take();
  } finally {
    await env.close();
  }
}

const integer = (n: number) => Math.round(n).toLocaleString('en-US');
const round = (n: number) => Number(n.toFixed(3));
const ratio = (n: number) => `${n.toFixed(2)}x`;
const kilobytes = (bytes: number) => `${bytes >= 0 ? '+' : '-'}${integer(Math.abs(bytes) / 1024)} KB`;

function parseGames(value: string | undefined): GameName[] {
  if (value === undefined) return [...GAME_NAMES];
  if (!isGameName(value)) throw new UsageError(`unknown game '${value}': valid games are ${GAME_NAMES.join(', ')}.`);
  return [value];
}

function parseMode(value: string | undefined): Mode {
  if (value === undefined) return 'easy';
  if (!(MODES as readonly string[]).includes(value)) throw new UsageError(`unknown mode '${value}': valid modes are ${MODES.join(', ')}.`);
  return value as Mode;
}

/** Table columns: title and width. */
const TABLE: readonly (readonly [string, number])[] = [
  ['game', 10],
  ['1 core steps/s', 16],
  ['Procgen', 10],
  ['ratio', 8],
  ['CPU share', 11],
  ['all cores steps/s', 19],
  ['target', 10],
  ['ratio', 8],
  ['CPU share', 11],
  ['heap growth', 13],
  ['alloc/step', 12],
];

export const benchEnvsCommand: CliCommand = {
  path: ['bench', 'envs'],
  summary: 'Procgen environment steps per second (rendering included), one core and all cores, beside real Procgen',
  usage,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      json: { type: 'boolean' },
      steps: { type: 'string' },
      envs: { type: 'string' },
      threads: { type: 'string' },
      game: { type: 'string' },
      mode: { type: 'string' },
    });
    const options: BenchOptions = {
      steps: parseIntegerOption('steps', values.steps, DEFAULT_STEPS, 1000, 100_000_000),
      envs: parseIntegerOption('envs', values.envs, DEFAULT_ENVS, 1, MAX_ENVS),
      threads: parseIntegerOption('threads', values.threads, availableParallelism(), 1, 256),
      mode: parseMode(values.mode),
    };
    const games = parseGames(values.game);
    const cores = Math.min(options.threads, options.envs);

    if (!values.json) {
      io.out(
        `Procgen envs, ${options.mode}, 64x64 observation rendered every step, ${options.envs} envs per call, ` +
          `${integer(wholeCalls(options.steps, options.envs))} steps per run, ${availableParallelism()} cores on this machine.`,
      );
      io.out(`Procgen = the real C++ library, 1 env, no threads, on a 2-vCPU machine (reference/procgen-measured.md); target = ${MULTI_CORE_TARGET}x that.`);
      io.out('CPU share = CPU time / wall time of the run: below 1 (one core) or the core count (all cores), other jobs took the cores.');
      io.out('');
      io.out(TABLE.map(([title, width], i) => (i === 0 ? title.padEnd(width) : title.padStart(width))).join(''));
    }
    for (const game of games) {
      const config: VecEnvConfig = { game, mode: options.mode, numEnvs: options.envs };
      const reference = PROCGEN_STEPS_PER_S[game];
      const target = reference * MULTI_CORE_TARGET;
      const one = await benchOneCore(config, options);
      const all = await benchAllCores(config, options);
      const oneRate = stepsPerSecond(one.timing);
      const allRate = stepsPerSecond(all);
      if (values.json) {
        const common = { game, procgen_steps_per_s: reference };
        io.out(
          JSON.stringify({
            ...common,
            cores: 1,
            steps_per_s: Math.round(oneRate),
            ratio: round(oneRate / reference),
            cpu_share: round(cpuShare(one.timing)),
            steps_per_cpu_s: Math.round(one.timing.steps / (one.timing.cpuMs / 1000)),
            heap_growth_bytes: one.heap.retainedGrowthBytes,
            allocated_bytes_per_step: round(one.heap.allocatedBytesPerStep),
          }),
        );
        io.out(
          JSON.stringify({
            ...common,
            cores,
            steps_per_s: Math.round(allRate),
            target_steps_per_s: Math.round(target),
            ratio: round(allRate / target),
            cpu_share: round(cpuShare(all)),
          }),
        );
      } else {
        const cells = [
          game,
          integer(oneRate),
          integer(reference),
          ratio(oneRate / reference),
          cpuShare(one.timing).toFixed(2),
          integer(allRate),
          integer(target),
          ratio(allRate / target),
          cpuShare(all).toFixed(2),
          kilobytes(one.heap.retainedGrowthBytes),
          `${one.heap.allocatedBytesPerStep.toFixed(0)} B`,
        ];
        io.out(cells.map((cell, i) => (i === 0 ? cell.padEnd(TABLE[i]![1]) : cell.padStart(TABLE[i]![1]))).join(''));
      }
    }
    return 0;
  },
};
