/**
 * The distillation study: does distilling beat picking real frames, and BC on all the
 * data? Per game, one run per distillation method at 150 samples (the `paper` run
 * trains the expert, every BC baseline and the four coreset controls; the dc, dsa, dm
 * and mtt runs reuse its expert and collect the very same dataset, so every comparison is
 * paired), then a size sweep (15, 50, 500; 150 is phase 1) for the best distilled
 * method and the best control. All runs live in one experiment, found by name, so
 * running the study again resumes it: finished runs are kept, unfinished ones resumed,
 * missing ones added.
 */
import type { Database } from 'better-sqlite3';
import { parseExperimentConfig, resolveFlatConfig, type ExperimentConfig, type ExperimentConfigInput } from '@shared/config/experiment.ts';
import { CORESET_CONTROLS, isCoresetControl, isDistilledMethod, type DistillVariant } from '@shared/config/methods.ts';
import { applyAssignments, type Assignment } from '@shared/config/overrides.ts';
import { flattenConfig, formatValue, sameValue } from '@shared/config/config-diff.ts';
import { presetConfig } from '@shared/config/presets.ts';
import type { GameName } from '@shared/procgen/games/index.ts';
import type { StudyScale } from '@shared/api/study.ts';
import type { RunOwner } from '../storage/run-owner.ts';
import { addRuns, createExperiment, findExperimentByName, listExperimentRuns, requeueRun, type RunRow } from '../storage/runs.ts';
import { runResults, type ResultRow } from './results.ts';

export const STUDY_SIZES = [15, 50, 150, 500] as const;
/** The methods of phase 1, each a run; `paper` first (its expert is everyone's). */
export const STUDY_METHODS: readonly DistillVariant[] = ['paper', 'dc', 'dsa', 'dm', 'mtt'];

/**
 * What each fresh-network method may spend here (a dc or dsa iteration with 10 matching and
 * 10 inner steps takes ~15-20 s on 2 cores; a dm iteration ~0.8 s; an mtt iteration ~1.5 s
 * after ~25 s training its two trajectories: `ddrl bench learn`), with
 * pixels optimised as a share of their range (unit-adam): SGD at 0.1 on 0..255 pixels, the
 * paper's setting, leaves them where they start.
 */
const METHOD_BUDGETS: Record<StudyScale, Record<Exclude<DistillVariant, 'paper'>, Record<string, unknown>>> = {
  paper: {
    dc: { iterations: 20, innerSteps: 10, pixels: 'unit-adam', learningRate: 0.01 },
    dsa: { iterations: 20, innerSteps: 10, pixels: 'unit-adam', learningRate: 0.01 },
    dm: { iterations: 300, pixels: 'unit-adam', learningRate: 0.01 },
    mtt: { iterations: 200, pixels: 'unit-adam', learningRate: 0.01 },
  },
  quick: {
    dc: { iterations: 3, innerSteps: 3, pixels: 'unit-adam', learningRate: 0.01 },
    dsa: { iterations: 3, innerSteps: 3, pixels: 'unit-adam', learningRate: 0.01 },
    dm: { iterations: 20, pixels: 'unit-adam', learningRate: 0.01 },
    mtt: { iterations: 10, pixels: 'unit-adam', learningRate: 0.01, 'mtt.trajectories': 1, 'mtt.checkpoints': 3, 'mtt.stepsPerCheckpoint': 10 },
  },
};

export const studyName = (scale: StudyScale): string => `study-${scale}`;
export const methodLabel = (game: GameName, method: DistillVariant): string => `${game} ${method}`;
export const sizeLabel = (game: GameName, size: number): string => `${game} size ${size}`;

const set = (input: ExperimentConfigInput, values: Record<string, unknown>): ExperimentConfigInput =>
  applyAssignments(
    input,
    Object.entries(values).map(([key, value]): Assignment => ({ path: key.split('.'), value: value as Assignment['value'] })),
  );

