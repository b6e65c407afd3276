/**
 * The study's report, regenerated from the stored runs alone: per game a markdown
 * table of every method and control at 150 samples (means, 95% intervals, normalised
 * returns, the random floor), a chart (SVG: means with their intervals), which
 * differences are significant (95% intervals that do not overlap), the targets, and
 * the size sweep. Every number is a row of `runResults`, so it equals `ddrl results`.
 */
import type { Database } from 'better-sqlite3';
import {
  BC_ALL_DATA_METHOD,
  CONSTANT_METHOD,
  isCoresetControl,
  isDistilledMethod,
  isFloorMethod,
  RANDOM_METHOD,
  SYNTHETIC_METHOD,
} from '@shared/config/methods.ts';
import { niceTicks } from '@shared/format/ticks.ts';
import { clearOfRandom, floorVerdict, intervalsOverlap, studentRecipeIsTheLimit, whollyBelow, type FloorVerdict } from '@shared/random-floor.ts';
import { GAME_NAMES, type GameName } from '@shared/procgen/games/index.ts';
import { getStages, type RunRow } from '../storage/runs.ts';
import { PLANNER_KEY } from './experts/keys.ts';
import { runResults, type ResultRow } from './results.ts';
import { bestOfPhaseOne, methodLabel, sizeLabel, STUDY_METHODS, STUDY_SIZES, type StudyProvenance } from './study.ts';

/** One table row: a result row of one run, named for the study (synthetic rows carry their method). */
interface StudyRow {
  readonly name: string;
  readonly runId: number;
  readonly id: ResultRow | undefined;
  readonly ood: ResultRow | undefined;
}

export interface StudyReport {
  readonly markdown: string;
  /** One chart per game with results (`<game>`), and one per size sweep (`<game>-sweep`), referenced by the markdown as `<chartPrefix><name>.svg`. */
  readonly charts: readonly { readonly name: string; readonly svg: string }[];
}

const fixed = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : '-');
/** Models x episodes each, as `ddrl results` prints it: runs of one study may train different numbers of students. */
const sizeOf = (r: ResultRow | undefined): string => (r ? `${r.models}x${r.episodesPerModel}` : '-');

/** Where a row stands against the floors: ' ~random' (intervals overlap), ' below random' (wholly under it), ' ≤ constant' (clear of random, not above one move), or '' (clear above both, or no random row). */
const FLOOR_TAGS: Record<FloorVerdict, string> = { at: ' ~random', below: ' below random', constant: ' ≤ constant', above: '' };
const floorTag = (r: ResultRow, random: ResultRow | undefined, constant: ResultRow | undefined): string =>
  FLOOR_TAGS[floorVerdict(r, random, constant) ?? 'above'];

/** Whether a row has a 95% interval to draw (a single value has none). */
const hasInterval = (r: ResultRow): r is ResultRow & { ciLow: number; ciHigh: number } =>
  r.ciLow !== null && r.ciHigh !== null && Number.isFinite(r.ciLow) && Number.isFinite(r.ciHigh);

/** The size sweep's sizes (150 is phase 1's) with no finished run. */
const unfinishedSizes = (done: readonly { size: number }[]): number[] => STUDY_SIZES.filter((size) => size !== 150 && !done.some((d) => d.size === size));

/** A row's interval with its `floorTag`. */
const interval = (r: ResultRow | undefined, random: ResultRow | undefined, constant?: ResultRow): string =>
  r ? `${fixed(r.mean)} [${fixed(r.ciLow)}, ${fixed(r.ciHigh)}]${floorTag(r, random, constant)}` : '-';

function rowsOfRun(db: Database, run: RunRow, keep: (method: string) => boolean, rename: (method: string) => string): StudyRow[] {
  const rows = runResults(db, run.id).rows;
  return [...new Set(rows.map((r) => r.method))].filter(keep).map((method) => ({
    name: rename(method),
    runId: run.id,
    id: rows.find((r) => r.method === method && r.split === 'id'),
    ood: rows.find((r) => r.method === method && r.split === 'ood'),
  }));
}

