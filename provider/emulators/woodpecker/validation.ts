/**
 * Request validation: every problem of a body is collected as "<path> <message>" (Issues) and
 * answered in one 400 INPUT_DATA_VALIDATION_FAILURE (errors.ts `validationFailure`).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { HttpReply, parseJson, type RequestContext } from "../common";
import { unreadable } from "./errors";
import {
  CATCH_ALL_MODES,
  HHMM,
  MAX_DAILY_ENROLL,
  MAX_STEPS,
  MAX_VERSIONS,
  MAX_WINDOWS_PER_DAY,
  TIMEZONES,
  WEEKDAYS,
  type DeliveryTime,
  type EmailVersion,
  type FollowupAfter,
  type LinkedInStep,
  type LinkedInVersion,
  type Range,
  type Settings,
  type Signature,
  type StoredStep,
  type TimeWindow,
} from "./types";

export class Issues {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(`${path} ${message}`);
  }
  get ok(): boolean {
    return this.list.length === 0;
  }
}

export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isPosInt(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v > 0;
}

// emulator guess: undefined and null both mean "not given" for optional fields.
export function given(v: unknown): boolean {
  return v !== undefined && v !== null;
}

export function parseCampaignId(raw: string): number | undefined {
  if (!/^-?\d{1,19}$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function newVersionId(): string {
  return randomBytes(32).toString("hex");
}

export function letter(i: number): string {
  return String.fromCharCode(65 + i);
}

export function defaultDeliveryTime(): DeliveryTime {
  // emulator guess: steps created without delivery_time get Mon–Fri 08:00–18:00 (the GET example's values).
  const out: DeliveryTime = {};
  for (const d of WEEKDAYS.slice(0, 5)) out[d] = [{ from: "08:00", to: "18:00" }];
  return out;
}

export function cloneDeliveryTime(dt: DeliveryTime): DeliveryTime {
  const out: DeliveryTime = {};
  for (const d of WEEKDAYS) {
    const w = dt[d];
    if (w) out[d] = w.map((x) => ({ from: x.from, to: x.to }));
  }
  return out;
}

export function parseDeliveryTime(v: unknown, path: string, issues: Issues): DeliveryTime | undefined {
  if (!isObj(v)) {
    issues.add(path, "must be an object mapping weekdays (MONDAY…SUNDAY) to time windows");
    return undefined;
  }
  const before = issues.list.length;
  for (const key of Object.keys(v)) {
    if (!(WEEKDAYS as readonly string[]).includes(key)) issues.add(`${path}.${key}`, "is not a weekday");
  }
  const out: DeliveryTime = {};
  for (const day of WEEKDAYS) {
    const windows = v[day];
    // emulator guess: a day set to null counts as absent; an empty array is refused (1–3 windows a day).
    if (!given(windows)) continue;
    const at = `${path}.${day}`;
    if (!Array.isArray(windows) || windows.length < 1 || windows.length > MAX_WINDOWS_PER_DAY) {
      issues.add(at, `must have 1 to ${MAX_WINDOWS_PER_DAY} time windows`);
      continue;
    }
    const parsed: TimeWindow[] = [];
    windows.forEach((w, i) => {
      const wp = `${at}[${i}]`;
      if (!isObj(w)) return issues.add(wp, 'must be {"from":"HH:mm","to":"HH:mm"}');
      const { from, to } = w;
      const okFrom = typeof from === "string" && HHMM.test(from);
      const okTo = typeof to === "string" && HHMM.test(to);
      if (!okFrom) issues.add(`${wp}.from`, "must be a time in 24h HH:mm format");
      if (!okTo) issues.add(`${wp}.to`, "must be a time in 24h HH:mm format");
      if (okFrom && okTo) {
        if (from >= to) issues.add(wp, `must start before it ends (${from} >= ${to})`);
        else parsed.push({ from, to });
      }
    });
    // emulator guess: overlapping windows on one day are refused.
    const sorted = [...parsed].sort((a, b) => a.from.localeCompare(b.from));
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].from < sorted[i - 1].to) issues.add(at, "has overlapping time windows");
    }
    out[day] = parsed;
  }
  if (issues.list.length === before && Object.keys(out).length === 0) {
    issues.add(path, "must contain at least one day");
  }
  return issues.list.length === before ? out : undefined;
}

export function parseFollowupAfter(v: unknown, path: string, issues: Issues): FollowupAfter | undefined {
  // emulator guess: when omitted (on any step) it defaults to {"range":"DAY","value":1}, the GET default.
  if (!given(v)) return { range: "DAY", value: 1 };
  if (!isObj(v)) {
    issues.add(path, 'must be {"range":"MINUTE"|"HOUR"|"DAY","value":<integer > 0>}');
    return undefined;
  }
  const before = issues.list.length;
  if (v.range !== "MINUTE" && v.range !== "HOUR" && v.range !== "DAY") {
    issues.add(`${path}.range`, "must be MINUTE, HOUR or DAY");
  }
  if (!isPosInt(v.value)) issues.add(`${path}.value`, "must be an integer greater than 0");
  return issues.list.length === before ? { range: v.range as Range, value: v.value as number } : undefined;
}

export function parseSignature(v: unknown, path: string, issues: Issues): Signature | undefined {
  if (v === "SENDER" || v === "NO_SIGNATURE") return v;
  issues.add(path, "must be SENDER or NO_SIGNATURE");
  return undefined;
}

export function parseEmailVersions(v: unknown, path: string, issues: Issues): EmailVersion[] | undefined {
  if (!Array.isArray(v) || v.length < 1 || v.length > MAX_VERSIONS) {
    issues.add(path, `must be an array of 1 to ${MAX_VERSIONS} versions`);
    return undefined;
  }
  const before = issues.list.length;
  const out: EmailVersion[] = [];
  v.forEach((x, i) => {
    const vp = `${path}[${i}]`;
    if (!isObj(x)) return issues.add(vp, "must be an object");
    if (typeof x.message !== "string") issues.add(`${vp}.message`, "is required and must be a string");
    if (x.subject !== undefined && x.subject !== null && typeof x.subject !== "string") {
      issues.add(`${vp}.subject`, "must be a string or null");
    }
    // emulator guess: signature defaults to SENDER and track_opens to true.
    const signature = given(x.signature) ? parseSignature(x.signature, `${vp}.signature`, issues) : "SENDER";
    if (given(x.track_opens) && typeof x.track_opens !== "boolean") {
      issues.add(`${vp}.track_opens`, "must be a boolean");
    }
    out.push({
      id: newVersionId(),
      version: letter(i),
      subject: typeof x.subject === "string" ? x.subject : null,
      message: typeof x.message === "string" ? x.message : "",
      signature: signature ?? "SENDER",
      track_opens: typeof x.track_opens === "boolean" ? x.track_opens : true,
    });
  });
  return issues.list.length === before ? out : undefined;
}

export function parseLinkedInBody(
  v: unknown,
  path: string,
  issues: Issues,
): LinkedInStep["body"] | undefined {
  if (!isObj(v)) {
    issues.add(path, "is required: {action_type, linkedin_account_id, versions}");
    return undefined;
  }
  const before = issues.list.length;
  // emulator guess: any non-empty action_type is accepted (documented: CONNECTION_REQUEST; third-party:
  // VISIT_PROFILE, DIRECT_MESSAGE).
  if (typeof v.action_type !== "string" || v.action_type.trim() === "") {
    issues.add(`${path}.action_type`, "is required");
  }
  if (!isPosInt(v.linkedin_account_id)) {
    issues.add(`${path}.linkedin_account_id`, "is required and must be a positive integer");
  }
  const versions: LinkedInVersion[] = [];
  // emulator guess: LinkedIn versions are optional (a profile visit has no message), at most 5.
  if (given(v.versions)) {
    if (!Array.isArray(v.versions) || v.versions.length > MAX_VERSIONS) {
      issues.add(`${path}.versions`, `must be an array of at most ${MAX_VERSIONS} versions`);
    } else {
      v.versions.forEach((x: unknown, i: number) => {
        if (!isObj(x) || typeof x.message !== "string") {
          return issues.add(`${path}.versions[${i}].message`, "is required and must be a string");
        }
        versions.push({ id: newVersionId(), version: letter(i), message: x.message });
      });
    }
  }
  if (issues.list.length !== before) return undefined;
  return {
    action_type: v.action_type as string,
    linkedin_account_id: v.linkedin_account_id as number,
    versions,
  };
}

/** One EMAIL/LINKEDIN step (its `followup` is not looked at). Step ids sent by clients are ignored. */
export function parseStep(v: unknown, path: string, issues: Issues): StoredStep | undefined {
  if (!isObj(v)) {
    issues.add(path, "must be a step object");
    return undefined;
  }
  if (v.type !== "EMAIL" && v.type !== "LINKEDIN") {
    issues.add(`${path}.type`, "must be EMAIL or LINKEDIN");
    return undefined;
  }
  const before = issues.list.length;
  const delivery = given(v.delivery_time)
    ? parseDeliveryTime(v.delivery_time, `${path}.delivery_time`, issues)
    : defaultDeliveryTime();
  const followupAfter = parseFollowupAfter(v.followup_after, `${path}.followup_after`, issues);
  const common = { id: randomUUID(), processedProspects: 0 };
  if (v.type === "EMAIL") {
    const body = v.body;
    let versions: EmailVersion[] | undefined;
    if (!isObj(body)) issues.add(`${path}.body`, "is required: {versions: [...]}");
    else versions = parseEmailVersions(body.versions, `${path}.body.versions`, issues);
    if (issues.list.length !== before || !delivery || !followupAfter || !versions) return undefined;
    return {
      ...common,
      type: "EMAIL",
      followup_after: followupAfter,
      delivery_time: delivery,
      body: { versions },
    };
  }
  const body = parseLinkedInBody(v.body, `${path}.body`, issues);
  if (issues.list.length !== before || !delivery || !followupAfter || !body) return undefined;
  return { ...common, type: "LINKEDIN", followup_after: followupAfter, delivery_time: delivery, body };
}

