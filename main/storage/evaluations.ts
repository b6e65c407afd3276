import type { Database } from 'better-sqlite3';
import { blobOf, float32Of, uint8Of } from './blobs.ts';

export type Split = 'id' | 'ood';

/** One evaluation episode: enough to re-simulate it (level seed and actions) and to score it. */
export interface EvalEpisode {
  readonly levelSeed: number;
  readonly actions: Uint8Array;
  readonly rewards: Float32Array;
}

export function saveEvalEpisodes(db: Database, modelId: number, split: Split, episodes: readonly EvalEpisode[]): void {
  const insert = db.prepare(
    'INSERT OR REPLACE INTO eval_episodes (model_id, split, idx, level_seed, length, return, actions, rewards) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    db.prepare('DELETE FROM eval_episodes WHERE model_id = ? AND split = ?').run(modelId, split);
    episodes.forEach((e, idx) =>
      insert.run(
        modelId,
        split,
        idx,
        e.levelSeed,
        e.actions.length,
        e.rewards.reduce((s, r) => s + r, 0),
        blobOf(e.actions),
        blobOf(e.rewards),
      ),
    );
  })();
}

/** Returns of every evaluated model of a run, for the results table. */
export function evalReturns(db: Database, runId: number): { modelId: number; role: string; method: string; member: number; split: Split; returns: number[] }[] {
  const rows = db
    .prepare(
      `SELECT m.id AS model_id, m.role, m.method, m.member, e.split, group_concat(e.return) AS returns
         FROM eval_episodes e JOIN models m ON m.id = e.model_id
        WHERE m.run_id = ? GROUP BY m.id, e.split ORDER BY m.role, m.method, m.member, e.split`,
    )
    .all(runId) as { model_id: number; role: string; method: string; member: number; split: Split; returns: string }[];
  return rows.map((r) => ({
    modelId: r.model_id,
    role: r.role,
    method: r.method,
    member: r.member,
    split: r.split,
    returns: r.returns.split(',').map(Number),
  }));
}

export function loadEvalEpisode(db: Database, modelId: number, split: Split, idx: number): EvalEpisode & { return: number } {
  const r = db
    .prepare('SELECT level_seed, length, return, actions, rewards FROM eval_episodes WHERE model_id = ? AND split = ? AND idx = ?')
    .get(modelId, split, idx) as { level_seed: number; length: number; return: number; actions: Buffer; rewards: Buffer } | undefined;
  if (!r) throw new RangeError(`Model ${modelId} has no ${split} evaluation episode ${idx}.`);
  if (r.length > 0 && r.actions.length === 0)
    throw new RangeError(
      `Model ${modelId}'s ${split} episode ${idx} kept its return (${r.return}) but not its actions: this database is a results archive (ddrl archive). Open the database the run was made in to replay it.`,
    );
  return { levelSeed: r.level_seed, return: r.return, actions: uint8Of(r.actions), rewards: float32Of(r.rewards) };
}
