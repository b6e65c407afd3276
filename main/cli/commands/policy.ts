import type { EpisodeRef } from '@shared/api/inspect.ts';
import { initBackend } from '../../learning/backend.ts';
import { EventBus } from '../../services/event-bus.ts';
import { computePolicyDistribution } from '../../services/policy-distribution.ts';
import { listModels } from '../../storage/models.ts';
import { getRun } from '../../storage/runs.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { parseRunId, withDatabase } from './run-support.ts';

const EPISODE_FORMS = "`id:N` or `ood:N` (the model's own evaluation episode N of that split) or `dataset:N` (episode N of the run's dataset)";

/** `--model`: a model id of the run, or a method name (its first member). */
function modelOf(text: string | undefined, models: ReturnType<typeof listModels>, runId: number): (typeof models)[number] {
  const names = models.map((m) => (m.role === 'student' ? `${m.id} (${m.method} student ${m.member + 1})` : `${m.id} (${m.method})`)).join(', ');
  if (!text) throw new UsageError(`--model is required: one of run ${runId}'s models, by id or method: ${names || 'none stored yet'}.`);
  const model = /^\d+$/.test(text) ? models.find((m) => m.id === Number(text)) : models.find((m) => m.method === text && m.member === 0);
  if (!model) throw new UsageError(`run ${runId} has no model '${text}': its models are ${names || 'none (no stage has stored one yet)'}.`);
  return model;
}

function episodeOf(text: string | undefined, modelId: number, datasetId: number | null, runId: number): EpisodeRef {
  const match = /^(id|ood|dataset):(\d+)$/.exec(text ?? '');
  if (!match) throw new UsageError(`--episode '${text ?? ''}' is not valid: give ${EPISODE_FORMS}.`);
  const idx = Number(match[2]);
  if (match[1] !== 'dataset') return { source: 'eval', modelId, split: match[1] as 'id' | 'ood', idx };
  if (datasetId === null) throw new UsageError(`run ${runId} has no dataset yet (its collect stage has not finished): use id:N or ood:N.`);
  return { source: 'dataset', datasetId, idx };
}

export const policyCommand: CliCommand = {
  path: ['policy'],
  summary: "A model's action distribution and entropy at every frame of an episode (what the replay's bars show)",
  usage: [
    'Usage: ddrl policy RUN --model MODEL --episode EPISODE [--json] [--db PATH]',
    '',
    '  --model MODEL     a model id of the run, or a method name (expert, synthetic, bc-100, ...; its first student)',
    `  --episode EP      ${EPISODE_FORMS}`,
    '  --json            the distribution as JSON: probabilities[step][action], entropy[step] (nats), the re-simulation check',
    dbUsage,
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseOptions(
      argv,
      { ...dbOption, json: { type: 'boolean' }, model: { type: 'string' }, episode: { type: 'string' } },
      true,
    );
    const runId = parseRunId(positionals, 'policy');
    return withDatabase(databasePathFrom(values), async (db) => {
      const run = getRun(db.connection, runId);
      const model = modelOf(values.model as string | undefined, listModels(db.connection, runId), runId);
      const episode = episodeOf(values.episode as string | undefined, model.id, run.datasetId, runId);
      const ctx = { db, events: new EventBus(), runtime: 'node' as const, backend: () => initBackend() };
      let result;
      try {
        result = await computePolicyDistribution(
          { modelId: model.id, episode: episode.source === 'dataset' ? { ...episode, withFrames: false } : episode },
          ctx,
        );
      } catch (error) {
        if (error instanceof RangeError) throw new UsageError(`${error.message} (--episode ${String(values.episode)}).`);
        throw error;
      }
      const { check } = result;
      if (check && !check.exact) {
        io.err(
          `Warning: the re-simulated episode differs from the stored one (${check.mismatches} step(s), first at step ${check.firstMismatch}): the frames may not be what the policy saw.`,
        );
      }
      if (values.json) {
        io.out(JSON.stringify(result));
        return 0;
      }
      if (result.weightless) {
        io.out(`Model ${model.id} (${model.method}): ${result.weightless}.`);
        return 0;
      }
      io.out(`Model ${model.id} (${model.method}), ${result.probabilities.length} steps, computed in ${result.computeMs.toFixed(0)} ms`);
      io.out('  step  entropy  most likely actions');
      result.probabilities.forEach((p, t) => {
        const top = p
          .map((value, action) => ({ value, action }))
          .sort((a, b) => b.value - a.value)
          .slice(0, 3)
          .map(({ value, action }) => `action ${action} ${(100 * value).toFixed(1)}%`);
        io.out(`  ${String(t).padStart(4)}  ${result.entropy[t]!.toFixed(3).padStart(7)}  ${top.join(', ')}`);
      });
      return 0;
    });
  },
};