export function parseStepChain(root: unknown, issues: Issues): StoredStep[] | undefined {
  if (!isObj(root)) {
    issues.add("steps", "is required and must be the START step object");
    return undefined;
  }
  const before = issues.list.length;
  if (root.type !== "START") issues.add("steps.type", "must be START");
  const nodes: unknown[] = [];
  for (let n: unknown = root.followup; given(n); n = isObj(n) ? n.followup : undefined) nodes.push(n);
  if (nodes.length < 1 || nodes.length > MAX_STEPS) {
    issues.add(
      "steps",
      `must be followed by 1 to ${MAX_STEPS} EMAIL or LINKEDIN steps (got ${nodes.length})`,
    );
  }
  const steps: StoredStep[] = [];
  nodes.slice(0, MAX_STEPS + 1).forEach((n, i) => {
    const s = parseStep(n, `steps[${i + 1}]`, issues);
    if (s) steps.push(s);
  });
  return issues.list.length === before ? steps : undefined;
}

export function parseSettings(
  v: unknown,
  mode: "create" | "patch",
  issues: Issues,
): Partial<Settings> | undefined {
  if (!given(v)) {
    if (mode === "create") issues.add("settings", "is required (settings.timezone, settings.daily_enroll)");
    return mode === "create" ? undefined : {};
  }
  if (!isObj(v)) {
    issues.add("settings", "must be an object");
    return undefined;
  }
  const before = issues.list.length;
  const out: Partial<Settings> = {};
  if (given(v.timezone)) {
    if (typeof v.timezone !== "string" || !TIMEZONES.has(v.timezone)) {
      issues.add("settings.timezone", `is not a supported time zone (${JSON.stringify(v.timezone)})`);
    } else out.timezone = v.timezone;
  } else if (mode === "create") issues.add("settings.timezone", "is required");
  if (given(v.daily_enroll)) {
    const n = v.daily_enroll;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1 || n > MAX_DAILY_ENROLL) {
      issues.add("settings.daily_enroll", `must be an integer from 1 to ${MAX_DAILY_ENROLL}`);
    } else out.daily_enroll = n;
  } else if (mode === "create") issues.add("settings.daily_enroll", "is required");
  for (const key of [
    "prospect_timezone",
    "gdpr_unsubscribe",
    "list_unsubscribe",
    "auto_pause_prospect_from_domain",
  ] as const) {
    if (!given(v[key])) continue;
    if (typeof v[key] !== "boolean") issues.add(`settings.${key}`, "must be a boolean");
    else out[key] = v[key];
  }
  if (given(v.open_disabled_list)) {
    const l = v.open_disabled_list;
    if (!Array.isArray(l) || !l.every((x) => typeof x === "string")) {
      issues.add("settings.open_disabled_list", "must be an array of strings");
    } else out.open_disabled_list = [...(l as string[])];
  }
  if (given(v.catch_all_verification_mode)) {
    const m = v.catch_all_verification_mode;
    if (!(CATCH_ALL_MODES as readonly unknown[]).includes(m)) {
      issues.add("settings.catch_all_verification_mode", `must be one of ${CATCH_ALL_MODES.join(", ")}`);
    } else out.catch_all_verification_mode = m as Settings["catch_all_verification_mode"];
  }
  // emulator guess: settings outside the 8 documented ones (e.g. the third-party
  // auto_pause_prospect_from_domain_statuses, count_followup_delay_in_working_days) are ignored.
  return issues.list.length === before ? out : undefined;
}

