import { describe, expect, it } from 'vitest';
import { isStudentLossCurve, studentMeanCurves } from './student-curves.ts';

describe("students' loss curves", () => {
  it('averages each method over its students, step by step, ignoring other series', () => {
    const curves = studentMeanCurves([
      { series: 'students/bc-100/loss/0', steps: [10, 20], values: [1, 0.5] },
      { series: 'students/bc-100/loss/1', steps: [10, 20], values: [3, 1.5] },
      { series: 'students/synthetic/loss/0', steps: [10], values: [2] },
      { series: 'students/bc-100/final-loss', steps: [0, 1], values: [0.5, 1.5] },
      { series: 'distill/distance', steps: [1], values: [9] },
    ]);
    expect(curves).toEqual([
      { method: 'bc-100', students: 2, steps: [10, 20], values: [2, 1] },
      { method: 'synthetic', students: 1, steps: [10], values: [2] },
    ]);
    expect(isStudentLossCurve('students/random-frames-soft/loss/12')).toBe(true);
    expect(isStudentLossCurve('students/bc-100/final-loss')).toBe(false);
  });
});
