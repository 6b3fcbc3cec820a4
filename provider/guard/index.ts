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
import type { PreviewDigest } from "./preview";
import type { CampaignImpact, GuardFinding, GuardOptions, GuardReport } from "./types";
import { KNOWN_OPS, NEUTRAL_OPS, destroysOld, previewErrorsOf, readPlan } from "./plan";
import { describe } from "./describe";
import { withDoNotContactNote } from "./do-not-contact";
import { settlePendingReplacements } from "./pending-replacement";
import { refusalNote } from "./refusals";
import { judge, unknownOpFinding } from "./judge";
import { NO_REFRESH_WARNING, notRefreshedWarning, replacementsWithoutStepsWarning } from "./words";

export type { PreviewDiagnostic, PreviewDigest, PreviewStep, ResourceState, StepOp } from "./preview";
export { PreviewParseError, SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER, parsePreviewJson } from "./preview";
export type { PreviousState } from "./state";
export { StateParseError, parseStackExport } from "./state";
export { formatSummary } from "./summary";
export type {
  Audience,
  CampaignImpact,
  FindingReason,
  GuardFinding,
  GuardOptions,
  GuardReport,
} from "./types";
export { DESTRUCTIVE_OPS } from "./plan";
export { exitCodeFor, formatReport, isBlocked, previewFailureLine, verdictLine } from "./format";

export type { Platform } from "../core/errors";
export { CAMPAIGN_TYPES } from "../core/campaign";

/** Judge a parsed preview. Every campaign is reported at most once, however many steps it has. */
export function evaluatePlan(given: PreviewDigest, opts: GuardOptions = {}): GuardReport {
  // A preview marks a delete-before-replace's old state pendingReplacement before anything ran
  // (./pending-replacement.ts): believed only where the stored state says so.
  const { preview, warnings: pendingWarnings } = settlePendingReplacements(given, opts.previousState);
  const plan = readPlan(preview);
  const findings: GuardFinding[] = [];
  const warnings: string[] = [];
  const impacts: CampaignImpact[] = [];
  let existing = false;
  let replacementsWithoutSteps = 0;
  for (const change of plan.changes) {
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
    // The row says how many people the do-not-contact list leaves out (./do-not-contact.ts).
    const impact = withDoNotContactNote(describe(change, plan.refreshed, opts.previousState), change.new);
    // Prospects Woodpecker refused at the last update, by count (./refusals.ts).
    impact.effect += refusalNote(change.old) ?? "";
    impacts.push(impact);
    findings.push(...judge(change, impact, opts));
    if (plan.anyRefresh && destroysOld(change) && !plan.refreshed.has(change.urn)) {
      warnings.push(notRefreshedWarning(change, impact.label));
    }
  }
  if (existing && !plan.anyRefresh) warnings.unshift(NO_REFRESH_WARNING);
  warnings.push(...pendingWarnings);
  if (replacementsWithoutSteps > 0) warnings.push(replacementsWithoutStepsWarning(replacementsWithoutSteps));

  return {
    findings,
    warnings,
    changes: impacts,
    checked: plan.checked,
    previewErrors: previewErrorsOf(preview),
  };
}
