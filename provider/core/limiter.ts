/**
 * Per-account concurrency limiter, adaptive on 429.
 *
 * Woodpecker processes one request at a time per account and answers 429 once six more are
 * queued. Pulumi runs resource operations in parallel (10 by default, unbounded with -p), so every
 * Woodpecker call of a provider host goes through one of these (a fixed number in flight per
 * account, far below the queue) instead of relying on the engine's parallelism.
 *
 * One host cannot see the others: several stacks deploying at once on one account (CI applying
 * staging and production) each keep their own limiter, and together they can overflow the queue.
 * A 429 is the account saying so, so the limiter backs off as TCP does (additive increase,
 * multiplicative decrease): a 429 halves the requests this host keeps in flight (at least one), and
 * each run of `RECOVER_AFTER` answers without one gives one slot back, up to the configured
 * maximum. Four hosts at 2 in flight each (8, one over what the account admits) settle at 1 each
 * after the first 429s instead of competing for the last queue place until their retries run out.
 */
import { createHash } from "node:crypto";

/** Answers without a 429 after which one slot taken by a 429 is given back. */
export const RECOVER_AFTER = 50;

export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private okStreak = 0;
  /** How many tasks may run at once now: `maxConcurrent`, less after 429s. */
  limit: number;
  /** Highest number of tasks that ran at once (for tests and the benchmark). */
  peak = 0;
  /** Times a 429 lowered the limit (for tests and the benchmark). */
  backoffs = 0;

  constructor(readonly maxConcurrent = 1) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1)
      throw new RangeError("maxConcurrent must be >= 1");
    this.limit = maxConcurrent;
  }

  get pending(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    this.peak = Math.max(this.peak, this.active);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** The account answered 429: keep fewer requests in flight. */
  rateLimited(): void {
    this.okStreak = 0;
    const lower = Math.max(1, Math.floor(this.limit / 2));
    if (lower < this.limit) {
      this.limit = lower;
      this.backoffs++;
    }
  }

  /** The account answered without a 429: after a long enough run, one more in flight. */
  answered(): void {
    if (this.limit >= this.maxConcurrent) return;
    if (++this.okStreak < RECOVER_AFTER) return;
    this.okStreak = 0;
    this.limit++;
    // The new slot goes to the next waiting task at once.
    const next = this.waiting.shift();
    if (next) {
      this.active++;
      next();
    }
  }

  private release(): void {
    if (this.active > this.limit) {
      // The limit was lowered while this task ran: its slot goes away.
      this.active--;
      return;
    }
    const next = this.waiting.shift();
    // Hand the slot straight to the next task; `active` stays the same.
    if (next) next();
    else this.active--;
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
