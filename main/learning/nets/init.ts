/**
 * Parameter initialisations: PyTorch's defaults for Conv2d/Linear and orthogonal (the
 * usual choice for PPO policies). Computed in float64 on the JS side from a seeded
 * Random, so a seed means the same weights on every backend.
 */
import type { Random } from '../random.ts';

export type InitScheme = 'pytorch' | 'orthogonal';
export const INIT_SCHEMES: readonly InitScheme[] = ['pytorch', 'orthogonal'];

/**
 * PyTorch's default: kaiming_uniform(a=sqrt(5)) for weights, which is U(-1/sqrt(fanIn), 1/sqrt(fanIn)),
 * and the same bound for biases.
 */
export function pytorchUniform(size: number, fanIn: number, random: Random): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = random.uniform(-bound, bound);
  return out;
}

/**
 * A (fanIn x fanOut) matrix with orthonormal columns (or rows, whichever are fewer) times
 * gain, laid out row-major as tfjs filters and dense kernels are ([..., fanIn, fanOut]).
 * Modified Gram-Schmidt on a Gaussian matrix: equal in distribution to QR with sign fix.
 */
export function orthogonal(fanIn: number, fanOut: number, gain: number, random: Random): Float32Array {
  const rows = Math.max(fanIn, fanOut);
  const cols = Math.min(fanIn, fanOut);
  // Columns of a rows x cols Gaussian matrix, orthonormalised in place.
  const q = new Float64Array(rows * cols);
  for (let i = 0; i < q.length; i++) q[i] = random.normal();
  for (let c = 0; c < cols; c++) {
    const col = q.subarray(c * rows, (c + 1) * rows);
    for (let p = 0; p < c; p++) {
      const prev = q.subarray(p * rows, (p + 1) * rows);
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += col[r]! * prev[r]!;
      for (let r = 0; r < rows; r++) col[r]! -= dot * prev[r]!;
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += col[r]! * col[r]!;
    norm = Math.sqrt(norm);
    for (let r = 0; r < rows; r++) col[r]! /= norm;
  }
  const out = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < fanIn; i++) {
    for (let o = 0; o < fanOut; o++) {
      // q holds a rows x cols matrix column-major; transpose it when fanIn < fanOut.
      const value = fanIn >= fanOut ? q[o * rows + i]! : q[i * rows + o]!;
      out[i * fanOut + o] = gain * value;
    }
  }
  return out;
}
