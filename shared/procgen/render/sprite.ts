/**
 * Sprites: small RGB images with an opacity mask, drawn by `drawSprite`.
 * We ship no image files; every sprite is painted once, at load, from simple
 * shapes given in unit coordinates (0..1 across the sprite, y down), so the
 * same sprite serves the 64 px observation and the large replay render.
 */
export interface Picture {
  readonly width: number;
  readonly height: number;
  /** width*height*3 colour bytes, row-major, top row first. */
  readonly rgb: Uint8Array;
}

export interface Sprite extends Picture {
  /** width*height opacities, 0 = transparent, 255 = opaque. */
  readonly alpha: Uint8Array;
}

/** 0xRRGGBB. */
export type Rgb = number;

export const red = (c: Rgb): number => (c >>> 16) & 255;
export const green = (c: Rgb): number => (c >>> 8) & 255;
export const blue = (c: Rgb): number => c & 255;

/** Mixes two colours, `t` = 0 gives `a`, 1 gives `b`. */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return (mixChannel(red(a), red(b), t) << 16) | (mixChannel(green(a), green(b), t) << 8) | mixChannel(blue(a), blue(b), t);
}

function mixChannel(x: number, y: number, t: number): number {
  return Math.round(x + (y - x) * t);
}

/** Paints shapes into a new sprite; later shapes cover earlier ones. */
export class SpriteBuilder {
  readonly sprite: Sprite;

  constructor(width: number, height: number) {
    this.sprite = { width, height, rgb: new Uint8Array(width * height * 3), alpha: new Uint8Array(width * height) };
  }

  /** Sets every texel whose centre (in unit coordinates) satisfies `inside`. */
  paint(color: Rgb, inside: (u: number, v: number) => boolean, opacity = 255): this {
    const { width, height, rgb, alpha } = this.sprite;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (!inside((x + 0.5) / width, (y + 0.5) / height)) continue;
        const t = y * width + x;
        rgb[t * 3] = red(color);
        rgb[t * 3 + 1] = green(color);
        rgb[t * 3 + 2] = blue(color);
        alpha[t] = opacity;
      }
    }
    return this;
  }

  ellipse(cx: number, cy: number, rx: number, ry: number, color: Rgb, opacity = 255): this {
    return this.paint(color, (u, v) => ((u - cx) / rx) ** 2 + ((v - cy) / ry) ** 2 <= 1, opacity);
  }

  rect(x0: number, y0: number, x1: number, y1: number, color: Rgb, opacity = 255): this {
    return this.paint(color, (u, v) => u >= x0 && u < x1 && v >= y0 && v < y1, opacity);
  }

  /** A filled polygon given as flat [u0, v0, u1, v1, ...] (even-odd rule). */
  polygon(points: readonly number[], color: Rgb, opacity = 255): this {
    return this.paint(color, (u, v) => insidePolygon(points, u, v), opacity);
  }

  /** A ring between radii `inner` and `outer` (fractions of the half extents). */
  ring(cx: number, cy: number, rx: number, ry: number, inner: number, color: Rgb, opacity = 255): this {
    return this.paint(
      color,
      (u, v) => {
        const d = ((u - cx) / rx) ** 2 + ((v - cy) / ry) ** 2;
        return d <= 1 && d >= inner * inner;
      },
      opacity,
    );
  }

  /** Darkens every opaque texel by `amount` (0..1) where `where` holds: cheap shading. */
  shade(amount: number, where: (u: number, v: number) => boolean): this {
    const { width, height, rgb, alpha } = this.sprite;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const t = y * width + x;
        if (alpha[t] === 0 || !where((x + 0.5) / width, (y + 0.5) / height)) continue;
        for (let c = 0; c < 3; c++) rgb[t * 3 + c] = Math.round(rgb[t * 3 + c]! * (1 - amount));
      }
    }
    return this;
  }
}

function insidePolygon(points: readonly number[], u: number, v: number): boolean {
  let inside = false;
  const n = points.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const ui = points[i * 2]!;
    const vi = points[i * 2 + 1]!;
    const uj = points[j * 2]!;
    const vj = points[j * 2 + 1]!;
    if (vi > v !== vj > v && u < ((uj - ui) * (v - vi)) / (vj - vi) + ui) inside = !inside;
  }
  return inside;
}
