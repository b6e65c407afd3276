import { describe, expect, it } from 'vitest';
import { createGame } from '@shared/procgen/games/index.ts';
import { FAST_FLYER, FLYER, type StarPilot } from '@shared/procgen/games/starpilot.ts';
import { Planner, searchTargets, type PlannerOptions } from './planner.ts';
import { parseExperimentConfig } from '@shared/config/experiment.ts';

/** The planner's return on each level, played to the end. */
function plannerReturns(game: 'bigfish' | 'starpilot' | 'jumper', levels: number[]): number[] {
  const planner = new Planner(game, 'easy', { ...ORACLE, horizon: 16, rollouts: 2 }, 1);
  const g = createGame(game, 'easy');
  return levels.map((level) => {
    g.resetLevel(level);
    planner.reset();
    let total = 0;
    do {
      g.step(planner.act(g));
      total += g.reward;
    } while (!g.done);
    return total;
  });
}

const ORACLE: PlannerOptions = { horizon: 16, rollouts: 2, foresight: 'oracle', futures: 1 };

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe('search planner', () => {
  // Random policies score about 1.0 (bigfish), 1.6 (starpilot) and 3.3 (jumper): reference/procgen-measured.md.
  it('reaches the goal of every jumper level tried', () => {
    expect(plannerReturns('jumper', [100, 101, 102, 103])).toEqual([10, 10, 10, 10]);
  });

  it('plays bigfish and starpilot far above a random policy', () => {
    expect(mean(plannerReturns('bigfish', [100, 101, 102]))).toBeGreaterThan(20);
    expect(mean(plannerReturns('starpilot', [100, 101]))).toBeGreaterThan(30);
  });

  it('leaves the state it plans from untouched', () => {
    const g = createGame('bigfish', 'easy');
    g.resetLevel(5);
    const before = JSON.stringify([g.curTime, g.agent.x, g.agent.y, g.entities.count, Array.from(g.grid.slice(0, 50))]);
    new Planner('bigfish', 'easy', { ...ORACLE, horizon: 8 }, 0).act(g);
    new Planner('bigfish', 'easy', { ...ORACLE, horizon: 8, foresight: 'sampled', futures: 3 }, 0).act(g);
    expect(JSON.stringify([g.curTime, g.agent.x, g.agent.y, g.entities.count, Array.from(g.grid.slice(0, 50))])).toBe(before);
  });
});

describe('what the planner can see', () => {
  /**
   * Two bigfish states that look the same (same entities, same frame) but whose random
   * generators differ, so different fish will spawn next. The oracle's scores differ (it
   * sees those spawns); the sampled-futures planner's are identical (it cannot).
   */
  function twinStates(): [ReturnType<typeof createGame>, ReturnType<typeof createGame>] {
    const a = createGame('bigfish', 'easy');
    a.resetLevel(7);
    for (let t = 0; t < 30; t++) a.step(4);
    const b = a.clone();
    b.rng.seed(123456);
    return [a, b];
  }

  it('the oracle sees a spawn the sampled-futures planner cannot', () => {
    const [a, b] = twinStates();
    const scoresOf = (options: PlannerOptions, state: ReturnType<typeof createGame>) => {
      const planner = new Planner('bigfish', 'easy', options, 5);
      planner.act(state);
      return Array.from(planner.scores);
    };
    const oracle = { ...ORACLE, horizon: 40, rollouts: 3 };
    expect(scoresOf(oracle, a)).not.toEqual(scoresOf(oracle, b));
    const sampled: PlannerOptions = { ...oracle, foresight: 'sampled', futures: 3 };
    expect(scoresOf(sampled, a)).toEqual(scoresOf(sampled, b));
  });

  it("the oracle sees starpilot's enemy schedule and when enemies on screen will fire; the sampled-futures planner sees neither", () => {
    const a = createGame('starpilot', 'easy') as StarPilot;
    a.resetLevel(7);
    for (let t = 0; t < 40; t++) a.step(4);
    const scoresOf = (options: PlannerOptions, state: StarPilot) => {
      const planner = new Planner('starpilot', 'easy', options, 5);
      planner.act(state);
      return Array.from(planner.scores);
    };
    // The same screen, no enemy left to come.
    const noneToCome = a.clone() as StarPilot;
    noneToCome.spawners.clear();
    // The same screen, every enemy on it that has not fired yet firing next step.
    const firingNow = a.clone() as StarPilot;
    let shooters = 0;
    for (const m of firingNow.entities.items.slice(0, firingNow.entities.count)) {
      if ((m.type === FLYER || m.type === FAST_FLYER) && m.fireTime > firingNow.curTime - m.spawnTime) {
        m.fireTime = firingNow.curTime - m.spawnTime + 1;
        shooters++;
      }
    }
    expect(shooters).toBeGreaterThan(0);
    const oracle = { ...ORACLE, horizon: 40, rollouts: 3 };
    const sampled: PlannerOptions = { ...oracle, foresight: 'sampled', futures: 3 };
    for (const twin of [noneToCome, firingNow]) {
      expect(scoresOf(oracle, twin)).not.toEqual(scoresOf(oracle, a));
      expect(scoresOf(sampled, twin)).toEqual(scoresOf(sampled, a));
    }
  });

  it('the sampled-futures planner still plays far above a random policy', () => {
    const planner = new Planner('bigfish', 'easy', { horizon: 16, rollouts: 2, foresight: 'sampled', futures: 4 }, 1);
    const g = createGame('bigfish', 'easy');
    let total = 0;
    g.resetLevel(100);
    do {
      g.step(planner.act(g));
      total += g.reward;
    } while (!g.done);
    expect(total).toBeGreaterThan(15);
  });
});

