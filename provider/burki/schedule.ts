/**
 * `burki.Campaign`'s `schedule` (reference/burki-api.md §3.5, §4.10): its zod schema, the rules
 * `check` applies (a time in the past, a recurring config without its fields, IANA zones), the
 * mapping to and from Burki's schedule record, and when two schedules are the same.
 *
 * The rule for "a time in the past": a one-shot time is refused only when it is new (a create, or
 * an `at` that differs from the one in state). Once an applied `scheduled` time has passed the
 * schedule is spent: it is kept as history, never compared with Burki's record again and never
 * re-sent, so previews and refreshes of a campaign that ran stay quiet.
 */
import { z } from "zod";
import { digestOf } from "../core/digest";
import {
  type CheckFailure,
  type RuleViolation,
  UNKNOWN,
  containsUnknown,
  isRecord,
} from "../core/validation";
import type { BurkiSchedule as BurkiScheduleBody } from "./api";
import type { BurkiRecurring, BurkiSchedule } from "./types";
import { instantInZone, isTimeZone } from "../core/time";

const AT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?$/i;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The instant (ms since epoch) of an ISO 8601 time; one without an offset is read in `tz`. NaN if invalid. */
export function instantOf(at: string, tz = "UTC"): number {
  const m = AT.exec(at.trim());
  if (!m) return NaN;
  const [y, mo, d, h, mi, s = "0", frac = "0"] = m.slice(1, 8).map((x) => x ?? undefined) as string[];
  const naive = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Math.round(Number(`0.${frac}`) * 1000));
  const back = new Date(naive);
  if (back.getUTCMonth() !== +mo - 1 || back.getUTCDate() !== +d) return NaN; // 2026-02-30
  const offset = m[8];
  if (offset) {
    if (/^z$/i.test(offset)) return naive;
    const sign = offset[0] === "-" ? -1 : 1;
    return naive - sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6))) * 60_000;
  }
  if (!isTimeZone(tz)) return NaN;
  return instantInZone(naive, tz);
}

/** UTC ISO 8601 of an instant, without milliseconds when there are none (`2026-12-24T08:00:00Z`). */
const utcIso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");

/** The zod schema of `schedule` (field shapes; cross-field rules are in `scheduleRules`). */
export function scheduleSchema() {
  const zone = (what: string) =>
    z
      .string({ error: `must be an IANA time zone such as "Europe/Paris" (${what})` })
      .refine(isTimeZone, `must be an IANA time zone such as "Europe/Paris" or "UTC" (${what})`);
  const recurring = z.strictObject({
    frequency: z.enum(["daily", "weekly", "monthly"], { error: 'must be "daily", "weekly" or "monthly"' }),
    interval: z
      .number({ error: "must be a number" })
      .int("must be an integer")
      .min(1, "must be between 1 and 365")
      .max(365, "must be between 1 and 365")
      .default(1),
    daysOfWeek: z
      .array(
        z
          .number()
          .int("must be an integer")
          .min(1, "must be 1 (Monday) to 7 (Sunday)")
          .max(7, "must be 1 (Monday) to 7 (Sunday)"),
      )
      .min(1, "must list at least one day (1 = Monday … 7 = Sunday)")
      .max(7, "lists at most the 7 days of the week")
      .optional(),
    dayOfMonth: z
      .number({ error: "must be a number" })
      .int("must be an integer")
      .min(1, "must be between 1 and 31")
      .max(31, "must be between 1 and 31")
      .optional(),
    time: z
      .string({
        error: (i) =>
          i.input === undefined ? 'is required: the time of day of each run, "HH:MM"' : "must be a string",
      })
      .regex(TIME, 'must be a time of day "HH:MM" (24 h), e.g. "09:30"'),
    timeZone: zone("the zone of time").optional(),
    endDate: z
      .string({ error: "must be a date YYYY-MM-DD" })
      .regex(DATE, "must be a date YYYY-MM-DD, e.g. 2026-12-31")
      .refine((d) => !Number.isNaN(instantOf(`${d}T00:00Z`)), "is not a calendar date")
      .optional(),
  });
  return z.strictObject({
    type: z.enum(["immediate", "scheduled", "recurring"], {
      error: 'must be "immediate", "scheduled" or "recurring"',
    }),
    at: z
      .string({ error: "must be an ISO 8601 date and time, e.g. 2026-12-24T09:00:00Z" })
      .refine(
        (a) => !Number.isNaN(instantOf(a)),
        "must be an ISO 8601 date and time, e.g. 2026-12-24T09:00:00Z or 2026-12-24T09:00",
      )
      .optional(),
    timezone: zone("the zone of at").default("UTC"),
    recurring: recurring.optional(),
  });
}

