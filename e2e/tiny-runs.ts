import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../main/storage/run-owner.ts';
import { runDdrl } from './host-process.ts';

/** Small enough for a shared 2-core machine, real in every stage. */
const TINY = [
  'expert.planner.episodes=3',
  'expert.planner.horizon=8',
  'expert.imitation.steps=20',
  'expert.dagger.rounds=1',
  'expert.dagger.episodesPerRound=2',
  'expert.dagger.stepsPerRound=10',
  'collect.episodes=3',
  'distill.size=30',
  'distill.iterations=6',
  'distill.snapshotEvery=2',
  'distill.softLabels=true',
  'baselines.percentiles=[100,50]',
  'students.count=2',
  'students.bc.steps=20',
  'evaluate.episodesId=3',
  'evaluate.episodesOod=2',
];

async function ddrl(args: string[]): Promise<string> {
  const result = await runDdrl(args);
  if (result.code !== 0) throw new Error(`ddrl ${args.join(' ')} failed (${result.code}):\n${result.stderr}\n${result.stdout}`);
  return result.stdout;
}

/** Copies a closed database with its write-ahead log, if one was left. */
function copyDatabase(from: string, to: string): void {
  copyFileSync(from, to);
  if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
}

/**
 * A database with three real finished bigfish runs, made by the real pipeline:
 * run 1 end to end; runs 2 and 3 reuse run 1's expert and dataset with a
 * synthetic set of the paper's size (150) and differ only in their seed. Built once per test session (the spec files run one after
 * another in forks of one Vitest process) and copied for each spec, so a spec
 * that starts or cancels runs cannot disturb another.
 */
export async function tinyRunsDatabase(into: string): Promise<string> {
  const root = join(tmpdir(), 'ddrl-e2e-tiny-runs');
  mkdirSync(root, { recursive: true });
  // Copies from earlier sessions whose Vitest process is gone.
  for (const entry of readdirSync(root)) if (!processAlive(Number(entry))) rmSync(join(root, entry), { recursive: true, force: true });
  const session = join(root, String(process.ppid));
  const built = join(session, 'runs.sqlite');
  if (!existsSync(built)) {
    mkdirSync(session, { recursive: true });
    const building = join(session, 'building.sqlite');
    rmSync(building, { force: true });
    await ddrl(['run', '--preset', 'quick-bigfish', ...TINY.flatMap((s) => ['--set', s]), '--name', 'e2e tiny', '--db', building]);
    const first = JSON.parse(await ddrl(['show', '1', '--json', '--db', building])) as { run: { datasetId: number } };
    const reuse = ['expert.source=reuse', 'expert.reuseRunId=1', `collect.datasetId=${first.run.datasetId}`, 'distill.size=150'];
    await ddrl([
      'run',
      '--preset',
      'quick-bigfish',
      ...[...TINY, ...reuse].flatMap((s) => ['--set', s]),
      '--sweep',
      'seed=0,1',
      '--name',
      'e2e tiny, 150 samples',
      '--db',
      building,
    ]);
    copyDatabase(building, built);
  }
  const copy = join(into, 'ddrl.sqlite');
  copyDatabase(built, copy);
  return copy;
}
