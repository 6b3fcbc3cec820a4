/**
 * Per-account concurrency limiter.
 *
 * Woodpecker processes one request at a time per account and answers 429 once six more are
 * queued. Pulumi runs resource operations in parallel (10 by default, unbounded with -p), so every
 * Woodpecker call of a provider host goes through one of these (a fixed number in flight per
 * account, far below the queue) instead of relying on the engine's parallelism.
 */
import { createHash } from "node:crypto";

export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** Highest number of tasks that ran at once (for tests and the benchmark). */
  peak = 0;

  constructor(readonly maxConcurrent = 1) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1)
      throw new RangeError("maxConcurrent must be >= 1");
  }

  get pending(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.maxConcurrent) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    this.peak = Math.max(this.peak, this.active);
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // Hand the slot straight to the next task; `active` stays the same.
      if (next) next();
      else this.active--;
    }
  }
}

const limiters = new Map<string, ConcurrencyLimiter>();

/**
 * The limiter of one account. Accounts are told apart by base URL and a digest of the key, so the
 * key itself is not kept as a map key.
 */
export function limiterFor(baseUrl: string, apiKey: string, maxConcurrent = 1): ConcurrencyLimiter {
  const account = `${baseUrl}#${createHash("sha256").update(apiKey).digest("hex").slice(0, 16)}#${maxConcurrent}`;
  let l = limiters.get(account);
  if (!l) {
    l = new ConcurrencyLimiter(maxConcurrent);
    limiters.set(account, l);
  }
  return l;
}
