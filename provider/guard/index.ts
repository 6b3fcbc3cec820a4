/**
 * The plan guard: reads a `pulumi preview --json` document and finds the campaign changes that must
 * not run unattended. Pulumi never shows a dynamic provider a delete at preview time, so the provider
 * itself cannot refuse these; the pipeline runs this guard between preview and up.
 *
 * Pure logic, no I/O: the `pulumi-campaigns guard` command (provider/cli.ts) wraps it.
 */
import type { PreviewDigest, PreviewStep, ResourceState } from "./preview";
import { SECRET_PLACEHOLDER } from "./preview";

export type { PreviewDiagnostic, PreviewDigest, PreviewStep, ResourceState, StepOp } from "./preview";
export { PreviewParseError, SECRET_PLACEHOLDER, parsePreviewJson } from "./preview";

export type Platform = "burki" | "woodpecker";

/** The type tokens of the campaign resources (`pulumi-nodejs:dynamic/<module>:<type>`). */
export const CAMPAIGN_TYPES: Readonly<Record<Platform, string>> = {
  burki: "pulumi-nodejs:dynamic/burki:Campaign",
  woodpecker: "pulumi-nodejs:dynamic/woodpecker:Campaign",
};

/**
 * Ops after which the old campaign is gone. `replace` is the logical step of a replacement and is always
 * in the document; `create-replacement` and `delete-replaced` are its physical halves (listed with
 * `--show-replacement-steps`; a `delete-replaced` alone is a copy left over from an earlier replacement);
 * `import-replacement` comes with its own `replace`. Not here: `discard`/`discard-replaced` (external
 * resources, the provider is not called), `remove-pending-replace` (the campaign is already gone), reads,
 * refreshes, imports, creates, updates and sames.
 */
export const DESTRUCTIVE_OPS: ReadonlySet<string> = new Set([
  "delete",
  "replace",
  "create-replacement",
  "delete-replaced",
  "import-replacement",
]);

const REPLACEMENT_OPS: ReadonlySet<string> = new Set(["replace", "create-replacement", "import-replacement"]);

/** Burki statuses in which the provider stops the campaign before deleting it (provider/burki/api.ts). */
const BURKI_ACTIVE_STATUSES: readonly string[] = ["running", "scheduled"];

export interface GuardOptions {
  /** Report running Burki campaigns that the plan stops as `allowed` instead of blocking. */
  allowStopRunning?: boolean;
}

export interface GuardFinding {
  level: "block" | "allowed";
  urn: string;
  platform: Platform;
  campaignId?: number;
  /** The campaign's name, or the Pulumi resource name when the state does not say. */
  name?: string;
  /** What the plan does to the campaign: `delete`, `replace`, or `delete-replaced` (a leftover copy). */
  op: string;
  /** One line: the campaign, what the plan would do, why that is refused, and the fix. */
  message: string;
}

export interface GuardReport {
  findings: GuardFinding[];
  /** Campaign steps examined (every step whose resource is a Burki or Woodpecker campaign). */
  checked: number;
  /**
   * Error diagnostics of the preview. A failed preview lists no deletes (Pulumi plans them only after the
   * program finishes), so its plan cannot be vouched for: the guard blocks it.
   */
  previewErrors: string[];
}

/** Judge a parsed preview. Every campaign is reported at most once, however many steps it has. */
export function evaluatePlan(preview: PreviewDigest, opts: GuardOptions = {}): GuardReport {
  let checked = 0;
  // Keyed by URN and provider id: the steps of one replacement share both, while a leftover copy from an
  // earlier replacement shares the URN but is a different campaign.
  const changes = new Map<string, CampaignChange>();
  for (const step of preview.steps) {
    const platform = platformOf(step);
    if (platform === undefined) continue;
    checked++;
    const old = step.oldState;
    if (!DESTRUCTIVE_OPS.has(step.op) || old === undefined) continue;
    const key = `${step.urn}\u0000${old.id ?? ""}`;
    const change = changes.get(key);
    if (change) change.ops.push(step.op);
    else changes.set(key, { urn: step.urn, platform, ops: [step.op], old });
  }

  const findings: GuardFinding[] = [];
  for (const change of changes.values()) {
    // The provider's Delete is never called: Pulumi only forgets the campaign, which stays as it is.
    if (change.old.retainOnDelete === true) continue;
    const finding =
      change.platform === "woodpecker" ? judgeWoodpecker(change) : judgeBurki(change, opts.allowStopRunning);
    if (finding) findings.push(finding);
  }

  const previewErrors = (preview.diagnostics ?? [])
    .filter((d) => d.severity === "error")
    .map((d) => firstLine(d.message ?? ""));
  return { findings, checked, previewErrors };
}

