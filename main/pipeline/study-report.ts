/**
 * The study's report, regenerated from the stored runs alone: per game a markdown
 * table of every method and control at 150 samples (means, 95% intervals, normalised
 * returns, the random floor), a chart (SVG: means with their intervals), which
 * differences are significant (95% intervals that do not overlap), the targets, and
 * the size sweep. Every number is a row of `runResults`, so it equals `ddrl results`.
 */
import type { Database } from 'better-sqlite3';
import { RANDOM_METHOD } from '@shared/config/methods.ts';
import { formatDuration } from '@shared/format/duration.ts';
import { niceTicks } from '@shared/format/ticks.ts';
import { FLOOR_TAGS, floorVerdictAmong } from '@shared/random-floor.ts';
import type { GameName } from '@shared/procgen/games/index.ts';
import type { RunRow } from '../storage/runs.ts';
import { PLANNER_KEY } from './experts/keys.ts';
import type { ResultRow } from './results.ts';
import type { StudyProvenance } from './study.ts';
import { studyFindings, type GameFindings, type StudyRow, type SweepPoint } from './study-findings.ts';

export interface StudyReport {
  readonly markdown: string;
  /** One chart per game with results (`<game>`), and one per size sweep (`<game>-sweep`), referenced by the markdown as `<chartPrefix><name>.svg`. */
  readonly charts: readonly { readonly name: string; readonly svg: string }[];
}

const fixed = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : '-');
/** Models x episodes each, as `ddrl results` prints it: runs of one study may train different numbers of students. */
const sizeOf = (r: ResultRow | undefined): string => (r ? `${r.models}x${r.episodesPerModel}` : '-');

/** Whether a row has a 95% interval to draw (a single value has none). */
const hasInterval = (r: ResultRow): r is ResultRow & { ciLow: number; ciHigh: number } =>
  r.ciLow !== null && r.ciHigh !== null && Number.isFinite(r.ciLow) && Number.isFinite(r.ciHigh);

/** A row's interval, tagged with where it stands against the floors among `rows` (`FLOOR_TAGS`; nothing without a random row). */
const interval = (r: ResultRow | undefined, rows: readonly ResultRow[]): string =>
  r ? `${fixed(r.mean)} [${fixed(r.ciLow)}, ${fixed(r.ciHigh)}]${FLOOR_TAGS[floorVerdictAmong(r, rows) ?? 'above']}` : '-';

/** The result rows (both splits) of study rows. */
const resultRows = (rows: readonly (StudyRow | undefined)[]): ResultRow[] => rows.flatMap((r) => [r?.id, r?.ood].filter((x) => x !== undefined));

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

/** One game's section of the report: its table, chart, findings and size sweep. */
function gameSection(f: GameFindings, chartPrefix: string, charts: { name: string; svg: string }[]): string {
  const { game, rows } = f;
  const table = resultRows(rows);
  const lines = [
    `## ${game}`,
    '',
    `Runs (150 samples): ${f.runs.map(({ method, runId, seconds }) => `${method} = run ${runId} (${formatDuration(seconds)})`).join(', ')}.` +
      (f.missing.length ? ` Not finished: ${f.missing.join(', ')}.` : '') +
      (f.standIn
        ? ` The expert, bc-100 and floor rows are run ${f.standIn.runId}'s (${f.standIn.method}) until the paper run, with every BC baseline and the coreset controls, is done.`
        : ''),
    '',
    '| method | n | data used | ID mean [95% CI] | OOD mean [95% CI] | ID norm. | OOD norm. |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${sizeOf(r.id ?? r.ood)} | ${(r.id ?? r.ood)?.dataUsed ?? ''} | ${interval(r.id, table)} | ${interval(r.ood, table)} | ${fixed(r.id?.normalised ?? NaN)} | ${fixed(r.ood?.normalised ?? NaN)} |`,
    ),
    '',
    `![${game}](${chartPrefix}${game}.svg)`,
    '',
  ];
  charts.push({ name: game, svg: chart(game, rows) });
  if (f.best) lines.push(`Best distilled (ID): **${f.best.name}**, ${f.best.summary}`, ...f.best.against.map((line) => `- ${line}`), '');
  const sweep = f.sweep;
  if (sweep && !sweep.result) lines.push(`Size sweep (${sweep.unfinished.join(', ')} samples): not finished yet.`, '');
  if (sweep?.result) {
    const { method: named, control, points } = sweep.result;
    lines.push(
      `Size sweep: ${named} and ${control}, the best distilled method and the best control at 150 samples.${sweep.unfinished.length ? ` Not finished: ${sweep.unfinished.join(', ')} samples.` : ''}`,
      '',
      `| samples | ${named} ID | ${named} OOD | ${control} ID | ${control} OOD |`,
      '|---|---|---|---|---|',
      ...points.map((s) => {
        // Each size against its own run's random policy.
        const floors = resultRows([s.random]);
        return `| ${s.size} | ${[s.method?.id, s.method?.ood, s.control?.id, s.control?.ood].map((r) => interval(r, floors)).join(' | ')} |`;
      }),
      '',
      `![${game} size sweep](${chartPrefix}${game}-sweep.svg)`,
      '',
    );
    charts.push({ name: `${game}-sweep`, svg: sweepChart(game, named, control, points) });
  }
  return lines.join('\n');
}

/**
 * The report of the study experiment's runs (missing runs are named, not invented). `command`
 * regenerates the report; `made` says how its runs were made (and are resumed).
 */
export function studyReport(db: Database, runs: readonly RunRow[], chartPrefix: string, command: string, made: StudyProvenance): StudyReport {
  const charts: { name: string; svg: string }[] = [];
  const sections = studyFindings(db, runs).map((f) => gameSection(f, chartPrefix, charts));
  const markdown = [
    '# Distillation study',
    '',
    `Runs made by ${made.commands.map((c) => `\`${c.command}\`${made.commands.length > 1 ? ` (runs ${c.runIds.join(', ')})` : ''}`).join(', then ')}; this report generated from them by \`${command}\`.`,
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
