import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '@shared/config/experiment.ts';
import { applyAssignments, parseAssignment } from '@shared/config/overrides.ts';
import { presetConfig } from '@shared/config/presets.ts';
import { duplicateOf } from './duplicate-run.ts';

describe('duplicate and edit', () => {
  it('starts from the closest preset with exactly the differing fields, which give the config back', () => {
    const config = parseExperimentConfig(applyAssignments(presetConfig('quick-starpilot'), [parseAssignment('distill.size=50'), parseAssignment('seed=3')]));
    const copy = duplicateOf(config);
    expect(copy).toEqual({ preset: 'quick-starpilot', edits: { seed: '3', 'distill.size': '50' } });
    const rebuilt = parseExperimentConfig(
      applyAssignments(
        presetConfig(copy.preset),
        Object.entries(copy.edits).map(([k, v]) => parseAssignment(`${k}=${v}`)),
      ),
    );
    expect(rebuilt).toEqual(config);
  });

  it('keeps list and enum values as the form types them', () => {
    const config = parseExperimentConfig(
      applyAssignments(presetConfig('paper-jumper'), [parseAssignment('distill.controls=["kcenter-frames"]'), parseAssignment('distill.variant=dm')]),
    );
    expect(duplicateOf(config)).toEqual({ preset: 'paper-jumper', edits: { 'distill.variant': 'dm', 'distill.controls': '["kcenter-frames"]' } });
  });
});
