import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration.ts';

describe('formatDuration', () => {
  it('writes seconds, minutes or hours, whichever reads best', () => {
    expect(formatDuration(0.04)).toBe('0.0 s');
    expect(formatDuration(4.24)).toBe('4.2 s');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(90)).toBe('1.5 min');
    expect(formatDuration(1620)).toBe('27.0 min');
    expect(formatDuration(7560)).toBe('2.1 h');
  });

  it('writes a negative duration (a clock that stepped back) as none', () => {
    expect(formatDuration(-3)).toBe('0.0 s');
  });
});
