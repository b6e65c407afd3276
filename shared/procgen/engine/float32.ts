/**
 * float32 arithmetic helpers. The recorded Procgen build fuses `a * b + c`
 * written in one C++ expression into a single fused multiply-add (compilers
 * contract such expressions by default on FMA hardware), which rounds once
 * instead of twice. `fmaf` reproduces that bit for bit.
 */

export const f32 = Math.fround;

/** Bit view of one double (little-endian: word 0 is the low half). */
const double = new Float64Array(1);
const doubleWords = new Uint32Array(double.buffer);

/** `fmaf(a, b, c)`: round_f32(a * b + c) with a single rounding, for float32 a, b, c. */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b; // exact: two 24-bit significands fit in a double
  const s = p + c;
  const r = f32(s);
  if (r === s) return r;
  const bb = s - p;
  const err = p - (s - bb) + (c - bb);
  if (err === 0) return r;
  // Round to odd: s is the exact sum rounded; if its last bit is even, step one double ulp
  // toward the exact value. Rounding that to float32 is then correct (53 >= 24 + 2 bits).
  double[0] = s;
  const low = doubleWords[0]!;
  if ((low & 1) !== 0) return r;
  doubleWords[0] = err > 0 === s > 0 ? low + 1 : low - 1; // low != 0 here, or s would be a float
  return f32(double[0]!);
}
