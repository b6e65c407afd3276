import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '@shared/config/experiment.ts';
import { presetConfig } from '@shared/config/presets.ts';
import { differingKeys, flattenConfig, formatValue } from './config-diff.ts';

describe('config differences', () => {
  it('flattens a real config to dotted keys with arrays as values', () => {
    const flat = flattenConfig(parseExperimentConfig({ game: 'bigfish' }));
    expect(flat.get('distill.size')).toBe(150);
    expect(flat.get('expert.channels')).toEqual([16, 32, 32]);
    expect(flat.has('expert')).toBe(false);
  });

  it('lists only the keys that differ between configs', () => {
    const quick = flattenConfig(parseExperimentConfig(presetConfig('quick-bigfish')));
    const paper = flattenConfig(parseExperimentConfig(presetConfig('paper-bigfish')));
    const keys = differingKeys([paper, quick]);
    expect(keys).toContain('collect.episodes');
    expect(keys).toContain('expert.channels');
    expect(keys).not.toContain('game');
    expect(differingKeys([quick, quick])).toEqual([]);
    expect(formatValue([8, 16, 16])).toBe('[8,16,16]');
  });
});
