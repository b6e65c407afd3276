/** Tags and notes on runs: what a researcher writes about them, searchable in the runs list. */
import type { Database } from 'better-sqlite3';
import type { RunNotes } from '@shared/run-notes.ts';

export function getRunNotes(db: Database, runId: number): RunNotes {
  const r = db.prepare('SELECT tags, notes FROM runs WHERE id = ?').get(runId) as { tags: string; notes: string } | undefined;
  return r ? { tags: JSON.parse(r.tags) as string[], notes: r.notes } : { tags: [], notes: '' };
}

/** Replaces a run's tags (trimmed, each once, in the order given) and notes. */
export function setRunNotes(db: Database, runId: number, { tags, notes }: RunNotes): RunNotes {
  const clean = [...new Set(tags.map((t) => t.trim()))];
  db.prepare('UPDATE runs SET tags = ?, notes = ? WHERE id = ?').run(JSON.stringify(clean), notes, runId);
  return { tags: clean, notes };
}
