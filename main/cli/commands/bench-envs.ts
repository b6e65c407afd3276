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

/** Returns `run(steps)`: steps the env (whole calls of `envs` steps) with actions from the table, and its busy time. */
function stepper(buffers: VecBuffers, step: () => void) {
  const table = actionTable();
  const actions = buffers.actions;
  const n = buffers.numEnvs;
  let cursor = 0;
  let busyMs = 0;
  return {
    run(steps: number): void {
      const start = performance.now();
      for (let done = 0; done < steps; done += n) {
        for (let k = 0; k < n; k++) {
          actions[k] = table[cursor]!;
          cursor = (cursor + 1) & (ACTION_TABLE - 1);
        }
        step();
      }
      busyMs += performance.now() - start;
    },
    get busyMs() {
      return busyMs;
    },
  };
}

/** Steps per run rounded up to whole calls. */
function wholeCalls(steps: number, envs: number): number {
  return Math.ceil(steps / envs) * envs;
}

async function benchOneCore(config: VecEnvConfig, options: BenchOptions): Promise<{ stepsPerS: number; heap: HeapReport }> {
  const env = new VecEnv(config);
  const s = stepper(env.buffers, () => env.step());
  s.run(wholeCalls(Math.min(WARMUP_STEPS, options.steps), options.envs));
  const steps = wholeCalls(options.steps, options.envs);
  const before = s.busyMs;
  const heap = await measureHeap((count) => s.run(count), steps, wholeCalls(10_000, options.envs));
  return { stepsPerS: steps / ((s.busyMs - before) / 1000), heap };
}

async function benchAllCores(config: VecEnvConfig, options: BenchOptions): Promise<number> {
  const env = await ParallelVecEnv.create(config, options.threads);
  try {
    const s = stepper(env.buffers, () => env.step());
    s.run(wholeCalls(Math.min(WARMUP_STEPS, options.steps), options.envs));
    const before = s.busyMs;
    const steps = wholeCalls(options.steps, options.envs);
    s.run(steps);
    return steps / ((s.busyMs - before) / 1000);
  } finally {
    await env.close();
  }
}

const integer = (n: number) => Math.round(n).toLocaleString('en-US');
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
      io.out('');
      const header = ['game', '1 core steps/s', 'Procgen', 'ratio', `${cores} cores steps/s`, 'target', 'ratio', 'heap growth', 'alloc/step'];
      io.out(header.map((h, i) => (i === 0 ? h.padEnd(10) : h.padStart(i === 4 ? 17 : 14))).join(''));
    }
    for (const game of games) {
      const config: VecEnvConfig = { game, mode: options.mode, numEnvs: options.envs };
      const reference = PROCGEN_STEPS_PER_S[game];
      const one = await benchOneCore(config, options);
      const all = await benchAllCores(config, options);
      const target = reference * MULTI_CORE_TARGET;
      if (values.json) {
        io.out(
          JSON.stringify({
            game,
            cores: 1,
            steps_per_s: Math.round(one.stepsPerS),
            procgen_steps_per_s: reference,
            ratio: Number((one.stepsPerS / reference).toFixed(3)),
            heap_growth_bytes: one.heap.retainedGrowthBytes,
            allocated_bytes_per_step: Number(one.heap.allocatedBytesPerStep.toFixed(1)),
          }),
        );
        io.out(
          JSON.stringify({
            game,
            cores,
            steps_per_s: Math.round(all),
            procgen_steps_per_s: reference,
            target_steps_per_s: Math.round(target),
            ratio: Number((all / target).toFixed(3)),
          }),
        );
      } else {
        const cells = [
          integer(one.stepsPerS),
          integer(reference),
          ratio(one.stepsPerS / reference),
          integer(all),
          integer(target),
          ratio(all / target),
          kilobytes(one.heap.retainedGrowthBytes),
          `${one.heap.allocatedBytesPerStep.toFixed(0)} B`,
        ];
        io.out(game.padEnd(10) + cells.map((c, i) => c.padStart(i === 3 ? 17 : 14)).join(''));
      }
    }
    return 0;
  },
};
