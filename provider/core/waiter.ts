/**
 * Bounded polling with exponential backoff. Waiters carry their own time bound (as SST's do):
 * dynamic providers get no customTimeouts from the engine.
 */
import { WaitTimeoutError } from "./errors";

export interface WaitOptions {
  /** Shown in the timeout error: "Burki campaign 42 (renewals) to stop". */
  what: string;
  timeoutMs: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Appended to the timeout message: what the user can do. */
  hint?: string;
  /** Wait this long before the first check (when the thing cannot be ready at once). */
  firstCheckAfterMs?: number;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Call `probe` until it returns a value other than `undefined`; wait 1×, 2×, 4× … `initialDelayMs`
 * between calls (at least 100 ms after the first wait, capped at `maxDelayMs`), and give up with
 * WaitTimeoutError after `timeoutMs`.
 */
export async function waitFor<T>(opts: WaitOptions, probe: () => Promise<T | undefined>): Promise<T> {
  const start = Date.now();
  let delay = opts.initialDelayMs ?? 250;
  const maxDelay = opts.maxDelayMs ?? 5_000;
  let polls = 0;
  if (opts.firstCheckAfterMs) await sleep(Math.min(opts.firstCheckAfterMs, opts.timeoutMs));
  for (;;) {
    polls++;
    const value = await probe();
    if (value !== undefined) return value;
    const elapsed = Date.now() - start;
    if (elapsed >= opts.timeoutMs) {
      throw new WaitTimeoutError(
        `Timed out after ${Math.round(elapsed / 1000)}s (${polls} checks) waiting for ${opts.what}.` +
          (opts.hint ? ` ${opts.hint}` : ""),
      );
    }
    await sleep(Math.min(delay, opts.timeoutMs - elapsed));
    delay = Math.min(Math.max(delay * 2, 100), maxDelay);
  }
}
