import type { Entity } from '../engine/entity.ts';
import { f32 } from '../engine/float32.ts';
import { ProcgenGame } from '../engine/game.ts';
import { PLAYER, SPACE, TRAIL, WALL_OBJ } from '../engine/objects.ts';
import { MazeGen } from './maze-gen.ts';

/** Entity types (jumper.cpp). */
export const GOAL = 1;
export const SPIKE = 2;
/** Grid cells: cave wall, and cave wall with space above (the walkable surface tile). */
export const CAVEWALL = 6;
export const CAVEWALL_TOP = 7;

const MAZE_SCALE = 3;
const JUMP_COOLDOWN = 3;
const GOAL_REWARD = 10;
/** Wall colour themes: blue, green, yellow, brown. */
export const NUM_WALL_THEMES = 4;
/** 49 platform backgrounds + 13 space backgrounds. */
const PLATFORM_BACKGROUNDS = 62;
const AGENT_RX = f32(0.254);
const AGENT_RY = f32(0.4);
const SPIKE_RX = f32(0.23);
const SPIKE_RY = f32(0.4);
const GRAVITY = f32(0.15);
const TRAIL_VY = f32(0.01);
const TRAIL_RX = f32(0.3);
const TRAIL_RY = f32(0.2);
const FILL_WALL_P = f32(0.8);
const FILL_SPACE_P = f32(0.2);
const SPIKE_P = f32(0.2);

/** 4-neighbour order of Procgen's room searches: (-1,0), (0,-1), (0,1), (1,0). */
const DX4 = [-1, 0, 0, 1] as const;
const DY4 = [0, -1, 1, 0] as const;

/**
 * Jumper (procgen/src/games/jumper.cpp): a bunny with a double jump climbs a
 * cave to the carrot (+10); spikes end the episode. The cave is a maze blown
 * up 3x, roughened by a cellular automaton, cut to its largest room and pruned
 * to a widened path from start to goal.
 */
export class Jumper extends ProcgenGame {
  readonly name = 'jumper';
  readonly timeout = 1000;
  readonly backgroundCount = PLATFORM_BACKGROUNDS;

  /** Wall colour theme of this level (0..3). */
  wallTheme = 0;
  /** Goal (carrot) centre, for the compass. */
  goalX = 0;
  goalY = 0;
  /** Size of the compass overlay in world units (3 easy, 2 hard). */
  compassDim = 3;
  /** Jumps left before landing (2 = double jump available). */
  jumpCount = 0;
  /** -1 on the step a jump starts, else 0 (drawn as a puff when mid-air). */
  jumpDelta = 0;
  jumpTime = 0;
  /** Standing on a wall this step (drawn: walking frames vs jump frame). */
  hasSupport = false;
  facingRight = true;

  private maze: MazeGen | null = null;
  /** Scratch for level generation, sized to the grid. */
  private scratch = new Int32Array(0);
  private queue = new Int32Array(0);
  private parents = new Int32Array(0);
  private mark = new Uint8Array(0);
  private readonly neighbours = new Int32Array(4);

  protected chooseWorldDim(): void {
    const dim = this.mode === 'easy' ? 20 : 40;
    this.mainWidth = dim;
    this.mainHeight = dim;
  }

  protected override isBlocked(ent: Entity, cell: number): boolean {
    return super.isBlocked(ent, cell) || (ent.type === PLAYER && isWall(cell));
  }

  // ---- level generation -----------------------------------------------------

