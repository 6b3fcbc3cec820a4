/**
 * Burki's run-state machines (reference/burki-api.md §5): converge to a desired state, pause or
 * unschedule around an edit and put the campaign back afterwards, and stop-then-delete.
 *
 * Each takes only the client methods it calls (a scripted client stands in for Burki in
 * test/unit/burki-state-machines.test.ts). Every action is decided from a fresh GET and re-decided
 * after a refusal (400) or an unconfirmed request, so a repeated or lost action never pushes the
 * campaign past where the user wants it.
 */
import { BURKI_ACTIVE_STATUSES, BURKI_TERMINAL_STATUSES } from "../core/campaign";
import { OutcomeUnknownError, isApiError } from "../core/errors";
import { logInfo } from "../core/log";
import { type BurkiCampaign, type BurkiClient, type BurkiSchedule, isRunningDeleteRefusal } from "./api";
import { keptRestarting, notEditable, stateNotReached } from "./errors";
import { findCampaign, isCampaignGone, mustFindCampaign } from "./find";
import { stateSatisfied } from "./mapping";
import type { BurkiDesiredState } from "./types";
import { waitCampaignStopped, waitStartedOrScheduled } from "./wait";

/** What converge calls. */
export type RunStateClient = Pick<BurkiClient, "getCampaign" | "action">;
/** What the edit paths call. */
export type EditClient = RunStateClient & Pick<BurkiClient, "getSchedule" | "saveSchedule">;
/** What stopThenDelete calls. */
export type DeleteClient = RunStateClient & Pick<BurkiClient, "deleteCampaign">;

/** Rounds of act-and-re-decide in converge. */
const CONVERGE_ROUNDS = 6;
/** How many times a delete may be refused because the campaign (re)started before we give up. */
const DELETE_ROUNDS = 5;

type Action = "start" | "pause" | "unschedule";

function nextAction(desired: BurkiDesiredState, status: string): Action | undefined {
  if (desired === "running") return status === "draft" || status === "paused" ? "start" : undefined;
  if (status === "running") return "pause";
  if (status === "scheduled") return "unschedule";
  return undefined;
}

/** True when an action failed in a way that a fresh GET resolves (refused, or not confirmed). */
function isRedecidable(e: unknown): boolean {
  return isApiError(e, 400) || e instanceof OutcomeUnknownError;
}

export interface Known {
  /** The campaign as just read or created, used instead of a first GET. */
  campaign: BurkiCampaign;
  /**
   * False when only its status is current (contacts were imported since): it may decide the first
   * action, but a campaign returned as-is is read again, so outputs carry fresh counters.
   */
  current: boolean;
}

/**
 * Bring the campaign to `desired`; returns the live campaign once it satisfies it.
 *
 * Why a loop and not a wait: each round reads, decides one action from what it read, and acts;
 * the next round decides again from a fresh GET (a start that was refused because the campaign
 * finished meanwhile needs no second action; a lost pause may need one). Bounded by
 * CONVERGE_ROUNDS; the only wait is the start hop (wait.ts `waitStartedOrScheduled`).
 */
export async function converge(
  client: RunStateClient,
  id: number,
  desired: BurkiDesiredState | undefined,
  label: string,
  known?: Known,
): Promise<BurkiCampaign> {
  let next: BurkiCampaign | undefined = known?.campaign;
  for (let round = 1; round <= CONVERGE_ROUNDS; round++) {
    let live = next ?? (await mustFindCampaign(client, id, label));
    if (stateSatisfied(desired, live.status)) {
      if (live === known?.campaign && !known.current) live = await mustFindCampaign(client, id, label);
      if (desired === "running" && BURKI_TERMINAL_STATUSES.includes(live.status)) {
        logInfo(`${label} is ${live.status}; not restarting it (that would contact the same people again).`);
      }
      return live;
    }
    next = undefined;
    const action = nextAction(desired!, live.status);
    if (!action) break;
    logInfo(`${label}: ${live.status} → ${action} (desired state: ${desired})`);
    try {
      const answered = await client.action(id, action);
      if (action === "start") next = await waitStartedOrScheduled(client, id, label, answered);
    } catch (e) {
      if (!isRedecidable(e)) throw e;
      logInfo(`${label}: ${action} was not confirmed (${(e as Error).message}); reading the status again`);
    }
  }
  const live = await mustFindCampaign(client, id, label);
  if (stateSatisfied(desired, live.status)) return live;
  throw stateNotReached(label, live.status, String(desired), CONVERGE_ROUNDS);
}

/** How to put a campaign back after an edit that needed it paused. */
export type RestorePlan =
  { kind: "none" } | { kind: "start" } | { kind: "schedule"; schedule: BurkiSchedule };

/**
 * Burki accepts PUT and contact imports only in draft or paused. Make the campaign editable and
 * say how to restore it: running → pause (restore: start); a future schedule → unschedule
 * (restore: the same schedule); the transient `scheduled` right after a start → wait for running,
 * then pause.
 */
