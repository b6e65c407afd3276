/**
 * A small fixed labelled problem for trainer tests: each action has its own colour and a
 * bright square at an action-specific place, plus noise. Learnable by any of our networks
 * in a few dozen steps.
 */
import { Random } from '../random.ts';
import { IMAGE_SIZE, OBS_VALUES, type EpisodeDataset } from '../train/data.ts';

export function toyDataset(perAction: number, actionCount: number, seed = 1, absentActions: readonly number[] = []): EpisodeDataset {
  const random = new Random(seed);
  const actionsPresent = Array.from({ length: actionCount }, (_, a) => a).filter((a) => !absentActions.includes(a));
  const count = perAction * actionsPresent.length;
  const obs = new Uint8Array(count * OBS_VALUES);
  const actions = new Int32Array(count);
  const episodeIds = new Int32Array(count);
  const episodeReturns = new Float32Array(count);
  let i = 0;
  for (const a of actionsPresent) {
    for (let k = 0; k < perAction; k++, i++) {
      actions[i] = a;
      episodeIds[i] = i % 8;
      episodeReturns[i] = i % 8;
      const base = i * OBS_VALUES;
      const [sx, sy] = [(a * 13) % 48, (a * 29) % 48];
      for (let y = 0; y < IMAGE_SIZE; y++) {
        for (let x = 0; x < IMAGE_SIZE; x++) {
          const inSquare = x >= sx && x < sx + 16 && y >= sy && y < sy + 16;
          for (let c = 0; c < 3; c++) {
            const colour = ((a + 1) * (c + 3) * 37) % 200;
            obs[base + (y * IMAGE_SIZE + x) * 3 + c] = Math.min(255, (inSquare ? 255 - colour / 4 : colour / 2) + random.int(20));
          }
        }
      }
    }
  }
  return { count, obs, actions, episodeIds, episodeReturns };
}