const isKnownString = (v: unknown): v is string => typeof v === "string" && v !== UNKNOWN;

/** Cross-field rules of `schedule` (fields of the wrong type are reported by the schema). */
export function scheduleRules(inputs: Record<string, unknown>): RuleViolation[] {
  const out: RuleViolation[] = [];
  const s = inputs.schedule;
  if (!isRecord(s)) return out;
  const type = s.type;
  if (type === "scheduled" && s.at === undefined) {
    out.push({
      path: ["schedule", "at"],
      message: 'is required for a "scheduled" schedule: when it runs (ISO 8601)',
    });
  }
  if (type === "immediate" && s.at !== undefined) {
    out.push({ path: ["schedule", "at"], message: 'is not allowed for an "immediate" schedule; remove it' });
  }
  if (type === "recurring" && s.recurring === undefined) {
    out.push({
      path: ["schedule", "recurring"],
      message: 'is required for a "recurring" schedule: { frequency, time, ... }',
    });
  }
  if (type !== "recurring" && type !== UNKNOWN && s.recurring !== undefined) {
    out.push({
      path: ["schedule", "recurring"],
      message: `is only for a "recurring" schedule, not "${String(type)}"`,
    });
  }
  const r = s.recurring;
  if (type === "recurring" && isRecord(r)) {
    if (r.frequency === "weekly" && r.daysOfWeek === undefined) {
      out.push({
        path: ["schedule", "recurring", "daysOfWeek"],
        message: "is required for a weekly schedule: 1 (Monday) … 7 (Sunday)",
      });
    }
    if (r.frequency === "monthly" && r.dayOfMonth === undefined) {
      out.push({
        path: ["schedule", "recurring", "dayOfMonth"],
        message: "is required for a monthly schedule: 1–31",
      });
    }
    if (isKnownString(r.frequency) && r.frequency !== "weekly" && r.daysOfWeek !== undefined) {
      out.push({
        path: ["schedule", "recurring", "daysOfWeek"],
        message: `is only for a weekly schedule, not ${r.frequency}`,
      });
    }
    if (isKnownString(r.frequency) && r.frequency !== "monthly" && r.dayOfMonth !== undefined) {
      out.push({
        path: ["schedule", "recurring", "dayOfMonth"],
        message: `is only for a monthly schedule, not ${r.frequency}`,
      });
    }
    if (Array.isArray(r.daysOfWeek) && new Set(r.daysOfWeek).size !== r.daysOfWeek.length) {
      out.push({ path: ["schedule", "recurring", "daysOfWeek"], message: "lists a day twice" });
    }
  }
  const state = inputs.state;
  if ((type === "scheduled" || type === "recurring") && (state === "draft" || state === "paused")) {
    if (!(type === "scheduled" && isSpent(s as unknown as BurkiSchedule))) {
      out.push({
        path: ["state"],
        message: `"${state}" contradicts the ${type} schedule (Burki starts a scheduled campaign at its time): declare state "running" or leave it out, or set schedule.type "immediate"`,
      });
    }
  }
  return out;
}

/** A one-shot schedule whose time has passed: history, never re-applied (see the module comment). */
export function isSpent(s: BurkiSchedule | undefined, now = Date.now()): boolean {
  if (!s || s.type !== "scheduled" || !isKnownString(s.at)) return false;
  const at = instantOf(s.at, isKnownString(s.timezone) ? s.timezone : "UTC");
  return at <= now;
}

/**
 * The check rule on the old and new inputs: a time in the past is refused when it is new (a
 * create, or a time that differs from the one in state); a spent schedule already in state is not.
 */
export function scheduleTimeRule(
  olds: Record<string, unknown>,
  inputs: { schedule?: BurkiSchedule },
): CheckFailure | undefined {
  const s = inputs.schedule;
  if (!s || containsUnknown(s)) return undefined;
  const old = isRecord(olds.schedule) ? (olds.schedule as unknown as BurkiSchedule) : undefined;
  const tz = s.timezone ?? "UTC";
  if (s.at !== undefined && s.type !== "immediate") {
    const at = instantOf(s.at, tz);
    const unchanged =
      old?.at !== undefined && instantOf(old.at, old.timezone ?? "UTC") === at && old.type === s.type;
    if (at <= Date.now() && !unchanged) {
      return {
        property: "schedule.at",
        reason: `${s.at} (${tz}) is in the past: Burki refuses a schedule in the past. Give a future time, or type "immediate" to start now`,
      };
    }
  }
  const end = s.recurring?.endDate;
  if (s.type === "recurring" && end !== undefined && end !== old?.recurring?.endDate) {
    const zone = s.recurring?.timeZone ?? tz;
    if (instantOf(`${end}T23:59:59`, zone) <= Date.now()) {
      return {
        property: "schedule.recurring.endDate",
        reason: `${end} is in the past: the schedule would never run. Give a later end date or leave it out`,
      };
    }
  }
  return undefined;
}

