import { basename, resolve } from 'node:path';
import { GAME_NAMES, isGameName } from '@shared/procgen/games/index.ts';
import { readDatasetFiles } from '../../pipeline/dataset-files.ts';
import { maxImportBytes } from '../../pipeline/limits.ts';
import { NpyFormatError } from '../../pipeline/npy.ts';
import { bytesPerObservation, saveDataset } from '../../storage/datasets.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { withDatabase } from './run-support.ts';

export const importCommand: CliCommand = {
  path: ['import'],
  summary: 'Import an offline dataset (.npz or a folder of .npy arrays) so runs can distil it',
  usage: [
    'Usage: ddrl import [--game G] [--mode M] [--name TEXT] FILE.npz|DIR [--db PATH]',
    '',
    `  --game G        ${GAME_NAMES.join(' | ')} (required unless DIR/meta.json names it)`,
    '  --mode M        easy | hard (default: meta.json, else easy)',
    '  --name TEXT     the dataset name (default: the file name)',
    dbUsage,
    '',
    'Arrays: observations uint8 [T,64,64,3], actions [T] in 0..14, rewards [T], and',
    'episode_lengths [E] or dones [T]; optional level_seeds [E]. Format details: README.',
    'Use it in a run with --set collect.datasetId=ID.',
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { ...dbOption, game: { type: 'string' }, mode: { type: 'string' }, name: { type: 'string' } }, true);
    if (positionals.length !== 1) throw new UsageError('give exactly one FILE.npz or DIR to import.');
    const path = resolve(positionals[0]!);
    let read;
    try {
      read = readDatasetFiles(path, maxImportBytes());
    } catch (error) {
      if (error instanceof NpyFormatError) {
        io.err(`ddrl import: ${error.message} Nothing was stored.`);
        return 1;
      }
      throw error;
    }
    const game = values.game ?? read.meta.game;
    if (game === undefined) throw new UsageError(`--game is required (${path} names no game): one of ${GAME_NAMES.join(', ')}.`);
    if (!isGameName(game)) throw new UsageError(`unknown game '${game}': valid games are ${GAME_NAMES.join(', ')}.`);
    const mode = values.mode ?? read.meta.mode ?? 'easy';
    if (mode !== 'easy' && mode !== 'hard') throw new UsageError(`unknown mode '${mode}': valid modes are easy, hard.`);
    return withDatabase(databasePathFrom(values), (db) => {
      const id = saveDataset(db.connection, { runId: null, name: values.name ?? basename(path), game, mode, source: 'imported' }, read.episodes);
      const steps = read.episodes.reduce((n, e) => n + e.actions.length, 0);
      io.out(
        `Imported dataset ${id}: ${read.episodes.length} episodes, ${steps} transitions of ${game} (${mode}), ` +
          `${(bytesPerObservation(db.connection, id) / 1024).toFixed(2)} KB per stored observation. Distil it with --set collect.datasetId=${id}.`,
      );
      return 0;
    });
  },
};
