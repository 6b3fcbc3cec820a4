/**
 * Woodpecker's run-state machines (reference/woodpecker-api.md §5): converge to a declared state,
 * and make the campaign editable around an edit and put it back afterwards.
 *
 * Edits are accepted only in DRAFT or EDITED: a campaign in another status is made editable
 * (`make_editable` → EDITED, which sends nothing), edited, and run again afterwards when it should
 * be running. Each machine takes only the client methods it calls (a scripted client stands in for
 * Woodpecker in test/unit/woodpecker-state-machines.test.ts).
 */
import { OutcomeUnknownError, isApiError } from "../core/errors";
import { CampaignsError } from "../core/errors";
import { logInfo } from "../core/log";
import type { ApiCampaign, WoodpeckerClient } from "./api";
import { stateNotReached } from "./errors";
import { mustFindCampaign } from "./find";
import { EDITABLE_STATUSES, stateSatisfied } from "./mapping";
import type { WoodpeckerDesiredState } from "./types";
import { waitEditable } from "./wait";

/** What converge and the edit paths call. */
export type RunStateClient = Pick<WoodpeckerClient, "getCampaign" | "action">;

/** Rounds of act-and-re-decide in converge. */
const CONVERGE_ROUNDS = 6;

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
 *
 * Why a loop and not a wait: each round reads, decides one action from what it read, and acts;
 * an action whose answer was lost is decided again from a fresh GET rather than repeated blindly.
 * Bounded by CONVERGE_ROUNDS. Woodpecker applies actions at once, so there is nothing to wait for.
 */
export async function converge(
  client: RunStateClient,
  id: number,
  desired: WoodpeckerDesiredState | undefined,
  label: string,
  known?: ApiCampaign,
): Promise<ApiCampaign> {
  let fresh = known;
  for (let round = 1; round <= CONVERGE_ROUNDS; round++) {
    const live = fresh ?? (await mustFindCampaign(client, id, label));
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
  const live = await mustFindCampaign(client, id, label);
  if (stateSatisfied(desired, live.status)) return live;
  throw stateNotReached(label, live.status, String(desired));
}

/** How to put a campaign back after an edit: the status it had before. */
export interface RestorePlan {
  before: string;
}

/** Make the campaign accept edits (make_editable unless DRAFT or EDITED); say how to restore it. */
export async function prepareForEdit(
  client: RunStateClient,
  live: ApiCampaign,
  label: string,
): Promise<{ restore: RestorePlan }> {
  const restore = { before: live.status };
  if (EDITABLE_STATUSES.includes(live.status)) return { restore };
  logInfo(`${label} is ${live.status}: make_editable → edit → run as declared`);
  await waitEditable(client, live.id, label, live.status);
  return { restore };
}

/**
 * After an edit: the declared state wins. Without one, a campaign that was running runs again;
 * one that was paused or stopped stays EDITED (which sends nothing) rather than running briefly.
 */
export function stateAfterEdit(
  declared: WoodpeckerDesiredState | undefined,
  restore: RestorePlan,
): WoodpeckerDesiredState | undefined {
  if (declared !== undefined) return declared;
  return restore.before === "RUNNING" ? "running" : undefined;
}

/** After an edit: bring the campaign to `stateAfterEdit`. */
export async function restoreAfterEdit(
  client: RunStateClient,
  id: number,
  restore: RestorePlan,
  desired: WoodpeckerDesiredState | undefined,
  label: string,
): Promise<ApiCampaign> {
  return converge(client, id, stateAfterEdit(desired, restore), label);
}
