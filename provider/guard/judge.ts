/**
 * The judgement: which campaign changes block a plan, and which are let through by a flag
 * (`--allow-stop-running`, `--allow-starts`). Each finding is one line that names the campaign, what the
 * plan would do, why that is refused, and the fix.
 */
import { SECRET_PLACEHOLDER } from "./preview";
import type { CampaignImpact, GuardFinding, GuardOptions } from "./types";
import { DESTRUCTIVE_OPS, declaredString, survives, type CampaignChange } from "./plan";
import { statusOf } from "./status";
import { PLATFORM_NAME, actionOf, identify } from "./words";

/** The findings for one campaign change, judged on what ./describe.ts says the plan does to it. */
export function judge(change: CampaignChange, impact: CampaignImpact, opts: GuardOptions): GuardFinding[] {
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

/** A step op the guard has no rule for: blocked, since it cannot tell what the step does (fail closed). */
export function unknownOpFinding(change: CampaignChange, ops: string[]): GuardFinding {
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
