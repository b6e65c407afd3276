import { z } from 'zod';
import { episodeRef } from './inspect.ts';

const runId = z.number().int().positive();

/** Episodes (1-4, side by side in lock-step) as one animated GIF or WebM video, or their PNG frames in one ZIP. */
export const mediaEpisodesInput = z
  .object({
    runId,
    episodes: z.array(episodeRef).min(1).max(4),
    format: z.enum(['gif', 'webm', 'png-zip']),
    /** Pixels per frame pixel (2: 128x128 per episode). */
    scale: z.number().int().min(1).max(8).default(2),
  })
  .strict();

/** A synthetic snapshot (the newest, or `iteration`) as one PNG, one row per action. */
export const mediaSyntheticInput = z
  .object({ runId, iteration: z.number().int().min(0).optional(), scale: z.number().int().min(1).max(8).default(4) })
  .strict();

/** A file to save: its suggested name, type and bytes (base64), what it shows, and warnings to show beside it. */
export const mediaFile = z.object({
  fileName: z.string(),
  mime: z.string(),
  data: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  /** Animation frames, PNG files in the ZIP, or 1 for a grid. */
  frames: z.number().int(),
  warnings: z.array(z.string()),
});
export type MediaFile = z.infer<typeof mediaFile>;

/** The file's bytes (its `data` is base64). */
export function mediaBytes(file: MediaFile): Uint8Array<ArrayBuffer> {
  const text = atob(file.data);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