/** A run's stage time in words (the sum of its stages' seconds). */
function durationOf(db: Database, run: RunRow): string {
  const seconds = getStages(db, run.id).reduce((s, st) => s + (st.seconds ?? 0), 0);
  return seconds < 120 ? `${seconds.toFixed(0)} s` : `${(seconds / 60).toFixed(0)} min`;
}

/** "A beats B" in words, on one split: the difference and whether the 95% intervals separate them. */
function comparison(a: StudyRow, b: StudyRow | undefined, split: 'id' | 'ood', random: ResultRow | undefined): string {
  const x = a[split];
  const y = b?.[split];
  if (!x || !y || !b) return 'not measured';
  const difference = x.mean - y.mean;
  const significant = !intervalsOverlap(x, y);
  // Two rows at or under a random policy's level can still separate (one recipe fails more steadily than another): not a finding.
  const aboveRandom = (r: ResultRow) => clearOfRandom(floorVerdict(r, random));
  const neither = significant && !aboveRandom(x) && !aboveRandom(y) ? ', but neither is above a random policy' : '';
  return `${difference >= 0 ? '+' : ''}${fixed(difference)} vs ${b.name} (${significant ? (difference > 0 ? 'better, significant' : 'worse, significant') + neither : 'not significant: the 95% intervals overlap'})`;
}

/**
 * A dot-and-whisker chart of one game's rows: ID and OOD means with their 95% intervals, over
 * bands for the random policy's intervals (the floor). The axis ends at the highest value of any
 * row but the planner's (the expert's interval): the planner, far above everything learned from
 * it, is written at the edge instead of squeezing every student into the first tenth of the axis.
 */
function chart(game: GameName, rows: readonly StudyRow[]): string {
  const width = 760;
  const rowHeight = 22;
  const left = 230;
  const top = 40;
  const height = top + rows.length * rowHeight + 40;
  const scaled = rows.filter((r) => r.name !== PLANNER_KEY.method);
  const values = scaled.flatMap((r) => [r.id, r.ood].flatMap((v) => (v ? [v.ciLow, v.ciHigh, v.mean] : []))).filter(Number.isFinite);
  const max = Math.max(1, ...values);
  const min = Math.min(0, ...values);
  const x = (v: number) => left + ((Math.min(v, max) - min) / (max - min)) * (width - left - 20);
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const random = rows.find((r) => r.name === RANDOM_METHOD);
  const band = (row: ResultRow | undefined, colour: string) =>
    row && hasInterval(row)
      ? [
          `<rect x="${x(row.ciLow).toFixed(1)}" y="${top - 6}" width="${Math.max(1, x(row.ciHigh) - x(row.ciLow)).toFixed(1)}" height="${rows.length * rowHeight + 6}" fill="${colour}" fill-opacity="0.08"/>`,
        ]
      : [];
  const marks = rows.flatMap((r, i) => {
    const y = top + i * rowHeight + rowHeight / 2;
    const beyond = [r.id, r.ood].some((v) => v && v.mean > max);
    const mark = (row: ResultRow | undefined, dy: number, colour: string) =>
      row && Number.isFinite(row.mean) && row.mean <= max
        ? [
            hasInterval(row)
              ? `<line x1="${x(row.ciLow).toFixed(1)}" x2="${x(row.ciHigh).toFixed(1)}" y1="${y + dy}" y2="${y + dy}" stroke="${colour}" stroke-width="2"/>`
              : '',
            `<circle cx="${x(row.mean).toFixed(1)}" cy="${y + dy}" r="3.5" fill="${colour}"/>`,
          ]
        : [];
    return [
      `<text x="${left - 8}" y="${y + 4}" text-anchor="end" font-size="12">${escape(r.name)}</text>`,
      ...mark(r.id, -4, '#2563eb'),
      ...mark(r.ood, 4, '#ea580c'),
      ...(beyond
        ? [
            `<text x="${width - 20}" y="${y + 4}" text-anchor="end" font-size="11" fill="#555">${fixed(r.id?.mean ?? NaN)} / ${fixed(r.ood?.mean ?? NaN)} →</text>`,
          ]
        : []),
    ];
  });
  const ticks = niceTicks(min, max, 6).map(
    (v) =>
      `<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${top - 6}" y2="${height - 34}" stroke="#ddd"/><text x="${x(v).toFixed(1)}" y="${height - 20}" text-anchor="middle" font-size="11">${v}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${game}: mean return with 95% intervals (blue ID, orange OOD; shaded: the random policy's)</text>`,
    ...ticks,
    ...band(random?.id, '#2563eb'),
    ...band(random?.ood, '#ea580c'),
    ...marks,
    `</svg>`,
  ].join('\n');
}

