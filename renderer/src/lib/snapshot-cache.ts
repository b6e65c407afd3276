/**
 * The inspector's snapshots, fetched ahead so the slider never waits on the wire:
 * every stored snapshot is fetched in the background, nearest to the slider first
 * and one at a time, and only once no snapshot the view asked for has been on its
 * way for `quietMs` (so a jump's own request shares the host and the wire with at
 * most one fetched ahead, and none in the moments after the view opens or the
 * slider moves, when the next jump is likeliest), until the cache holds `budgetBytes`. Past the budget the snapshots
 * farthest from the slider are dropped, so scrubbing a long run stays bounded.
 */
export class SnapshotCache<T> {
  private readonly entries = new Map<number, Promise<T>>();
  private readonly sizes = new Map<number, number>();
  /** Fetches the view asked for and not yet answered: fetching ahead waits for them. */
  private readonly asked = new Set<Promise<T>>();
  private iterations: readonly number[] = [];
  private position = 0;
  private fetchingAhead = false;
  private closed = false;
  /** When the last fetch the view asked for was answered (ms, `performance.now()`). */
  private lastAnswered = -Infinity;

  constructor(
    private readonly fetch: (iteration: number) => Promise<T>,
    private readonly sizeOf: (snapshot: T) => number,
    private readonly budgetBytes: number,
    private readonly quietMs = 0,
  ) {}

  /** The snapshot at `iteration`, from the cache or fetched now, ahead of any fetched ahead. */
  get(iteration: number): Promise<T> {
    const pending = this.load(iteration);
    if (!this.sizes.has(iteration) && !this.asked.has(pending)) {
      this.asked.add(pending);
      const done = () => {
        this.asked.delete(pending);
        this.lastAnswered = performance.now();
      };
      pending.then(done, done);
    }
    return pending;
  }

  private load(iteration: number): Promise<T> {
    let pending = this.entries.get(iteration);
    if (!pending) {
      pending = this.fetch(iteration);
      this.entries.set(iteration, pending);
      pending.then(
        (snapshot) => {
          if (this.entries.get(iteration) === pending) this.sizes.set(iteration, this.sizeOf(snapshot));
          this.evict();
        },
        () => this.entries.delete(iteration),
      );
    }
    return pending;
  }

  /** Where the slider is: evicts what is farthest from it and fetches ahead around it. */
  focus(iterations: readonly number[], position: number): void {
    this.iterations = iterations;
    this.position = position;
    this.evict();
    void this.fetchAhead();
  }

  /** Stops fetching ahead (the view closed or shows another run). */
  close(): void {
    this.closed = true;
  }

  has(iteration: number): boolean {
    return this.entries.has(iteration);
  }

  /**
   * A snapshot already here, the nearest to `iteration` in the slider's list (the
   * likeliest to share its pixels), for a fetch to ask only for the difference to it.
   */
  nearestHeld(iteration: number): Promise<T> | undefined {
    const at = this.iterations.indexOf(iteration);
    if (at < 0) return undefined;
    let nearest: number | undefined;
    let nearestDistance = Infinity;
    for (const held of this.sizes.keys()) {
      const place = this.iterations.indexOf(held);
      if (held === iteration || place < 0 || Math.abs(place - at) >= nearestDistance) continue;
      nearest = held;
      nearestDistance = Math.abs(place - at);
    }
    return nearest === undefined ? undefined : this.entries.get(nearest);
  }

  private bytes(): number {
    let total = 0;
    for (const size of this.sizes.values()) total += size;
    return total;
  }

  /** Not-yet-cached iterations, nearest to the slider first. */
  private nextMissing(): number | undefined {
    for (let d = 0; d < this.iterations.length; d++) {
      for (const at of d === 0 ? [this.position] : [this.position + d, this.position - d]) {
        const iteration = this.iterations[at];
        if (iteration !== undefined && !this.entries.has(iteration)) return iteration;
      }
    }
    return undefined;
  }

  private async fetchAhead(): Promise<void> {
    if (this.fetchingAhead) return;
    this.fetchingAhead = true;
    try {
      for (;;) {
        const next = this.nextMissing();
        // The budget is read against sizes seen so far; with none seen yet, fetch one to learn it.
        const average = this.sizes.size > 0 ? this.bytes() / this.sizes.size : 0;
        if (this.closed || next === undefined || this.bytes() + average > this.budgetBytes) return;
        if (this.asked.size > 0) {
          await Promise.allSettled(this.asked);
          continue;
        }
        const quietFor = performance.now() - this.lastAnswered;
        if (quietFor < this.quietMs) {
          await new Promise((resolve) => setTimeout(resolve, this.quietMs - quietFor));
          continue;
        }
        await this.load(next).catch(() => undefined);
      }
    } finally {
      this.fetchingAhead = false;
    }
  }

  /** Drops fetched snapshots farthest from the slider while the cache is over its budget. */
  private evict(): void {
    const indexOf = new Map(this.iterations.map((iteration, i) => [iteration, i]));
    const distance = (iteration: number) => Math.abs((indexOf.get(iteration) ?? Infinity) - this.position);
    while (this.bytes() > this.budgetBytes && this.sizes.size > 1) {
      const farthest = [...this.sizes.keys()].reduce((a, b) => (distance(b) > distance(a) ? b : a));
      this.sizes.delete(farthest);
      this.entries.delete(farthest);
    }
  }
}
