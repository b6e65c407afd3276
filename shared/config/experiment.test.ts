import { describe, expect, it } from 'vitest';
import { flattenConfig } from './config-diff.ts';
import { ConfigError, parseExperimentConfig, resolveFlatConfig, STUDENT_LEARNING_RATES } from './experiment.ts';
import { applyAssignments, configKeys, expandSweeps, parseAssignment, parseSweep } from './overrides.ts';
import { PRESET_NAMES, presetConfig } from './presets.ts';

describe('experiment config', () => {
  it('defaults to the paper protocol', () => {
    const config = parseExperimentConfig({ game: 'starpilot' });
    expect(config.trainLevels).toEqual({ startLevel: 100, numLevels: 200 });
    expect(config.collect.episodes).toBe(100);
    expect(config.distill).toMatchObject({ variant: 'paper', size: 150, learningRate: 0.1, momentum: 0.5, realBatch: 75 });
    expect(config.baselines.percentiles).toEqual([100, 40, 25, 10]);
    expect(config.students.count).toBe(10);
    expect(config.students.bc).toMatchObject({ learningRate: null, loss: 'mse' });
    expect(STUDENT_LEARNING_RATES.student).toBe(0.005);
    expect(config.evaluate).toMatchObject({ episodesId: 100, episodesOod: 100, greedy: false });
    expect(config.expert.ppo).toMatchObject({ numEnvs: 64, rolloutSteps: 256, gamma: 0.999, learningRate: 5e-4 });
  });

  it("resolves a null student learning rate to the network's own, for comparing configs", () => {
    const flat = (input: Record<string, unknown>) => resolveFlatConfig(flattenConfig(parseExperimentConfig({ game: 'bigfish', ...input })));
    expect(flat({}).get('students.bc.learningRate')).toBe(0.005);
    expect(flat({ students: { network: 'impala' } }).get('students.bc.learningRate')).toBe(0.001);
    // An explicit rate stays; every other key is untouched.
    expect(flat({ students: { bc: { learningRate: 0.02 } } }).get('students.bc.learningRate')).toBe(0.02);
    const plain = flattenConfig(parseExperimentConfig({ game: 'bigfish' }));
    const resolved = resolveFlatConfig(new Map(plain));
    expect([...resolved.keys()]).toEqual([...plain.keys()]);
    expect([...resolved].filter(([key, value]) => plain.get(key) !== value).map(([key]) => key)).toEqual(['students.bc.learningRate']);
  });

  it('names the field and the allowed range of every bad value', () => {
    const attempt = () => parseExperimentConfig({ game: 'pong', distill: { size: 10, learningRate: -1 }, students: { bc: { loss: 'hinge' } } });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(/game: expected one of bigfish, starpilot, jumper/);
    expect(message).toMatch(/distill\.learningRate: must be greater than 0/);
    expect(message).toMatch(/students\.bc\.loss: expected one of mse, mae, cross-entropy/);
  });

  it('refuses a synthetic set smaller than the number of actions', () => {
    expect(() => parseExperimentConfig({ game: 'jumper', distill: { size: 14 } })).toThrow(/distill\.size: must be at least 15/);
  });

  it('refuses unknown keys', () => {
    expect(() => parseExperimentConfig({ game: 'jumper', distil: {} })).toThrow(/distil/);
  });

  it('refuses advantage imitation from targets that keep no score gaps (temperature 0), naming both fields', () => {
    const config = { game: 'bigfish', expert: { source: 'dagger', imitation: { loss: 'advantage' }, planner: { targetTemperature: 0 } } };
    expect(() => parseExperimentConfig(config)).toThrow(/expert\.imitation\.loss.*expert\.planner\.targetTemperature=0/s);
    expect(parseExperimentConfig({ ...config, expert: { ...config.expert, planner: { targetTemperature: 0.03 } } }).expert.imitation.loss).toBe('advantage');
  });

  it('requires a run id when the expert is reused', () => {
    expect(() => parseExperimentConfig({ game: 'jumper', expert: { source: 'reuse' } })).toThrow(/expert\.reuseRunId/);
  });
});

