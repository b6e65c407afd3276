/**
 * float32 arithmetic helpers. The recorded Procgen build fuses `a * b + c`
 * written in one C++ expression into a single fused multiply-add (compilers
 * contract such expressions by default on FMA hardware), which rounds once
 * instead of twice. `fmaf` reproduces that bit for bit.
 */

export const f32 = Math.fround;

const bits = new Float32Array(1);
const word = new Uint32Array(bits.buffer);

/** The float32 next to `r` in the direction of `toward` (r != toward, r finite and non-zero). */
function adjacentFloat(r: number, toward: number): number {
  bits[0] = r;
  word[0] = word[0]! + (toward > r === r > 0 ? 1 : -1);
  return bits[0]!;
}

/** `fmaf(a, b, c)`: round_f32(a * b + c) with a single rounding, for float32 a, b, c. */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b; // exact: two 24-bit significands fit in a double
  const s = p + c;
  const r = f32(s);
  if (r === s || r === 0) return r;
  // s may itself be rounded; that only matters when s sits exactly halfway between two floats.
  const bb = s - p;
  const err = p - (s - bb) + (c - bb);
  if (err === 0) return r;
  const other = adjacentFloat(r, s);
  if (s !== (r + other) / 2) return r;
  return err > 0 === other > r ? other : r;
}
