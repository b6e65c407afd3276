import { SPACE, WALL_OBJ } from '../engine/objects.ts';
import type { RandGen } from '../engine/rng.ts';

/** Neighbour order used by every Procgen grid search: (-1,0), (0,-1), (0,1), (1,0). */
const NEIGHBOUR_DX = [-1, 0, 0, 1] as const;
const NEIGHBOUR_DY = [0, -1, 1, 0] as const;

/**
 * Procgen's `MazeGen` (procgen/src/mazegen.cpp), the parts jumper uses: a
 * Kruskal maze on a `mazeDim` square with a one-cell WALL border, then
 * `generate_maze_no_dead_ends`. Cells are (x, y) with index y * arrayDim + x.
 */
export class MazeGen {
  readonly arrayDim: number;
  /** WALL_OBJ or SPACE per cell, border included. */
  readonly grid: Int32Array;
  /** Union-find label of each maze cell (index mazeDim * y + x). */
  private readonly setOf: Int32Array;
  /** Candidate walls as (x1, y1, x2, y2) quadruples, in Procgen's push order. */
  private readonly walls: Int32Array;
  private readonly wallOrder: Int32Array;
  /** Scratch for neighbour lists. */
  private readonly neighbours = new Int32Array(4);

  constructor(
    private readonly rng: RandGen,
    readonly mazeDim: number,
  ) {
    this.arrayDim = mazeDim + 2;
    this.grid = new Int32Array(this.arrayDim * this.arrayDim);
    this.setOf = new Int32Array(mazeDim * mazeDim);
    const walls: number[] = [];
    for (let i = 1; i < mazeDim - 1; i += 2) {
      for (let j = 0; j < mazeDim; j += 2) walls.push(i - 1, j, i + 1, j);
    }
    for (let i = 0; i < mazeDim; i += 2) {
      for (let j = 1; j < mazeDim - 1; j += 2) walls.push(i, j - 1, i, j + 1);
    }
    this.walls = Int32Array.from(walls);
    this.wallOrder = new Int32Array(walls.length / 4);
  }

  /** Cell value, or -1 (INVALID) on the border and outside, as `MazeGen::get_obj`. */
  private cell(index: number): number {
    const d = this.arrayDim;
    const x = index % d;
    const y = Math.trunc(index / d);
    if (x <= 0 || x >= d - 1 || y <= 0 || y >= d - 1) return -1;
    return this.grid[index]!;
  }

  /** Fills `neighbours` with the 4-neighbours of `index` whose value is `type`; returns their count. */
  private neighboursOfType(index: number, type: number): number {
    const d = this.arrayDim;
    const x = index % d;
    const y = Math.trunc(index / d);
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const ni = (y + NEIGHBOUR_DY[k]!) * d + (x + NEIGHBOUR_DX[k]!);
      if (this.cell(ni) === type) this.neighbours[n++] = ni;
    }
    return n;
  }

  private free(x: number, y: number): void {
    this.grid[(y + 1) * this.arrayDim + (x + 1)] = SPACE;
  }

  /** `generate_maze`: random Kruskal over the walls between even cells. */
  generateMaze(): void {
    const dim = this.mazeDim;
    this.grid.fill(WALL_OBJ);
    // Procgen marks the first cell 0 (not SPACE); the spanning tree always frees it later.
    this.grid[this.arrayDim + 1] = 0;
    for (let i = 0; i < this.setOf.length; i++) this.setOf[i] = i;
    let remaining = this.wallOrder.length;
    for (let i = 0; i < remaining; i++) this.wallOrder[i] = i;
    while (remaining > 0) {
      const n = this.rng.randn(remaining);
      const w = this.wallOrder[n]! * 4;
      const x1 = this.walls[w]!;
      const y1 = this.walls[w + 1]!;
      const x2 = this.walls[w + 2]!;
      const y2 = this.walls[w + 3]!;
      const s0 = this.setOf[dim * y1 + x1]!;
      const s1 = this.setOf[dim * y2 + x2]!;
      const x0 = (x1 + x2) >> 1;
      const y0 = (y1 + y2) >> 1;
      if (this.grid[(y0 + 1) * this.arrayDim + (x0 + 1)] === WALL_OBJ && s0 !== s1) {
        this.free(x1, y1);
        this.free(x0, y0);
        this.free(x2, y2);
        for (let c = 0; c < this.setOf.length; c++) if (this.setOf[c] === s0) this.setOf[c] = s1;
        this.setOf[dim * y0 + x0] = s1;
      }
      this.wallOrder.copyWithin(n, n + 1, remaining);
      remaining--;
    }
  }

  /** `generate_maze_no_dead_ends`: every dead end opens one random wall neighbour. */
  generateMazeNoDeadEnds(): void {
    this.generateMaze();
    const size = this.arrayDim * this.arrayDim;
    for (let i = 0; i < size; i++) {
      if (this.cell(i) !== SPACE) continue;
      if (this.neighboursOfType(i, SPACE) !== 1) continue;
      const walls = this.neighboursOfType(i, WALL_OBJ);
      if (walls > 0) this.grid[this.neighbours[this.rng.randn(walls)]!] = SPACE;
    }
  }

  /** The raw cell at (x, y), border included (`grid.get`). */
  get(x: number, y: number): number {
    return this.grid[y * this.arrayDim + x]!;
  }
}
