/**
 * Procgen's `RandGen` (procgen/src/randgen.cpp): a `std::mt19937` with the exact
 * draws the games use. Every level is generated and played from one of these,
 * so a level is a pure function of its seed only if this matches std::mt19937
 * word for word.
 */

const N = 624;
const M = 397;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MATRIX_A = 0x9908b0df;
const TWO_POW_32 = 4294967296;

export class RandGen {
  /** The 624-word Mersenne Twister state. */
  private readonly state = new Uint32Array(N);
  /** Next word of `state` to temper; N means "twist before the next draw". */
  private index = N + 1;

  /** `std::mt19937::seed((uint32_t)s)`: the standard initialisation. */
  seed(s: number): void {
    const mt = this.state;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]!;
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
    this.index = N;
  }

  /** The last tempered output, read by the draws below (a typed array keeps it unboxed). */
  private readonly word = new Uint32Array(1);

  /** Advances the generator; its 32-bit output is then in `word[0]`. */
  private advance(): void {
    if (this.index >= N) this.twist();
    let y = this.state[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    this.word[0] = y;
  }

  /** The next raw 32-bit output as a non-negative number in [0, 2^32). */
  nextUint32(): number {
    this.advance();
    return this.word[0]!;
  }

  private twist(): void {
    if (this.index > N) throw new Error('RandGen used before seed(): call seed(levelSeed) first.');
    const mt = this.state;
    // The standard three ranges, so no index needs a modulo.
    let i = 0;
    for (; i < N - M; i++) {
      const y = (mt[i]! & UPPER_MASK) | (mt[i + 1]! & LOWER_MASK);
      mt[i] = mt[i + M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; i < N - 1; i++) {
      const y = (mt[i]! & UPPER_MASK) | (mt[i + 1]! & LOWER_MASK);
      mt[i] = mt[i + M - N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (mt[N - 1]! & UPPER_MASK) | (mt[0]! & LOWER_MASK);
    mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.index = 0;
  }

  /** `randn(n)`: x % n, in [0, n). */
  randn(n: number): number {
    this.advance();
    return this.word[0]! % (n >>> 0);
  }

  /** `randint(lo, hi)`: lo + x % (hi - lo) in uint32 arithmetic, as a C++ int; `hi` is exclusive. */
  randint(lo: number, hi: number): number {
    this.advance();
    return (lo + (this.word[0]! % ((hi - lo) >>> 0))) | 0;
  }

  /** `randint()` without bounds: the raw word reinterpreted as a C++ int (may be negative). */
  randintRaw(): number {
    this.advance();
    return this.word[0]! | 0;
  }

  /** `rand01()`: (float)(x / 2^32), a float32 in [0, 1]. */
  rand01(): number {
    this.advance();
    return Math.fround(this.word[0]! / TWO_POW_32);
  }

  /**
   * The next `count` `rand01()` draws, in order, into `out`. Hot paths use
   * this instead of `rand01()` so that no double crosses a call (V8 boxes a
   * double returned by a call it does not inline).
   */
  fillRand01(out: Float32Array, count: number): void {
    for (let i = 0; i < count; i++) {
      this.advance();
      out[i] = this.word[0]! / TWO_POW_32;
    }
  }

  /** `choose_one(v)` over the first `length` items of `items`. */
  chooseOne(items: ArrayLike<number>, length: number = items.length): number {
    if (length <= 0) throw new Error('chooseOne needs at least one item to choose from.');
    return items[this.randn(length)]!;
  }

  /** Copies the full generator state (clone/restore) without allocating. */
  copyFrom(other: RandGen): void {
    this.state.set(other.state);
    this.index = other.index;
  }
}