/** `check`'s defaults the schema cannot express: a recurring `timeZone` defaults to `timezone`. */
export function normalizeSchedule(s: BurkiSchedule): BurkiSchedule {
  if (!isRecord(s)) return s; // unknown at preview
  const out: BurkiSchedule = { ...s };
  if (isRecord(out.recurring) && out.recurring.timeZone === undefined && out.timezone !== undefined) {
    out.recurring = { ...out.recurring, timeZone: out.timezone };
  }
  return out;
}

/** The body of POST /schedule. `at` is sent as a UTC instant, so Burki cannot read it in another zone. */
export function toScheduleBody(s: BurkiSchedule): BurkiScheduleBody {
  const tz = s.timezone ?? "UTC";
  const body: BurkiScheduleBody = { schedule_type: s.type, timezone: tz };
  if (s.type === "immediate") return body;
  if (s.at !== undefined) body.scheduled_at = utcIso(instantOf(s.at, tz));
  if (s.type === "recurring" && s.recurring) {
    const r = s.recurring;
    const config: Record<string, unknown> = {
      frequency: r.frequency,
      interval: r.interval ?? 1,
      time: r.time,
      time_zone: r.timeZone ?? tz,
    };
    if (r.daysOfWeek) config.days_of_week = [...r.daysOfWeek].sort((a, b) => a - b);
    if (r.dayOfMonth !== undefined) config.day_of_month = r.dayOfMonth;
    if (r.endDate !== undefined) config.end_date = r.endDate;
    body.recurring_config = config;
  }
  return body;
}

/**
 * Burki's schedule record in input shape. Burki does not send the top-level `timezone` back, so
 * it is the declared one (`at` is compared as an instant, which does not depend on it).
 */
export function fromScheduleBody(
  api: BurkiScheduleBody | undefined,
  declared?: BurkiSchedule,
): BurkiSchedule {
  const timezone = declared?.timezone ?? api?.timezone ?? "UTC";
  const rawType = api?.schedule_type === "once" ? "scheduled" : api?.schedule_type;
  if (rawType !== "scheduled" && rawType !== "recurring") return { type: "immediate", timezone };
  const out: BurkiSchedule = { type: rawType, timezone };
  if (api?.scheduled_at) {
    const ms = instantOf(api.scheduled_at, "UTC");
    out.at = Number.isNaN(ms) ? api.scheduled_at : utcIso(ms);
  }
  const c = api?.recurring_config;
  if (rawType === "recurring" && c && typeof c === "object") {
    const r: Partial<BurkiRecurring> = {
      frequency: c.frequency as BurkiRecurring["frequency"],
      interval: typeof c.interval === "number" ? c.interval : 1,
      time: String(c.time ?? ""),
    };
    if (Array.isArray(c.days_of_week)) r.daysOfWeek = [...(c.days_of_week as number[])].sort((a, b) => a - b);
    if (typeof c.day_of_month === "number") r.dayOfMonth = c.day_of_month;
    if (typeof c.time_zone === "string") r.timeZone = c.time_zone;
    if (typeof c.end_date === "string" && c.end_date) r.endDate = c.end_date;
    out.recurring = r as BurkiRecurring;
  }
  return out;
}

/** One spelling of a schedule for comparing: what Burki would run, as POST /schedule says it. */
function comparable(s: BurkiSchedule): string {
  const b = toScheduleBody(s);
  delete b.timezone; // not read back; `at` is an instant
  return digestOf(b);
}

/**
 * Do two schedules run the campaign at the same times? Total over partial input: an unknown
 * anywhere (preview) is "may change", i.e. not the same.
 */
export function sameSchedule(a: BurkiSchedule | undefined, b: BurkiSchedule | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (containsUnknown(a) || containsUnknown(b) || !isRecord(a) || !isRecord(b)) return false;
  try {
    return comparable(a) === comparable(b) && (a.timezone ?? "UTC") === (b.timezone ?? "UTC");
  } catch {
    return false;
  }
}

/** Same times on Burki's side, `timezone` aside (Burki does not send it back). */
export function sameRun(a: BurkiSchedule, b: BurkiSchedule): boolean {
  try {
    return comparable(a) === comparable(b);
  } catch {
    return false;
  }
}

/** A schedule that makes Burki start the campaign by itself (status `scheduled`). */
export const isTimed = (s: BurkiSchedule | undefined): boolean =>
  s?.type === "scheduled" || s?.type === "recurring";
