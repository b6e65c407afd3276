/**
 * Procedurally drawn background pictures, one family per game, with as many
 * pictures as Procgen has (so `randn(#backgrounds)` draws line up): water (7)
 * for bigfish, space (13) for starpilot, platform scenes (49 + the 13 space
 * pictures = 62) for jumper. Each picture has its own palette, layout and
 * aspect ratio, so the background alone tells levels apart: unseen levels
 * are a real visual shift. Pictures are painted lazily, once per thread.
 */
import { blue, green, mix, red, type Picture, type Rgb } from './sprite.ts';

export type BackgroundFamily = 'water' | 'space' | 'platform';

export const BACKGROUND_COUNTS: Readonly<Record<BackgroundFamily, number>> = { water: 7, space: 13, platform: 62 };

/**
 * Source pictures are this many pixels high (widths follow each aspect ratio):
 * enough for 64 px observations; large replay renders ask for more detail.
 */
const PICTURE_HEIGHT = 256;
const DETAILED_PICTURE_HEIGHT = 768;

/** The picture height that keeps an output `size` px square sharp. */
export function pictureHeightFor(size: number): number {
  return size <= 128 ? PICTURE_HEIGHT : DETAILED_PICTURE_HEIGHT;
}
const PLATFORM_SCENES = 49;

/** Observation-detail pictures, all kept (82 pictures, about 20 MB). */
const cache = new Map<string, Picture>();
/** Detailed pictures (megabytes each) for large renders: the most recently used few. */
const detailedCache = new Map<string, Picture>();
const MAX_DETAILED_PICTURES = 8;

export function backgroundPicture(family: BackgroundFamily, index: number, height = PICTURE_HEIGHT): Picture {
  const count = BACKGROUND_COUNTS[family];
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`background index ${index} is out of range for '${family}' (0..${count - 1})`);
  }
  const key = `${family}:${index}:${height}`;
  if (height <= PICTURE_HEIGHT) {
    let picture = cache.get(key);
    if (!picture) cache.set(key, (picture = paintBackground(family, index, height)));
    return picture;
  }
  const picture = detailedCache.get(key) ?? paintBackground(family, index, height);
  // Map order is insertion order: re-inserting marks the picture most recently used.
  detailedCache.delete(key);
  detailedCache.set(key, picture);
  if (detailedCache.size > MAX_DETAILED_PICTURES) detailedCache.delete(detailedCache.keys().next().value!);
  return picture;
}

/** Paints all pictures of a family ahead of use; detailed pictures for large renders are too big to keep them all, so those stay lazy. */
export function preloadBackgrounds(family: BackgroundFamily, size: number): void {
  if (pictureHeightFor(size) > PICTURE_HEIGHT) return;
  for (let index = 0; index < BACKGROUND_COUNTS[family]; index++) backgroundPicture(family, index);
}

function paintBackground(family: BackgroundFamily, index: number, height: number): Picture {
  if (family === 'water') return paintWater(index, height);
  if (family === 'space' || index >= PLATFORM_SCENES) return paintSpace(family === 'space' ? index : index - PLATFORM_SCENES, height);
  return paintPlatform(index, height);
}

// ---------------------------------------------------------------------------
// Deterministic noise (independent of the game RNG: drawing never draws).

function hash(x: number, y: number, seed: number): number {
  let h = Math.imul(x, 374761393) ^ Math.imul(y, 668265263) ^ Math.imul(seed, 2246822519);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}

/** Value noise in 0..1 with lattice spacing 1. */
function valueNoise(x: number, y: number, seed: number): number {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const tx = smooth(x - xi);
  const ty = smooth(y - yi);
  const a = hash(xi, yi, seed);
  const b = hash(xi + 1, yi, seed);
  const c = hash(xi, yi + 1, seed);
  const d = hash(xi + 1, yi + 1, seed);
  return a + (b - a) * tx + (c - a) * ty + (a - b - c + d) * tx * ty;
}

/** Fractal noise in about 0..1. */
function fbm(x: number, y: number, seed: number, octaves: number): number {
  let sum = 0;
  let amplitude = 0.5;
  let total = 0;
  for (let o = 0; o < octaves; o++) {
    sum += valueNoise(x, y, seed + o * 101) * amplitude;
    total += amplitude;
    x *= 2;
    y *= 2;
    amplitude *= 0.5;
  }
  return sum / total;
}

class Canvas {
  readonly width: number;
  readonly rgb: Uint8Array;

  constructor(
    aspectRatio: number,
    readonly height: number,
  ) {
    this.width = Math.round(height * aspectRatio);
    this.rgb = new Uint8Array(this.width * this.height * 3);
  }

