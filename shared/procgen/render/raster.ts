/**
 * A tiny rasteriser that writes RGB bytes straight into a typed array.
 *
 * Coverage follows the pixel-centre rule of QPainter with antialiasing off:
 * pixel `i` is inside the span `[x0, x1)` iff `x0 <= i + 0.5 < x1`. Every
 * function clips to the surface and allocates nothing, so painters may call
 * them in the per-step hot path.
 */
import type { Sprite } from './sprite.ts';

/** A rectangle of RGB pixels inside `memory`, rows `stride` bytes apart. */
export interface Surface {
  readonly memory: Uint8Array;
  readonly offset: number;
  readonly width: number;
  readonly height: number;
  readonly stride: number;
}

export function createSurface(memory: Uint8Array, offset: number, width: number, height: number): Surface {
  const stride = width * 3;
  if (offset < 0 || offset + stride * height > memory.length) {
    throw new RangeError(`surface ${width}x${height} at byte ${offset} does not fit in ${memory.length} bytes`);
  }
  return { memory, offset, width, height, stride };
}

/** First pixel index whose centre is at or after `edge`. */
function firstCovered(edge: number): number {
  return Math.ceil(edge - 0.5);
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}

/** Fills `[x0,x1) x [y0,y1)` with a colour; `alpha` in 0..1 blends over what is there. */
export function fillRect(s: Surface, x0: number, y0: number, x1: number, y1: number, r: number, g: number, b: number, alpha = 1): void {
  const i0 = clamp(firstCovered(x0), 0, s.width);
  const i1 = clamp(firstCovered(x1), 0, s.width);
  const j0 = clamp(firstCovered(y0), 0, s.height);
  const j1 = clamp(firstCovered(y1), 0, s.height);
  const m = s.memory;
  if (alpha >= 1) {
    for (let j = j0; j < j1; j++) {
      let p = s.offset + j * s.stride + i0 * 3;
      for (let i = i0; i < i1; i++, p += 3) {
        m[p] = r;
        m[p + 1] = g;
        m[p + 2] = b;
      }
    }
    return;
  }
  if (alpha <= 0) return;
  const keep = 1 - alpha;
  for (let j = j0; j < j1; j++) {
    let p = s.offset + j * s.stride + i0 * 3;
    for (let i = i0; i < i1; i++, p += 3) {
      m[p] = m[p]! * keep + r * alpha;
      m[p + 1] = m[p + 1]! * keep + g * alpha;
      m[p + 2] = m[p + 2]! * keep + b * alpha;
    }
  }
}

/** Fills the ellipse inscribed in `[x0,x1) x [y0,y1)`. */
export function fillEllipse(s: Surface, x0: number, y0: number, x1: number, y1: number, r: number, g: number, b: number, alpha = 1): void {
  const cx = (x0 + x1) * 0.5;
  const cy = (y0 + y1) * 0.5;
  const ax = (x1 - x0) * 0.5;
  const ay = (y1 - y0) * 0.5;
  if (ax <= 0 || ay <= 0 || alpha <= 0) return;
  const j0 = clamp(firstCovered(y0), 0, s.height);
  const j1 = clamp(firstCovered(y1), 0, s.height);
  const keep = 1 - alpha;
  const m = s.memory;
  for (let j = j0; j < j1; j++) {
    const dy = (j + 0.5 - cy) / ay;
    const half = ax * Math.sqrt(Math.max(0, 1 - dy * dy));
    const i0 = clamp(firstCovered(cx - half), 0, s.width);
    const i1 = clamp(firstCovered(cx + half), 0, s.width);
    let p = s.offset + j * s.stride + i0 * 3;
    for (let i = i0; i < i1; i++, p += 3) {
      if (alpha >= 1) {
        m[p] = r;
        m[p + 1] = g;
        m[p + 2] = b;
      } else {
        m[p] = m[p]! * keep + r * alpha;
        m[p + 1] = m[p + 1]! * keep + g * alpha;
        m[p + 2] = m[p + 2]! * keep + b * alpha;
      }
    }
  }
}

/** A segment `thickness` pixels wide (at least one pixel) with square ends. */
export function drawLine(s: Surface, xa: number, ya: number, xb: number, yb: number, thickness: number, r: number, g: number, b: number): void {
  const half = Math.max(0.5, thickness * 0.5);
  const dx = xb - xa;
  const dy = yb - ya;
  const lengthSq = dx * dx + dy * dy;
  const i0 = clamp(firstCovered(Math.min(xa, xb) - half), 0, s.width);
  const i1 = clamp(firstCovered(Math.max(xa, xb) + half), 0, s.width);
  const j0 = clamp(firstCovered(Math.min(ya, yb) - half), 0, s.height);
  const j1 = clamp(firstCovered(Math.max(ya, yb) + half), 0, s.height);
  const m = s.memory;
  for (let j = j0; j < j1; j++) {
    let p = s.offset + j * s.stride + i0 * 3;
    for (let i = i0; i < i1; i++, p += 3) {
      const px = i + 0.5 - xa;
      const py = j + 0.5 - ya;
      const t = lengthSq > 0 ? clamp((px * dx + py * dy) / lengthSq, 0, 1) : 0;
      const ex = px - t * dx;
      const ey = py - t * dy;
      if (ex * ex + ey * ey <= half * half) {
        m[p] = r;
        m[p + 1] = g;
        m[p + 2] = b;
      }
    }
  }
}

