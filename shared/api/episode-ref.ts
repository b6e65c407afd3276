import type { EpisodeRef } from './inspect.ts';

/**
 * An episode as a short URL-safe text: `e.MODEL.SPLIT.IDX` (evaluation) or
 * `d.DATASET.IDX` (dataset), so a replay of two episodes is a link.
 */
export function formatEpisodeRef(ref: EpisodeRef): string {
  return ref.source === 'eval' ? `e.${ref.modelId}.${ref.split}.${ref.idx}` : `d.${ref.datasetId}.${ref.idx}`;
}

export function parseEpisodeRef(text: string | undefined): EpisodeRef | null {
  if (!text) return null;
  const parts = text.split('.');
  const ints = (values: string[]) => values.map(Number).every((n) => Number.isInteger(n) && n >= 0);
  if (parts[0] === 'e' && parts.length === 4 && (parts[2] === 'id' || parts[2] === 'ood') && ints([parts[1]!, parts[3]!])) {
    return { source: 'eval', modelId: Number(parts[1]), split: parts[2], idx: Number(parts[3]) };
  }
  if (parts[0] === 'd' && parts.length === 3 && ints(parts.slice(1))) return { source: 'dataset', datasetId: Number(parts[1]), idx: Number(parts[2]) };
  return null;
}
