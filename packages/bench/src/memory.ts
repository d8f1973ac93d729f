const MB = 1024 * 1024;

/** The highest memory use seen while sampling, above where it started. */
export interface MemoryPeak {
  rssMb: number;
  heapUsedMb: number;
  /**
   * The highest heap in use right after a garbage collection: what the
   * code measured holds, without its garbage. Zero unless sampled with
   * `liveEveryMs` under `--expose-gc`.
   */
  liveHeapMb: number;
}

/**
 * Samples `process.memoryUsage()` every few milliseconds and keeps the peak
 * above the reading taken at the start (after a garbage collection when
 * node runs with `--expose-gc`). Only as accurate as the event loop is free:
 * the code measured awaits the database most of the time, so it is.
 */
export class MemorySampler {
  readonly #start: NodeJS.MemoryUsage;
  readonly #timers: NodeJS.Timeout[];
  #peakRss: number;
  #peakHeapUsed: number;
  #peakLiveHeap: number;

  /**
   * Samples every `intervalMs`; with `liveEveryMs`, also collects garbage
   * that often and samples the heap left, which slows the code measured by
   * that collection (a few milliseconds each).
   */
  static start(
    options: { intervalMs?: number; liveEveryMs?: number } = {},
  ): MemorySampler {
    globalThis.gc?.();
    return new MemorySampler(options.intervalMs ?? 5, options.liveEveryMs);
  }

  private constructor(intervalMs: number, liveEveryMs?: number) {
    this.#start = process.memoryUsage();
    this.#peakRss = this.#start.rss;
    this.#peakHeapUsed = this.#start.heapUsed;
    this.#peakLiveHeap = this.#start.heapUsed;
    this.#timers = [setInterval(() => this.#sample(), intervalMs)];
    const gc = globalThis.gc;
    if (liveEveryMs !== undefined && gc) {
      this.#timers.push(
        setInterval(() => {
          gc();
          this.#peakLiveHeap = Math.max(
            this.#peakLiveHeap,
            process.memoryUsage().heapUsed,
          );
        }, liveEveryMs),
      );
    }
  }

  stop(): MemoryPeak {
    this.#sample();
    this.#timers.forEach(timer => clearInterval(timer));
    const above = (peak: number, start: number) =>
      Math.max(0, peak - start) / MB;
    return {
      rssMb: above(this.#peakRss, this.#start.rss),
      heapUsedMb: above(this.#peakHeapUsed, this.#start.heapUsed),
      liveHeapMb: above(this.#peakLiveHeap, this.#start.heapUsed),
    };
  }

  #sample() {
    const usage = process.memoryUsage();
    this.#peakRss = Math.max(this.#peakRss, usage.rss);
    this.#peakHeapUsed = Math.max(this.#peakHeapUsed, usage.heapUsed);
  }
}
