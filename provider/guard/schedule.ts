/**
 * Reading a Burki campaign's `schedule`: whether the new inputs start the campaign by themselves (at a
 * time), and what an in-place update changes about when it runs. Times are compared as instants, so the
 * same time written in another zone is no change.
 */
import type { ResourceState } from "./preview";
import { SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from "./preview";
import type { CampaignChange } from "./plan";
import { instantInZone, isTimeZone } from "../core/time";
import type { Platform } from "../core/errors";

/**
 * A Burki `schedule` in the new inputs that starts the campaign by itself (at its time, with or
 * without `state`): the words saying when, or undefined. Fails closed on a value not known yet.
 */
export function scheduledStart(platform: Platform, state: ResourceState | undefined): string | undefined {
  if (platform !== "burki") return undefined;
  const timing = timingOf(state?.inputs?.schedule as unknown);
  if (timing === undefined) return undefined;
  return timing.exact ? ` ${timing.words} (its schedule)` : ` ${timing.words}`;
}

/** When a Burki schedule starts the campaign, as words ("at 2026-12-24T09:00:00Z"), or undefined (not timed). */
function whenOf(s: unknown): string | undefined {
  return timingOf(s)?.words;
}

/**
 * When a schedule starts the campaign: the words, and whether they give its own time (`exact`), or
 * undefined when it is not timed (immediate, or not a schedule). A value not known yet still counts as
 * timed: the guard fails closed.
 */
function timingOf(s: unknown): { words: string; exact: boolean } | undefined {
  const notKnown = { words: "when its schedule says (not known until apply)", exact: false };
  if (s === SECRET_PLACEHOLDER || s === UNKNOWN_PLACEHOLDER) return notKnown;
  if (!s || typeof s !== "object") return undefined;
  const { type, at } = s as { type?: unknown; at?: unknown };
  if (type === "scheduled") {
    return typeof at === "string" && at !== UNKNOWN_PLACEHOLDER && at !== SECRET_PLACEHOLDER
      ? { words: `at ${at}`, exact: true }
      : { words: "at its scheduled time (not known until apply)", exact: false };
  }
  if (type === "recurring") return { words: "on its recurring schedule", exact: false };
  if (type === UNKNOWN_PLACEHOLDER || type === SECRET_PLACEHOLDER) return notKnown;
  return undefined;
}

/** The instant of a schedule's `at` (an offset-less time is read in `tz`); NaN when unreadable. */
function instantAt(at: string, tz: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(
    at.trim(),
  );
  if (!m) return NaN;
  if (m[7]) return Date.parse(at.trim());
  if (!isTimeZone(tz)) return NaN;
  return instantInZone(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0)), tz);
}

/** JSON with sorted keys (a recurring rule read back from Burki may list its fields in another order). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined && x !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/**
 * Do two schedules start the campaign at the same times? `at` is compared as an instant (Burki does
 * not return `timezone`), a recurring rule with its defaults (interval 1, the schedule's zone). Not
 * sure (unreadable): not the same, so the change is reported.
 */
function sameTimes(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  if (a.type !== b.type) return false;
  const zone = (s: Record<string, unknown>) => (typeof s.timezone === "string" ? s.timezone : "UTC");
  if (a.at !== undefined || b.at !== undefined) {
    if (typeof a.at !== "string" || typeof b.at !== "string") return false;
    const x = instantAt(a.at, zone(a));
    if (!Number.isFinite(x) || x !== instantAt(b.at, zone(b))) return false;
  }
  const rule = (s: Record<string, unknown>) => {
    const r =
      s.recurring && typeof s.recurring === "object" ? (s.recurring as Record<string, unknown>) : undefined;
    return r ? canonical({ interval: 1, ...r, timeZone: r.timeZone ?? zone(s) }) : undefined;
  };
  return rule(a) === rule(b);
}

/**
 * What an in-place update does to a Burki campaign's schedule, judged on the old state's schedule
 * (Burki's record after a refresh, else the old inputs) and the new inputs:
 * - `set`: a timed schedule (scheduled / recurring) that is new or at other times (or not known yet);
 * - `cleared`: `type: immediate` replaces a timed schedule (a scheduled campaign goes back to draft);
 * - `dropped`: the `schedule` input is removed (Pulumi stops managing it; Burki keeps it);
 * - undefined: no change of when the campaign runs.
 */
export type ScheduleChange =
  | { kind: "set"; when: string; was?: string; known: boolean }
  | { kind: "cleared"; was: string }
  | { kind: "dropped"; was: string };

export function scheduleChangeOf(change: CampaignChange): ScheduleChange | undefined {
  if (change.platform !== "burki") return undefined;
  const next = change.new?.inputs?.schedule as unknown;
  const prev = (change.old?.outputs?.schedule ?? change.old?.inputs?.schedule) as unknown;
  const was = whenOf(prev);
  if (next === undefined || next === null) return was ? { kind: "dropped", was } : undefined;
  const when = whenOf(next);
  if (when === undefined) {
    // Immediate (or not an object: check refuses it): only a timed schedule before changes anything.
    return was ? { kind: "cleared", was } : undefined;
  }
  const known =
    !when.includes("not known until apply") && !JSON.stringify(next).includes(UNKNOWN_PLACEHOLDER);
  if (known && was && prev && typeof prev === "object") {
    if (sameTimes(next as Record<string, unknown>, prev as Record<string, unknown>)) return undefined;
  }
  return { kind: "set", when, ...(was ? { was } : {}), known };
}
