import type { Database } from 'better-sqlite3';
import { now } from './blobs.ts';

/** Which model of a run: the expert, or student `member` of a method ('bc-100', 'synthetic', ...). */
export interface ModelKey {
  readonly role: 'expert' | 'student';
  readonly method: string;
  readonly member: number;
}

export interface StoredModel extends ModelKey {
  readonly id: number;
  readonly runId: number;
  readonly architecture: string;
  readonly weights: Uint8Array;
}

/** Stores (or replaces, when a stage reruns) a model's weights; returns its id. */
export function saveModel(db: Database, runId: number, key: ModelKey, architecture: string, weights: Uint8Array): number {
  db.prepare('DELETE FROM models WHERE run_id = ? AND role = ? AND method = ? AND member = ?').run(runId, key.role, key.method, key.member);
  return Number(
    db
      .prepare('INSERT INTO models (run_id, role, method, member, architecture, weights, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(runId, key.role, key.method, key.member, architecture, Buffer.from(weights), now()).lastInsertRowid,
  );
}

interface ModelRecord {
  id: number;
  run_id: number;
  role: 'expert' | 'student';
  method: string;
  member: number;
  architecture: string;
  weights: Buffer;
}

/** What a model is, from its row (weights aside). */
const describeModel = (r: Omit<ModelRecord, 'weights'>): Omit<StoredModel, 'weights'> => ({
  id: r.id,
  runId: r.run_id,
  role: r.role,
  method: r.method,
  member: r.member,
  architecture: r.architecture,
});

const toModel = (r: ModelRecord): StoredModel => ({ ...describeModel(r), weights: new Uint8Array(r.weights) });

export function findModel(db: Database, runId: number, key: ModelKey): StoredModel | undefined {
  const r = db.prepare('SELECT * FROM models WHERE run_id = ? AND role = ? AND method = ? AND member = ?').get(runId, key.role, key.method, key.member) as
    ModelRecord | undefined;
  return r && toModel(r);
}

/** The models of a run without their weights (for listings and results). */
export function listModels(db: Database, runId: number): Omit<StoredModel, 'weights'>[] {
  const rows = db
    .prepare('SELECT id, run_id, role, method, member, architecture FROM models WHERE run_id = ? ORDER BY role, method, member')
    .all(runId) as Omit<ModelRecord, 'weights'>[];
  return rows.map(describeModel);
}

/** A model by id without its weights: what it is, when it was stored and how many weight bytes it has (0: weightless). */
export function getModelInfo(db: Database, id: number): Omit<StoredModel, 'weights'> & { readonly createdAt: string; readonly weightBytes: number } {
  const r = db.prepare('SELECT id, run_id, role, method, member, architecture, created_at, length(weights) AS bytes FROM models WHERE id = ?').get(id) as
    (Omit<ModelRecord, 'weights'> & { created_at: string; bytes: number }) | undefined;
  if (!r) throw new RangeError(`No model with id ${id}: it was deleted or never stored (episodes.list names a run's models).`);
  return { ...describeModel(r), createdAt: r.created_at, weightBytes: r.bytes };
}
