import type { Migration } from './migration.ts';
import { appMeta } from './001-app-meta.ts';
import { experiments } from './002-experiments.ts';
import { softLabels } from './003-soft-labels.ts';

/** Every migration in order; the one place to add one (its version is its position, from 1). */
export const migrations: readonly Migration[] = [appMeta, experiments, softLabels];

export const latestSchemaVersion = migrations.length;
