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
  /** Shortest wait between two checks after the first wait (100 ms unless told). */
  minDelayMs?: number;
  /** Each wait is this many times the previous one (2 unless told). */
  backoff?: number;
  /**
   * The pace of the hop waited for, learned from the earlier waits on it in this process: the
   * first check goes when the last measured hop was over (see `Pace`). Instead of a fixed
   * `firstCheckAfterMs`.
   */
  pace?: Pace;
  /** Give up after this many checks as well (a bounded number of attempts rather than a time). */
  maxChecks?: number;
  /**
   * Give up as soon as the next wait would reach the time bound, rather than checking once more
   * at the bound itself.
   */
  noCheckAtDeadline?: boolean;
  /**
   * Called after a check that found the wait not over, at most once per `progressEveryMs` (15 s
   * unless told): a long wait says it is still waiting (the provider's stderr lines are shown by
   * the engine as they come, docs/what-you-see.md).
   */
  onProgress?: (elapsedMs: number) => void;
  progressEveryMs?: number;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Early probes a Pace spends on narrowing its bracket, at most (each is one extra API call). */
export const MAX_EARLY_PROBES = 3;

/**
 * How long a hop of an API takes (an import being processed, a started campaign leaving
 * `scheduled`), measured on the waits for it in this process, so that the next wait checks when
 * the hop can be over instead of after a fixed first delay: at the API's pace, one check.
 *
 * Until a measure exists, one wait (the scout) checks after its first short delay and then with its own
 * backoff; the waits that begin meanwhile hold their first check until the scout has measured
 * (at most their `maxDelayMs`) instead of each spending checks on learning the same thing. The
 * scout leaves a bracket: its last check that found the hop not over, and the one that found it
 * over. Later waits check at the upper end (`expectedMs`), and one at a time (never two at once)
 * probes the middle while the bracket is wider than 10 % (at least 10 ms): a probe that finds it
 * over lowers the upper end, one that is early raises the lower end at the cost of one check (at
 * most MAX_EARLY_PROBES of those per hop). A
 * wait whose check at the upper end is early (the hop got slower) measures it again.
 */
export class Pace {
  private overMs: number | undefined;
  private earlyMs: number | undefined;
  private scouting: Promise<void> | undefined;
  private probing = false;
  /** Probes that found the hop not over yet: each cost a check, so a few are enough. */
  private earlyProbes = 0;

  /** When, after a wait began, a check is known to find the hop over (ms). */
  get expectedMs(): number | undefined {
    return this.overMs;
  }

  /** Forget the measure (tests). */
  reset(): void {
    this.overMs = this.earlyMs = undefined;
    this.probing = false;
    this.earlyProbes = 0;
  }

  /**
   * Before the first check of a wait that began at `began`: sleeps until the measured hop is
   * over (or until the middle of the bracket, for the one probing wait), or waits up to `holdMs`
   * for a scout's measure.
   */
  async beforeFirstCheck(began: number, holdMs: number): Promise<PaceTicket> {
    if (this.overMs === undefined && this.scouting) {
      let timer: NodeJS.Timeout | undefined;
      const held = new Promise<void>((r) => (timer = setTimeout(r, holdMs)));
      await Promise.race([this.scouting, held]);
      clearTimeout(timer);
    }
    if (this.overMs !== undefined) {
      let at = this.overMs;
      let probe = false;
      const early = this.earlyMs;
      if (
        !this.probing &&
        this.earlyProbes < MAX_EARLY_PROBES &&
        early !== undefined &&
        at - early > Math.max(10, at * 0.1)
      ) {
        this.probing = probe = true;
        at = Math.round((early + at) / 2);
      }
      const left = began + at - Date.now();
      if (left > 0) await sleep(left);
      return { role: probe ? "probe" : "follow", release: probe ? () => (this.probing = false) : undefined };
    }
    if (this.scouting) return { role: "follow" }; // held long enough: check on its own
    let release!: () => void;
    this.scouting = new Promise<void>((r) => (release = r));
    return {
      role: "scout",
      release: () => {
        this.scouting = undefined;
        release();
      },
    };
  }

