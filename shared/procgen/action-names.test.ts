import { describe, expect, it } from 'vitest';
import { actionGlyph, actionName } from './action-names.ts';

describe('action names', () => {
  it("names Procgen's move combos in action order", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((a) => actionName('bigfish', a))).toEqual([
      'LEFT+DOWN',
      'LEFT',
      'LEFT+UP',
      'DOWN',
      'NOOP',
      'UP',
      'RIGHT+DOWN',
      'RIGHT',
      'RIGHT+UP',
    ]);
  });

  it('names the special keys by what they do in each game', () => {
    expect(actionName('starpilot', 9)).toBe('FIRE (D)');
    expect(actionName('starpilot', 10)).toBe('FIRE BACK');
    expect(actionName('bigfish', 14)).toBe('NOOP (E)');
    expect(actionGlyph(7)).toBe('→');
    expect(actionGlyph(12)).toBe('S');
  });
});
