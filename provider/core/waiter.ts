/**
 * The one waiter. Bounded polling with exponential backoff (`waitFor`), and on top of it the state
 * wait every platform's wait.ts is written in (`waitForState`, after terraform's
 * `retry.StateChangeConf{Pending, Target, Refresh, Timeout}`): a refresh function reports the
 * current state, the wait ends on a target state, goes on through a pending one, and fails on any
 * other. Waiters carry their own time bound (as SST's do): dynamic providers get no
 * customTimeouts from the engine.
 */
import { CampaignsError, WaitTimeoutError } from "./errors";

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
  /** Give up after this many checks as well (a bounded number of attempts rather than a time). */
  maxChecks?: number;
  /**
   * Give up as soon as the next wait would reach the time bound, rather than checking once more
   * at the bound itself.
   */
  noCheckAtDeadline?: boolean;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Call `probe` until it returns a value other than `undefined`; wait 1×, 2×, 4× … `initialDelayMs`
 * between calls (at least 100 ms after the first wait, capped at `maxDelayMs`), and give up with
 * WaitTimeoutError after `timeoutMs` (or `maxChecks` calls).
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
    if (opts.maxChecks !== undefined && polls >= opts.maxChecks) {
      throw new WaitTimeoutError(
        `Gave up after ${polls} checks waiting for ${opts.what}.` + (opts.hint ? ` ${opts.hint}` : ""),
      );
    }
    if (elapsed >= opts.timeoutMs || (opts.noCheckAtDeadline && elapsed + delay >= opts.timeoutMs)) {
      throw new WaitTimeoutError(
        `Timed out after ${Math.round(elapsed / 1000)}s (${polls} checks) waiting for ${opts.what}.` +
          (opts.hint ? ` ${opts.hint}` : ""),
      );
    }
    await sleep(Math.min(delay, opts.timeoutMs - elapsed));
    delay = Math.min(Math.max(delay * 2, 100), maxDelay);
  }
}

/** What a refresh function reports: the state, and the thing it read (a campaign, an import…). */
export interface Observed<T> {
  state: string;
  value: T;
}

export interface StateWait<T> extends WaitOptions {
  /** States the wait goes on through. */
  pending: readonly string[];
  /** States that end the wait. */
  target: readonly string[];
  /** Reads the current state; may act as well (re-send a request nobody confirmed). */
  refresh: () => Promise<Observed<T>>;
  /**
   * A state in neither list: "fail" (the default: the thing is doing something this code does not
   * know), or "pending" where the vendor does not document its states, so only known ones decide.
   */
  otherStates?: "fail" | "pending";
}

/** A wait met a state that is neither pending nor a target. */
export class UnexpectedStateError extends CampaignsError {
  constructor(
    readonly what: string,
    readonly state: string,
    readonly target: readonly string[],
  ) {
    super(`Unexpected state "${state}" while waiting for ${what} (expected ${target.join(" or ")}).`);
  }
}

/** Wait until `refresh` reports a target state; returns what it observed then. */
export async function waitForState<T>(w: StateWait<T>): Promise<Observed<T>> {
  return waitFor(w, async () => {
    const observed = await w.refresh();
    if (w.target.includes(observed.state)) return observed;
    if (w.pending.includes(observed.state) || w.otherStates === "pending") return undefined;
    throw new UnexpectedStateError(w.what, observed.state, w.target);
  });
}
