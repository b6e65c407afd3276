import { describe, expect, it } from 'vitest';
import { formatDuration, formatUtc } from './format.ts';

describe('formatUtc', () => {
  it('shows an ISO time in UTC to the second', () => {
    expect(formatUtc('2026-11-25T06:08:21.387Z')).toBe('2026-11-25 06:08:21 UTC');
  });

  it('passes through a value that is not a time rather than showing "Invalid Date"', () => {
    expect(formatUtc('unknown')).toBe('unknown');
  });
});

describe('formatDuration', () => {
  it('writes seconds, minutes or hours, whichever reads best', () => {
    expect(formatDuration(0.04)).toBe('0.0 s');
    expect(formatDuration(4.24)).toBe('4.2 s');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(90)).toBe('1.5 min');
    expect(formatDuration(1620)).toBe('27.0 min');
    expect(formatDuration(7560)).toBe('2.1 h');
  });
});