export async function prepareForEdit(
  client: EditClient,
  live: BurkiCampaign,
  label: string,
): Promise<{ live: BurkiCampaign; restore: RestorePlan }> {
  let current = live;
  if (current.status === "scheduled") {
    const schedule = await client.getSchedule(current.id);
    if (schedule && (schedule.schedule_type === "scheduled" || schedule.schedule_type === "recurring")) {
      logInfo(`${label}: unscheduling to apply changes (the schedule is restored afterwards)`);
      current = await converge(client, current.id, "draft", label);
      return { live: current, restore: { kind: "schedule", schedule } };
    }
    current = await waitStartedOrScheduled(client, current.id, label);
  }
  if (BURKI_ACTIVE_STATUSES.includes(current.status)) {
    logInfo(`${label}: pausing to apply changes (pause → edit → start)`);
    current = await converge(client, current.id, "paused", label);
    return { live: current, restore: { kind: "start" } };
  }
  if (BURKI_TERMINAL_STATUSES.includes(current.status)) throw notEditable(label, current.status);
  return { live: current, restore: { kind: "none" } };
}

/** After an edit: the declared state wins; without one, put the campaign back as it was. */
export async function restoreAfterEdit(
  client: EditClient,
  id: number,
  restore: RestorePlan,
  desired: BurkiDesiredState | undefined,
  label: string,
  known?: Known,
): Promise<BurkiCampaign> {
  if (restore.kind === "schedule" && (desired === undefined || desired === "running")) {
    const at = restore.schedule.scheduled_at ? Date.parse(restore.schedule.scheduled_at) : NaN;
    if (restore.schedule.schedule_type === "recurring" || !(at <= Date.now())) {
      logInfo(`${label}: restoring its ${restore.schedule.schedule_type} schedule`);
      await client.saveSchedule(id, restore.schedule);
      return mustFindCampaign(client, id, label);
    }
    return converge(client, id, "running", label, known);
  }
  if (restore.kind === "start" && desired === undefined) {
    logInfo(`${label}: resuming after the edit`);
    return converge(client, id, "running", label, known);
  }
  return converge(client, id, desired, label, known);
}

export interface StopThenDeleteOptions {
  /** Bound on the whole stop-and-wait, in ms. */
  stopTimeoutMs: number;
  label: string;
}

export type DeleteOutcome = "deleted" | "already-gone";

/**
 * Deleting a Burki campaign — the promise this project was founded on. Burki refuses to delete a
 * running campaign (400 "Cannot delete running campaign - stop it first"), so, like AWS DMS's
 * task delete and Genesys' outbound campaign (turn off → wait → delete), one round reads:
 * find → if running or scheduled: stop → wait until stopped → delete; not found is success.
 *
 * Why rounds: a campaign that turns running between our read and our DELETE (its schedule fired)
 * gets the same 400, and a DELETE whose answer was lost may or may not have happened; the next
 * round decides again from a fresh GET. At most DELETE_ROUNDS, within one stop deadline.
 * Common case, running campaign: GET → POST stop → GET → DELETE (4 calls). Draft: GET → DELETE.
 */
export async function stopThenDelete(
  client: DeleteClient,
  id: number,
  opts: StopThenDeleteOptions,
): Promise<DeleteOutcome> {
  const deadline = Date.now() + opts.stopTimeoutMs;
  for (let round = 1; round <= DELETE_ROUNDS; round++) {
    const outcome = await stopThenDeleteOnce(client, id, opts, deadline);
    if (outcome === "deleted" || outcome === "already-gone") return outcome;
    if (outcome === "restarted" && Date.now() >= deadline) break;
  }
  throw keptRestarting(opts.label, DELETE_ROUNDS);
}

async function stopThenDeleteOnce(
  client: DeleteClient,
  id: number,
  opts: StopThenDeleteOptions,
  deadline: number,
): Promise<DeleteOutcome | "restarted" | "unconfirmed"> {
  const live = await findCampaign(client, id);
  if (!live) return "already-gone";

  if (BURKI_ACTIVE_STATUSES.includes(live.status)) {
    logInfo(`${opts.label} is ${live.status}: stopping it before deleting`);
    const stop = await stopCampaign(client, id);
    if (stop === "gone") return "already-gone";
    let confirmed = stop === "sent";
    const stopped = await waitCampaignStopped(client, id, {
      label: opts.label,
      deadline,
      stopTimeoutMs: opts.stopTimeoutMs,
      // Still running after a stop nobody confirmed: it may never have reached Burki.
      stillActive: async () => {
        if (confirmed) return undefined;
        const again = await stopCampaign(client, id);
        confirmed = again === "sent";
        return again === "gone" ? "gone" : undefined;
      },
    });
    if (stopped === "gone") return "already-gone";
  }

  try {
    if ((await client.deleteCampaign(id)) === "gone") return "already-gone";
    logInfo(`${opts.label} deleted`);
    return "deleted";
  } catch (e) {
    if (isRunningDeleteRefusal(e)) {
      // It started between our read and our delete (a schedule fired, or someone pressed start).
      logInfo(`${opts.label} turned running before the delete; stopping it again`);
      return "restarted";
    }
    if (e instanceof OutcomeUnknownError) return "unconfirmed"; // the next GET tells whether it is gone
    throw e;
  }
}

/**
 * POST /stop. "sent" also when Burki refused it (400: it stopped or finished meanwhile; the wait
 * reads the truth); "unconfirmed" when no answer came (it may never have arrived).
 */
async function stopCampaign(client: RunStateClient, id: number): Promise<"sent" | "unconfirmed" | "gone"> {
  try {
    await client.action(id, "stop");
    return "sent";
  } catch (e) {
    if (isCampaignGone(e)) return "gone";
    if (isApiError(e, 400)) return "sent";
    if (e instanceof OutcomeUnknownError) return "unconfirmed";
    throw e;
  }
}