/** Validation of a version edit; returns the changes to apply. */
export function parseVersionPatch(
  step: StoredStep,
  v: Record<string, unknown>,
  path: string,
  issues: Issues,
): Partial<EmailVersion> {
  const out: Partial<EmailVersion> = {};
  if (v.message !== undefined) {
    if (typeof v.message !== "string") issues.add(`${path}.message`, "must be a string");
    else out.message = v.message;
  }
  // emulator guess: on a LINKEDIN version only `message` is used; the email fields are ignored.
  if (step.type !== "EMAIL") return out;
  if (v.subject !== undefined) {
    if (v.subject !== null && typeof v.subject !== "string")
      issues.add(`${path}.subject`, "must be a string or null");
    else out.subject = v.subject;
  }
  if (v.signature !== undefined) {
    const s = parseSignature(v.signature, `${path}.signature`, issues);
    if (s) out.signature = s;
  }
  if (v.track_opens !== undefined) {
    if (typeof v.track_opens !== "boolean") issues.add(`${path}.track_opens`, "must be a boolean");
    else out.track_opens = v.track_opens;
  }
  return out;
}

export function parseEmailAccountIds(
  v: unknown,
  issues: Issues,
  mailboxes: number[] | undefined,
): number[] | undefined {
  if (!Array.isArray(v) || v.length === 0) {
    issues.add("email_account_ids", "is required and must be a non-empty array of SMTP mailbox ids");
    return undefined;
  }
  const before = issues.list.length;
  const seen = new Set<number>();
  v.forEach((id: unknown, i: number) => {
    if (!isPosInt(id)) return issues.add(`email_account_ids[${i}]`, "must be a positive integer");
    if (mailboxes && !mailboxes.includes(id)) {
      issues.add(`email_account_ids[${i}]`, `mailbox ${id} is not a connected SMTP mailbox`);
    }
    // emulator guess: duplicate ids are refused rather than merged.
    if (seen.has(id)) issues.add(`email_account_ids[${i}]`, `repeats mailbox ${id}`);
    seen.add(id);
  });
  return issues.list.length === before ? [...seen] : undefined;
}

export function parseName(v: unknown, issues: Issues): string | undefined {
  if (typeof v === "string" && v.trim() !== "") return v;
  // emulator guess: a name, when given, must be a non-empty string.
  issues.add("name", "must be a non-empty string");
  return undefined;
}

/** The JSON body of a request (400 "Failed to read request" when it is missing or malformed). */
export function jsonObject(ctx: RequestContext): Record<string, unknown> | HttpReply {
  if (ctx.rawBody.length === 0) return unreadable();
  const parsed = parseJson(ctx.rawBody);
  // emulator guess: valid JSON that is not an object cannot be read into the request type either.
  if (!parsed.ok || !isObj(parsed.value)) return unreadable();
  return parsed.value;
}
