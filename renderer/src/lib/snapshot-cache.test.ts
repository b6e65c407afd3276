import { describe, expect, it } from 'vitest';
import { SnapshotCache } from './snapshot-cache.ts';

/** A fetch that records what was asked and answers when told to, so the order and concurrency are visible. */
function recordingFetch() {
  const asked: number[] = [];
  const waiting = new Map<number, () => void>();
  let inFlight = 0;
  let mostInFlight = 0;
  const fetch = (iteration: number) =>
    new Promise<{ iteration: number }>((resolve) => {
      asked.push(iteration);
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      waiting.set(iteration, () => {
        inFlight--;
        resolve({ iteration });
      });
    });
  /** Answers every waiting request, repeatedly, until nothing more is asked. */
  async function settle(): Promise<void> {
    for (let round = 0; round < 100 && waiting.size > 0; round++) {
      for (const [iteration, answer] of [...waiting]) {
        waiting.delete(iteration);
        answer();
      }
      await new Promise((r) => setTimeout(r, 0));
    }
  }
  return { fetch, asked, settle, mostInFlight: () => mostInFlight };
}

const ITERATIONS = [0, 10, 20, 30, 40, 50, 60, 70];

describe('the inspector snapshot cache', () => {
  it('fetches every snapshot ahead, nearest to the slider first, one at a time', async () => {
    const wire = recordingFetch();
    const cache = new SnapshotCache(wire.fetch, () => 100, 10_000);
    void cache.get(40);
    await wire.settle();
    cache.focus(ITERATIONS, 4);
    await wire.settle();
    expect(wire.asked).toEqual([40, 50, 30, 60, 20, 70, 10, 0]);
    expect(wire.mostInFlight()).toBe(1);
    for (const iteration of ITERATIONS) expect(cache.has(iteration)).toBe(true);
    // Cached: asking again fetches nothing.
    expect(await cache.get(70)).toEqual({ iteration: 70 });
    expect(wire.asked).toHaveLength(ITERATIONS.length);
  });

  it('fetches nothing ahead while a snapshot the view asked for is on its way, so a jump shares the wire with at most one', async () => {
    const wire = recordingFetch();
    const cache = new SnapshotCache(wire.fetch, () => 100, 10_000);
    const shown = cache.get(40);
    cache.focus(ITERATIONS, 4);
    await new Promise((r) => setTimeout(r, 0));
    expect(wire.asked).toEqual([40]);
    // The view's snapshot arrives: fetching ahead goes on; a jump meanwhile waits behind the one in flight only.
    await Promise.all([shown, wire.settle()]);
    expect(wire.asked).toEqual([40, 50, 30, 60, 20, 70, 10, 0]);
    expect(wire.mostInFlight()).toBe(1);
  });

  it('waits the quiet period after the snapshot the view asked for arrived before fetching ahead', async () => {
    const wire = recordingFetch();
    const cache = new SnapshotCache(wire.fetch, () => 100, 10_000, 80);
    const shown = cache.get(40);
    cache.focus(ITERATIONS, 4);
    await Promise.all([shown, wire.settle()]);
    expect(wire.asked).toEqual([40]);
    // A jump inside the quiet period is the only request on the wire.
    await new Promise((r) => setTimeout(r, 30));
    cache.focus(ITERATIONS, 1);
    const jump = cache.get(10);
    await Promise.all([jump, wire.settle()]);
    expect(wire.asked).toEqual([40, 10]);
    // The jump's answer starts the quiet period again: still nothing fetched ahead within it.
    await new Promise((r) => setTimeout(r, 40));
    expect(wire.asked).toEqual([40, 10]);
    // Quiet long enough: fetching ahead goes on, nearest the slider first.
    await new Promise((r) => setTimeout(r, 100));
    await wire.settle();
    expect(wire.asked.slice(0, 4)).toEqual([40, 10, 20, 0]);
  });

  it('stops fetching ahead at its budget and drops the farthest snapshots past it', async () => {
    const wire = recordingFetch();
    const cache = new SnapshotCache(wire.fetch, () => 100, 300);
    void cache.get(0);
    await wire.settle();
    cache.focus(ITERATIONS, 0);
    await wire.settle();
    expect(wire.asked).toEqual([0, 10, 20]);
    // A jump to the far end: it is fetched, and the snapshot farthest from it goes.
    cache.focus(ITERATIONS, 7);
    await Promise.all([cache.get(70), wire.settle()]);
    expect(ITERATIONS.filter((i) => cache.has(i))).toEqual([10, 20, 70]);
  });

  it('forgets a failed fetch, so the next ask tries again', async () => {
    let fail = true;
    const cache = new SnapshotCache(
      (iteration) => (fail ? Promise.reject(new Error('host gone')) : Promise.resolve({ iteration })),
      () => 1,
      100,
    );
    await expect(cache.get(10)).rejects.toThrow('host gone');
    await new Promise((r) => setTimeout(r, 0));
    expect(cache.has(10)).toBe(false);
    fail = false;
    expect(await cache.get(10)).toEqual({ iteration: 10 });
  });

  it('names the fetched snapshot nearest in the list as the one to ask for a difference to', async () => {
    const wire = recordingFetch();
    // A long quiet period: nothing is fetched ahead while the test looks.
    const cache = new SnapshotCache(wire.fetch, () => 100, 10_000, 60_000);
    void cache.get(10);
    void cache.get(60);
    cache.focus(ITERATIONS, 7);
    // Only answered snapshots count: nothing is held while both are on their way.
    expect(cache.nearestHeld(30)).toBeUndefined();
    await wire.settle();
    expect(await cache.nearestHeld(30)).toEqual({ iteration: 10 });
    expect(await cache.nearestHeld(50)).toEqual({ iteration: 60 });
    // A snapshot is never its own base, and an iteration not in the list has none.
    expect(await cache.nearestHeld(60)).toEqual({ iteration: 10 });
    expect(cache.nearestHeld(35)).toBeUndefined();
    expect(wire.asked).toEqual([10, 60]);
    cache.close();
  });

  it('fetches nothing ahead once closed', async () => {
    const wire = recordingFetch();
    const cache = new SnapshotCache(wire.fetch, () => 100, 10_000);
    cache.close();
    cache.focus(ITERATIONS, 0);
    await wire.settle();
    expect(wire.asked).toEqual([]);
  });
});
