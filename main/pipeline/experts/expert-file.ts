/**
 * An expert network as one file: a trained expert outlives its database (a study's
 * experts take most of an hour each to train here, and a database is not kept with
 * the code), and a run anywhere can start from it with `expert.source=file`.
 *
 * Layout: the line `DDRL-EXPERT`, one line of JSON (the header), then the weights as the
 * models table stores them. The header names the game, the architecture and where the
 * network came from, and carries a SHA-256 of the weights, so a damaged or truncated
 * file is refused rather than loaded.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { GAME_NAMES } from '@shared/procgen/games/index.ts';

const MAGIC = 'DDRL-EXPERT\n';
export const EXPERT_FILE_VERSION = 1;

const returnSchema = z.object({
  split: z.enum(['id', 'ood']),
  mean: z.number(),
  ciLow: z.number(),
  ciHigh: z.number(),
  episodes: z.number().int(),
});

const headerSchema = z.object({
  format: z.literal('ddrl-expert'),
  version: z.number().int(),
  game: z.enum(GAME_NAMES as [string, ...string[]]),
  mode: z.enum(['easy', 'hard']),
  /** The stored model's architecture string, as `models.architecture` has it. */
  architecture: z.string(),
  weightsBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Where it was trained, in words: "run 1 ('bigfish paper') of /path/study.sqlite". */
  origin: z.string(),
  exportedAt: z.string(),
  /** The source run's `expert` config section: how the network was trained. */
  trainedWith: z.record(z.string(), z.unknown()),
  /** Its evaluated return in the source run (empty when that run was not evaluated). */
  returns: z.array(returnSchema),
});

export type ExpertFileHeader = z.infer<typeof headerSchema>;
export interface ExpertFile {
  readonly header: ExpertFileHeader;
  readonly weights: Uint8Array;
}

/** Thrown for a file that is not a readable expert file; the message says what is wrong. */
export class ExpertFileError extends Error {}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function writeExpertFile(
  path: string,
  expert: Omit<ExpertFileHeader, 'format' | 'version' | 'weightsBytes' | 'sha256'>,
  weights: Uint8Array,
): ExpertFileHeader {
  const header: ExpertFileHeader = {
    format: 'ddrl-expert',
    version: EXPERT_FILE_VERSION,
    ...expert,
    weightsBytes: weights.byteLength,
    sha256: sha256(weights),
  };
  writeFileSync(path, Buffer.concat([Buffer.from(MAGIC + JSON.stringify(header) + '\n'), weights]));
  return header;
}

export function readExpertFile(path: string): ExpertFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new ExpertFileError(`${path}: ${reason}. Write one from a run with \`ddrl export-expert RUN --out FILE\`.`);
  }
  if (bytes.subarray(0, MAGIC.length).toString('latin1') !== MAGIC)
    throw new ExpertFileError(`${path} is not an expert file (it does not start with DDRL-EXPERT): write one with \`ddrl export-expert RUN --out FILE\`.`);
  const end = bytes.indexOf(0x0a, MAGIC.length);
  if (end < 0) throw new ExpertFileError(`${path}: the expert file's header is cut off.`);
  let json: unknown;
  try {
    json = JSON.parse(bytes.subarray(MAGIC.length, end).toString('utf8'));
  } catch {
    throw new ExpertFileError(`${path}: the expert file's header is not valid JSON.`);
  }
  const version = (json as { version?: unknown }).version;
  if (typeof version === 'number' && version > EXPERT_FILE_VERSION)
    throw new ExpertFileError(`${path} is an expert file of version ${version}; this app reads version ${EXPERT_FILE_VERSION}: update the app.`);
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success)
    throw new ExpertFileError(
      `${path}: the expert file's header is malformed (${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}).`,
    );
  const header = parsed.data;
  const weights = new Uint8Array(bytes.subarray(end + 1));
  if (weights.byteLength !== header.weightsBytes || sha256(weights) !== header.sha256)
    throw new ExpertFileError(
      `${path}: the weights are damaged or cut off (${weights.byteLength} bytes, the header says ${header.weightsBytes}, or their checksum differs): export the expert again.`,
    );
  return { header, weights };
}