describe('presets', () => {
  it('has a paper and a quick preset per game, all valid', () => {
    for (const game of ['bigfish', 'starpilot', 'jumper']) {
      expect(PRESET_NAMES).toContain(`paper-${game}`);
      expect(PRESET_NAMES).toContain(`quick-${game}`);
    }
    for (const name of PRESET_NAMES) expect(() => parseExperimentConfig(presetConfig(name))).not.toThrow();
  });

  it("keeps the paper's protocol in the paper presets (only the expert and the students' steps differ)", () => {
    for (const preset of ['paper-bigfish', 'paper-starpilot', 'paper-jumper', 'paper-ppo-bigfish', 'paper-ppo-starpilot', 'paper-ppo-jumper']) {
      const c = parseExperimentConfig(presetConfig(preset));
      expect(c.trainLevels).toEqual({ startLevel: 100, numLevels: 200 });
      expect(c.expert.source).toBe(preset.startsWith('paper-ppo-') ? 'ppo' : 'dagger');
      if (c.expert.source === 'dagger') expect(c.expert.planner.foresight).toBe('sampled');
      expect(c.collect).toMatchObject({ episodes: 100, actor: 'expert-network', temperature: 1, epsilon: 0 });
      expect(c.baselines.percentiles).toEqual([100, 40, 25, 10]);
      expect(c.distill).toMatchObject({
        variant: 'paper',
        size: 150,
        allocation: 'balanced',
        iterations: 1000,
        realBatch: 75,
        learningRate: 0.1,
        momentum: 0.5,
        loss: 'mse',
      });
      expect(c.students.count).toBe(10);
      expect(c.students.bc).toMatchObject({ learningRate: null, loss: 'mse' });
      expect(c.evaluate).toEqual({ episodesId: 100, episodesOod: 100, greedy: false, greedyRows: false, ensembleRows: false });
      // Beyond the paper: its synthetic set comes with all four coreset controls.
      expect(c.distill.controls).toEqual(['random-frames', 'random-frames-soft', 'kcenter-frames', 'kcenter-frames-soft']);
    }
  });

  it('lists the presets when the name is unknown', () => {
    expect(() => presetConfig('paper-pong')).toThrow(/Unknown preset 'paper-pong': valid presets are paper-bigfish/);
    for (const inherited of ['constructor', 'toString', '__proto__']) expect(() => presetConfig(inherited)).toThrow(`Unknown preset '${inherited}'`);
  });

  it('hands out copies', () => {
    const a = presetConfig('quick-bigfish');
    (a as { seed?: number }).seed = 99;
    expect((presetConfig('quick-bigfish') as { seed?: number }).seed).toBeUndefined();
  });
});

describe('--set overrides', () => {
  it('reads JSON values, bare lists of numbers and plain strings', () => {
    const input = applyAssignments(presetConfig('paper-bigfish'), [
      parseAssignment('distill.size=50'),
      parseAssignment('distill.variant=dc'),
      parseAssignment('evaluate.greedy=true'),
      parseAssignment('baselines.percentiles=[100,50]'),
      parseAssignment('students.channels=8, 16,16'),
    ]);
    const config = parseExperimentConfig(input);
    expect(config.students.channels).toEqual([8, 16, 16]);
    expect(config.distill.size).toBe(50);
    expect(config.distill.variant).toBe('dc');
    expect(config.evaluate.greedy).toBe(true);
    expect(config.baselines.percentiles).toEqual([100, 50]);
    expect(config.game).toBe('bigfish');
  });

  it('names the valid keys when a key is unknown', () => {
    expect(() => parseAssignment('distill.sise=50')).toThrow(/Unknown setting 'distill.sise': valid keys under 'distill' are distill.variant, distill.size/);
    expect(() => parseAssignment('nope=1')).toThrow(/valid keys are game, mode, seed/);
    expect(() => parseAssignment('distill=1')).toThrow(/is a group/);
    expect(() => parseAssignment('distill.size')).toThrow(/write key=value/);
  });

  it('lets validation catch bad values', () => {
    const input = applyAssignments(presetConfig('quick-jumper'), [parseAssignment('students.count=zero')]);
    expect(() => parseExperimentConfig(input)).toThrow(/students\.count: expected a whole number/);
  });

  it('lists every settable key', () => {
    expect(configKeys()).toEqual(expect.arrayContaining(['game', 'distill.size', 'students.bc.learningRate', 'expert.ppo.gamma']));
  });
});

describe('sweeps', () => {
  it('expands the cartesian product of its keys, each point validated', () => {
    const points = expandSweeps(presetConfig('quick-starpilot'), [parseSweep('distill.size=15,50,150'), parseSweep('seed=0,1')]);
    expect(points.map((p) => [p.config.distill.size, p.config.seed])).toEqual([
      [15, 0],
      [15, 1],
      [50, 0],
      [50, 1],
      [150, 0],
      [150, 1],
    ]);
    expect(points[3]!.label).toBe('distill.size=50 seed=1');
  });

  it('fails before any run when one value is invalid', () => {
    expect(() => expandSweeps(presetConfig('quick-starpilot'), [parseSweep('distill.size=150,5')])).toThrow(/distill\.size/);
  });

  it('refuses an empty sweep', () => {
    expect(() => parseSweep('seed=')).toThrow(/has no values/);
  });
});
