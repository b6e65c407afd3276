/**
 * A tiny rasteriser that writes RGB bytes straight into a typed array.
 *
 * Coverage follows the pixel-centre rule of QPainter with antialiasing off:
 * pixel `i` is inside the span `[x0, x1)` iff `x0 <= i + 0.5 < x1`. Every
 * function clips to the surface and allocates nothing, so painters may call
 * them in the per-step hot path.
 *
 * Geometry is passed in a reusable `Shape`, not as arguments: V8 boxes a
 * fractional number passed to a function it does not inline, which would
 * be garbage on every draw call. Colours are packed 0xRRGGBB integers.
 */
import { blue, green, red, type Rgb, type Sprite } from './sprite.ts';

/** The geometry of one draw call, in output pixels; fields are overwritten by each caller. */
export class Shape {
  x0 = 0.5;
  y0 = 0.5;
  x1 = 0.5;
  y1 = 0.5;
  /** Radians, clockwise on screen (QPainter::rotate), about the rect centre. */
  rotation = 0.5;
  /** 0..1 opacity. */
  alpha = 0.5;
  /** Line width in pixels. */
  thickness = 0.5;
  mirrored = false;

  /** Sets the rect [x0, x1) x [y0, y1) with no rotation or mirroring, opaque. */
  rect(x0: number, y0: number, x1: number, y1: number): this {
    this.x0 = x0;
    this.y0 = y0;
    this.x1 = x1;
    this.y1 = y1;
    this.rotation = 0;
    this.alpha = 1;
    this.mirrored = false;
    return this;
  }
}

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

/** Fills the rect of `shape` with `color`; `shape.alpha` below 1 blends over what is there. */
export function fillRect(s: Surface, shape: Shape, color: Rgb): void {
  const i0 = clamp(firstCovered(shape.x0), 0, s.width);
  const i1 = clamp(firstCovered(shape.x1), 0, s.width);
  const j0 = clamp(firstCovered(shape.y0), 0, s.height);
  const j1 = clamp(firstCovered(shape.y1), 0, s.height);
  const alpha = shape.alpha;
  const r = red(color);
  const g = green(color);
  const b = blue(color);
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

/** Fills the ellipse inscribed in the rect of `shape`, blended by `shape.alpha`. */
export function fillEllipse(s: Surface, shape: Shape, color: Rgb): void {
  const { x0, y0, x1, y1, alpha } = shape;
  const r = red(color);
  const g = green(color);
  const b = blue(color);
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

/** The segment (x0, y0)-(x1, y1) of `shape`, `shape.thickness` pixels wide (at least one), opaque. */
export function drawLine(s: Surface, shape: Shape, color: Rgb): void {
  const { x0: xa, y0: ya, x1: xb, y1: yb } = shape;
  const r = red(color);
  const g = green(color);
  const b = blue(color);
  const half = Math.max(0.5, shape.thickness * 0.5);
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
 * Draws `sprite` scaled (nearest neighbour) into the rect of `shape`,
 * mirrored horizontally when `shape.mirrored`, then rotated by
 * `shape.rotation` about the rect centre, blended by `shape.alpha`.
 */
export function drawSprite(s: Surface, sprite: Sprite, shape: Shape): void {
  if (shape.x1 <= shape.x0 || shape.y1 <= shape.y0 || shape.alpha <= 0) return;
  // Two small functions rather than one big one: V8 then inlines their helpers, which keeps fractional arguments unboxed.
  if (shape.rotation === 0) drawSpriteAxisAligned(s, sprite, shape);
  else drawSpriteRotated(s, sprite, shape);
}

function drawSpriteRotated(s: Surface, sprite: Sprite, shape: Shape): void {
  const { x0: x, y0: y, rotation, mirrored } = shape;
  const w = shape.x1 - x;
  const h = shape.y1 - y;
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
      blendTexel(s.memory, p, sprite, ((ly * scaleV) | 0) * sprite.width + u, shape);
    }
  }
}

function drawSpriteAxisAligned(s: Surface, sprite: Sprite, shape: Shape): void {
  const { x0: x, y0: y, mirrored } = shape;
  const w = shape.x1 - x;
  const h = shape.y1 - y;
  const i0 = clamp(firstCovered(x), 0, s.width);
  const i1 = clamp(firstCovered(x + w), 0, s.width);
  const j0 = clamp(firstCovered(y), 0, s.height);
  const j1 = clamp(firstCovered(y + h), 0, s.height);
  const scaleU = sprite.width / w;
  const scaleV = sprite.height / h;
  const lastU = sprite.width - 1;
  const lastV = sprite.height - 1;
  const m = s.memory;
  const { rgb, alpha } = sprite;
  const opaque = shape.alpha >= 1;
  for (let j = j0; j < j1; j++) {
    const v = Math.min(lastV, ((j + 0.5 - y) * scaleV) | 0);
    const row = v * sprite.width;
    let p = s.offset + j * s.stride + i0 * 3;
    for (let i = i0; i < i1; i++, p += 3) {
      const u = Math.min(lastU, ((i + 0.5 - x) * scaleU) | 0);
      const texel = row + (mirrored ? lastU - u : u);
      const coverage = alpha[texel]!;
      if (coverage === 0) continue;
      if (opaque && coverage === 255) {
        // The common case, written inline: an opaque texel of an opaque sprite.
        const q = texel * 3;
        m[p] = rgb[q]!;
        m[p + 1] = rgb[q + 1]!;
        m[p + 2] = rgb[q + 2]!;
      } else {
        blendTexel(m, p, sprite, texel, shape);
      }
    }
  }
}

function blendTexel(m: Uint8Array, p: number, sprite: Sprite, texel: number, shape: Shape): void {
  const alpha = shape.alpha;
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
  if (rowBytes === src.stride && rowBytes === dst.stride) {
    // Whole rows on both sides: the block is one contiguous run.
    m.copyWithin(to, from, from + rowBytes * height);
    return;
  }
  for (let j = 0; j < height; j++, from += src.stride, to += dst.stride) {
    m.copyWithin(to, from, from + rowBytes);
  }
}
