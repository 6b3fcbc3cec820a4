/**
 * Woodpecker's run states (reference/woodpecker-api.md §5), driven towards a declared state.
 *
 * Edits are accepted only in DRAFT or EDITED: a campaign in another status is made editable
 * (`make_editable` → EDITED, which sends nothing), edited, and run again afterwards when it should
 * be running. Every action is decided from a fresh GET and re-decided after an unconfirmed request.
 */
import { CampaignGoneError, CampaignsError, OutcomeUnknownError, isApiError } from "../core/errors";
import { logInfo } from "../core/log";
import type { ApiCampaign, WoodpeckerClient } from "./api";
import { EDITABLE_STATUSES, stateSatisfied } from "./mapping";
import type { WoodpeckerDesiredState } from "./types";

const MAX_ROUNDS = 6;

export function campaignLabel(id: number, name?: string): string {
  return name ? `Woodpecker campaign ${id} ("${name}")` : `Woodpecker campaign ${id}`;
}

export async function mustGet(client: WoodpeckerClient, id: number, label: string): Promise<ApiCampaign> {
  const c = await client.getCampaign(id);
  if (!c) throw new CampaignGoneError("woodpecker", label);
  return c;
}

/**
 * The campaign `existingCampaignId` names, for adoption. Its absence is not "deleted outside
 * Pulumi" (it was never in the state): the message says that the id does not exist in the account
 * the API key belongs to. create() prefixes "Cannot adopt <label>: ".
 */
export async function getForAdoption(
  client: WoodpeckerClient,
  id: number,
  _label: string,
): Promise<ApiCampaign> {
  const c = await client.getCampaign(id);
  if (c) return c;
  throw new CampaignsError(
    `existingCampaignId ${id} does not exist in the Woodpecker account of the configured API key ` +
      `(Woodpecker at ${client.http.baseUrl} answered 404 CAMPAIGN_NOT_EXIST for it), so there is nothing to adopt and ` +
      `nothing was created or changed. Check the id (the campaign's number in Woodpecker) and ` +
      `that woodpecker:apiKey is a key of the account that owns it; to create a new campaign instead, ` +
      `remove existingCampaignId.`,
  );
}

type Action = "run" | "pause" | "stop";

function nextAction(desired: WoodpeckerDesiredState, status: string): Action | undefined {
  switch (desired) {
    case "running":
      return "run";
    case "paused":
    case "draft":
      return status === "RUNNING" ? "pause" : undefined;
    case "stopped":
      return "stop";
  }
}

/**
 * Bring the campaign to the declared state; returns the live campaign once it satisfies it.
 * `known` is a campaign just read (or just created), used instead of a first GET.
 */
export async function converge(
  client: WoodpeckerClient,
  id: number,
  desired: WoodpeckerDesiredState | undefined,
  label: string,
  known?: ApiCampaign,
): Promise<ApiCampaign> {
  let fresh = known;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const live = fresh ?? (await mustGet(client, id, label));
    fresh = undefined;
    if (stateSatisfied(desired, live.status)) return live;
    const action = nextAction(desired!, live.status);
    if (!action) break;
    logInfo(`${label}: ${live.status} → ${action} (desired state: ${desired})`);
    try {
      await client.action(id, action);
    } catch (e) {
      if (e instanceof OutcomeUnknownError) continue; // the next GET tells
      if (isApiError(e) && (e.status === 400 || e.status === 409)) {
        throw new CampaignsError(`Woodpecker refused to ${action} ${label}: ${e.vendorMessage}`, {
          cause: e,
        });
      }
      throw e;
    }
  }
  const live = await mustGet(client, id, label);
  if (stateSatisfied(desired, live.status)) return live;
  throw new CampaignsError(
    `${label} is ${live.status} and could not be brought to the declared state "${desired}". Check the campaign ` +
      `in Woodpecker (connected mailboxes, first-step subject) and run again.`,
  );
}

/** Make the campaign accept edits; returns its status before (to restore afterwards). */
export async function makeEditable(
  client: WoodpeckerClient,
  live: ApiCampaign,
  label: string,
): Promise<string> {
  if (EDITABLE_STATUSES.includes(live.status)) return live.status;
  logInfo(`${label} is ${live.status}: make_editable → edit → run as declared`);
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    try {
      await client.action(live.id, "make_editable");
    } catch (e) {
      if (!(e instanceof OutcomeUnknownError)) throw e;
    }
    const now = await mustGet(client, live.id, label);
    if (EDITABLE_STATUSES.includes(now.status)) return live.status;
  }
  throw new CampaignsError(
    `${label} could not be made editable (it stays ${live.status}); nothing was changed.`,
  );
}

/**
 * After an edit: the declared state wins. Without one, a campaign that was running runs again;
 * one that was paused or stopped stays EDITED (which sends nothing) rather than running briefly.
 */
export function stateAfterEdit(
  declared: WoodpeckerDesiredState | undefined,
  before: string,
): WoodpeckerDesiredState | undefined {
  if (declared !== undefined) return declared;
  return before === "RUNNING" ? "running" : undefined;
}
