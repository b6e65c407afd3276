import type { Database } from 'better-sqlite3';
import type { RunStatus } from '@shared/config/stages.ts';
import type { RunSortKey } from '@shared/api/inspect.ts';
import type { Split } from './evaluations.ts';

/** One window of the run list, newest first, filtered in SQL so thousands of runs stay fast. */
/** The SQL of each column the runs list sorts by (id breaks ties, newest first). */
const RUN_SORTS: Readonly<Record<RunSortKey, string>> = {
  id: 'r.id',
  created: 'r.created_at',
  finished: 'r.finished_at',
  label: 'lower(r.label)',
  status: 'r.status',
  game: "json_extract(r.config, '$.game')",
};

export function pageRunIds(
  db: Database,
  filter: {
    offset: number;
    limit: number;
    status?: RunStatus | undefined;
    search: string;
    ids?: readonly number[] | undefined;
    sort?: RunSortKey | undefined;
    descending?: boolean | undefined;
  },
): { total: number; ids: number[]; experiments: Map<number, { name: string; preset: string | null }> } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (filter.status) {
    where.push('r.status = ?');
    args.push(filter.status);
  }
  if (filter.ids) {
    where.push(`r.id IN (${filter.ids.map(() => '?').join(',') || 'NULL'})`);
    args.push(...filter.ids);
  }
  if (filter.search.trim()) {
    // instr() on lower-cased text: a plain substring match, no LIKE wildcards to escape.
    where.push(
      "(instr(lower(r.label), ?) > 0 OR instr(lower(e.name), ?) > 0 OR instr(lower(json_extract(r.config, '$.game')), ?) > 0 OR CAST(r.id AS TEXT) = ? OR instr(lower(r.tags), ?) > 0 OR instr(lower(r.notes), ?) > 0)",
    );
    const needle = filter.search.trim().toLowerCase();
    args.push(needle, needle, needle, needle, needle, needle);
  }
  const from = `FROM runs r JOIN experiments e ON e.id = r.experiment_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  const total = (db.prepare(`SELECT count(*) AS n ${from}`).get(...args) as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT r.id, e.id AS experiment_id, e.name, e.preset ${from} ORDER BY ${RUN_SORTS[filter.sort ?? 'id']} ${filter.descending === false ? 'ASC' : 'DESC'}, r.id DESC LIMIT ? OFFSET ?`,
    )
    .all(...args, filter.limit, filter.offset) as { id: number; experiment_id: number; name: string; preset: string | null }[];
  return { total, ids: rows.map((r) => r.id), experiments: new Map(rows.map((r) => [r.experiment_id, { name: r.name, preset: r.preset }])) };
}

export interface EvalEpisodeSummary {
  readonly idx: number;
  readonly levelSeed: number;
  readonly length: number;
  readonly return: number;
}

/** Every evaluation episode of a run without its steps, grouped by model and split. */
export function listEvalEpisodes(
  db: Database,
  runId: number,
): { modelId: number; role: 'expert' | 'student'; method: string; member: number; split: Split; episodes: EvalEpisodeSummary[] }[] {
  const rows = db
    .prepare(
      `SELECT m.id AS model_id, m.role, m.method, m.member, e.split, e.idx, e.level_seed, e.length, e.return
         FROM eval_episodes e JOIN models m ON m.id = e.model_id
        WHERE m.run_id = ? ORDER BY m.role, m.method, m.member, e.split, e.idx`,
    )
    .all(runId) as {
    model_id: number;
    role: 'expert' | 'student';
    method: string;
    member: number;
    split: Split;
    idx: number;
    level_seed: number;
    length: number;
    return: number;
  }[];
  const groups: ReturnType<typeof listEvalEpisodes> = [];
  for (const r of rows) {
    let group = groups[groups.length - 1];
    if (!group || group.modelId !== r.model_id || group.split !== r.split) {
      group = { modelId: r.model_id, role: r.role, method: r.method, member: r.member, split: r.split, episodes: [] };
      groups.push(group);
    }
    group.episodes.push({ idx: r.idx, levelSeed: r.level_seed, length: r.length, return: r.return });
  }
  return groups;
}

/** Per method and split, how often each action was taken in the run's evaluation episodes (streamed: no episode list in memory). */
export function evalActionCounts(db: Database, runId: number, actionCount: number): { method: string; split: Split; counts: number[] }[] {
  const groups = new Map<string, { method: string; split: Split; counts: number[] }>();
  const rows = db
    .prepare('SELECT m.method, e.split, e.actions FROM eval_episodes e JOIN models m ON m.id = e.model_id WHERE m.run_id = ? ORDER BY m.id, e.split, e.idx')
    .iterate(runId) as IterableIterator<{ method: string; split: Split; actions: Buffer }>;
  for (const row of rows) {
    const key = `${row.method}\u0000${row.split}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { method: row.method, split: row.split, counts: new Array<number>(actionCount).fill(0) }));
    for (const a of row.actions) group.counts[a]!++;
  }
  return [...groups.values()];
}
