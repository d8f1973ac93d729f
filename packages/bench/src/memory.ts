const MB = 1024 * 1024;

/** The highest memory use seen while sampling, above where it started. */
export interface MemoryPeak {
  rssMb: number;
  heapUsedMb: number;
}

/**
 * Samples `process.memoryUsage()` every few milliseconds and keeps the peak
 * above the reading taken at the start (after a garbage collection when
 * node runs with `--expose-gc`). Only as accurate as the event loop is free:
 * the code measured awaits the database most of the time, so it is.
 */
export class MemorySampler {
  readonly #start: NodeJS.MemoryUsage;
  readonly #timer: NodeJS.Timeout;
  #peakRss: number;
  #peakHeapUsed: number;

  static start(intervalMs = 5): MemorySampler {
    globalThis.gc?.();
    return new MemorySampler(intervalMs);
  }

  private constructor(intervalMs: number) {
    this.#start = process.memoryUsage();
    this.#peakRss = this.#start.rss;
    this.#peakHeapUsed = this.#start.heapUsed;
    this.#timer = setInterval(() => this.#sample(), intervalMs);
  }

  stop(): MemoryPeak {
    this.#sample();
    clearInterval(this.#timer);
    return {
      rssMb: Math.max(0, this.#peakRss - this.#start.rss) / MB,
      heapUsedMb: Math.max(0, this.#peakHeapUsed - this.#start.heapUsed) / MB,
    };
  }

  #sample() {
    const usage = process.memoryUsage();
    this.#peakRss = Math.max(this.#peakRss, usage.rss);
    this.#peakHeapUsed = Math.max(this.#peakHeapUsed, usage.heapUsed);
  }
}
