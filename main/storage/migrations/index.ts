import type { Migration } from './migration.ts';
import { appMeta } from './001-app-meta.ts';

/** Every migration in order; the one place to add one (its version is its position, from 1). */
export const migrations: readonly Migration[] = [appMeta];

export const latestSchemaVersion = migrations.length;
