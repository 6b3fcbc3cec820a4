/**
 * Reading the plan: which steps of a `pulumi preview --json` document touch a campaign, grouped into one
 * change per campaign, and what the plan does to the old campaign (deletes it, forgets it, keeps it). The
 * shapes and the engine behaviour behind each op are documented in ./preview.ts.
 */
import type { PreviewDigest, PreviewStep, ResourceState } from "./preview";
import { CAMPAIGN_TYPES } from "../core/campaign";
import type { Platform } from "../core/errors";
import { contactedCount } from "./do-not-contact";

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

export const REPLACEMENT_OPS: ReadonlySet<string> = new Set([
  "replace",
  "create-replacement",
  "import-replacement",
]);
export const DISCARD_OPS: ReadonlySet<string> = new Set(["discard", "discard-replaced"]);
/** Ops that change nothing a campaign does (`read` is a `get`; `refresh` is judged apart). */
export const NEUTRAL_OPS: ReadonlySet<string> = new Set([
  "same",
  "read",
  "read-replacement",
  "remove-pending-replace",
]);
/** Every op the guard has a rule for; a campaign step with any other op is blocked (fail closed). */
export const KNOWN_OPS: ReadonlySet<string> = new Set([
  ...DESTRUCTIVE_OPS,
  ...DISCARD_OPS,
  ...NEUTRAL_OPS,
  "create",
  "update",
  "import",
  "refresh",
]);

/** Every step of the plan for one campaign (the steps of one replacement share URN and provider id). */
export interface CampaignChange {
  urn: string;
  platform: Platform;
  ops: string[];
  old?: ResourceState;
  new?: ResourceState;
}

/** The campaign steps of a preview, one change per campaign. */
export interface PlanReading {
  /** Campaign steps examined (every step whose resource is a Burki or Woodpecker campaign). */
  checked: number;
  /** The plan has `refresh` steps (of any resource): the preview ran with `--refresh`. */
  anyRefresh: boolean;
  /**
   * The campaigns the preview refreshed, by URN, with the state as stored before the refresh: the CLI
   * prints a `refresh` step from its pre-event (old and new state both the stored one, measured with
   * v3.276.0, burki-delete-stale.refresh.json); what the refresh found is the `oldState` of the
   * campaign's later steps. So this is the last known state of a campaign the refresh found gone.
   */
  refreshed: Map<string, ResourceState | undefined>;
  /** Every campaign the plan touches, refreshes aside, in plan order. */
  changes: CampaignChange[];
}

/** Groups the campaign steps of a preview by campaign. */
export function readPlan(preview: PreviewDigest): PlanReading {
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
  return { checked, anyRefresh, refreshed, changes: [...changes.values()] };
}

/** The first line of each error diagnostic: a failed preview lists no deletes, so the guard blocks it. */
export function previewErrorsOf(preview: PreviewDigest): string[] {
  return (preview.diagnostics ?? [])
    .filter((d) => d.severity === "error")
    .map((d) => firstLine(d.message ?? ""));
}

function platformOf(step: PreviewStep): Platform | undefined {
  const type = step.oldState?.type ?? step.newState?.type ?? typeFromUrn(step.urn);
  if (type === CAMPAIGN_TYPES.woodpecker) return "woodpecker";
  if (type === CAMPAIGN_TYPES.burki) return "burki";
  return undefined;
}

/** The old campaign is deleted by the plan (as opposed to forgotten, or already gone). */
export function destroysOld(change: CampaignChange): boolean {
  const old = change.old;
  if (!old || old.pendingReplacement === true) return false;
  if (!change.ops.some((op) => DESTRUCTIVE_OPS.has(op))) return false;
  return !survives(change);
}

/** The old campaign outlives the plan: retained (Delete is skipped) or external (only discarded). */
export function survives(change: CampaignChange): boolean {
  return change.old?.retainOnDelete === true || change.old?.external === true;
}

export function operationOf(change: CampaignChange, recreated: boolean): string {
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

/** A string the old state declares: outputs first (what the provider recorded), then inputs. */
export function declaredString(state: ResourceState, key: string): string | undefined {
  return stringProperty(state.outputs, key) ?? stringProperty(state.inputs, key);
}

function stringProperty(bag: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = bag?.[key];
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

export function numberProperty(bag: Record<string, unknown> | undefined, key: string): number | undefined {
  const value = bag?.[key];
  // People the do-not-contact list leaves out are not counted (./do-not-contact.ts).
  if (typeof value === "number" && Number.isFinite(value)) return contactedCount(bag, key, value);
  return typeof value === "string" ? numericId(value) : undefined;
}

/** The campaign resources use the platform's numeric campaign id as their Pulumi id. */
export function numericId(id: string | undefined): number | undefined {
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

export function nameFromUrn(urn: string): string | undefined {
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
