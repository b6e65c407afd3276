import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeDatasetFolder } from '../../pipeline/dataset-files.ts';
import { encodeNpy } from '../../pipeline/npy.ts';
import { resultsCsv, resultsJson, runResults } from '../../pipeline/results.ts';
import { listDatasetEpisodes, loadDataset } from '../../storage/datasets.ts';
import { findModel, listModels } from '../../storage/models.ts';
import { getRun, getStages } from '../../storage/runs.ts';
import { loadSyntheticSnapshot } from '../../storage/synthetic.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { parseRunId, withDatabase } from './run-support.ts';

export const exportCommand: CliCommand = {
  path: ['export'],
  summary: "Write a run's config, results, dataset, synthetic set, models and evaluation episodes to a folder",
  usage: [
    'Usage: ddrl export RUN --out DIR [--db PATH]',
    '',
    '  --out DIR       the folder to write (created if absent)',
    dbUsage,
    '',
    'DIR/dataset/ is in the `ddrl import` format (README), so it can be imported elsewhere.',
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { ...dbOption, out: { type: 'string' } }, true);
    const runId = parseRunId(positionals, 'export');
    if (!values.out) throw new UsageError('--out DIR is required: the folder to write the run into.');
    const out = resolve(values.out);
    return withDatabase(databasePathFrom(values), (db) => {
      const c = db.connection;
      const run = getRun(c, runId);
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'run.json'), JSON.stringify({ run, stages: getStages(c, runId) }, null, 2) + '\n');
      const written = ['run.json'];
      const results = runResults(c, runId);
      if (results.rows.length) {
        writeFileSync(join(out, 'results.json'), resultsJson(results) + '\n');
        writeFileSync(join(out, 'results.csv'), resultsCsv(results));
        written.push('results.json', 'results.csv');
      }
      if (run.datasetId !== null) {
        writeDatasetFolder(
          join(out, 'dataset'),
          loadDataset(c, run.datasetId),
          listDatasetEpisodes(c, run.datasetId).map((e) => e.rewards),
        );
        written.push('dataset/');
      }
      const synthetic = loadSyntheticSnapshot(c, runId);
      if (synthetic?.pixels) {
        mkdirSync(join(out, 'synthetic'), { recursive: true });
        writeFileSync(join(out, 'synthetic', 'pixels.npy'), encodeNpy(synthetic.pixels, [synthetic.labels.length, 64, 64, 3]));
        writeFileSync(join(out, 'synthetic', 'labels.npy'), encodeNpy(synthetic.labels, [synthetic.labels.length]));
        if (synthetic.softLabels) {
          const count = synthetic.labels.length;
          writeFileSync(join(out, 'synthetic', 'soft_labels.npy'), encodeNpy(synthetic.softLabels, [count, synthetic.softLabels.length / count]));
        }
        written.push('synthetic/');
      }
      const models = listModels(c, runId);
      if (models.length) {
        mkdirSync(join(out, 'models'), { recursive: true });
        const lines = ['model,role,method,member,split,episode,level_seed,length,return,actions'];
        for (const m of models) {
          // Weightless models (the planner, the floors, ensembles, an archive's students) get no weights file; their evaluation episodes are exported.
          const weights = findModel(c, runId, m)!.weights;
          if (weights.length > 0) writeFileSync(join(out, 'models', `${m.role}-${m.method}-${m.member}.weights`), weights);
          const episodes = c
            .prepare('SELECT split, idx, level_seed, length, return, actions FROM eval_episodes WHERE model_id = ? ORDER BY split, idx')
            .all(m.id) as { split: string; idx: number; level_seed: number; length: number; return: number; actions: Buffer }[];
          for (const e of episodes)
            lines.push([m.id, m.role, m.method, m.member, e.split, e.idx, e.level_seed, e.length, e.return, Array.from(e.actions).join(' ')].join(','));
        }
        writeFileSync(join(out, 'evaluations.csv'), lines.join('\n') + '\n');
        written.push('models/', 'evaluations.csv');
      }
      io.out(`Run ${runId} exported to ${out}: ${written.join(', ')}`);
      return 0;
    });
  },
};
