import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDistribution } from '@shared/api/inspect.ts';
import { parseExperimentConfig } from '@shared/config/experiment.ts';
import { runCaptured } from '../run-captured.ts';
import { initBackend } from '../../learning/backend.ts';
import { studentNetwork } from '../../learning/nets/student.ts';
import { createTrainable, weightsOf } from '../../learning/nets/trainable.ts';
import { Random } from '../../learning/random.ts';
import { playEpisodes, type PlayedEpisode } from '../../learning/train/episodes.ts';
import { randomPolicySource, saveRandomPolicy } from '../../pipeline/random-policy.ts';
import { saveDataset } from '../../storage/datasets.ts';
import { saveEvalEpisodes } from '../../storage/evaluations.ts';
import { saveModel } from '../../storage/models.ts';
import { thisProcess } from '../../storage/run-owner.ts';
import { createExperiment, setRunDataset } from '../../storage/runs.ts';
import { startServices, type AppServices } from '../../services/app-services.ts';

let dir: string;
let dbPath: string;
let services: AppServices;
let studentId: number;
let randomId: number;
let episodes: PlayedEpisode[];
/** softmax(logits) of the student on the frames the episode player rendered while playing: the reference. */
let expected: number[][];

async function call<T>(name: string, input: unknown): Promise<T> {
  const reply = await services.dispatch(name, input);
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.output as T;
}

beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'ddrl-policy-'));
  dbPath = join(dir, 'ddrl.sqlite');
  services = startServices({ dbPath, runtime: 'node' });
  const db = services.db.connection;
  createExperiment(db, { name: 'policy', preset: 'quick-bigfish' }, [{ label: 'bigfish', config: parseExperimentConfig({ game: 'bigfish' }) }], thisProcess);
  // Real episodes of bigfish (random play, so they end within a few hundred steps), frames recorded as the player rendered them.
  episodes = playEpisodes({
    game: 'bigfish',
    mode: 'easy',
    levelSeeds: [3, 8],
    slots: 2,
    recordObservations: true,
    source: randomPolicySource(new Random(7)),
  });
  const net = createTrainable(studentNetwork(), 'pytorch', 11);
  studentId = saveModel(db, 1, { role: 'student', method: 'synthetic', member: 0 }, 'student', await weightsOf(net));
  randomId = saveRandomPolicy(db, 1);
  saveEvalEpisodes(db, studentId, 'id', episodes);
  saveEvalEpisodes(db, randomId, 'id', episodes);
  setRunDataset(
    db,
    1,
    saveDataset(
      db,
      { runId: 1, name: 'played', game: 'bigfish', mode: 'easy', source: 'collected' },
      episodes.map((e) => ({ ...e, observations: e.observations! })),
    ),
  );
  const first = episodes[0]!;
  const probabilities = tf.tidy(() =>
    tf.softmax(net.def.forward(net.vars, tf.tensor4d(Float32Array.from(first.observations!), [first.actions.length, 64, 64, 3])).logits),
  );
  expected = (await probabilities.array()) as number[][];
  probabilities.dispose();
}, 60_000);

afterAll(() => {
  services.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('episodes.policy', () => {
  it("gives the network's softmax at every re-simulated frame of an evaluation episode, sums to 1, entropy in nats, then from the cache", async () => {
    const input = { modelId: studentId, episode: { source: 'eval', modelId: studentId, split: 'id', idx: 0 } };
    const first = await call<PolicyDistribution>('episodes.policy', input);
    expect(first.weightless).toBeNull();
    expect(first.cached).toBe(false);
    expect(first.check).toMatchObject({ exact: true, mismatches: 0 });
    expect(first.probabilities).toHaveLength(episodes[0]!.actions.length);
    first.probabilities.forEach((p, t) => {
      expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      p.forEach((v, k) => expect(v).toBeCloseTo(expected[t]![k]!, 5));
      expect(first.entropy[t]).toBeCloseTo(-p.reduce((s, v) => s + (v > 0 ? v * Math.log(v) : 0), 0), 5);
    });
    // An untrained network is close to uniform, but not exactly: the numbers are the network's.
    expect(Math.max(...first.entropy)).toBeLessThan(Math.log(15));
    const again = await call<PolicyDistribution>('episodes.policy', input);
    expect(again.cached).toBe(true);
    expect(again.probabilities).toEqual(first.probabilities);
  }, 60_000);

  it("works on a dataset episode's stored frames with any network model", async () => {
    const result = await call<PolicyDistribution>('episodes.policy', { modelId: studentId, episode: { source: 'dataset', datasetId: 1, idx: 0 } });
    expect(result.check).toBeNull();
    result.probabilities.forEach((p, t) => p.forEach((v, k) => expect(v).toBeCloseTo(expected[t]![k]!, 5)));
  }, 60_000);

  it('says a weightless policy has no distribution', async () => {
    const result = await call<PolicyDistribution>('episodes.policy', {
      modelId: randomId,
      episode: { source: 'eval', modelId: randomId, split: 'id', idx: 1 },
    });
    expect(result.weightless).toMatch(/random policy has no network/);
    expect(result.probabilities).toEqual([]);
  });

  it('shows a re-simulation that disagrees with the stored rewards, and refuses unknown models and episodes by name', async () => {
    const db = services.db.connection;
    const tampered = { ...episodes[1]!, rewards: episodes[1]!.rewards.map((r, t) => (t === 5 ? r + 1 : r)) };
    saveEvalEpisodes(db, studentId, 'ood', [tampered]);
    const result = await call<PolicyDistribution>('episodes.policy', {
      modelId: studentId,
      episode: { source: 'eval', modelId: studentId, split: 'ood', idx: 0 },
    });
    expect(result.check).toMatchObject({ exact: false, mismatches: 1, firstMismatch: 5 });
    await expect(call('episodes.policy', { modelId: 999, episode: { source: 'eval', modelId: studentId, split: 'id', idx: 0 } })).rejects.toThrow(
      /No model with id 999/,
    );
    await expect(call('episodes.policy', { modelId: studentId, episode: { source: 'eval', modelId: studentId, split: 'id', idx: 9 } })).rejects.toThrow(
      /has no id evaluation episode 9/,
    );
  }, 60_000);

  it('ddrl policy prints the same distribution as JSON, and names bad options', async () => {
    const { code, out } = await runCaptured(['policy', '1', '--model', String(studentId), '--episode', 'id:0', '--json', '--db', dbPath]);
    expect(code).toBe(0);
    const printed = JSON.parse(out.join('\n')) as PolicyDistribution;
    printed.probabilities.forEach((p, t) => p.forEach((v, k) => expect(v).toBeCloseTo(expected[t]![k]!, 5)));
    const byMethod = await runCaptured(['policy', '1', '--model', 'synthetic', '--episode', 'dataset:0', '--db', dbPath]);
    expect(byMethod.code).toBe(0);
    expect(byMethod.out[1]).toMatch(/step\s+entropy/);
    const badEpisode = await runCaptured(['policy', '1', '--model', 'synthetic', '--episode', 'first', '--db', dbPath]);
    expect(badEpisode.code).toBe(2);
    expect(badEpisode.err.join('\n')).toMatch(/--episode 'first' is not valid/);
    const badModel = await runCaptured(['policy', '1', '--model', 'bc-7', '--episode', 'id:0', '--db', dbPath]);
    expect(badModel.err.join('\n')).toMatch(/run 1 has no model 'bc-7': its models are/);
  }, 60_000);
});
