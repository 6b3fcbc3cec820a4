import { campaignLabel } from "../core/campaign";
import { CampaignsError } from "../core/errors";

/**
 * Woodpecker refused to delete a campaign because it belongs to an active workflow (409
 * CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW). Not retryable: nothing changes until a person removes the
 * campaign from the workflow. The campaign is untouched and the resource stays in state.
 */
export class WorkflowConflictError extends CampaignsError {
  constructor(
    readonly campaignId: number,
    readonly campaignName: string | undefined,
    readonly workflow: string | undefined,
  ) {
    const label = campaignLabel("woodpecker", campaignId, campaignName);
    const wf = workflow ? ` "${workflow}"` : "";
    super(
      `Woodpecker refused to delete ${label}: it is part of an active workflow${wf} ` +
        `(409 CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW). Nothing was deleted: the campaign is untouched and stays ` +
        `in the Pulumi state. Remove the campaign from the workflow${wf} in Woodpecker (or turn the workflow off), ` +
        `then run the destroy or update again. To stop managing it without deleting it, use \`pulumi state delete\` ` +
        `or the retainOnDelete resource option (the campaign then keeps running, and a retained campaign that is ` +
        `replaced stays live beside its replacement).`,
    );
  }
}

/**
 * A plan would replace (delete, then create) a campaign that declares `workflow`. Its message is the
 * `check` failure on `workflow` (lifecycle.ts `refuseWorkflowReplacement`), so `pulumi preview` and
 * `pulumi up` stop before anything is touched. Not raised from `diff`: the engine calls Diff on every
 * refresh too, and a refusal there would fail the refresh.
 */
export class WorkflowReplacementError extends CampaignsError {
  constructor(
    readonly campaignId: number | undefined,
    readonly campaignName: string | undefined,
    readonly workflow: string,
    readonly reasons: string[],
  ) {
    super(
      `${campaignLabel("woodpecker", campaignId, campaignName)} belongs to the active workflow "${workflow}", and this change needs a ` +
        `replacement (${reasons.join(", ")} cannot change in place), which would delete the campaign. Woodpecker ` +
        `refuses to delete a campaign that is part of an active workflow, so the plan is stopped here and nothing ` +
        `was changed. To go ahead: remove the campaign from the workflow "${workflow}" in Woodpecker, drop ` +
        `\`workflow\` from this resource, then run again. Or keep the campaign and make a change that applies in place.`,
    );
  }
}

/** make_editable did not take: nothing was edited. */
export function notEditable(label: string, status: string): CampaignsError {
  return new CampaignsError(`${label} could not be made editable (it stays ${status}); nothing was changed.`);
}

/** The declared run state could not be reached. */
export function stateNotReached(label: string, status: string, desired: string): CampaignsError {
  return new CampaignsError(
    `${label} is ${status} and could not be brought to the declared state "${desired}". Check the campaign ` +
      `in Woodpecker (connected mailboxes, first-step subject) and run again.`,
  );
}
