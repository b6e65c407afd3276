/**
 * The synthetic inspector's snapshots as the page holds them, and the cache that fetches
 * them: the view's first fetch brings the run's other snapshots bundled along (decoded
 * when first needed), every later one only its difference to the nearest snapshot held.
 */
import type { ApiClient } from '@shared/api/client.ts';
import { framesFromRelativeWire, framesFromWire } from '@shared/api/frames.ts';
import type { BundledSnapshot, SyntheticSet } from '@shared/api/inspect.ts';
import { SnapshotCache } from './snapshot-cache.ts';

/** A snapshot with its frames decoded (read-only: unmoved snapshots share one array). */
export interface Snapshot {
  readonly iteration: number;
  readonly loss: number | null;
  readonly labels: number[];
  readonly frames: Uint8Array;
  readonly softLabels: number[][] | null;
  readonly learnedLabels: number[][] | null;
  readonly origins: SyntheticSet['origins'];
  readonly floats: SyntheticSet['floats'];
}

/** Every snapshot is fetched ahead up to this many bytes of frames (150 samples are about 1.8 MB each). */
const PREFETCH_BUDGET_BYTES = 256 * 1024 * 1024;
/**
 * Fetching ahead waits this long after the view's own snapshot arrived, so a jump in that moment
 * finds the host free; it is short because a snapshot fetched ahead is mostly its difference to one
 * held (a few kilobytes when distillation moved few pixels), so fetching ahead hardly delays a jump.
 */
const PREFETCH_QUIET_MS = 100;

export function syntheticSnapshotCache(api: ApiClient, runId: number): SnapshotCache<Snapshot> {
  /**
   * The run's other snapshots as the view's first reply bundled them (`withOthers`), each decoded
   * when first needed: a slider jump at once after opening then never waits on the wire.
   */
  const bundled = new Map<number, { readonly entry: BundledSnapshot; readonly with: Snapshot }>();
  let first = true;
  const own: SnapshotCache<Snapshot> = new SnapshotCache(
    async (iteration) => {
      const parcel = bundled.get(iteration);
      if (parcel) {
        bundled.delete(iteration);
        const { entry } = parcel;
        const base = entry.relativeTo === parcel.with.iteration ? parcel.with : await own.get(entry.relativeTo);
        const or = <K extends 'labels' | 'softLabels' | 'learnedLabels' | 'origins'>(key: K) =>
          (entry[key] === undefined ? parcel.with[key] : entry[key]) as Snapshot[K];
        return {
          iteration: entry.iteration,
          loss: entry.loss,
          labels: or('labels'),
          frames: await framesFromRelativeWire(entry.frames, base.frames),
          softLabels: or('softLabels'),
          learnedLabels: or('learnedLabels'),
          origins: or('origins'),
          floats: entry.floats,
        };
      }
      const withOthers = first;
      first = false;
      // Only the difference to a snapshot already here crosses the wire: a few kilobytes where distillation moved few pixels.
      const held = await own.nearestHeld(iteration)?.catch(() => undefined);
      const s = await api.call('synthetic.get', { runId, iteration, ...(held && { relativeTo: held.iteration }), ...(withOthers && { withOthers }) });
      const snapshot: Snapshot = {
        iteration: s.iteration,
        loss: s.loss,
        labels: s.labels,
        frames: held ? await framesFromRelativeWire(s.frames, held.frames) : framesFromWire(s.frames),
        softLabels: s.softLabels,
        learnedLabels: s.learnedLabels,
        origins: s.origins,
        floats: s.floats,
      };
      for (const entry of s.others ?? []) bundled.set(entry.iteration, { entry, with: snapshot });
      return snapshot;
    },
    (s) => s.frames.length,
    PREFETCH_BUDGET_BYTES,
    PREFETCH_QUIET_MS,
  );
  return own;
}