  protected gameReset(): void {
    const easy = this.mode === 'easy';
    this.visibility = easy ? 12 : 16;
    this.compassDim = easy ? 3 : 2;
    this.centerAgent = true;
    this.outOfBoundsObject = WALL_OBJ;
    const rng = this.rng;
    this.wallTheme = rng.randn(NUM_WALL_THEMES);
    this.jumpCount = 0;
    this.jumpDelta = 0;
    this.jumpTime = 0;
    this.hasSupport = false;
    this.facingRight = true;

    const W = this.mainWidth;
    const H = this.mainHeight;
    const size = W * H;
    if (this.scratch.length !== size) {
      this.scratch = new Int32Array(size);
      this.queue = new Int32Array(size * 4);
      this.parents = new Int32Array(size * 4);
      this.mark = new Uint8Array(size);
    }
    const mazeDim = Math.trunc(W / MAZE_SCALE);
    if (!this.maze || this.maze.mazeDim !== mazeDim) this.maze = new MazeGen(rng, mazeDim);
    const maze = this.maze;
    maze.generateMazeNoDeadEnds();

    const grid = this.grid;
    for (let i = 0; i < size; i++) {
      const mazeCell = maze.get(Math.trunc((i % W) / MAZE_SCALE) + 1, Math.trunc(Math.trunc(i / W) / MAZE_SCALE) + 1);
      const p = mazeCell === WALL_OBJ ? FILL_WALL_P : FILL_SPACE_P;
      grid[i] = rng.rand01() < p ? WALL_OBJ : SPACE;
    }
    this.smoothCaves();
    this.smoothCaves();

    for (let x = 0; x < W; x++) {
      grid[x] = CAVEWALL;
      grid[(H - 1) * W + x] = CAVEWALL;
    }
    for (let y = 0; y < H; y++) {
      grid[y * W] = CAVEWALL;
      grid[y * W + W - 1] = CAVEWALL;
    }

    // Keep only the largest room; its cells (ascending) are the goal candidates.
    const roomCount = this.keepLargestRoom();
    const goalCell = rng.chooseOne(this.scratch, roomCount);
    let candidates = 0;
    for (let i = 0; i < size; i++) if (this.isSpaceOnGround(i % W, Math.trunc(i / W))) this.scratch[candidates++] = i;
    const agentCell = rng.chooseOne(this.scratch, candidates);

    this.keepWidePath(agentCell, goalCell);

    const goal = this.addEntity(GOAL);
    goal.x = this.goalX = (goalCell % W) + 0.5;
    goal.y = this.goalY = Math.trunc(goalCell / W) + 0.5;
    goal.rx = goal.ry = 0.5;

    for (let i = 0; i < size; i++) {
      const x = i % W;
      const y = Math.trunc(i / W);
      if (this.isSpaceOnGround(x, y) && this.isSpaceOnGround(x - 1, y) && this.isSpaceOnGround(x + 1, y)) {
        if (rng.rand01() < SPIKE_P) grid[i] = SPIKE;
      }
    }

    // Break up long vertical walls so every level stays climbable.
    for (let i = 0; i < size; i++) {
      const x = i % W;
      const y = Math.trunc(i / W);
      if (this.isSideWall(x, y, 1) && this.isSideWall(x, y + 1, 1) && this.isSideWall(x, y + 2, 1)) {
        grid[(y + rng.randn(3)) * W + x] = SPACE;
      }
      if (this.isSideWall(x, y, -1) && this.isSideWall(x, y + 1, -1) && this.isSideWall(x, y + 2, -1)) {
        grid[(y + rng.randn(3)) * W + x] = SPACE;
      }
    }

    const agent = this.agent;
    agent.x = f32((agentCell % W) + 0.5);
    agent.y = f32(Math.trunc(agentCell / W) + agent.ry);

    for (let i = 0; i < size; i++) {
      if (grid[i] !== SPIKE) continue;
      grid[i] = SPACE;
      const spike = this.addEntity(SPIKE);
      spike.x = (i % W) + 0.5;
      spike.y = f32(Math.trunc(i / W) + SPIKE_RY);
      spike.rx = SPIKE_RX;
      spike.ry = SPIKE_RY;
    }

    for (let i = 0; i < size; i++) {
      if (grid[i] === CAVEWALL && this.cellAt(i % W, Math.trunc(i / W) + 1) === SPACE) grid[i] = CAVEWALL_TOP;
    }

    agent.rx = AGENT_RX;
    agent.ry = AGENT_RY;
    this.outOfBoundsObject = CAVEWALL;
  }

