import { describe, expect, it } from 'vitest';
import { rateLimited } from './rate-limited-log.ts';

describe('a rate-limited log', () => {
  it('writes at most N lines per window and reports how many it dropped when the next window starts', () => {
    const lines: string[] = [];
    let time = 0;
    const log = rateLimited(
      (line) => lines.push(line),
      2,
      60_000,
      () => time,
    );
    for (let i = 0; i < 1000; i++) log(`refused ${i}`);
    expect(lines).toEqual(['refused 0', 'refused 1']);
    time = 60_000;
    log('refused again');
    expect(lines.slice(2)).toEqual(['(998 similar lines were not logged in the last 60 s)', 'refused again']);
  });
});