/** One size of the sweep: the best method's and the best control's rows, and that run's random policy. */
interface SweepPoint {
  readonly size: number;
  readonly method: StudyRow | undefined;
  readonly control: StudyRow | undefined;
  readonly random: StudyRow | undefined;
}

/**
 * The size sweep as an SVG line chart: return against samples (log scale), the best method
 * solid and the best control dashed, ID blue and OOD orange, 95% intervals as whiskers and the
 * random policy's intervals (at 150 samples: every run plays the same seeds) as shaded bands.
 */
function sweepChart(game: GameName, methodName: string, controlName: string, sweep: readonly SweepPoint[]): string {
  const [width, height, left, right, top, bottom] = [760, 320, 60, 200, 40, 44];
  const sizes = sweep.map((p) => p.size);
  const logs = sizes.map(Math.log10);
  const [lo, hi] = [Math.min(...logs), Math.max(...logs)];
  const x = (size: number) => left + (hi === lo ? 0.5 : (Math.log10(size) - lo) / (hi - lo)) * (width - left - right);
  const rowsOf = (p: SweepPoint) => [p.method, p.control, p.random].flatMap((r) => [r?.id, r?.ood]).filter((r): r is ResultRow => r !== undefined);
  const values = sweep
    .flatMap(rowsOf)
    .flatMap((r) => [r.mean, r.ciLow, r.ciHigh])
    .filter((v): v is number => v !== null && Number.isFinite(v));
  const [min, max] = [Math.min(0, ...values), Math.max(1, ...values)];
  const y = (v: number) => top + (1 - (v - min) / (max - min)) * (height - top - bottom);
  const random = sweep.find((p) => p.size === 150)?.random;
  const band = (row: ResultRow | undefined, colour: string) =>
    row && hasInterval(row)
      ? [
          `<rect x="${left}" y="${y(row.ciHigh).toFixed(1)}" width="${width - left - right}" height="${Math.max(1, y(row.ciLow) - y(row.ciHigh)).toFixed(1)}" fill="${colour}" fill-opacity="0.08"/>`,
        ]
      : [];
  const series = (pick: (p: SweepPoint) => ResultRow | undefined, colour: string, dash: string, dx: number) => {
    const points = sweep.flatMap((p) => {
      const row = pick(p);
      return row && Number.isFinite(row.mean) ? [{ cx: x(p.size) + dx, row }] : [];
    });
    return [
      `<polyline fill="none" stroke="${colour}" stroke-width="2" stroke-dasharray="${dash}" points="${points.map((p) => `${p.cx.toFixed(1)},${y(p.row.mean).toFixed(1)}`).join(' ')}"/>`,
      ...points.flatMap(({ cx, row }) => [
        hasInterval(row)
          ? `<line x1="${cx.toFixed(1)}" x2="${cx.toFixed(1)}" y1="${y(row.ciLow).toFixed(1)}" y2="${y(row.ciHigh).toFixed(1)}" stroke="${colour}" stroke-width="1.5"/>`
          : '',
        `<circle cx="${cx.toFixed(1)}" cy="${y(row.mean).toFixed(1)}" r="3.5" fill="${colour}"/>`,
      ]),
    ];
  };
  const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const legend = [
    [`${methodName} ID`, '#2563eb', ''],
    [`${methodName} OOD`, '#ea580c', ''],
    [`${controlName} ID`, '#2563eb', '5 4'],
    [`${controlName} OOD`, '#ea580c', '5 4'],
  ].map(
    ([label, colour, dash], i) =>
      `<line x1="${width - right + 16}" x2="${width - right + 40}" y1="${top + 10 + i * 20}" y2="${top + 10 + i * 20}" stroke="${colour}" stroke-width="2" stroke-dasharray="${dash}"/><text x="${width - right + 46}" y="${top + 14 + i * 20}" font-size="11">${escape(label!)}</text>`,
  );
  const yTicks = niceTicks(min, max, 5).map(
    (v) =>
      `<line x1="${left}" x2="${width - right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/><text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11">${v}</text>`,
  );
  const xTicks = sizes.map((size) => `<text x="${x(size).toFixed(1)}" y="${height - bottom + 18}" text-anchor="middle" font-size="11">${size}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${game}: return against synthetic-set size (95% intervals; shaded: the random policy's)</text>`,
    ...yTicks,
    ...xTicks,
    `<text x="${((left + width - right) / 2).toFixed(1)}" y="${height - 8}" text-anchor="middle" font-size="11">samples (log scale)</text>`,
    ...band(random?.id, '#2563eb'),
    ...band(random?.ood, '#ea580c'),
    ...series((p) => p.method?.id, '#2563eb', '', -3),
    ...series((p) => p.method?.ood, '#ea580c', '', 3),
    ...series((p) => p.control?.id, '#2563eb', '5 4', -3),
    ...series((p) => p.control?.ood, '#ea580c', '5 4', 3),
    ...legend,
    `</svg>`,
  ].join('\n');
}

