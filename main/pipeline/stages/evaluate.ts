/**
 * Stage 6, evaluation: the expert network and every student play M episodes
 * on the training levels (ID) and M on unrestricted levels (OOD), with
 * sampled actions (greedy when asked). Every model plays the same level seeds
 * (a paired comparison); seeds, actions and rewards are stored per episode.
 * Each evaluated model is stored with the checkpoint; a resume skips it.
 */
import { saveEvalEpisodes, type Split } from '../../storage/evaluations.ts';
import { trainableFromWeights, disposeTrainable } from '../../learning/nets/trainable.ts';
import { findModel, listModels } from '../../storage/models.ts';
import { drawLevelSeeds, playEpisodes, type PlayedEpisode } from '../../learning/train/episodes.ts';
import { NetworkActionSource } from '../../learning/train/policy.ts';
import { seedFor, type StageDefinition } from '../stage-context.ts';
import { isPlannerModel, plannerSource } from './expert.ts';
import { PLANNER_SLOTS } from '../planner.ts';

/** Students are small: all episodes of a split can share one forward pass. */
const MAX_SLOTS = 64;

interface EvaluateCheckpoint {
  /** Models whose episodes are stored. */
  readonly evaluated: number[];
}

export const evaluateStage: StageDefinition = {
  name: 'evaluate',
  async run(ctx) {
    const { game, mode, trainLevels, evaluate, seed } = ctx.config;
    const splits: { split: Split; seeds: number[] }[] = [
      { split: 'id', seeds: drawLevelSeeds(trainLevels, seedFor(seed, 'evaluate/id'), evaluate.episodesId) },
      { split: 'ood', seeds: drawLevelSeeds({ startLevel: 0, numLevels: 0 }, seedFor(seed, 'evaluate/ood'), evaluate.episodesOod) },
    ];
    const models = listModels(ctx.db, ctx.runId);
    const evaluated = new Set((ctx.checkpoint as EvaluateCheckpoint | null)?.evaluated ?? []);
    const totalEpisodes = models.length * (evaluate.episodesId + evaluate.episodesOod);
    let played = evaluated.size * (evaluate.episodesId + evaluate.episodesOod);
    for (const model of models) {
      if (evaluated.has(model.id)) continue;
      const planner = isPlannerModel(model);
      const net = planner ? undefined : trainableFromWeights(findModel(ctx.db, ctx.runId, model)!.weights);
      const name = model.role === 'expert' ? model.method : `${model.method} student ${model.member + 1}`;
      try {
        const results = splits.map(({ split, seeds }) => {
          const episodes: PlayedEpisode[] = seeds.length
            ? playEpisodes({
                game,
                mode,
                levelSeeds: seeds,
                slots: net ? MAX_SLOTS : PLANNER_SLOTS,
                recordObservations: false,
                source: net
                  ? new NetworkActionSource(
                      net,
                      MAX_SLOTS,
                      { temperature: 1, greedy: evaluate.greedy },
                      ctx.random(`evaluate/${model.role}/${model.method}/${model.member}/${split}`),
                    )
                  : plannerSource(ctx, `evaluate/planner/${split}`),
                onStep: () => ctx.throwIfCancelled(),
                onEpisode: () => ctx.progress(++played, totalEpisodes, `${name}, ${split.toUpperCase()}`),
              })
            : [];
          return { split, episodes };
        });
        evaluated.add(model.id);
        ctx.saveProgress((db): EvaluateCheckpoint => {
          for (const { split, episodes } of results) saveEvalEpisodes(db, model.id, split, episodes);
          return { evaluated: [...evaluated] };
        });
      } finally {
        if (net) disposeTrainable(net);
      }
    }
    return () => {};
  },
};
