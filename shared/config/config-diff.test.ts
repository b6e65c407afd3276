import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from './experiment.ts';
import { differingKeys, flattenConfig, formatValue } from './config-diff.ts';

describe('config differences', () => {
  it('flattens a real config to dotted keys with arrays as values', () => {
    const flat = flattenConfig(parseExperimentConfig({ game: 'bigfish' }));
    expect(flat.get('distill.size')).toBe(150);
    expect(flat.get('expert.channels')).toEqual([16, 32, 32]);
    expect(flat.has('expert')).toBe(false);
  });

  it('lists only the keys that differ between configs', () => {
    const paper = flattenConfig(parseExperimentConfig({ game: 'bigfish' }));
    const small = flattenConfig(parseExperimentConfig({ game: 'bigfish', distill: { size: 50 }, expert: { channels: [8, 16, 16] } }));
    expect(differingKeys([paper, small])).toEqual(['expert.channels', 'distill.size']);
    expect(differingKeys([small, small])).toEqual([]);
    expect(formatValue([8, 16, 16])).toBe('[8,16,16]');
  });
});