/**
 * The report of the study experiment's runs (missing runs are named, not invented). `command`
 * regenerates the report; `made` says how its runs were made (and are resumed).
 */
export function studyReport(db: Database, runs: readonly RunRow[], chartPrefix: string, command: string, made: StudyProvenance): StudyReport {
  const byLabel = new Map(runs.map((r) => [r.label, r]));
  const sections: string[] = [];
  const charts: { name: string; svg: string }[] = [];
  for (const game of GAME_NAMES) {
    const methodRuns = STUDY_METHODS.flatMap((m) => {
      const run = byLabel.get(methodLabel(game, m));
      return run?.status === 'done' ? [{ method: m, run }] : [];
    });
    if (methodRuns.length === 0) continue;
    const paper = methodRuns.find((m) => m.method === 'paper');
    // Every phase-1 run of a game shares the expert and the level seeds: the paper run's reference rows
    // (expert, every BC baseline, the controls, the floors) are the fullest; another's stand in until it is done.
    const reference = paper ?? methodRuns[0]!;
    const rows: StudyRow[] = [
      ...rowsOfRun(
        db,
        reference.run,
        (m) => !isDistilledMethod(m) && !isFloorMethod(m),
        (m) => m,
      ),
      ...methodRuns.flatMap(({ method, run }) => rowsOfRun(db, run, isDistilledMethod, (m) => `${m} (${method})`)),
      ...rowsOfRun(db, reference.run, isFloorMethod, (m) => m),
    ];
    const missing = STUDY_METHODS.filter((m) => !methodRuns.some((r) => r.method === m));
    const randomRow = rows.find((r) => r.name === RANDOM_METHOD);
    const constant = rows.find((r) => r.name === CONSTANT_METHOD);
    // The floors are held against the random policy only; every other row against the constant action too.
    const constantFor = (r: StudyRow, split: 'id' | 'ood') => (isFloorMethod(r.name) ? undefined : constant?.[split]);
    const lines = [
      `## ${game}`,
      '',
      `Runs (150 samples): ${methodRuns.map(({ method, run }) => `${method} = run ${run.id} (${durationOf(db, run)})`).join(', ')}.` +
        (missing.length ? ` Not finished: ${missing.join(', ')}.` : '') +
        (paper
          ? ''
          : ` The expert, bc-100 and floor rows are run ${reference.run.id}'s (${reference.method}) until the paper run, with every BC baseline and the coreset controls, is done.`),
      '',
      '| method | n | data used | ID mean [95% CI] | OOD mean [95% CI] | ID norm. | OOD norm. |',
      '|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.name} | ${sizeOf(r.id ?? r.ood)} | ${(r.id ?? r.ood)?.dataUsed ?? ''} | ${interval(r.id, randomRow?.id, constantFor(r, 'id'))} | ${interval(r.ood, randomRow?.ood, constantFor(r, 'ood'))} | ${fixed(r.id?.normalised ?? NaN)} | ${fixed(r.ood?.normalised ?? NaN)} |`,
      ),
      '',
      `![${game}](${chartPrefix}${game}.svg)`,
      '',
    ];
    charts.push({ name: game, svg: chart(game, rows) });
    const distilled = rows.filter((r) => r.name.startsWith(SYNTHETIC_METHOD)).sort((a, b) => (b.id?.mean ?? -Infinity) - (a.id?.mean ?? -Infinity));
    const controls = rows.filter((r) => isCoresetControl(r.name)).sort((a, b) => (b.id?.mean ?? -Infinity) - (a.id?.mean ?? -Infinity));
    const best = distilled[0];
    const expert = rows.find((r) => r.name === 'expert');
    const bc = rows.find((r) => r.name === BC_ALL_DATA_METHOD);
    if (best) {
      // A share of an expert at or below zero (or of a margin at or below zero) means nothing.
      const ratio = (split: 'id' | 'ood', floor: number) => {
        const [b, e] = [best[split]?.mean, expert?.[split]?.mean];
        return b === undefined || e === undefined || !(e - floor > 0) ? undefined : (b - floor) / (e - floor);
      };
      const percent = (r: number | undefined) => (r === undefined ? '-' : `${Math.round(100 * r) || 0}%`);
      const share = (split: 'id' | 'ood') => ratio(split, 0);
      const margin = (split: 'id' | 'ood') => ratio(split, randomRow?.[split]?.mean ?? NaN);
      const shares = [share('id'), share('ood')];
      const verdict = shares.every((r) => r !== undefined && r >= 0.5) ? 'met' : shares.some((r) => r === undefined) ? 'not measured' : 'missed';
      const noisyExpert = expert && (expert.id?.indistinguishableFromRandom || expert.ood?.indistinguishableFromRandom);
      lines.push(
        `Best distilled (ID): **${best.name}**, ${percent(share('id'))} of the expert's return ID and ${percent(share('ood'))} OOD (target >= 50% on both: ${verdict}); ` +
          `${percent(margin('id'))} and ${percent(margin('ood'))} of the expert's margin over a random policy` +
          (noisyExpert ? ': the expert itself is indistinguishable from a random policy here, so these shares mean nothing.' : '.'),
        `- against the best control: ID ${comparison(best, controls[0], 'id', randomRow?.id)}; OOD ${comparison(best, controls[0], 'ood', randomRow?.ood)}`,
        `- against BC on all data: ID ${comparison(best, bc, 'id', randomRow?.id)}; OOD ${comparison(best, bc, 'ood', randomRow?.ood)}`,
      );
      if (constant) {
        // Clear above it only where the best row's interval lies wholly over the constant action's.
        const notClear = (['id', 'ood'] as const).filter((split) => {
          const [b, c] = [best[split], constant[split]];
          return b && c && !whollyBelow(c, b);
        });
        lines.push(
          `- against the best constant action, ${(constant.id ?? constant.ood)?.dataUsed ?? 'one action always'}: ID ${comparison(best, constant, 'id', randomRow?.id)}; OOD ${comparison(best, constant, 'ood', randomRow?.ood)}` +
            (notClear.length
              ? `. ≤ constant ${notClear.map((s) => s.toUpperCase()).join(' and ')}: its 95% interval does not lie above that of one move played always, so this return does not show that more than one move was learned.`
              : ''),
        );
      }
      // The expert's and bc-100's rows above already carry the paper run's verdicts.
      const verdicts = [expert?.id, expert?.ood, bc?.id, bc?.ood].filter((r) => r !== undefined);
      const recipeLimited = (['id', 'ood'] as const).filter((split) => studentRecipeIsTheLimit(verdicts, split));
      if (recipeLimited.length > 0)
        lines.push(
          `- BC on all data is itself indistinguishable from a random policy (${recipeLimited.map((s) => s.toUpperCase()).join(' and ')}) while the expert is not: ` +
            'the students learn nothing even from all of the data, so these comparisons measure the student recipe (students.*), not distillation.',
        );
      lines.push('');
    }
    const sizes = STUDY_SIZES.flatMap((size) => {
      const run = size === 150 ? undefined : byLabel.get(sizeLabel(game, size));
      return run?.status === 'done' ? [{ size, run }] : [];
    });
    const unfinished = unfinishedSizes(sizes);
    if (sizes.length === 0 && paper) lines.push(`Size sweep (${unfinished.join(', ')} samples): not finished yet.`, '');
    if (sizes.length > 0 && paper) {
      const {
        method,
        control,
        run: bestRun,
      } = bestOfPhaseOne(
        db,
        methodRuns.map((m) => m.run),
      );
      const at150 = rowsOfRun(
        db,
        bestRun,
        (m) => m === method || m === control,
        (m) => m,
      );
      const controlAt150 = rowsOfRun(
        db,
        paper.run,
        (m) => m === control,
        (m) => m,
      )[0];
      const sweep = [
        { size: 150, method: at150.find((r) => r.name === method), control: controlAt150, random: randomRow },
        ...sizes.map(({ size, run }) => {
          const r = rowsOfRun(
            db,
            run,
            (m) => m === method || m === control || m === RANDOM_METHOD,
            (m) => m,
          );
          return {
            size,
            method: r.find((x) => x.name === method),
            control: r.find((x) => x.name === control),
            random: r.find((x) => x.name === RANDOM_METHOD),
          };
        }),
      ].sort((a, b) => a.size - b.size);
      const named = `${method} (${bestRun.config.distill.variant})`;
      lines.push(
        `Size sweep: ${named} and ${control}, the best distilled method and the best control at 150 samples.${unfinished.length ? ` Not finished: ${unfinished.join(', ')} samples.` : ''}`,
        '',
        `| samples | ${named} ID | ${named} OOD | ${control} ID | ${control} OOD |`,
        '|---|---|---|---|---|',
        ...sweep.map(
          (s) =>
            `| ${s.size} | ${interval(s.method?.id, s.random?.id)} | ${interval(s.method?.ood, s.random?.ood)} | ${interval(s.control?.id, s.random?.id)} | ${interval(s.control?.ood, s.random?.ood)} |`,
        ),
        '',
        `![${game} size sweep](${chartPrefix}${game}-sweep.svg)`,
        '',
      );
      charts.push({ name: `${game}-sweep`, svg: sweepChart(game, named, control, sweep) });
    }
    sections.push(lines.join('\n'));
  }
  const markdown = [
    '# Distillation study',
    '',
    `Runs made by \`${made.command}\`; this report generated from them by \`${command}\`.`,
    '',
    ...(made.adopted.length
      ? [
          'Runs the study adopted instead of making them (made elsewhere, copied in with `npx ddrl copy-run RUN --from FILE --experiment study-<scale> --label "<game> paper"`):',
          ...made.adopted.map((line) => `- ${line}`),
          '',
        ]
      : []),
    "Returns: mean over a method's students of each student's mean episode return,",
    "95% t interval over students (over episodes for the single expert, planner, constant action and random policy); normalised with Procgen's (Rmin, Rmax).",
    "'~random': the interval overlaps the random policy's; 'below random': it lies wholly under it (the students learned to do worse than chance,",
    'for example by collapsing onto a few actions). Differences are called significant only where the two 95% intervals do not overlap.',
    "'constant', a second floor: the one action that scored most on selection episodes of training levels the evaluation does not play, played always;",
    "'≤ constant': clear above the random policy, but the interval does not lie above the constant action's (one move played always scores as much).",
    '',
    ...(sections.length ? sections : ['No finished study runs yet: run `ddrl study`.']),
  ].join('\n');
  return { markdown, charts };
}