  /** Calls `color(u, v)` for every pixel; u is 0..aspect, v is 0..1 (top to bottom). */
  fill(color: (u: number, v: number) => Rgb | -1): void {
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) {
        const c = color((x + 0.5) / this.height, (y + 0.5) / this.height);
        if (c < 0) continue;
        const p = (y * this.width + x) * 3;
        this.rgb[p] = red(c);
        this.rgb[p + 1] = green(c);
        this.rgb[p + 2] = blue(c);
      }
    }
  }

  blend(color: Rgb, coverage: (u: number, v: number) => number): void {
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) {
        const a = coverage((x + 0.5) / this.height, (y + 0.5) / this.height);
        if (a <= 0) continue;
        const p = (y * this.width + x) * 3;
        const k = Math.min(1, a);
        this.rgb[p] = this.rgb[p]! + (red(color) - this.rgb[p]!) * k;
        this.rgb[p + 1] = this.rgb[p + 1]! + (green(color) - this.rgb[p + 1]!) * k;
        this.rgb[p + 2] = this.rgb[p + 2]! + (blue(color) - this.rgb[p + 2]!) * k;
      }
    }
  }

  /**
   * Fills, in each column, the band from `ridge(u)` down by `depth` (v units;
   * Infinity = to the bottom): skylines computed once per column, not per pixel.
   */
  fillBelow(color: Rgb, ridge: (u: number) => number, depth = Infinity): void {
    for (let x = 0; x < this.width; x++) {
      const top = ridge((x + 0.5) / this.height);
      const y0 = Math.max(0, Math.ceil(top * this.height - 0.5));
      const y1 = Math.min(this.height, Math.ceil((top + depth) * this.height - 0.5));
      for (let y = y0; y < y1; y++) {
        const p = (y * this.width + x) * 3;
        this.rgb[p] = red(color);
        this.rgb[p + 1] = green(color);
        this.rgb[p + 2] = blue(color);
      }
    }
  }

  /** A square dot of half-size `half` (in v units) centred at (u, v). */
  dot(u: number, v: number, half: number, color: Rgb): void {
    const x0 = Math.max(0, Math.floor((u - half) * this.height));
    const x1 = Math.min(this.width, Math.ceil((u + half) * this.height));
    const y0 = Math.max(0, Math.floor((v - half) * this.height));
    const y1 = Math.min(this.height, Math.ceil((v + half) * this.height));
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const p = (y * this.width + x) * 3;
        this.rgb[p] = red(color);
        this.rgb[p + 1] = green(color);
        this.rgb[p + 2] = blue(color);
      }
    }
  }

  picture(): Picture {
    return { width: this.width, height: this.height, rgb: this.rgb };
  }
}

/** Colour along a vertical gradient of stops (v = 0 top, 1 bottom). */
function gradient(stops: readonly Rgb[], v: number): Rgb {
  const t = Math.min(0.9999, Math.max(0, v)) * (stops.length - 1);
  const i = Math.floor(t);
  return mix(stops[i]!, stops[i + 1]!, t - i);
}

// ---------------------------------------------------------------------------
// Water: light surface at the top fading to the deep, with wave streaks.

const WATER_PALETTES: readonly (readonly Rgb[])[] = [
  [0xe8f8ff, 0x3fa9e6, 0x0b4fa8, 0x01123a],
  [0xd8fff4, 0x2fc7b4, 0x0a6e78, 0x02222a],
  [0xf2f0ff, 0x7d8cf0, 0x2b2f9e, 0x0a0630],
  [0xfff4d6, 0x59b8c9, 0x1d5f7a, 0x061a22],
  [0xe6ffe0, 0x5fbf7a, 0x1f6e4a, 0x051f14],
  [0xfde8f4, 0xb27fd8, 0x4a2a8a, 0x120628],
  [0xe0f0ff, 0x4f86c6, 0x284a7a, 0x0c1420],
];

function paintWater(index: number, height: number): Picture {
  const canvas = new Canvas(1 + (index % 4) * 0.22, height);
  const palette = WATER_PALETTES[index]!;
  const seed = 1000 + index;
  const stretch = 3 + (index % 3) * 2;
  canvas.fill((u, v) => {
    const n = fbm(u * 2, v * 2 * stretch, seed, 4);
    const waves = Math.sin((u * 3 + n * 4) * (2 + index * 0.3) + v * 40) * 0.5 + 0.5;
    const streak = Math.max(0, n - 0.5) * 3 * waves;
    const base = gradient(palette, v + (n - 0.5) * 0.25);
    return mix(base, palette[0]!, Math.min(1, streak * (1.2 - v)));
  });
  return canvas.picture();
}