/** Phase 1's config for one method: the paper run as the preset has it; the others reuse its expert. */
export function methodConfig(game: GameName, scale: StudyScale, method: DistillVariant, expertRunId: number | null): ExperimentConfig {
  const base = presetConfig(`${scale}-${game}`);
  if (method === 'paper')
    return parseExperimentConfig(set(base, { 'distill.variant': 'paper', 'distill.softLabels': true, 'distill.controls': [...CORESET_CONTROLS] }));
  const distill = Object.fromEntries(Object.entries(METHOD_BUDGETS[scale][method]).map(([k, v]) => [`distill.${k}`, v]));
  return parseExperimentConfig(
    set(base, {
      ...distill,
      'distill.variant': method,
      'distill.softLabels': true,
      'distill.controls': [],
      'baselines.percentiles': [100],
      'expert.source': 'reuse',
      'expert.reuseRunId': expertRunId,
    }),
  );
}

/** One run of a game's study, in the order the study makes them: each phase-1 method at 150 samples, then each sweep size. */
export interface StudyStep {
  /** The method ('paper', 'dc', ...) or the sweep's size ('15 samples'). */
  readonly name: string;
  readonly phase: 'methods' | 'sweep';
  /** The run, once the study has made it. */
  readonly run: RunRow | undefined;
}

/** Every run the study makes for `game`, with the ones it has made so far. */
export function studySteps(runs: readonly RunRow[], game: GameName): StudyStep[] {
  const byLabel = new Map(runs.map((r) => [r.label, r]));
  return [
    ...STUDY_METHODS.map((method): StudyStep => ({ name: method, phase: 'methods', run: byLabel.get(methodLabel(game, method)) })),
    ...STUDY_SIZES.filter((size) => size !== 150).map((size): StudyStep => ({
      name: `${size} samples`,
      phase: 'sweep',
      run: byLabel.get(sizeLabel(game, size)),
    })),
  ];
}

/**
 * The best distilled row (synthetic or synthetic-soft of any method run) and the best control, by ID mean;
 * `resultsOf` gives a run's result rows (`runResults`, or a cache of them).
 */
export function bestOfPhaseOne(runs: readonly RunRow[], resultsOf: (run: RunRow) => readonly ResultRow[]): { run: RunRow; method: string; control: string } {
  let best: { run: RunRow; method: string; mean: number } | undefined;
  let control: { method: string; mean: number } | undefined;
  for (const run of runs) {
    for (const row of resultsOf(run).filter((r) => r.split === 'id')) {
      if (isDistilledMethod(row.method) && (!best || row.mean > best.mean)) best = { run, method: row.method, mean: row.mean };
      if (isCoresetControl(row.method) && (!control || row.mean > control.mean)) control = { method: row.method, mean: row.mean };
    }
  }
  if (!best || !control) throw new Error('The study has no evaluated synthetic or control rows yet: finish phase 1 first.');
  return { run: best.run, method: best.method, control: control.method };
}

/** The size sweep's config: the best method's run at another size, with the best control beside it. */
export function sizeConfig(best: { run: RunRow; control: string }, size: number, expertRunId: number): ExperimentConfig {
  const input = structuredClone(best.run.config) as ExperimentConfigInput;
  return parseExperimentConfig(
    set(input, {
      'distill.size': size,
      'distill.controls': [best.control],
      'baselines.percentiles': [100],
      'expert.source': 'reuse',
      'expert.reuseRunId': expertRunId,
    }),
  );
}

/** The study's experiment (created when missing) and its runs. */
export function studyExperiment(db: Database, scale: StudyScale, owner: RunOwner): { experimentId: number; runs: RunRow[] } {
  const found = findExperimentByName(db, studyName(scale));
  const experimentId = found?.id ?? createExperiment(db, { name: studyName(scale), preset: null }, [], owner).experimentId;
  return { experimentId, runs: listExperimentRuns(db, experimentId) };
}

/**
 * The run with `label`: requeued for `owner` when it stopped unfinished, added when
 * missing (with the config `make` builds), left alone when done or already queued.
 * Returns its id and whether it needs executing.
 */
