/**
 * Coreset selection: real frames chosen without learning any pixels, the controls
 * that say whether distillation beats simply picking that many real frames.
 *
 * - random: frames drawn uniformly at random within each action.
 * - k-center (greedy, Gonzalez 1985; the "core-set" of Sener & Savarese 2018): within
 *   each action, start from the frame nearest the action's mean feature, then add the
 *   frame farthest from every frame picked so far, so the picks cover the action's
 *   states instead of repeating its most common ones.
 */
import { Random } from '../random.ts';

/** Dataset indexes per action (index = action). */
export function indexesByAction(actions: ArrayLike<number>, actionCount: number): Int32Array[] {
  const lists: number[][] = Array.from({ length: actionCount }, () => []);
  for (let i = 0; i < actions.length; i++) lists[actions[i]!]!.push(i);
  return lists.map((l) => Int32Array.from(l));
}

/** n indexes from `pool`: without replacement when the pool is large enough, else cycling a shuffled copy. */
export function sampleWithoutReplacement(pool: Int32Array, n: number, random: Random): Int32Array {
  const copy = Int32Array.from(pool);
  random.shuffle(copy);
  if (copy.length >= n) return copy.subarray(0, n);
  return Int32Array.from({ length: n }, (_, i) => copy[i % copy.length]!);
}

/** `allocation[a]` random frames of each action a, in action order. */
export function randomCoreset(byAction: readonly Int32Array[], allocation: readonly number[], random: Random): Int32Array {
  return concat(allocation.map((count, action) => sampleWithoutReplacement(byAction[action]!, count, random)));
}

/**
 * Greedy k-center over `candidates` (indexes into `features`, rows of `dim` floats):
 * the candidate nearest the mean first, then each time the one farthest (Euclidean)
 * from its nearest pick. Picks repeat only when k exceeds the candidates.
 */
export function kCenterGreedy(features: Float32Array, dim: number, candidates: Int32Array, k: number): Int32Array {
  const n = candidates.length;
  if (n === 0 || k === 0) return new Int32Array(0);
  const mean = new Float64Array(dim);
  for (const c of candidates) for (let d = 0; d < dim; d++) mean[d]! += features[c * dim + d]! / n;
  const nearest = new Float64Array(n);
  for (let j = 0; j < n; j++) nearest[j] = squaredDistanceTo(features, candidates[j]! * dim, mean, dim);
  let pick = argMin(nearest);
  const picks = new Int32Array(k);
  for (let p = 0; p < k; p++) {
    picks[p] = candidates[pick]!;
    // Distance of every candidate to its nearest pick so far (the pick itself: 0).
    const at = candidates[pick]! * dim;
    for (let j = 0; j < n; j++) {
      const d = squaredDistance(features, candidates[j]! * dim, at, dim);
      nearest[j] = p === 0 ? d : Math.min(nearest[j]!, d);
    }
    pick = p + 1 < n ? argMax(nearest) : (p + 1) % n;
  }
  return picks;
}

function squaredDistanceTo(features: Float32Array, at: number, point: Float64Array, dim: number): number {
  let sum = 0;
  for (let d = 0; d < dim; d++) sum += (features[at + d]! - point[d]!) ** 2;
  return sum;
}

function squaredDistance(features: Float32Array, a: number, b: number, dim: number): number {
  let sum = 0;
  for (let d = 0; d < dim; d++) sum += (features[a + d]! - features[b + d]!) ** 2;
  return sum;
}

function argMin(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! < values[best]!) best = i;
  return best;
}

function argMax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

function concat(parts: readonly Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
