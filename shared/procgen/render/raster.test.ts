import { describe, expect, it } from 'vitest';
import { copyBlock, createSurface, drawLine, drawSprite, fillEllipse, fillRect, Shape, type Surface } from './raster.ts';
import { SpriteBuilder } from './sprite.ts';

function surface(width: number, height: number): Surface {
  return createSurface(new Uint8Array(width * height * 3), 0, width, height);
}

/** Pixels whose red channel equals `value`, as "x,y" strings. */
function pixelsWithRed(s: Surface, value: number): string[] {
  const found: string[] = [];
  for (let y = 0; y < s.height; y++) for (let x = 0; x < s.width; x++) if (s.memory[s.offset + y * s.stride + x * 3] === value) found.push(`${x},${y}`);
  return found;
}

describe('raster', () => {
  it('fills exactly the pixels whose centres lie in the rect, clipped to the surface', () => {
    const s = surface(6, 4);
    fillRect(s, new Shape().rect(0.6, 0.4, 2.5, 1.6), 0xff0000);
    // Centres 0.5, 1.5, 2.5...: x in {1} (0.5 < 0.6 and 2.5 is not < 2.5), y in {0, 1}.
    expect(pixelsWithRed(s, 255)).toEqual(['1,0', '1,1']);
    fillRect(s, new Shape().rect(2.5, 0, 4.49, 1), 0x800000);
    expect(pixelsWithRed(s, 128)).toEqual(['2,0', '3,0']);
    const clipped = surface(4, 4);
    fillRect(clipped, new Shape().rect(-10, 2, 100, 100), 0xff0000);
    expect(pixelsWithRed(clipped, 255)).toHaveLength(8);
  });

  it('blends with alpha', () => {
    const s = surface(1, 1);
    fillRect(s, new Shape().rect(0, 0, 1, 1), 0xc8c8c8);
    const half = new Shape().rect(0, 0, 1, 1);
    half.alpha = 0.5;
    fillRect(s, half, 0x000000);
    expect([...s.memory]).toEqual([100, 100, 100]);
  });

  it('draws a sprite mirrored and rotated a quarter turn clockwise', () => {
    // A 2x2 sprite: red top-left, green top-right, blue bottom-left, white bottom-right.
    const sprite = new SpriteBuilder(2, 2)
      .rect(0, 0, 0.5, 0.5, 0xff0000)
      .rect(0.5, 0, 1, 0.5, 0x00ff00)
      .rect(0, 0.5, 0.5, 1, 0x0000ff)
      .rect(0.5, 0.5, 1, 1, 0xffffff).sprite;
    const at = (s: Surface, x: number, y: number) => [...s.memory.subarray(y * s.stride + x * 3, y * s.stride + x * 3 + 3)];
    const plain = surface(2, 2);
    drawSprite(plain, sprite, new Shape().rect(0, 0, 2, 2));
    expect(at(plain, 0, 0)).toEqual([255, 0, 0]);
    const mirrored = surface(2, 2);
    const flip = new Shape().rect(0, 0, 2, 2);
    flip.mirrored = true;
    drawSprite(mirrored, sprite, flip);
    expect(at(mirrored, 0, 0)).toEqual([0, 255, 0]);
    const rotated = surface(2, 2);
    const turn = new Shape().rect(0, 0, 2, 2);
    turn.rotation = Math.PI / 2;
    drawSprite(rotated, sprite, turn);
    // Clockwise: the top-left texel moves to the top-right, bottom-left to top-left.
    expect(at(rotated, 1, 0)).toEqual([255, 0, 0]);
    expect(at(rotated, 0, 0)).toEqual([0, 0, 255]);
  });

  it('leaves transparent sprite texels untouched', () => {
    const sprite = new SpriteBuilder(4, 4).ellipse(0.5, 0.5, 0.2, 0.2, 0xff0000).sprite;
    const s = surface(4, 4);
    fillRect(s, new Shape().rect(0, 0, 4, 4), 0x0a0a0a);
    drawSprite(s, sprite, new Shape().rect(0, 0, 4, 4));
    expect(pixelsWithRed(s, 255)).toEqual(['1,1', '2,1', '1,2', '2,2']);
    expect(pixelsWithRed(s, 10)).toHaveLength(12);
  });

  it('fills an ellipse inside its rect and draws a line between its ends', () => {
    const s = surface(9, 9);
    fillEllipse(s, new Shape().rect(0, 0, 9, 9), 0xff0000);
    const inside = pixelsWithRed(s, 255);
    expect(inside).toContain('4,4');
    expect(inside).not.toContain('0,0');
    expect(inside).toContain('0,4');
    const line = surface(5, 5);
    const segment = new Shape().rect(0.5, 2.5, 4.5, 2.5);
    segment.thickness = 1;
    drawLine(line, segment, 0xff0000);
    expect(pixelsWithRed(line, 255)).toEqual(['0,2', '1,2', '2,2', '3,2', '4,2']);
  });

  it('copies blocks between surfaces of one memory', () => {
    const memory = new Uint8Array(2 * 4 * 4 * 3);
    const a = createSurface(memory, 0, 4, 4);
    const b = createSurface(memory, 48, 4, 4);
    fillRect(b, new Shape().rect(2, 2, 4, 4), 0xff0000);
    copyBlock(b, 1, 1, a, 0, 0, 3, 3);
    expect(pixelsWithRed(a, 255)).toEqual(['1,1', '2,1', '1,2', '2,2']);
    expect(() => createSurface(memory, 80, 4, 4)).toThrow(/does not fit in 96 bytes/);
  });
});
