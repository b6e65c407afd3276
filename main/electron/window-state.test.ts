import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { placeOnScreen, readWindowState, writeWindowState } from './window-state.ts';

const dir = mkdtempSync(join(tmpdir(), 'ddrl-window-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const min = { width: 900, height: 560 };
const screen = { x: 0, y: 0, width: 1920, height: 1040 };

describe('window state', () => {
  it('writes and reads the bounds back, and reads nothing from a missing or broken file', () => {
    const path = join(dir, 'window-state.json');
    expect(readWindowState(path)).toBeNull();
    writeWindowState(path, { bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true });
    expect(readWindowState(path)).toEqual({ bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true });
    writeFileSync(path, '{"bounds": {"x": "left"}}');
    expect(readWindowState(path)).toBeNull();
    writeFileSync(path, 'not json');
    expect(readWindowState(path)).toBeNull();
  });

  it('keeps bounds on a display, fits them into it, and drops them when that display is gone', () => {
    expect(placeOnScreen({ x: 100, y: 80, width: 1200, height: 800 }, [screen], min)).toEqual({ x: 100, y: 80, width: 1200, height: 800 });
    // Larger than the screen: shrunk to it, moved onto it.
    expect(placeOnScreen({ x: 1500, y: 0, width: 2500, height: 1400 }, [screen], min)).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
    // On a second monitor that was unplugged.
    expect(placeOnScreen({ x: 2200, y: 100, width: 1200, height: 800 }, [screen], min)).toBeNull();
    expect(placeOnScreen({ x: 2200, y: 100, width: 1200, height: 800 }, [screen, { x: 1920, y: 0, width: 1920, height: 1080 }], min)).toEqual({
      x: 2200,
      y: 100,
      width: 1200,
      height: 800,
    });
  });
});
