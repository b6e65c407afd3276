import { describe, expect, it } from 'vitest';
import { formatEpisodeRef, parseEpisodeRef } from './episode-ref.ts';

describe('episode references', () => {
  it('round-trips evaluation and dataset episodes', () => {
    expect(parseEpisodeRef(formatEpisodeRef({ source: 'eval', modelId: 4, split: 'ood', idx: 2 }))).toEqual({
      source: 'eval',
      modelId: 4,
      split: 'ood',
      idx: 2,
    });
    expect(parseEpisodeRef('d.2.7')).toEqual({ source: 'dataset', datasetId: 2, idx: 7 });
  });

  it('rejects text that names no episode', () => {
    for (const bad of [undefined, '', 'e.1.test.0', 'd.x.1', 'e.1.id', 'q.1.2']) expect(parseEpisodeRef(bad)).toBeNull();
  });
});
