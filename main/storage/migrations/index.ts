import type { Migration } from './migration.ts';
import { appMeta } from './001-app-meta.ts';
import { experiments } from './002-experiments.ts';
import { softLabels } from './003-soft-labels.ts';
import { runOwners } from './004-run-owners.ts';
import { savedComparisons } from './005-saved-comparisons.ts';
import { searchTargets } from './006-search-targets.ts';
import { coresetControls } from './007-coreset-controls.ts';
import { learnedLabels } from './008-learned-labels.ts';
import { runNotes } from './009-run-notes.ts';
import { syntheticOrigins } from './010-synthetic-origins.ts';
import { runLog } from './011-run-log.ts';
import { runOrigin } from './012-run-origin.ts';
import { stageProgress } from './013-stage-progress.ts';

/**
 * Every migration; the one place to add one. Sorted by version, so migrations
 * added in parallel may be listed in either order (and one may land before a
 * lower-numbered one: `migrate` records the gap and applies it later).
 */
export const migrations: readonly Migration[] = [
  appMeta,
  experiments,
  softLabels,
  runOwners,
  savedComparisons,
  searchTargets,
  coresetControls,
  learnedLabels,
  runNotes,
  syntheticOrigins,
  runLog,
  runOrigin,
  stageProgress,
].sort((a, b) => a.version - b.version);

export const latestSchemaVersion = migrations[migrations.length - 1]!.version;