describe('search targets', () => {
  const actions = [1, 4, 7, 9];
  const targetsOf = (scores: number[], temperature: number) => {
    const out = new Float32Array(15).fill(-1);
    searchTargets(Float64Array.from(scores), actions, temperature, out);
    return out;
  };

  it('are distributions over the distinct actions, with equal scores getting equal mass', () => {
    for (const temperature of [0, 0.1, 1, 10]) {
      const t = targetsOf([2, 5, 5, 1], temperature);
      expect(t.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(Math.min(...t)).toBeGreaterThanOrEqual(0);
      expect(t[4]).toBe(t[7]);
      expect(t[0]).toBe(0); // a duplicate of a distinct action gets no mass
      expect(t[4]!).toBeGreaterThan(t[1]!);
    }
  });

  it('at temperature 0 split the mass equally over the best actions only', () => {
    expect(Array.from(targetsOf([2, 5, 5, 1], 0)).filter((p) => p > 0)).toEqual([0.5, 0.5]);
  });

  it('flatten as the temperature grows', () => {
    const sharp = targetsOf([0, 1, 0, 0], 0.1);
    const flat = targetsOf([0, 1, 0, 0], 10);
    expect(sharp[4]!).toBeGreaterThan(0.99);
    expect(flat[4]!).toBeLessThan(0.3);
  });

  it('refuse a negative temperature', () => {
    expect(() => targetsOf([1, 2, 3, 4], -0.5)).toThrow(/temperature -0.5 is invalid: use 0/);
  });
});

describe('planner and DAgger settings', () => {
  const bad = (expert: object) => () => parseExperimentConfig({ game: 'bigfish', expert: { source: 'dagger', ...expert } });

  it('name the field and its range', () => {
    expect(bad({ dagger: { rounds: 0 } })).toThrow(/expert\.dagger\.rounds: must be at least 1/);
    expect(bad({ planner: { targetTemperature: -1 } })).toThrow(/expert\.planner\.targetTemperature: must be at least 0/);
    expect(bad({ planner: { horizon: 0 } })).toThrow(/expert\.planner\.horizon: must be at least 1 \(steps looked ahead per decision\)/);
    expect(bad({ planner: { foresight: 'psychic' } })).toThrow(/expert\.planner\.foresight: expected sampled or oracle/);
  });

  it('are checked by the planner itself too', () => {
    expect(() => new Planner('jumper', 'easy', { ...ORACLE, horizon: 0 }, 0)).toThrow(
      /expert\.planner\.horizon 0 is invalid: use a whole number of steps 1\.\.1000/,
    );
  });
});
