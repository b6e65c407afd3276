/**
 * What the renderer reads from a game's state: nothing else. The engine's
 * game objects satisfy this structurally, and a replay can rebuild it from a
 * stored state.
 */
import type { Entity } from '../engine/entity.ts';

export interface RenderableGame {
  readonly mainWidth: number;
  readonly mainHeight: number;
  /** Cell types, index y*mainWidth + x, y = 0 at the bottom. */
  readonly grid: Int32Array;
  /** Live entities are `entities.items[0 .. entities.count)`, the agent first. */
  readonly entities: { readonly items: readonly Entity[]; readonly count: number };
  /** Camera: the whole world, or `visibility` units centred on the agent. */
  readonly centerAgent: boolean;
  readonly visibility: number;
  readonly curTime: number;
  readonly backgroundIndex: number;
  readonly bgPctX: number;
  /** Identifies the level: caches built per level are rebuilt when it changes. */
  readonly levelSeed: number;
}

/** Jumper's extra drawn state (procgen jumper.cpp `image_for_type`, `draw_compass`). */
export interface RenderableJumper extends RenderableGame {
  readonly wallTheme: number;
  readonly hasSupport: boolean;
  /** -1 on a step where the agent jumped, else 0. */
  readonly jumpDelta: number;
  /** Horizontal action input of the last step: -1, 0 or 1. */
  readonly actionVx: number;
}
