import { describe, expect, it } from 'vitest';
import { configKeys } from '@shared/config/overrides.ts';
import { CONFIG_FIELDS, describeRange, sectionOf } from './config-fields.ts';

const field = (key: string) => CONFIG_FIELDS.find((f) => f.key === key)!;

describe('config fields from the schema', () => {
  it('has one field per key that --set accepts', () => {
    expect(CONFIG_FIELDS.map((f) => f.key).sort()).toEqual(configKeys().sort());
  });

  it('reads kinds, ranges and choices from the schema', () => {
    expect(field('distill.size')).toMatchObject({ kind: 'int', min: 1, max: 100_000 });
    expect(field('distill.learningRate')).toMatchObject({ kind: 'real', max: 1e6 });
    expect(field('game')).toMatchObject({ kind: 'enum', options: ['bigfish', 'starpilot', 'jumper'] });
    expect(field('evaluate.greedy').kind).toBe('bool');
    expect(field('expert.channels')).toMatchObject({ kind: 'int-list', min: 1, max: 256 });
    expect(field('distill.controls')).toMatchObject({
      kind: 'enum-list',
      options: ['random-frames', 'random-frames-soft', 'kcenter-frames', 'kcenter-frames-soft'],
    });
    expect(describeRange(field('distill.controls'))).toBe('list of random-frames | random-frames-soft | kcenter-frames | kcenter-frames-soft');
    expect(field('expert.reuseRunId')).toMatchObject({ kind: 'int', nullable: true });
    expect(describeRange(field('collect.epsilon'))).toBe('number 0..1');
    expect(sectionOf('students.bc.steps')).toBe('students');
    expect(sectionOf('seed')).toBe('run');
  });
});
