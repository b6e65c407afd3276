/**
 * Where the results chart's return axis ends. A strong teacher spans the whole game: the
 * bigfish expert's episodes run from 0 to 41 while every student sits near 1, so on an
 * axis fitted to everything the rows being compared share a few pixels. Fitting the axis
 * to the learners (students, BC baselines, controls and the random floor) spreads them
 * out; the chart then writes each teacher's mean at the edge instead of drawing it.
 */
import type { ResultMark } from './results.ts';
import { paddedExtent } from './ticks.ts';

export type ChartFit = 'learners' | 'all';

/** The planner and the expert: the policies the data comes from, not ones trained on it. */
export const isTeacherMark = (mark: ResultMark): boolean => mark.row.dataKind === 'expert';

const interval = (mark: ResultMark): number[] => [mark.row.ciLow ?? mark.row.mean, mark.row.ciHigh ?? mark.row.mean];

/**
 * The axis range for `fit`; with no learner among the marks, the learners' fit is everyone's.
 * Fitting the learners, a single model's episodes (the random policy's: one bigfish episode
 * scores 40) do not stretch the axis, its interval does; students' means (dots) do.
 */
export function chartExtent(marks: readonly ResultMark[], fit: ChartFit): [number, number] {
  const learners = marks.filter((m) => !isTeacherMark(m));
  if (fit === 'all' || !learners.length) return paddedExtent(marks.flatMap((m) => [...interval(m), ...m.dots]));
  return paddedExtent(learners.flatMap((m) => [...interval(m), ...(m.row.intervalOver === 'students' ? m.dots : [])]));
}

/** How much wider the full axis must be than the learners' before the chart fits the learners by default. */
const CROWDING = 3;

/** 'learners' where fitting everything would squeeze them into a third of the axis or less; otherwise 'all'. */
export function defaultFit(marks: readonly ResultMark[]): ChartFit {
  const [allLow, allHigh] = chartExtent(marks, 'all');
  const [low, high] = chartExtent(marks, 'learners');
  return allHigh - allLow >= CROWDING * (high - low) ? 'learners' : 'all';
}

/** Whether a mark's mean lies outside the axis (it is then written at the nearer edge, not drawn). */
export const offAxis = (mark: ResultMark, [low, high]: readonly [number, number]): 'below' | 'above' | null =>
  mark.row.mean < low ? 'below' : mark.row.mean > high ? 'above' : null;

/**
 * The dots a mark draws: those on the axis; none for a mark whose mean is off it, and, fitting
 * the learners, none for a single model's episodes (a few of the expert's 0..41 episodes
 * inside a 0.5..2 axis would read as its level).
 */
export function shownDots(mark: ResultMark, fit: ChartFit, axis: readonly [number, number]): number[] {
  if (offAxis(mark, axis) || (fit === 'learners' && mark.row.intervalOver === 'episodes')) return [];
  return mark.dots.filter((d) => d >= axis[0] && d <= axis[1]);
}