// ---------------------------------------------------------------------------
// Space: dark sky, coloured nebula, stars, and on some pictures a planet.

const NEBULA_COLORS: readonly Rgb[] = [
  0x7a5cff, 0x2f8f4a, 0xc0396b, 0x2f6fd0, 0xd08a2f, 0x23a3a3, 0x9b2fd0, 0x8f8f2f, 0xd04f2f, 0x4f4fd0, 0x2fd08a, 0xa05030, 0x6080a0,
];
const PLANET_COLORS: readonly (readonly [Rgb, Rgb])[] = [
  [0x3a7be0, 0xc9b34a],
  [0xd0643a, 0x8a2f1f],
  [0x9ad0e0, 0xf0f0ff],
  [0x7a4fb0, 0x3a2060],
  [0x5fa05f, 0x2f6f8f],
];

function paintSpace(index: number, height: number): Picture {
  const canvas = new Canvas(1 + (index % 3) * 0.15, height);
  const seed = 2000 + index;
  const nebula = NEBULA_COLORS[index]!;
  const base = mix(0x000000, nebula, 0.08);
  const scale = 1.5 + (index % 4) * 0.7;
  canvas.fill((u, v) => {
    const n = fbm(u * scale, v * scale, seed, 5);
    const glow = Math.max(0, n - 0.45) * (1.4 + (index % 5) * 0.25);
    return mix(base, nebula, Math.min(0.85, glow));
  });
  const starCount = 220 + (index % 4) * 120;
  for (let s = 0; s < starCount; s++) {
    const sx = hash(s, 1, seed) * (canvas.width / canvas.height);
    const sy = hash(s, 2, seed);
    const size = 0.0012 + hash(s, 3, seed) ** 8 * 0.004;
    const brightness = 0.5 + hash(s, 4, seed) * 0.5;
    canvas.dot(sx, sy, size, mix(0x000000, 0xffffff, brightness));
  }
  if (index % 2 === 0) {
    const [light, band] = PLANET_COLORS[(index / 2) % PLANET_COLORS.length]!;
    const px = 0.3 + hash(index, 5, seed) * 0.6;
    const py = 0.35 + hash(index, 6, seed) * 0.5;
    const radius = 0.22 + hash(index, 7, seed) * 0.25;
    canvas.fill((u, v) => {
      const dx = (u - px) / radius;
      const dy = (v - py) / radius;
      const d = dx * dx + dy * dy;
      if (d > 1) return -1;
      const bands = fbm(u * 4, v * 14, seed + 7, 3);
      const surface = mix(light, band, Math.max(0, bands - 0.4) * 2);
      // Lit from the upper left.
      const shadow = Math.min(1, Math.max(0, (dx + dy) * 0.6 + 0.3));
      return mix(surface, 0x000008, shadow * 0.85);
    });
  }
  return canvas.picture();
}

// ---------------------------------------------------------------------------
// Platform scenes: 7 skies x 7 sceneries.

const SKIES: readonly (readonly Rgb[])[] = [
  [0x8fd3ff, 0xd8f1ff],
  [0xff9a6b, 0xffd9a0],
  [0x0b1a3d, 0x3a4f8a],
  [0xb9a8f0, 0xf0e6ff],
  [0x9ff0d8, 0xeafff6],
  [0xf0d27a, 0xfff3cf],
  [0x9aa4ad, 0xdfe4e8],
];
const GROUNDS: readonly Rgb[] = [0x4f9a3a, 0x8a5a3a, 0x2a3f5a, 0x6a5aa0, 0x2f8f6f, 0xc09a4a, 0x5a6a6a];