  /**
   * What a wait saw, in ms after it began: when it sent its first check, its last check that
   * found the hop not over (if any), and the check that found it over.
   */
  settle(t: PaceTicket, seen: { firstMs: number; lastEarlyMs?: number; overMs: number }): void {
    const round = (ms: number) => Math.max(0, Math.round(ms));
    const raiseEarly = (ms: number) => (this.earlyMs = Math.max(this.earlyMs ?? 0, round(ms)));
    if (this.overMs === undefined) {
      this.overMs = round(seen.overMs);
      this.earlyMs = seen.lastEarlyMs === undefined ? undefined : round(seen.lastEarlyMs);
    } else if (seen.lastEarlyMs === undefined) {
      // The first check found it over: a probe lowers the upper end.
      if (t.role === "probe") this.overMs = Math.min(this.overMs, round(seen.firstMs));
    } else if (t.role === "probe") {
      this.earlyProbes++;
      raiseEarly(seen.lastEarlyMs);
      this.overMs = Math.min(this.overMs, round(seen.overMs));
    } else {
      // Early at the upper end: the hop got slower. Measure it again from this wait.
      raiseEarly(seen.lastEarlyMs);
      this.overMs = round(seen.overMs);
    }
    if (this.earlyMs !== undefined && this.earlyMs >= this.overMs) this.earlyMs = undefined;
  }
}

/** A wait's part in measuring its pace (Pace.beforeFirstCheck). */
export interface PaceTicket {
  role: "scout" | "probe" | "follow";
  /** Ends the scouting or the probing: always called when the wait ends. */
  release?: () => void;
}

/**
 * Call `probe` until it returns a value other than `undefined`; wait 1×, 2×, 4× … `initialDelayMs`
 * between calls (at least `minDelayMs`, 100 ms unless told, after the first wait; capped at
 * `maxDelayMs`; `backoff` sets the factor), and give up with WaitTimeoutError after `timeoutMs`
 * (or `maxChecks` calls). With a `pace`, the first call goes when the hop can be over.
 */
export async function waitFor<T>(opts: WaitOptions, probe: () => Promise<T | undefined>): Promise<T> {
  const start = Date.now();
  let delay = opts.initialDelayMs ?? 250;
  const maxDelay = opts.maxDelayMs ?? 5_000;
  const minDelay = opts.minDelayMs ?? 100;
  const factor = opts.backoff ?? 2;
  let polls = 0;
  let ticket: PaceTicket | undefined;
  if (opts.pace) {
    ticket = await opts.pace.beforeFirstCheck(start, Math.min(maxDelay, opts.timeoutMs));
    // A paced wait begins when the API has just said the hop is under way (import-data's 202,
    // start's "scheduled"): a check at once would only hear that again.
    if (ticket.role === "scout") await sleep(Math.min(delay, opts.timeoutMs));
  } else if (opts.firstCheckAfterMs) await sleep(Math.min(opts.firstCheckAfterMs, opts.timeoutMs));
  let firstMs = 0;
  let lastEarlyMs: number | undefined;
  let lastProgressMs = 0;
  try {
    for (;;) {
      polls++;
      const sentMs = Date.now() - start;
      if (polls === 1) firstMs = sentMs;
      const value = await probe();
      if (value !== undefined) {
        if (ticket) opts.pace!.settle(ticket, { firstMs, lastEarlyMs, overMs: sentMs });
        return value;
      }
      lastEarlyMs = sentMs;
      const elapsed = Date.now() - start;
      if (opts.onProgress && elapsed - lastProgressMs >= (opts.progressEveryMs ?? 15_000)) {
        lastProgressMs = elapsed;
        opts.onProgress(elapsed);
      }
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
      delay = Math.min(Math.max(delay * factor, minDelay), maxDelay);
    }
  } finally {
    ticket?.release?.();
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
