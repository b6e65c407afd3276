import type { Database } from 'better-sqlite3';
import { blobOf, float32Of } from './blobs.ts';

/** What one method of a run learns from, for the results' "data used" column. */
export interface MethodData {
  readonly method: string;
  /** `coreset`: real frames chosen without learning pixels (a control for distillation). */
  readonly kind: 'expert' | 'bc' | 'synthetic' | 'coreset';
  /** Episodes of the dataset used (0 for the synthetic set). */
  readonly episodes: number;
  /** Transitions (BC, expert, coreset) or synthetic samples. */
  readonly samples: number;
  /** Indices of the dataset transitions used; null for the synthetic set and the expert. */
  readonly stepIndices: Int32Array | null;
  /** The method's own labels (samples x actions, e.g. the expert's soft labels); absent: the dataset's actions. */
  readonly targets?: Float32Array | null;
}

export function saveMethodData(db: Database, runId: number, data: MethodData): void {
  db.prepare('INSERT OR REPLACE INTO method_data (run_id, method, kind, episodes, samples, step_indices, targets) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    runId,
    data.method,
    data.kind,
    data.episodes,
    data.samples,
    data.stepIndices ? blobOf(data.stepIndices) : null,
    data.targets ? blobOf(data.targets) : null,
  );
}

export function listMethodData(db: Database, runId: number): MethodData[] {
  const rows = db.prepare('SELECT method, kind, episodes, samples, step_indices, targets FROM method_data WHERE run_id = ? ORDER BY rowid').all(runId) as {
    method: string;
    kind: MethodData['kind'];
    episodes: number;
    samples: number;
    step_indices: Buffer | null;
    targets: Buffer | null;
  }[];
  return rows.map((r) => ({
    method: r.method,
    kind: r.kind,
    episodes: r.episodes,
    samples: r.samples,
    stepIndices: r.step_indices ? new Int32Array(new Uint8Array(r.step_indices).buffer) : null,
    targets: r.targets ? float32Of(r.targets) : null,
  }));
}
