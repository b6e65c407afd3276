/**
 * The window's size and place, remembered between starts in a small JSON file
 * beside Electron's other user data. Pure of Electron so it is tested in Node:
 * main.ts passes the displays' work areas.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface Bounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowState {
  readonly bounds: Bounds;
  readonly maximized: boolean;
}

const isBounds = (v: unknown): v is Bounds =>
  typeof v === 'object' && v !== null && ['x', 'y', 'width', 'height'].every((k) => Number.isFinite((v as Record<string, unknown>)[k]));

/** The stored state, or null when there is none or it is unreadable (the window then opens at its default size). */
export function readWindowState(path: string): WindowState | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { bounds?: unknown; maximized?: unknown };
    return isBounds(parsed.bounds) ? { bounds: parsed.bounds, maximized: parsed.maximized === true } : null;
  } catch {
    return null;
  }
}

export function writeWindowState(path: string, state: WindowState): void {
  writeFileSync(path, JSON.stringify(state));
}

/**
 * The stored bounds if at least 100 x 60 pixels of the window's top lie on a
 * display now (a monitor unplugged since must not leave it off screen),
 * shrunk to that display's work area; else null.
 */
export function placeOnScreen(bounds: Bounds, workAreas: readonly Bounds[], min: { width: number; height: number }): Bounds | null {
  const area = workAreas.find(
    (a) =>
      Math.min(bounds.x + bounds.width, a.x + a.width) - Math.max(bounds.x, a.x) >= 100 &&
      Math.min(bounds.y + 60, a.y + a.height) - Math.max(bounds.y, a.y) >= 60,
  );
  if (!area) return null;
  const width = Math.max(min.width, Math.min(bounds.width, area.width));
  const height = Math.max(min.height, Math.min(bounds.height, area.height));
  return {
    x: Math.max(area.x, Math.min(bounds.x, area.x + area.width - width)),
    y: Math.max(area.y, Math.min(bounds.y, area.y + area.height - height)),
    width,
    height,
  };
}