/**
 * Draws `sprite` scaled (nearest neighbour) into the rect `(x, y, w, h)`,
 * mirrored horizontally when `mirrored`, then rotated by `rotation` radians
 * (clockwise on screen, as QPainter::rotate) about the rect centre.
 */
export function drawSprite(s: Surface, sprite: Sprite, x: number, y: number, w: number, h: number, rotation: number, mirrored: boolean, alpha: number): void {
  if (w <= 0 || h <= 0 || alpha <= 0) return;
  if (rotation === 0) {
    drawSpriteAxisAligned(s, sprite, x, y, w, h, mirrored, alpha);
    return;
  }
  const cx = x + w * 0.5;
  const cy = y + h * 0.5;
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  const extentX = 0.5 * (Math.abs(w * cos) + Math.abs(h * sin));
  const extentY = 0.5 * (Math.abs(w * sin) + Math.abs(h * cos));
  const i0 = clamp(firstCovered(cx - extentX), 0, s.width);
  const i1 = clamp(firstCovered(cx + extentX), 0, s.width);
  const j0 = clamp(firstCovered(cy - extentY), 0, s.height);
  const j1 = clamp(firstCovered(cy + extentY), 0, s.height);
  const scaleU = sprite.width / w;
  const scaleV = sprite.height / h;
  for (let j = j0; j < j1; j++) {
    const py = j + 0.5 - cy;
    let p = s.offset + j * s.stride + i0 * 3;
    for (let i = i0; i < i1; i++, p += 3) {
      const px = i + 0.5 - cx;
      // Undo the clockwise rotation to find the point in the unrotated rect.
      const lx = px * cos + py * sin + w * 0.5;
      const ly = -px * sin + py * cos + h * 0.5;
      if (lx < 0 || ly < 0 || lx >= w || ly >= h) continue;
      let u = (lx * scaleU) | 0;
      if (mirrored) u = sprite.width - 1 - u;
      blendTexel(s.memory, p, sprite, ((ly * scaleV) | 0) * sprite.width + u, alpha);
    }
  }
}

function drawSpriteAxisAligned(s: Surface, sprite: Sprite, x: number, y: number, w: number, h: number, mirrored: boolean, alpha: number): void {
  const i0 = clamp(firstCovered(x), 0, s.width);
  const i1 = clamp(firstCovered(x + w), 0, s.width);
  const j0 = clamp(firstCovered(y), 0, s.height);
  const j1 = clamp(firstCovered(y + h), 0, s.height);
  const scaleU = sprite.width / w;
  const scaleV = sprite.height / h;
  const lastU = sprite.width - 1;
  const lastV = sprite.height - 1;
  for (let j = j0; j < j1; j++) {
    const v = Math.min(lastV, ((j + 0.5 - y) * scaleV) | 0);
    const row = v * sprite.width;
    let p = s.offset + j * s.stride + i0 * 3;
    for (let i = i0; i < i1; i++, p += 3) {
      const u = Math.min(lastU, ((i + 0.5 - x) * scaleU) | 0);
      blendTexel(s.memory, p, sprite, row + (mirrored ? lastU - u : u), alpha);
    }
  }
}

function blendTexel(m: Uint8Array, p: number, sprite: Sprite, texel: number, alpha: number): void {
  const coverage = sprite.alpha[texel]!;
  if (coverage === 0) return;
  const q = texel * 3;
  if (coverage === 255 && alpha >= 1) {
    m[p] = sprite.rgb[q]!;
    m[p + 1] = sprite.rgb[q + 1]!;
    m[p + 2] = sprite.rgb[q + 2]!;
    return;
  }
  const a = (coverage / 255) * alpha;
  const keep = 1 - a;
  m[p] = m[p]! * keep + sprite.rgb[q]! * a;
  m[p + 1] = m[p + 1]! * keep + sprite.rgb[q + 1]! * a;
  m[p + 2] = m[p + 2]! * keep + sprite.rgb[q + 2]! * a;
}

/**
 * Copies a `width x height` block from `src` at pixel (sx, sy) to `dst` at
 * (dx, dy). Both surfaces must share one `memory`, so each row is a native
 * `copyWithin` (no views, no garbage). The block must lie inside both.
 */
export function copyBlock(src: Surface, sx: number, sy: number, dst: Surface, dx: number, dy: number, width: number, height: number): void {
  const m = dst.memory;
  const rowBytes = width * 3;
  let from = src.offset + sy * src.stride + sx * 3;
  let to = dst.offset + dy * dst.stride + dx * 3;
  for (let j = 0; j < height; j++, from += src.stride, to += dst.stride) {
    m.copyWithin(to, from, from + rowBytes);
  }
}