export function ensureRun(
  db: Database,
  experimentId: number,
  label: string,
  make: () => ExperimentConfig,
  owner: RunOwner,
): { runId: number; pending: boolean } {
  const existing = listExperimentRuns(db, experimentId).find((r) => r.label === label);
  if (!existing) return { runId: addRuns(db, experimentId, [{ label, config: make() }], owner)[0]!, pending: true };
  if (existing.status === 'done') return { runId: existing.id, pending: false };
  // Queued or running under another live process: that process executes it.
  if (existing.status === 'queued' || existing.status === 'running')
    return { runId: existing.id, pending: existing.status === 'queued' && existing.runner === owner.id };
  requeueRun(db, existing.id, owner);
  return { runId: existing.id, pending: true };
}

/** Rows of a run's results for one split, by method. */
export function rowsBySplit(db: Database, runId: number, split: 'id' | 'ood'): Map<string, ResultRow> {
  return new Map(
    runResults(db, runId)
      .rows.filter((r) => r.split === split)
      .map((r) => [r.method, r]),
  );
}

/** `--set` flags for what differs between a run's config and `plain`, the config the study makes without any. */
const overridesOf = (config: ExperimentConfig, plain: ExperimentConfig): string[] => {
  const expected = resolveFlatConfig(flattenConfig(plain));
  return [...resolveFlatConfig(flattenConfig(config))]
    .filter(([key, value]) => !sameValue(expected.get(key), value))
    .map(([key, value]) => `--set ${key}=${formatValue(value)}`);
};

/** How a study's runs were made (see `studyCommandOf`). */
export interface StudyProvenance {
  /**
   * `ddrl study --scale S` with the `--set` overrides found in the phase-1 runs it made: one command
   * per distinct set of overrides (sessions may resume a study differently), with the runs it made.
   */
  readonly commands: readonly { readonly command: string; readonly runIds: readonly number[] }[];
  /** One line per phase-1 run copied in from elsewhere (`ddrl copy-run`): where it was made, how it differs. */
  readonly adopted: readonly string[];
}

/**
 * How a study's runs were made: the commands, with the overrides found by comparing each phase-1
 * run it made with what it would make without any; and the runs it adopted, copied in from other
 * databases, with where they were made and how they differ from what it would make.
 */
export function studyCommandOf(runs: readonly RunRow[], scale: StudyScale): StudyProvenance {
  const phaseOne = runs.filter((r) => STUDY_METHODS.some((m) => r.label === methodLabel(r.config.game, m)));
  const methodOf = (run: RunRow) => STUDY_METHODS.find((m) => run.label === methodLabel(run.config.game, m))!;
  const plainFor = (run: RunRow) => methodConfig(run.config.game, scale, methodOf(run), run.config.expert.reuseRunId);
  const groups = new Map<string, RunRow[]>();
  for (const run of phaseOne.filter((r) => r.origin === null)) {
    const overrides = overridesOf(run.config, plainFor(run))
      .map((o) => ` ${o}`)
      .join('');
    groups.set(overrides, [...(groups.get(overrides) ?? []), run]);
  }
  const commandFor = (made: readonly RunRow[], overrides: string) => {
    const games = [...new Set((made.length ? made : runs).map((r) => r.config.game))];
    return `npx ddrl study --scale ${scale}${games.length > 0 && games.length < 3 ? ` --games ${games.join(',')}` : ''}${overrides}`;
  };
  const commands = groups.size
    ? [...groups].map(([overrides, made]) => ({ command: commandFor(made, overrides), runIds: made.map((r) => r.id) }))
    : [{ command: commandFor([], ''), runIds: [] }];
  const adopted = phaseOne
    .filter((r) => r.origin !== null)
    .map((r) => {
      const differences = overridesOf(r.config, plainFor(r));
      return `${r.label} (run ${r.id}): ${r.origin}${differences.length ? `; differs from what the study makes by \`${differences.join(' ')}\`` : ''}`;
    });
  return { commands, adopted };
}