/** 1 when the plan must not run (a blocked campaign, or a failed preview), else 0. */
export function exitCodeFor(report: GuardReport): 0 | 1 {
  return isBlocked(report) ? 1 : 0;
}

export function isBlocked(report: GuardReport): boolean {
  return report.previewErrors.length > 0 || report.findings.some((f) => f.level === "block");
}

/** One line per finding, then a summary line. */
export function formatReport(report: GuardReport): string {
  const lines = report.findings.map((f) => `${f.level === "block" ? "BLOCKED" : "ALLOWED"}: ${f.message}`);
  if (report.previewErrors.length > 0) {
    const count = plural(report.previewErrors.length, "error");
    lines.push(
      `BLOCKED: the preview failed with ${count} (${report.previewErrors[0]}), so its plan is incomplete: ` +
        `Pulumi plans deletes only after the program finishes; fix the preview and run it again`,
    );
  }
  const blocked = report.findings.filter((f) => f.level === "block").length;
  const allowed = report.findings.length - blocked;
  const counts = [
    ...(report.previewErrors.length > 0 ? ["preview failed"] : []),
    ...(blocked > 0 ? [`${blocked} blocked`] : []),
    ...(allowed > 0 ? [`${allowed} allowed`] : []),
    `${plural(report.checked, "campaign step")} checked`,
  ];
  lines.push(`guard: ${isBlocked(report) ? "blocked" : "passed"} (${counts.join(", ")})`);
  return lines.join("\n") + "\n";
}

interface CampaignChange {
  urn: string;
  platform: Platform;
  ops: string[];
  old: ResourceState;
}

function platformOf(step: PreviewStep): Platform | undefined {
  const type = step.oldState?.type ?? step.newState?.type ?? typeFromUrn(step.urn);
  if (type === CAMPAIGN_TYPES.woodpecker) return "woodpecker";
  if (type === CAMPAIGN_TYPES.burki) return "burki";
  return undefined;
}

function judgeWoodpecker(change: CampaignChange): GuardFinding | undefined {
  const workflow = declaredString(change.old, "workflow");
  if (workflow === undefined) return undefined;
  const { label, ...identity } = identify(change);
  const named = workflow === SECRET_PLACEHOLDER ? "its workflow (name hidden as a secret)" : `"${workflow}"`;
  const message =
    `${label} belongs to the workflow ${named}: ${actionOf(change.ops)}, and Woodpecker refuses to delete ` +
    `a campaign in an active workflow (409 CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW); remove it from the ` +
    `workflow ${named} in Woodpecker, drop \`workflow\` from the resource (apply that with \`pulumi up\` ` +
    `before deleting or replacing it), and run preview again`;
  return { level: "block", ...identity, message };
}

function judgeBurki(change: CampaignChange, allowStopRunning: boolean | undefined): GuardFinding | undefined {
  const status = stringProperty(change.old.outputs, "status")?.toLowerCase();
  if (status === undefined || !BURKI_ACTIVE_STATUSES.includes(status)) return undefined;
  const { label, ...identity } = identify(change);
  const consequence =
    status === "running" ? "ending calls in progress" : "cancelling the calls it is scheduled to place";
  if (allowStopRunning) {
    const message =
      `${label}: ${actionOf(change.ops)}; it is ${status} and will be stopped first, ${consequence} ` +
      `(allowed by --allow-stop-running)`;
    return { level: "allowed", ...identity, message };
  }
  const message =
    `${label}: ${actionOf(change.ops)}, but it is ${status} and would be stopped, ${consequence}; ` +
    `pause it first or re-run with --allow-stop-running`;
  return { level: "block", ...identity, message };
}

/** The finding's identity fields and the label that names the campaign in its message. */
function identify(change: CampaignChange): Omit<GuardFinding, "level" | "message"> & { label: string } {
  const { old, urn, platform } = change;
  const campaignId = numberProperty(old.outputs, "campaignId") ?? numericId(old.id);
  const declaredName = declaredString(old, "name");
  const name =
    declaredName !== undefined && declaredName !== SECRET_PLACEHOLDER ? declaredName : nameFromUrn(urn);
  const platformName = platform === "woodpecker" ? "Woodpecker" : "Burki";
  const label =
    campaignId !== undefined
      ? `${platformName} campaign ${campaignId}${name ? ` ("${name}")` : ""}`
      : `${platformName} campaign "${name ?? urn}"`;
  const op = opOf(change.ops);
  return {
    urn,
    platform,
    ...(campaignId !== undefined ? { campaignId } : {}),
    ...(name ? { name } : {}),
    op,
    label,
  };
}

function opOf(ops: string[]): string {
  if (ops.some((op) => REPLACEMENT_OPS.has(op))) return "replace";
  return ops.includes("delete") ? "delete" : ops[0];
}

function actionOf(ops: string[]): string {
  switch (opOf(ops)) {
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
