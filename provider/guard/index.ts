/**
 * The plan guard: reads a `pulumi preview --json` document and finds the campaign changes that must
 * not run unattended, and what the plan will do to people (the summary, ./summary.ts). Pulumi never
 * shows a dynamic provider a delete at preview time, so the provider itself cannot refuse these; the
 * pipeline runs this guard between preview and up.
 *
 * The shapes it reads, and the engine behaviour behind each rule, are documented in ./preview.ts
 * (pulumi/pulumi `pkg/backend/display/json.go`, `pkg/display/json.go`). Run the preview as
 * `pulumi preview --refresh --show-replacement-steps --json`: without `--refresh` the statuses are what
 * the last write stored, and without `--show-replacement-steps` a copy left for deletion by an earlier
 * replacement is not in the document at all. The guard says when a plan shows neither.
 *
 * Pure logic, no I/O: the `pulumi-campaigns guard` command (provider/cli.ts) wraps it.
 */
import type { PreviewDigest, PreviewStep, ResourceState } from "./preview";
import { SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from "./preview";
import type { PreviousState } from "./state";
import { settlePendingReplacements } from "./pending-replacement";
import { refusalNote } from "./refusals";
import { instantInZone, isTimeZone } from "../core/time";
import { BURKI_ACTIVE_STATUSES, BURKI_TERMINAL_STATUSES, CAMPAIGN_TYPES } from "../core/campaign";
import type { Platform } from "../core/errors";

export type { PreviewDiagnostic, PreviewDigest, PreviewStep, ResourceState, StepOp } from "./preview";
export { PreviewParseError, SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER, parsePreviewJson } from "./preview";
export type { PreviousState } from "./state";
export { StateParseError, parseStackExport } from "./state";
export { formatSummary } from "./summary";

export type { Platform } from "../core/errors";
export { CAMPAIGN_TYPES } from "../core/campaign";

/**
 * Ops after which the old campaign is gone. `replace` is the logical step of a replacement and is always
 * in the document; `create-replacement` and `delete-replaced` are its physical halves (listed with
 * `--show-replacement-steps`; a `delete-replaced` alone is a copy left over from an earlier replacement);
 * `import-replacement` comes with its own `replace`. Not here: `discard`/`discard-replaced` (external
 * resources, the provider is not called: judged apart), `remove-pending-replace` (the campaign is already
 * gone), reads, refreshes, imports, creates, updates and sames.
 */
export const DESTRUCTIVE_OPS: ReadonlySet<string> = new Set([
  "delete",
  "replace",
  "create-replacement",
  "delete-replaced",
  "import-replacement",
]);

const REPLACEMENT_OPS: ReadonlySet<string> = new Set(["replace", "create-replacement", "import-replacement"]);
const DISCARD_OPS: ReadonlySet<string> = new Set(["discard", "discard-replaced"]);
/** Ops that change nothing a campaign does (`read` is a `get`; `refresh` is judged apart). */
const NEUTRAL_OPS: ReadonlySet<string> = new Set([
  "same",
  "read",
  "read-replacement",
  "remove-pending-replace",
]);
/** Every op the guard has a rule for; a campaign step with any other op is blocked (fail closed). */
const KNOWN_OPS: ReadonlySet<string> = new Set([
  ...DESTRUCTIVE_OPS,
  ...DISCARD_OPS,
  ...NEUTRAL_OPS,
  "create",
  "update",
  "import",
  "refresh",
]);

/**
 * Run states, as the providers know them (Burki's from core/campaign.ts, which its delete and converge
 * use; Woodpecker's as provider/woodpecker/mapping.ts reads them). Burki stops an active campaign
 * before deleting it; a finished campaign is never restarted by `state: running`. core/ loads no
 * client or server code, so the command stays quick to start.
 */
const STATUSES: Readonly<Record<Platform, { active: string[]; inactive: string[]; finished: string[] }>> = {
  burki: {
    active: [...BURKI_ACTIVE_STATUSES],
    inactive: ["draft", "paused"],
    finished: [...BURKI_TERMINAL_STATUSES],
  },
  woodpecker: {
    active: ["RUNNING"],
    inactive: ["DRAFT", "EDITED", "PAUSED", "STOPPED"],
    finished: ["COMPLETED"],
  },
};

export interface GuardOptions {
  /** Report running Burki campaigns that the plan stops as `allowed` instead of blocking. */
  allowStopRunning?: boolean;
  /** Block plans that would start contacting people (see `CampaignImpact.starts`). */
  blockStarts?: boolean;
  /** With `blockStarts`: report those starts as `allowed` (the reviewer approved them). */
  allowStarts?: boolean;
  /**
   * The stack's state before the last refresh (`pulumi stack export`): a create of a campaign URN it has
   * is the re-creation of a campaign that a refresh dropped (deleted outside Pulumi).
   */
  previousState?: PreviousState;
}

/** Why a finding was raised. */
export type FindingReason =
  | "workflow"
  | "stops-running"
  | "status-unknown"
  | "retained-replace"
  | "create-before-delete"
  | "starts"
  | "unknown-op";

export interface GuardFinding {
  level: "block" | "allowed";
  reason: FindingReason;
  urn: string;
  platform: Platform;
  campaignId?: number;
  /** The campaign's name, or the Pulumi resource name when the state does not say. */
  name?: string;
  /** What the plan does to the campaign: `create`, `update`, `delete`, `replace`, `delete-replaced`… */
  op: string;
  /** One line: the campaign, what the plan would do, why that is refused, and the fix. */
  message: string;
}

export type Audience = "contacts" | "prospects";

/** What the plan does to one campaign, in people: one row of the summary. */
export interface CampaignImpact {
  urn: string;
  platform: Platform;
  campaignId?: number;
  name?: string;
  /** `Burki campaign 42 ("Renewals")`, or `Burki campaign "spring" (new)`. */
  label: string;
  /** create, re-create, update, replace, delete, delete-replaced, discard, import. */
  operation: string;
  /** The run status now (`running`, `PAUSED`, `none` for a new campaign, `hidden`, `unknown`…). */
  current: string;
  /** The run state after the plan (`running`, `paused`, `deleted`, `not managed`, `unknown until apply`…). */
  planned: string;
  /** What it means for people, counts only: "starts calling 2,000 contacts". */
  effect: string;
  /** The plan starts (or may start) contacting people: creates or resumes a campaign, or adds people to a running one. */
  starts: boolean;
  /** How many people it starts contacting, when the plan says. */
  startCount?: number;
  audience: Audience;
  /** The plan stops (deletes, replaces, pauses) a running campaign. */
  stops: boolean;
  /** A create of a campaign the stack had before a refresh dropped it (deleted outside Pulumi). */
  recreated: boolean;
}

export interface GuardReport {
  findings: GuardFinding[];
  /** Things the plan does not show that a reviewer should know (no refresh, no replacement steps). */
  warnings: string[];
  /** Every campaign the plan changes, in plan order (`same` campaigns are left out). */
  changes: CampaignImpact[];
  /** Campaign steps examined (every step whose resource is a Burki or Woodpecker campaign). */
  checked: number;
  /**
   * Error diagnostics of the preview. A failed preview lists no deletes (Pulumi plans them only after the
   * program finishes), so its plan cannot be vouched for: the guard blocks it.
   */
  previewErrors: string[];
}

/** Judge a parsed preview. Every campaign is reported at most once, however many steps it has. */
export function evaluatePlan(given: PreviewDigest, opts: GuardOptions = {}): GuardReport {
  // A preview marks a delete-before-replace's old state pendingReplacement before anything ran.
  const { preview, warnings: pendingWarnings } = settlePendingReplacements(given, opts.previousState);
  let checked = 0;
  let anyRefresh = false;
  const refreshed = new Map<string, ResourceState | undefined>();
  // Keyed by URN and provider id: the steps of one replacement share both, while a leftover copy from an
  // earlier replacement shares the URN but is a different campaign.
  const changes = new Map<string, CampaignChange>();
  for (const step of preview.steps) {
    if (step.op === "refresh") anyRefresh = true;
    const platform = platformOf(step);
    if (platform === undefined) continue;
    checked++;
    if (step.op === "refresh") {
      refreshed.set(step.urn, step.oldState);
      continue;
    }
    const key = `${step.urn}\u0000${step.oldState?.id ?? ""}`;
    const change = changes.get(key);
    if (change) {
      change.ops.push(step.op);
      change.old ??= step.oldState;
      if (step.newState) change.new = step.newState;
    } else {
      changes.set(key, { urn: step.urn, platform, ops: [step.op], old: step.oldState, new: step.newState });
    }
  }

  const findings: GuardFinding[] = [];
  const warnings: string[] = [];
  const impacts: CampaignImpact[] = [];
  let existing = false;
  let replacementsWithoutSteps = 0;
  for (const change of changes.values()) {
    const unknownOps = change.ops.filter((op) => !KNOWN_OPS.has(op));
    if (unknownOps.length > 0) {
      findings.push(unknownOpFinding(change, unknownOps));
      continue;
    }
    if (change.ops.every((op) => NEUTRAL_OPS.has(op))) continue;
    if (change.old) existing = true;
    if (change.ops.includes("replace") && !change.ops.some((op) => op !== "replace")) {
      replacementsWithoutSteps++;
    }
    const impact = describe(change, refreshed, opts.previousState);
    impact.effect += refusalNote(change.old) ?? "";
    impacts.push(impact);
    findings.push(...judge(change, impact, opts));
    if (anyRefresh && destroysOld(change) && !refreshed.has(change.urn)) {
      warnings.push(
        `${impact.label} was not refreshed before the plan ${change.ops.includes("delete") ? "deletes" : "replaces"} ` +
          `it (\`--run-program\` does not refresh campaigns removed from the program): its status ` +
          `${quoteStatus(statusOf(change.platform, change.old))} may be stale; run the preview with \`--refresh\` ` +
          `and without \`--run-program\``,
      );
    }
  }
  if (existing && !anyRefresh) {
    warnings.unshift(
      "the plan shows no sign of a refresh (no `refresh` steps): the statuses it judges are what the last " +
        "`pulumi up` or refresh stored, and may be stale; run `pulumi preview --refresh " +
        "--show-replacement-steps --json`",
    );
  }
  warnings.push(...pendingWarnings);
  if (replacementsWithoutSteps > 0) {
    warnings.push(
      `the plan lists ${plural(replacementsWithoutSteps, "replacement")} without ${replacementsWithoutSteps === 1 ? "its" : "their"} ` +
        "steps, so it was made without `--show-replacement-steps`: copies that earlier replacements left " +
        "to delete (`delete-replaced`) are hidden from it; run `pulumi preview --refresh " +
        "--show-replacement-steps --json`",
    );
  }

  const previewErrors = (preview.diagnostics ?? [])
    .filter((d) => d.severity === "error")
    .map((d) => firstLine(d.message ?? ""));
  return { findings, warnings, changes: impacts, checked, previewErrors };
}

/** 1 when the plan must not run (a blocked campaign, or a failed preview), else 0. */
export function exitCodeFor(report: GuardReport): 0 | 1 {
  return isBlocked(report) ? 1 : 0;
}

export function isBlocked(report: GuardReport): boolean {
  return report.previewErrors.length > 0 || report.findings.some((f) => f.level === "block");
}

/** The preview-failure line, when the preview failed. */
export function previewFailureLine(report: GuardReport): string | undefined {
  if (report.previewErrors.length === 0) return undefined;
  const count = plural(report.previewErrors.length, "error");
  return (
    `the preview failed with ${count} (${report.previewErrors[0]}), so its plan is incomplete: ` +
    `Pulumi plans deletes only after the program finishes; fix the preview and run it again`
  );
}

/** One line per finding, one per warning, then a summary line. */
export function formatReport(report: GuardReport): string {
  const lines = report.findings.map((f) => `${f.level === "block" ? "BLOCKED" : "ALLOWED"}: ${f.message}`);
  const failure = previewFailureLine(report);
  if (failure) lines.push(`BLOCKED: ${failure}`);
  lines.push(...report.warnings.map((w) => `WARNING: ${w}`));
  lines.push(`guard: ${verdictLine(report)}`);
  return lines.join("\n") + "\n";
}

/** `blocked (3 blocked, 1 warning, 6 campaign steps checked)`. */
export function verdictLine(report: GuardReport): string {
  const blocked = report.findings.filter((f) => f.level === "block").length;
  const allowed = report.findings.length - blocked;
  const counts = [
    ...(report.previewErrors.length > 0 ? ["preview failed"] : []),
    ...(blocked > 0 ? [`${blocked} blocked`] : []),
    ...(allowed > 0 ? [`${allowed} allowed`] : []),
    ...(report.warnings.length > 0 ? [plural(report.warnings.length, "warning")] : []),
    `${plural(report.checked, "campaign step")} checked`,
  ];
  return `${isBlocked(report) ? "blocked" : "passed"} (${counts.join(", ")})`;
}

interface CampaignChange {
  urn: string;
  platform: Platform;
  ops: string[];
  old?: ResourceState;
  new?: ResourceState;
}

type StatusKind = "active" | "inactive" | "finished" | "unknown";

interface RunStatus {
  kind: StatusKind;
  /** For display: the status string, or why there is none (`hidden`, `missing`, `unknown`). */
  shown: string;
}

function platformOf(step: PreviewStep): Platform | undefined {
  const type = step.oldState?.type ?? step.newState?.type ?? typeFromUrn(step.urn);
  if (type === CAMPAIGN_TYPES.woodpecker) return "woodpecker";
  if (type === CAMPAIGN_TYPES.burki) return "burki";
  return undefined;
}

function statusOf(platform: Platform, state: ResourceState | undefined): RunStatus {
  const value = state?.outputs?.status;
  if (value === SECRET_PLACEHOLDER) return { kind: "unknown", shown: "hidden" };
  if (value === UNKNOWN_PLACEHOLDER) return { kind: "unknown", shown: "unknown" };
  if (typeof value !== "string" || value.trim() === "") return { kind: "unknown", shown: "missing" };
  const status = platform === "burki" ? value.toLowerCase() : value.toUpperCase();
  const known = STATUSES[platform];
  if (known.active.includes(status)) return { kind: "active", shown: status };
  if (known.inactive.includes(status)) return { kind: "inactive", shown: status };
  if (known.finished.includes(status)) return { kind: "finished", shown: status };
  return { kind: "unknown", shown: status };
}

function quoteStatus(status: RunStatus): string {
  switch (status.shown) {
    case "hidden":
      return `(hidden: "${SECRET_PLACEHOLDER}")`;
    case "missing":
    case "unknown":
      return `(${status.shown})`;
    default:
      return `"${status.shown}"`;
  }
}

/** The declared `state` input: a run state, `undefined` when Pulumi does not manage it, or `unknown`. */
function plannedStateOf(state: ResourceState | undefined): string | undefined {
  const value = state?.inputs?.state;
  if (value === SECRET_PLACEHOLDER || value === UNKNOWN_PLACEHOLDER) return "unknown";
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * A Burki `schedule` in the new inputs that starts the campaign by itself (at its time, with or
 * without `state`): the words saying when, or undefined. Fails closed on a value not known yet.
 */
function scheduledStart(platform: Platform, state: ResourceState | undefined): string | undefined {
  if (platform !== "burki") return undefined;
  const s = state?.inputs?.schedule as unknown;
  if (s === SECRET_PLACEHOLDER || s === UNKNOWN_PLACEHOLDER)
    return " when its schedule says (not known until apply)";
  if (!s || typeof s !== "object") return undefined;
  const { type, at } = s as { type?: unknown; at?: unknown };
  if (type === "scheduled") {
    return typeof at === "string" && at !== UNKNOWN_PLACEHOLDER && at !== SECRET_PLACEHOLDER
      ? ` at ${at} (its schedule)`
      : " at its scheduled time (not known until apply)";
  }
  if (type === "recurring") return " on its recurring schedule";
  if (type === UNKNOWN_PLACEHOLDER || type === SECRET_PLACEHOLDER) {
    return " when its schedule says (not known until apply)";
  }
  return undefined;
}

/** When a Burki schedule starts the campaign, as words ("at 2026-12-24T09:00:00Z"), or undefined (not timed). */
function whenOf(s: unknown): string | undefined {
  if (s === SECRET_PLACEHOLDER || s === UNKNOWN_PLACEHOLDER)
    return "when its schedule says (not known until apply)";
  if (!s || typeof s !== "object") return undefined;
  const { type, at } = s as { type?: unknown; at?: unknown };
  if (type === "scheduled") {
    return typeof at === "string" && at !== UNKNOWN_PLACEHOLDER && at !== SECRET_PLACEHOLDER
      ? `at ${at}`
      : "at its scheduled time (not known until apply)";
  }
  if (type === "recurring") return "on its recurring schedule";
  if (type === UNKNOWN_PLACEHOLDER || type === SECRET_PLACEHOLDER) {
    return "when its schedule says (not known until apply)";
  }
  return undefined;
}

/**
 * What an in-place update does to a Burki campaign's schedule, judged on the old state's schedule
 * (Burki's record after a refresh, else the old inputs) and the new inputs:
 * - `set`: a timed schedule (scheduled / recurring) that is new or at other times (or not known yet);
 * - `cleared`: `type: immediate` replaces a timed schedule (a scheduled campaign goes back to draft);
 * - `dropped`: the `schedule` input is removed (Pulumi stops managing it; Burki keeps it);
 * - undefined: no change of when the campaign runs.
 */
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

type ScheduleChange =
  | { kind: "set"; when: string; was?: string; known: boolean }
  | { kind: "cleared"; was: string }
  | { kind: "dropped"; was: string };

function scheduleChangeOf(change: CampaignChange): ScheduleChange | undefined {
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

type Count = number | "unknown" | undefined;

function audienceOf(platform: Platform): Audience {
  return platform === "burki" ? "contacts" : "prospects";
}

const COUNT_KEY: Readonly<Record<Platform, string>> = { burki: "contactCount", woodpecker: "prospectCount" };
/** The (secret) audience inputs: present while Pulumi manages who the campaign contacts. */
const AUDIENCE_KEYS: Readonly<Record<Platform, readonly string[]>> = {
  burki: ["contacts"],
  woodpecker: ["prospects"],
};

/**
 * The plain count in a property bag. Without one, an audience input that is there (as "[secret]") means
 * the count is unknown (a value not known until apply, or state written before the count existed); no
 * audience input means Pulumi does not manage the audience.
 */
function countIn(
  platform: Platform,
  bag: Record<string, unknown> | undefined,
  key = COUNT_KEY[platform],
): Count {
  const value = bag?.[key];
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (value === UNKNOWN_PLACEHOLDER || value === SECRET_PLACEHOLDER) return "unknown";
  if (bag && AUDIENCE_KEYS[platform].some((k) => bag[k] !== undefined && bag[k] !== null)) return "unknown";
  return undefined;
}

/** How many people the planned campaign declares (absent: Pulumi does not manage its audience). */
function newCount(change: CampaignChange): Count {
  const { platform } = change;
  const fromInputs = countIn(platform, change.new?.inputs);
  return typeof fromInputs === "number" ? fromInputs : (countIn(platform, change.new?.outputs) ?? fromInputs);
}

/** How many people the campaign had: the plain count, else Burki's `totalContacts`. */
function oldCount(platform: Platform, state: ResourceState | undefined): Count {
  const candidates = [
    countIn(platform, state?.outputs),
    countIn(platform, state?.inputs),
    ...(platform === "burki" ? [countIn(platform, state?.outputs, "totalContacts")] : []),
  ];
  return candidates.find((c) => typeof c === "number") ?? candidates.find((c) => c !== undefined);
}

/** The old campaign is deleted by the plan (as opposed to forgotten, or already gone). */
function destroysOld(change: CampaignChange): boolean {
  const old = change.old;
  if (!old || old.pendingReplacement === true) return false;
  if (!change.ops.some((op) => DESTRUCTIVE_OPS.has(op))) return false;
  return !survives(change);
}

/** The old campaign outlives the plan: retained (Delete is skipped) or external (only discarded). */
function survives(change: CampaignChange): boolean {
  return change.old?.retainOnDelete === true || change.old?.external === true;
}

function operationOf(change: CampaignChange, recreated: boolean): string {
  const ops = change.ops;
  if (ops.some((op) => REPLACEMENT_OPS.has(op))) return "replace";
  if (ops.includes("delete")) return "delete";
  if (ops.includes("delete-replaced")) return "delete-replaced";
  if (ops.some((op) => DISCARD_OPS.has(op))) return "discard";
  if (ops.includes("create")) return recreated ? "re-create" : "create";
  if (ops.includes("update")) return "update";
  if (ops.includes("import")) return "import";
  return ops[0];
}

const PLATFORM_NAME: Readonly<Record<Platform, string>> = { burki: "Burki", woodpecker: "Woodpecker" };

function verbs(platform: Platform) {
  return platform === "burki"
    ? { start: "calling", inProgress: "calls in progress end", sends: "calls" }
    : { start: "emailing", inProgress: "no further emails are sent", sends: "emails" };
}

function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

function people(platform: Platform, count: Count, noun = audienceOf(platform)): string {
  if (typeof count === "number") return `${formatCount(count)} ${count === 1 ? noun.slice(0, -1) : noun}`;
  if (count === "unknown") return `its ${noun} (the plan does not say how many)`;
  return `its ${noun} (not managed by Pulumi, so not counted)`;
}

/** What the plan does to one campaign: the summary row, and what the findings are judged on. */
function describe(
  change: CampaignChange,
  refreshed: Map<string, ResourceState | undefined>,
  previous: PreviousState | undefined,
): CampaignImpact {
  const { platform } = change;
  const v = verbs(platform);
  const vendor = PLATFORM_NAME[platform];
  const audience = audienceOf(platform);
  const planned = plannedStateOf(change.new);
  const count = newCount(change);
  const startCount = typeof count === "number" ? count : undefined;
  const ops = change.ops;

  // A create of a URN the stack knew: a refresh (this preview's own, or an earlier one saved by
  // `pulumi refresh`) found the campaign gone and dropped it from the state.
  const lastKnown =
    !change.old && ops.includes("create")
      ? (refreshed.get(change.urn) ?? (refreshed.has(change.urn) ? {} : previous?.resources.get(change.urn)))
      : undefined;
  const recreated = lastKnown !== undefined;
  const operation = operationOf(change, recreated);
  const identity = identify(change, lastKnown);
  const base = { urn: change.urn, ...identity, platform, operation, audience, recreated };

  if (operation === "create" || operation === "re-create" || operation === "import") {
    const was = lastKnown ? statusOf(platform, lastKnown) : undefined;
    const current = was ? (was.kind === "unknown" ? "gone" : `gone (was ${was.shown})`) : "none";
    if (operation === "import") {
      return {
        ...base,
        current,
        planned: planned ?? "not managed",
        effect: "adopts an existing campaign; nothing starts",
        starts: false,
        stops: false,
      };
    }
    const prefix = recreated
      ? `re-creates a campaign that is no longer in ${vendor} (deleted outside Pulumi?)`
      : undefined;
    const timed = scheduledStart(platform, change.new);
    if (planned === "running" || planned === "unknown" || (timed && planned === undefined)) {
      const may = planned === "unknown" ? "may start" : "starts";
      const effect = prefix
        ? `${prefix} and ${planned === "unknown" ? "may start" : "starts"} it, ${v.start} ${people(platform, count)}${timed ?? ""}` +
          (planned === "unknown" ? " (its `state` is not known until apply)" : "")
        : `${may} ${v.start} ${people(platform, count)}${timed ?? ""}` +
          (planned === "unknown" ? " (its `state` is not known until apply)" : "");
      return {
        ...base,
        current,
        planned:
          planned === "unknown" ? "unknown until apply" : planned === undefined ? "scheduled" : "running",
        effect,
        starts: true,
        ...(startCount !== undefined ? { startCount } : {}),
        stops: false,
      };
    }
    const idle = planned
      ? `as ${planned}: nobody is contacted until it runs`
      : `with its run state not managed by Pulumi: nobody is contacted until someone starts it`;
    return {
      ...base,
      current,
      planned: planned ?? "not managed",
      effect: prefix ? `${prefix}, ${idle}` : `creates it ${idle}`,
      starts: false,
      stops: false,
    };
  }

  const status = statusOf(platform, change.old);
  const current = status.shown;

  if (operation === "discard") {
    return {
      ...base,
      current,
      planned: "not managed",
      effect: `Pulumi forgets it without calling ${vendor} (it was read, not managed); it stays ${status.shown}`,
      starts: false,
      stops: false,
    };
  }

  if (operation === "delete" || operation === "delete-replaced") {
    const leftover =
      operation === "delete-replaced" ? "deletes the old copy left by an earlier replacement: " : "";
    if (survives(change)) {
      return {
        ...base,
        current,
        planned: status.shown,
        effect: `Pulumi stops managing it (retainOnDelete); it stays in ${vendor} as it is (${status.shown})`,
        starts: false,
        stops: false,
      };
    }
    return {
      ...base,
      current,
      planned: "deleted",
      effect: leftover + deleteEffect(platform, status),
      starts: false,
      stops: status.kind === "active",
    };
  }

  if (operation === "replace") {
    let oldPart: string;
    let stops = false;
    if (change.old?.pendingReplacement === true) {
      oldPart = "the old campaign is already deleted (an earlier replacement got half-way)";
    } else if (survives(change)) {
      oldPart =
        status.kind === "active"
          ? `leaves the ${status.shown} campaign ${platform === "burki" ? "calling" : "sending"} beside the new one (retainOnDelete: Pulumi does not delete it)`
          : `leaves the old campaign (${status.shown}) in ${vendor} beside the new one (retainOnDelete)`;
    } else {
      oldPart = deleteEffect(platform, status, true);
      stops = status.kind === "active";
    }
    let newPart: string;
    let starts = false;
    const timed = scheduledStart(platform, change.new);
    if (planned === "running" || planned === "unknown" || (timed && planned === undefined)) {
      starts = true;
      newPart =
        `${planned === "unknown" ? "may start" : "starts"} ${v.start} ${people(platform, count)}${timed ?? " from the start"}` +
        (planned === "unknown" ? " (its `state` is not known until apply)" : "");
    } else {
      newPart = planned
        ? `is ${planned}: nobody is contacted until it runs`
        : "is not started by Pulumi: nobody is contacted until someone starts it";
    }
    return {
      ...base,
      current: change.old?.pendingReplacement === true ? "already deleted" : current,
      planned: planned === "unknown" ? "unknown until apply" : (planned ?? "not managed"),
      effect:
        change.old?.pendingReplacement === true
          ? `creates the campaign again (the old one was already deleted by a replacement that got half-way): the new one ${newPart}`
          : `${oldPart}, then creates a new campaign that ${newPart}`,
      starts,
      ...(starts && startCount !== undefined ? { startCount } : {}),
      stops,
    };
  }

  // An update in place.
  const was = oldCount(platform, change.old);
  const shownPlanned = planned === "unknown" ? "unknown until apply" : (planned ?? "not managed");
  const toRun = planned === "running" || planned === "unknown";
  const may = planned === "unknown" ? "may start" : "starts";
  const stateNote = planned === "unknown" ? " (its `state` is not known until apply)" : "";
  const sched = status.kind === "finished" ? undefined : scheduleChangeOf(change);
  const byItself = planned === undefined || planned === "running";
  if (sched?.kind === "set" && byItself && status.kind !== "active") {
    // A draft or paused campaign (or one whose status the guard cannot read) gains a timed schedule:
    // Burki starts calling at that time, without `state: running` (counted as a create with one is).
    const sure = status.kind === "inactive" && sched.known;
    return {
      ...base,
      current,
      planned: planned === undefined ? "scheduled" : shownPlanned,
      effect:
        `${sure ? "starts" : "may start"} ${v.start} ${people(platform, count)} ${sched.when} (its new schedule)` +
        (status.kind === "unknown"
          ? `: its status is ${status.shown}, so the guard cannot tell whether it runs already`
          : ""),
      starts: true,
      ...(startCount !== undefined ? { startCount } : {}),
      stops: false,
    };
  }
  if (sched && byItself && status.kind === "active") {
    const added = typeof count === "number" && typeof was === "number" && count > was ? count - was : 0;
    const more = added > 0 ? `, and adds ${people(platform, added)}` : "";
    const grows = added > 0 ? { starts: true, startCount: added } : { starts: false };
    if (sched.kind === "set" && status.shown === "scheduled") {
      return {
        ...base,
        current,
        planned: shownPlanned,
        effect:
          `changes its start time: it starts ${v.start} ${people(platform, count)} ${sched.when} ` +
          `instead of ${sched.was ?? "at the time Burki holds"}${more}`,
        ...grows,
        stops: false,
      };
    }
    if (sched.kind === "set") {
      // Burki takes a schedule only while editable: the running campaign is paused, then scheduled.
      return {
        ...base,
        current,
        planned: shownPlanned,
        effect: `pauses a ${status.shown} campaign and schedules it: no new ${v.sends} until it starts again ${sched.when} (its new schedule)${more}`,
        ...grows,
        stops: true,
      };
    }
    if (sched.kind === "cleared" && status.shown === "scheduled") {
      return planned === "running"
        ? {
            ...base,
            current,
            planned: shownPlanned,
            effect: `starts ${v.start} ${people(platform, count)} now instead of ${sched.was} (its schedule becomes immediate)`,
            starts: true,
            ...(startCount !== undefined ? { startCount } : {}),
            stops: false,
          }
        : {
            ...base,
            current,
            planned: "draft",
            effect:
              `unschedules it (its schedule becomes immediate): the calls it was scheduled to place ${sched.was} ` +
              "are cancelled, and it goes back to draft; nobody is called until someone starts it",
            starts: false,
            stops: true,
          };
    }
    if (sched.kind === "dropped" && status.shown === "scheduled") {
      return {
        ...base,
        current,
        planned: shownPlanned,
        effect:
          `stops managing its schedule: Burki keeps it, so it still starts ${v.start} ${people(platform, count)} ` +
          `${sched.was} (to cancel those calls, declare \`schedule: { type: "immediate" }\` instead)${more}`,
        ...grows,
        stops: false,
      };
    }
  }
  if (status.kind === "finished") {
    return {
      ...base,
      current,
      planned: shownPlanned,
      effect: `edits a ${status.shown} campaign; it is not restarted, nobody new is contacted`,
      starts: false,
      stops: false,
    };
  }
  if (status.kind === "unknown" && toRun) {
    return {
      ...base,
      current,
      planned: shownPlanned,
      effect: `may start ${v.start} ${people(platform, count)}: its status is ${status.shown}, so the guard cannot tell whether it runs already${stateNote}`,
      starts: true,
      ...(startCount !== undefined ? { startCount } : {}),
      stops: false,
    };
  }
  if (status.kind === "inactive" && toRun) {
    // Resuming a paused Burki campaign calls the contacts it has not reached yet (same list).
    const reached = reachedContacts(change.old);
    if (platform === "burki" && status.shown === "paused" && typeof count === "number" && count === was) {
      if (reached !== undefined && reached > 0 && reached <= count) {
        return {
          ...base,
          current,
          planned: shownPlanned,
          effect:
            `resumes calling ${people(platform, count - reached)} (${formatCount(reached)} of its ` +
            `${formatCount(count)} were called before it was paused)${stateNote}`,
          starts: true,
          startCount: count - reached,
          stops: false,
        };
      }
    }
    return {
      ...base,
      current,
      planned: shownPlanned,
      effect: `${may} ${v.start} ${people(platform, count)}${stateNote}`,
      starts: true,
      ...(startCount !== undefined ? { startCount } : {}),
      stops: false,
    };
  }
  if (status.kind === "active" && planned !== undefined && !toRun) {
    const effect =
      planned === "stopped"
        ? `stops a running campaign (${v.inProgress})`
        : `pauses a ${status.shown === "scheduled" ? "scheduled" : "running"} campaign: no new ${v.sends} until it runs again`;
    return { ...base, current, planned: shownPlanned, effect, starts: false, stops: true };
  }
  if (status.kind === "active") {
    // Still running after the update: does it reach more people?
    if (count === "unknown") {
      return {
        ...base,
        current,
        planned: shownPlanned,
        effect: `may add ${audience} to a running campaign (how many is not known until apply)`,
        starts: true,
        stops: false,
      };
    }
    if (typeof count === "number" && typeof was === "number" && count > was) {
      const added = count - was;
      return {
        ...base,
        current,
        planned: shownPlanned,
        effect: `adds ${people(platform, added)} to a running campaign`,
        starts: true,
        startCount: added,
        stops: false,
      };
    }
    if (typeof count === "number" && was === undefined) {
      return {
        ...base,
        current,
        planned: shownPlanned,
        effect: `may add ${audience} to a running campaign (it declares ${people(platform, count)}; the state has no earlier count)`,
        starts: true,
        stops: false,
      };
    }
    const fewer =
      typeof count === "number" && typeof was === "number" && count < was
        ? `, removes ${people(platform, was - count)}`
        : "";
    return {
      ...base,
      current,
      planned: shownPlanned,
      effect: `edits a ${status.shown} campaign${fewer}; nobody new is contacted`,
      starts: false,
      stops: false,
    };
  }
  return {
    ...base,
    current,
    planned: shownPlanned,
    effect: "edits it; nobody is contacted",
    starts: false,
    stops: false,
  };
}

/** Burki contacts already called to the end (completed or failed), from the plain outputs. */
function reachedContacts(state: ResourceState | undefined): number | undefined {
  const completed = state?.outputs?.completedContacts;
  const failed = state?.outputs?.failedContacts;
  if (typeof completed !== "number" || typeof failed !== "number") return undefined;
  return completed + failed;
}

function deleteEffect(platform: Platform, status: RunStatus, inReplacement = false): string {
  switch (status.kind) {
    case "active":
      return platform === "burki"
        ? `stops a ${status.shown} campaign (${status.shown === "running" ? "calls in progress end" : "the calls it is scheduled to place are cancelled"}) and deletes it`
        : "deletes a running campaign (no further emails are sent)";
    case "unknown":
      return `deletes it (its status is ${status.shown}: the guard cannot tell whether it is running)`;
    default:
      return inReplacement
        ? `deletes the ${status.shown} campaign`
        : `deletes the ${status.shown} campaign; nobody is contacted`;
  }
}

function judge(change: CampaignChange, impact: CampaignImpact, opts: GuardOptions): GuardFinding[] {
  const findings: GuardFinding[] = [];
  const identity = { urn: change.urn, platform: change.platform, ...pick(impact), op: impact.operation };
  const label = impact.label;
  const old = change.old;
  const pending = old?.pendingReplacement === true;

  if (old && !pending && change.ops.some((op) => DESTRUCTIVE_OPS.has(op))) {
    const status = statusOf(change.platform, old);
    const action = actionOf(impact.operation);
    if (survives(change)) {
      // Retained (or external): Delete is never called. A plain delete only forgets the campaign; a
      // replacement leaves it live beside the new one.
      if (impact.operation === "replace" && status.kind !== "inactive" && status.kind !== "finished") {
        const why =
          status.kind === "active"
            ? `it is ${status.shown}`
            : `its status is ${status.shown}, so the guard cannot tell whether it is running`;
        findings.push({
          level: "block",
          reason: "retained-replace",
          ...identity,
          message:
            `${label}: the plan would replace it, but it has retainOnDelete, so Pulumi would create the new ` +
            `campaign and leave this one in ${PLATFORM_NAME[change.platform]} without deleting it, and ${why}: ` +
            `two live campaigns would contact the same ${impact.audience} twice; pause it first (\`state: paused\`, ` +
            "`pulumi up`), or drop retainOnDelete so the replacement deletes it, and run preview again",
        });
      }
    } else if (change.platform === "woodpecker") {
      const workflow = declaredString(old, "workflow");
      if (workflow !== undefined) {
        const named =
          workflow === SECRET_PLACEHOLDER ? "its workflow (name hidden as a secret)" : `"${workflow}"`;
        findings.push({
          level: "block",
          reason: "workflow",
          ...identity,
          message:
            `${label} belongs to the workflow ${named}: ${action}, and Woodpecker refuses to delete ` +
            `a campaign in an active workflow (409 CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW); remove it from the ` +
            `workflow ${named} in Woodpecker, drop \`workflow\` from the resource (apply that with \`pulumi up\` ` +
            `before deleting or replacing it), and run preview again`,
        });
      }
    } else if (status.kind === "active") {
      const consequence =
        status.shown === "running"
          ? "ending calls in progress"
          : "cancelling the calls it is scheduled to place";
      findings.push(
        opts.allowStopRunning
          ? {
              level: "allowed",
              reason: "stops-running",
              ...identity,
              message:
                `${label}: ${action}; it is ${status.shown} and will be stopped first, ${consequence} ` +
                `(allowed by --allow-stop-running)`,
            }
          : {
              level: "block",
              reason: "stops-running",
              ...identity,
              message:
                `${label}: ${action}, but it is ${status.shown} and would be stopped, ${consequence}; ` +
                `pause it first or re-run with --allow-stop-running`,
            },
      );
    } else if (status.kind === "unknown") {
      const why =
        status.shown === "hidden"
          ? `its status is hidden as a secret ("${SECRET_PLACEHOLDER}")`
          : status.shown === "missing"
            ? "its state records no status"
            : status.shown === "unknown"
              ? "its status is not known"
              : `its status "${status.shown}" is not one the guard knows`;
      const fix =
        status.shown === "hidden"
          ? "keep `status` out of additionalSecretOutputs"
          : "run the preview with `--refresh` so the plan carries the live status";
      findings.push(
        opts.allowStopRunning
          ? {
              level: "allowed",
              reason: "status-unknown",
              ...identity,
              message:
                `${label}: ${action}; ${why}, so it may be running and be stopped first ` +
                `(allowed by --allow-stop-running)`,
            }
          : {
              level: "block",
              reason: "status-unknown",
              ...identity,
              message:
                `${label}: ${action}, but ${why}, so the guard cannot tell whether it is running ` +
                `(a running campaign would be stopped, ending calls in progress); ${fix}, or check it in Burki ` +
                `and re-run with --allow-stop-running`,
            },
      );
    }
  }

  // A create-before-delete replacement (`deleteBeforeReplace: false` set by hand): with the replacement's
  // steps listed, the new campaign's step comes before the old one's delete, and both run for a while.
  const created = change.ops.indexOf("create-replacement");
  const deleted = change.ops.indexOf("delete-replaced");
  if (old && !pending && !survives(change) && created >= 0 && deleted > created) {
    const status = statusOf(change.platform, old);
    if (status.kind === "active" || status.kind === "unknown") {
      findings.push({
        level: "block",
        reason: "create-before-delete",
        ...identity,
        message:
          `${label}: the plan would create its replacement before deleting it, and it is ` +
          `${status.kind === "active" ? status.shown : `of a status the guard cannot read (${status.shown})`}: ` +
          `two live campaigns would contact the same ${impact.audience} until the old one is deleted; remove ` +
          "`deleteBeforeReplace: false` from the resource (the campaign resources replace delete-first), or " +
          "pause it first, and run preview again",
      });
    }
  }

  if (opts.blockStarts && impact.starts) {
    const what = `${impact.effect}`;
    findings.push(
      opts.allowStarts
        ? {
            level: "allowed",
            reason: "starts",
            ...identity,
            message: `${label}: the plan ${what}; starting is approved (allowed by --allow-starts)`,
          }
        : {
            level: "block",
            reason: "starts",
            ...identity,
            message:
              `${label}: the plan ${what}; this stack blocks plans that start contacting people ` +
              "(--block-starts): review the summary, then approve with --allow-starts (in the pipeline: the " +
              "`allow-starts` label on the pull request, or a manual run of the workflow with allow-starts)",
          },
    );
  }
  return findings;
}

function unknownOpFinding(change: CampaignChange, ops: string[]): GuardFinding {
  const { label, ...identity } = identify(change, undefined);
  return {
    level: "block",
    reason: "unknown-op",
    urn: change.urn,
    platform: change.platform,
    ...identity,
    op: ops[0],
    message:
      `${label}: the plan has a step "${ops[0]}" that this guard does not know, so it cannot tell what it does ` +
      "to the campaign; upgrade pulumi-campaigns, or review the plan by hand and run `pulumi up` without the guard",
  };
}

function pick(impact: CampaignImpact): Pick<GuardFinding, "campaignId" | "name"> {
  return {
    ...(impact.campaignId !== undefined ? { campaignId: impact.campaignId } : {}),
    ...(impact.name !== undefined ? { name: impact.name } : {}),
  };
}

/** The campaign's id, name and the label that names it in messages. */
function identify(
  change: CampaignChange,
  lastKnown: ResourceState | undefined,
): { campaignId?: number; name?: string; label: string } {
  const { urn, platform } = change;
  const known = change.old ?? lastKnown;
  const campaignId = known ? (numberProperty(known.outputs, "campaignId") ?? numericId(known.id)) : undefined;
  const declaredName =
    (known ? declaredString(known, "name") : undefined) ??
    (change.new ? declaredString(change.new, "name") : undefined);
  const name =
    declaredName !== undefined && declaredName !== SECRET_PLACEHOLDER && declaredName !== UNKNOWN_PLACEHOLDER
      ? declaredName
      : nameFromUrn(urn);
  const platformName = PLATFORM_NAME[platform];
  const label =
    campaignId !== undefined
      ? `${platformName} campaign ${campaignId}${name ? ` ("${name}")` : ""}`
      : `${platformName} campaign "${name ?? urn}"${change.old ? "" : " (new)"}`;
  return {
    ...(campaignId !== undefined ? { campaignId } : {}),
    ...(name ? { name } : {}),
    label,
  };
}

function actionOf(operation: string): string {
  switch (operation) {
    case "replace":
      return "the plan would replace it (delete and re-create)";
    case "delete-replaced":
      return "the plan would delete it (the old copy left by an earlier replacement)";
    default:
      return "the plan would delete it";
  }
}

/** A string the old state declares: outputs first (what the provider recorded), then inputs. */
function declaredString(state: ResourceState, key: string): string | undefined {
  return stringProperty(state.outputs, key) ?? stringProperty(state.inputs, key);
}

function stringProperty(bag: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = bag?.[key];
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

function numberProperty(bag: Record<string, unknown> | undefined, key: string): number | undefined {
  const value = bag?.[key];
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return typeof value === "string" ? numericId(value) : undefined;
}

/** The campaign resources use the platform's numeric campaign id as their Pulumi id. */
function numericId(id: string | undefined): number | undefined {
  return id !== undefined && /^\d+$/.test(id) ? Number(id) : undefined;
}

/**
 * `urn:pulumi:<stack>::<project>::<qualified type>::<name>`; the qualified type is `parent$...$type`
 * for children of components, and the name may itself contain `::`.
 */
function typeFromUrn(urn: string): string | undefined {
  const parts = urn.split("::");
  if (parts.length < 4) return undefined;
  const qualified = parts[2];
  return qualified.slice(qualified.lastIndexOf("$") + 1);
}

function nameFromUrn(urn: string): string | undefined {
  const parts = urn.split("::");
  return parts.length < 4 ? undefined : parts.slice(3).join("::");
}

function firstLine(message: string): string {
  const line = message.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  const text = line
    .trim()
    .replace(/^error:\s*/i, "")
    .replace(/:$/, "");
  return text === "" ? "no message" : text;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
