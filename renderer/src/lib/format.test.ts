import { describe, expect, it } from 'vitest';
import { formatUtc } from './format.ts';

describe('formatUtc', () => {
  it('shows an ISO time in UTC to the second', () => {
    expect(formatUtc('2026-11-25T06:08:21.387Z')).toBe('2026-11-25 06:08:21 UTC');
  });

  it('passes through a value that is not a time rather than showing "Invalid Date"', () => {
    expect(formatUtc('unknown')).toBe('unknown');
  });
});