function paintPlatform(index: number, height: number): Picture {
  const sky = SKIES[index % 7]!;
  const scenery = Math.floor(index / 7);
  const ground = GROUNDS[(index + scenery) % 7]!;
  const canvas = new Canvas(1.2 + (index % 5) * 0.2, height);
  const seed = 3000 + index;
  canvas.fill((_u, v) => gradient(sky, v));
  const night = index % 7 === 2;
  // A sun (or moon) somewhere in the sky.
  const sunX = 0.2 + hash(index, 1, seed) * (canvas.width / canvas.height - 0.4);
  const sunY = 0.12 + hash(index, 2, seed) * 0.2;
  canvas.blend(night ? 0xf0f0d0 : 0xfff6c0, (u, v) => ((u - sunX) ** 2 + (v - sunY) ** 2 < 0.006 ? 1 : 0));
  const far = mix(ground, sky[1]!, 0.55);
  const near = ground;
  switch (scenery) {
    case 0: // rolling hills
      hills(canvas, far, 0.55, 0.08, 3, seed);
      hills(canvas, near, 0.7, 0.1, 2, seed + 1);
      break;
    case 1: // jagged mountains with snow caps
      mountains(canvas, far, 0.35, seed);
      mountains(canvas, near, 0.55, seed + 1);
      break;
    case 2: // forest of pines
      hills(canvas, far, 0.72, 0.04, 2, seed);
      pines(canvas, near, seed);
      break;
    case 3: // city towers
      towers(canvas, far, 0.45, seed);
      towers(canvas, near, 0.62, seed + 1);
      break;
    case 4: // cloudscape over a sea
      canvas.fillBelow(mix(ground, 0x2060c0, 0.6), () => 0.72);
      clouds(canvas, seed);
      break;
    case 5: // dunes
      hills(canvas, far, 0.6, 0.05, 5, seed);
      hills(canvas, mix(near, 0xf0d080, 0.5), 0.75, 0.07, 4, seed + 1);
      break;
    default: // floating islands
      clouds(canvas, seed);
      islands(canvas, near, seed);
      break;
  }
  return canvas.picture();
}

function hills(canvas: Canvas, color: Rgb, level: number, amplitude: number, frequency: number, seed: number): void {
  const phase = hash(seed, 9, seed) * 6.28;
  canvas.fillBelow(color, (u) => level + amplitude * Math.sin(u * frequency * 3.14 + phase) + (fbm(u * 4, 0, seed, 2) - 0.5) * 0.05);
}

function mountains(canvas: Canvas, color: Rgb, level: number, seed: number): void {
  const ridge = (u: number) => level + 0.35 * Math.abs(fbm(u * 3, 0.5, seed, 3) - 0.5) * 2 + 0.1 * (1 - fbm(u * 1.5, 1.5, seed, 1));
  canvas.fillBelow(color, ridge);
  // Snow caps on the high peaks only.
  canvas.fillBelow(0xf4f8ff, (u) => (ridge(u) < level + 0.2 ? ridge(u) : 2), 0.04);
}

function pines(canvas: Canvas, color: Rgb, seed: number): void {
  const count = 9;
  const span = canvas.width / canvas.height;
  for (let k = 0; k < count; k++) {
    const x = ((k + hash(k, 1, seed)) / count) * span;
    const height = 0.3 + hash(k, 2, seed) * 0.25;
    const width = height * 0.35;
    const top = 0.85 - height;
    const shade = mix(color, 0x0a2a10, hash(k, 3, seed) * 0.5);
    canvas.blend(shade, (u, v) => (v > top && v < 0.86 && Math.abs(u - x) < ((v - top) / height) * width ? 1 : 0));
  }
  canvas.fillBelow(color, () => 0.85);
}

function towers(canvas: Canvas, color: Rgb, level: number, seed: number): void {
  canvas.fillBelow(color, (u) => level + (hash(Math.floor(u * 14), 1, seed) - 0.5) * 0.3);
  canvas.blend(mix(color, 0xfff0a0, 0.6), (u, v) => {
    const column = Math.floor(u * 14);
    const top = level + (hash(column, 1, seed) - 0.5) * 0.3;
    const wx = (u * 14) % 1;
    const wy = (v * 40) % 1;
    return v > top + 0.03 && wx > 0.3 && wx < 0.6 && wy < 0.4 && hash(Math.floor(u * 56), Math.floor(v * 40), seed) > 0.6 ? 1 : 0;
  });
}

function clouds(canvas: Canvas, seed: number): void {
  canvas.blend(0xffffff, (u, v) => {
    const n = fbm(u * 3, v * 7, seed + 5, 4);
    return v < 0.7 ? (n - 0.55) * 4 : 0;
  });
}

function islands(canvas: Canvas, color: Rgb, seed: number): void {
  const span = canvas.width / canvas.height;
  for (let k = 0; k < 4; k++) {
    const x = (0.15 + k * 0.27 + hash(k, 4, seed) * 0.1) * span;
    const y = 0.35 + hash(k, 5, seed) * 0.4;
    const w = 0.08 + hash(k, 6, seed) * 0.08;
    canvas.blend(color, (u, v) => (v >= y && v < y + w * 1.2 && Math.abs(u - x) < w * (1 - (v - y) / (w * 1.2)) ? 1 : 0));
    canvas.blend(mix(color, 0x90ff70, 0.5), (u, v) => (v >= y - 0.015 && v < y + 0.01 && Math.abs(u - x) < w ? 1 : 0));
  }
}