  /** One cellular-automaton pass: WALL iff at least 5 of the 3x3 block are WALL (outside counts as WALL). */
  private smoothCaves(): void {
    const W = this.mainWidth;
    const H = this.mainHeight;
    const grid = this.grid;
    const next = this.scratch;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let walls = 0;
        for (let yy = y - 1; yy <= y + 1; yy++) {
          for (let xx = x - 1; xx <= x + 1; xx++) {
            if (xx < 0 || yy < 0 || xx >= W || yy >= H || grid[yy * W + xx] === WALL_OBJ) walls++;
          }
        }
        next[y * W + x] = walls >= 5 ? WALL_OBJ : SPACE;
      }
    }
    grid.set(next);
  }

  /**
   * `find_best_room`: the largest 4-connected SPACE region (first in scan
   * order on ties; a lone cell counts as size 0, as in Procgen) stays SPACE,
   * everything else becomes CAVEWALL. Writes the room's cells in ascending
   * order into `scratch` and returns how many there are.
   */
  private keepLargestRoom(): number {
    const grid = this.grid;
    const size = grid.length;
    const roomOf = this.parents; // room id + 1 per cell, 0 = not in a room yet
    roomOf.fill(0, 0, size);
    let bestRoom = 0;
    let bestSize = -1;
    let rooms = 0;
    for (let i = 0; i < size; i++) {
      if (grid[i] !== SPACE || roomOf[i] !== 0) continue;
      rooms++;
      const roomSize = this.floodRoom(i, rooms);
      if (roomSize > bestSize) {
        bestSize = roomSize;
        bestRoom = rooms;
      }
    }
    let count = 0;
    for (let i = 0; i < size; i++) {
      if (roomOf[i] === bestRoom && bestSize > 0) {
        grid[i] = SPACE;
        this.scratch[count++] = i;
      } else {
        grid[i] = CAVEWALL;
      }
    }
    if (count === 0) throw new Error(`jumper level ${this.levelSeed}: the cave has no room (Procgen asserts here too).`);
    return count;
  }

  /** Labels the 4-connected SPACE region of `start` with `room` and returns its size (0 for a lone cell). */
  private floodRoom(start: number, room: number): number {
    const roomOf = this.parents;
    const queue = this.queue;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    let size = 0;
    while (head < tail) {
      const found = this.spaceNeighbours4(queue[head++]!);
      for (let k = 0; k < found; k++) {
        const n = this.neighbours[k]!;
        if (roomOf[n] === room) continue;
        roomOf[n] = room;
        size++;
        queue[tail++] = n;
      }
    }
    return size;
  }

  /**
   * Prunes the cave to the breadth-first path from agent to goal widened by 4
   * rounds of 8-neighbour growth through SPACE (`find_path` + `expand_room`).
   */
  private keepWidePath(agentCell: number, goalCell: number): void {
    const W = this.mainWidth;
    const grid = this.grid;
    const size = grid.length;
    const queue = this.queue;
    const parents = this.parents;
    const covered = this.mark;
    covered.fill(0);
    // Breadth-first search; like Procgen, the source is not marked covered up front.
    let tail = 0;
    queue[tail] = agentCell;
    parents[tail++] = -1;
    let head = 0;
    while (head < tail) {
      const c = queue[head]!;
      if (c === goalCell) break;
      const found = this.spaceNeighbours4(c);
      for (let k = 0; k < found; k++) {
        const n = this.neighbours[k]!;
        if (covered[n]) continue;
        covered[n] = 1;
        queue[tail] = n;
        parents[tail++] = head;
      }
      head++;
    }
    if (head >= tail) throw new Error(`jumper level ${this.levelSeed}: no path from start to goal.`);

    // Distance from the path in 8-neighbour steps through SPACE; keep distance <= 4.
    const dist = this.scratch;
    dist.fill(-1, 0, size);
    let qTail = 0;
    for (let p = head; p >= 0; p = parents[p]!) {
      const c = queue[p]!;
      dist[c] = 0;
    }
    for (let i = 0; i < size; i++) if (dist[i] === 0) queue[qTail++] = i;
    let qHead = 0;
    while (qHead < qTail) {
      const c = queue[qHead++]!;
      const d = dist[c]!;
      if (d === 4) continue;
      const x = c % W;
      const y = Math.trunc(c / W);
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          if (dx === 0 && dy === 0) continue;
          if (this.cellAt(x + dx, y + dy) !== SPACE) continue;
          const n = (y + dy) * W + (x + dx);
          if (dist[n] !== -1) continue;
          dist[n] = d + 1;
          queue[qTail++] = n;
        }
      }
    }
    for (let i = 0; i < size; i++) grid[i] = dist[i]! >= 0 ? SPACE : CAVEWALL;
  }

  /** Fills `neighbours` with the SPACE 4-neighbours of cell `c`, in Procgen's order; returns how many. */
  private spaceNeighbours4(c: number): number {
    const W = this.mainWidth;
    const x = c % W;
    const y = Math.trunc(c / W);
    let found = 0;
    for (let k = 0; k < 4; k++) {
      const nx = x + DX4[k]!;
      const ny = y + DY4[k]!;
      if (this.cellAt(nx, ny) === SPACE) this.neighbours[found++] = ny * W + nx;
    }
    return found;
  }

  /** SPACE with SPACE above and a wall (or the world's edge) below. */
  private isSpaceOnGround(x: number, y: number): boolean {
    if (this.cellAt(x, y) !== SPACE || this.cellAt(x, y + 1) !== SPACE) return false;
    const below = this.cellAt(x, y - 1);
    return below === CAVEWALL || below === this.outOfBoundsObject;
  }

  /** CAVEWALL with SPACE on side `side` (+1: right, -1: left). */
  private isSideWall(x: number, y: number, side: number): boolean {
    return this.cellAt(x, y) === CAVEWALL && this.cellAt(x + side, y) === SPACE;
  }

  // ---- stepping ---------------------------------------------------------------

  /** Up jumps (double jump, 3-step cooldown); down does nothing. */
  protected override setActionXY(move: number): void {
    const agent = this.agent;
    this.actionVx = Math.trunc(move / 3) - 1;
    this.actionVy = Math.max(0, (move % 3) - 1);
    if (this.actionVx > 0) this.facingRight = true;
    if (this.actionVx < 0) this.facingRight = false;
    // C++ computes these in double and rounds to float when passing them.
    const footY = f32(agent.y - (agent.ry + 0.01));
    const below1 = this.cellAt(Math.floor(f32(agent.x - (agent.rx - 0.01))), Math.floor(footY));
    const below2 = this.cellAt(Math.floor(f32(agent.x + (agent.rx - 0.01))), Math.floor(footY));
    this.jumpDelta = 0;
    this.hasSupport = this.canSupport(below1) || this.canSupport(below2);
    if (this.hasSupport) this.jumpCount = 2;
    if (this.actionVy === 1 && this.jumpCount > 0 && this.curTime - this.jumpTime > JUMP_COOLDOWN) {
      this.jumpCount -= 1;
      this.jumpDelta = -1;
    } else {
      this.actionVy = 0;
    }
    if (this.actionVy > 0) this.jumpTime = this.curTime;
  }

  private canSupport(cell: number): boolean {
    return isWall(cell) || cell === this.outOfBoundsObject;
  }

  /** No 0.9 decay; a jump sets vy to 2 * maxspeed. */
  protected override updateAgentVelocity(): void {
    const a = this.agent;
    a.vx = f32(f32(f32(1 - this.mixrate) * a.vx) + f32(f32(this.mixrate * this.maxspeed) * this.actionVx));
    if (this.actionVy !== 0) a.vy = f32(f32(this.maxspeed * this.actionVy) * 2);
  }

  protected handleAgentCollision(e: Entity): void {
    if (e.type === GOAL) {
      this.reward += GOAL_REWARD;
      this.levelComplete = true;
      this.done = true;
    } else if (e.type === SPIKE) {
      this.done = true;
    }
  }

  protected gameStep(): void {
    const agent = this.agent;
    if (this.actionVx > 0) agent.isReflected = false;
    if (this.actionVx < 0) agent.isReflected = true;
    if (f32(Math.abs(agent.vx) + Math.abs(agent.vy)) > 0.05) {
      const trail = this.addEntity(TRAIL);
      trail.x = agent.x;
      trail.y = f32(agent.y - agent.ry * 0.5);
      trail.vy = TRAIL_VY;
      trail.rx = TRAIL_RX;
      trail.ry = TRAIL_RY;
      trail.expireTime = 8;
      trail.alpha = 0.5;
    }
    if (agent.vy > -2) agent.vy = f32(agent.vy - GRAVITY);
  }

  protected copyGameFieldsFrom(other: this): void {
    this.wallTheme = other.wallTheme;
    this.goalX = other.goalX;
    this.goalY = other.goalY;
    this.compassDim = other.compassDim;
    this.jumpCount = other.jumpCount;
    this.jumpDelta = other.jumpDelta;
    this.jumpTime = other.jumpTime;
    this.hasSupport = other.hasSupport;
    this.facingRight = other.facingRight;
  }
}

function isWall(cell: number): boolean {
  return cell === CAVEWALL || cell === CAVEWALL_TOP;
}
