/** The students' BC loss curves, one line per method: the mean over its students. */
import type { MetricSeries } from '@shared/api/inspect.ts';

/** `students/<method>/loss/<member>`, as the students stage stores them. */
const STUDENT_LOSS = /^students\/(.+)\/loss\/(\d+)$/;

export const isStudentLossCurve = (series: string): boolean => STUDENT_LOSS.test(series);

/**
 * Per method (in first-seen order), the mean loss at each step over the students whose
 * curves have that step (a student still training adds its points as they are stored).
 */
export function studentMeanCurves(series: readonly MetricSeries[]): { method: string; students: number; steps: number[]; values: number[] }[] {
  const byMethod = new Map<string, MetricSeries[]>();
  for (const s of series) {
    const match = STUDENT_LOSS.exec(s.series);
    if (!match) continue;
    const list = byMethod.get(match[1]!) ?? [];
    list.push(s);
    byMethod.set(match[1]!, list);
  }
  return [...byMethod].map(([method, curves]) => {
    const sums = new Map<number, { sum: number; n: number }>();
    for (const c of curves) {
      c.steps.forEach((step, i) => {
        const at = sums.get(step) ?? { sum: 0, n: 0 };
        at.sum += c.values[i]!;
        at.n++;
        sums.set(step, at);
      });
    }
    const steps = [...sums.keys()].sort((a, b) => a - b);
    return { method, students: curves.length, steps, values: steps.map((s) => sums.get(s)!.sum / sums.get(s)!.n) };
  });
}
