/**
 * Measures what a stepping loop leaves on the heap: the growth that survives
 * a full garbage collection (a leak) and the bytes it allocates per step
 * (garbage), from windows in which no collection ran.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface HeapReport {
  steps: number;
  /** heapUsed after a full GC at the end minus the same at the start. */
  retainedGrowthBytes: number;
  /** Mean bytes allocated per step over the windows without any GC (NaN if every window saw one). */
  allocatedBytesPerStep: number;
  /** Garbage collections (any kind) that ran during the loop. */
  collections: number;
}

let collectGarbage: (() => void) | undefined;

/** A full GC, available without starting Node with --expose-gc. */
export function fullGc(): void {
  if (!collectGarbage) {
    setFlagsFromString('--expose-gc');
    collectGarbage = runInNewContext('gc') as () => void;
  }
  collectGarbage();
}

/**
 * Runs `step(count)` until `steps` steps are done, in windows of `window` steps,
 * and reports heap growth and allocation. `step` must perform exactly `count` steps.
 */
export async function measureHeap(step: (count: number) => void, steps: number, window = 10_000): Promise<HeapReport> {
  let collections = 0;
  const observer = new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  fullGc();
  // GC entries are delivered asynchronously: let the ones from fullGc() arrive before counting.
  await new Promise((resolve) => setTimeout(resolve, 10));
  collections = 0;
  const start = process.memoryUsage().heapUsed;
  let quietBytes = 0;
  let quietSteps = 0;
  for (let done = 0; done < steps;) {
    const count = Math.min(window, steps - done);
    const before = process.memoryUsage().heapUsed;
    step(count);
    const after = process.memoryUsage().heapUsed;
    // A window without a collection shows its allocation as heap growth; one with a collection shows nothing useful.
    if (after >= before) {
      quietBytes += after - before;
      quietSteps += count;
    }
    done += count;
  }
  await new Promise((resolve) => setTimeout(resolve, 10));
  observer.disconnect();
  fullGc();
  return {
    steps,
    retainedGrowthBytes: process.memoryUsage().heapUsed - start,
    allocatedBytesPerStep: quietSteps > 0 ? quietBytes / quietSteps : NaN,
    collections,
  };
}
