/**
 * Burki's run-state machine (reference/burki-api.md §5), driven towards a desired state.
 *
 * Every action is decided from a fresh GET and re-decided after a refusal (400) or an unconfirmed
 * request, so a repeated or lost action never pushes the campaign past where the user wants it.
 */
import { CampaignGoneError, CampaignsError, OutcomeUnknownError, isApiError } from "../core/errors";
import { logInfo } from "../core/log";
import { waitFor } from "../core/waiter";
import { type BurkiCampaign, type BurkiClient, type BurkiSchedule, TERMINAL_STATUSES } from "./api";
import { stateSatisfied } from "./mapping";
import type { BurkiDesiredState } from "./types";

/** Longest we wait for the scheduled → running hop that follows an immediate start. */
const START_HOP_MS = 30_000;
const MAX_ROUNDS = 6;

export function campaignLabel(id: number, name?: string): string {
  return name ? `Burki campaign ${id} ("${name}")` : `Burki campaign ${id}`;
}

export async function mustGet(client: BurkiClient, id: number, label: string): Promise<BurkiCampaign> {
  const c = await client.getCampaign(id);
  if (!c) throw new CampaignGoneError("burki", label);
  return c;
}

/**
 * The campaign `existingCampaignId` names, for adoption. Its absence is not "deleted outside
 * Pulumi" (it was never in the state): the message says that the id does not exist in the account
 * the API key belongs to. create() prefixes "Cannot adopt <label>: ".
 */
export async function getForAdoption(
  client: BurkiClient,
  id: number,
  _label: string,
): Promise<BurkiCampaign> {
  const c = await client.getCampaign(id);
  if (c) return c;
  throw new CampaignsError(
    `existingCampaignId ${id} does not exist in the Burki account of the configured API key ` +
      `(Burki at ${client.http.baseUrl} answered 404 "Campaign not found" for it), so there is nothing to adopt and ` +
      `nothing was created or changed. Check the id (the campaign's number in Burki) and ` +
      `that burki:apiKey is a key of the account that owns it; to create a new campaign instead, ` +
      `remove existingCampaignId.`,
  );
}

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

/** Bring the campaign to `desired`; returns the live campaign once it satisfies it. */
export async function converge(
  client: BurkiClient,
  id: number,
  desired: BurkiDesiredState | undefined,
  label: string,
  known?: Known,
): Promise<BurkiCampaign> {
  let next: BurkiCampaign | undefined = known?.campaign;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    let live = next ?? (await mustGet(client, id, label));
    if (stateSatisfied(desired, live.status)) {
      if (live === known?.campaign && !known.current) live = await mustGet(client, id, label);
      if (desired === "running" && TERMINAL_STATUSES.includes(live.status)) {
        logInfo(`${label} is ${live.status}; not restarting it (that would contact the same people again).`);
      }
      return live;
    }
    next = undefined;
    const action = nextAction(desired!, live.status);
    if (!action) break;
    logInfo(`${label}: ${live.status} → ${action} (desired state: ${desired})`);
    try {
      await client.action(id, action);
      // Burki starts asynchronously (scheduled, then running): wait out the hop before reading on.
      if (action === "start") next = await waitForStartHop(client, id, label);
    } catch (e) {
      if (!isRedecidable(e)) throw e;
      logInfo(`${label}: ${action} was not confirmed (${(e as Error).message}); reading the status again`);
    }
  }
  const live = await mustGet(client, id, label);
  if (stateSatisfied(desired, live.status)) return live;
  throw new CampaignsError(
    `${label} is "${live.status}" and could not be brought to the desired state "${desired}" after ` +
      `${MAX_ROUNDS} attempts. Check the campaign in Burki (assistant configured, contacts imported) and run again.`,
  );
}

/** After /start: the campaign once it has left `scheduled`, or as it is when that takes too long. */
async function waitForStartHop(client: BurkiClient, id: number, label: string): Promise<BurkiCampaign> {
  let latest: BurkiCampaign | undefined;
  try {
    return await waitFor(
      {
        what: `${label} to begin running`,
        timeoutMs: START_HOP_MS,
        firstCheckAfterMs: 150,
        initialDelayMs: 150,
      },
      async () => {
        latest = await mustGet(client, id, label);
        return latest.status === "scheduled" ? undefined : latest;
      },
    );
  } catch (e) {
    if (!latest) throw e;
    logInfo(`${label} was started and is still "scheduled"; Burki's worker will move it to running.`);
    return latest;
  }
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
  client: BurkiClient,
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
    current = await waitForStartHop(client, current.id, label);
  }
  if (current.status === "running" || current.status === "scheduled") {
    logInfo(`${label}: pausing to apply changes (pause → edit → start)`);
    current = await converge(client, current.id, "paused", label);
    return { live: current, restore: { kind: "start" } };
  }
  if (TERMINAL_STATUSES.includes(current.status)) {
    throw new CampaignsError(
      `${label} is ${current.status}; Burki does not allow editing a ${current.status} campaign. To run it again ` +
        `with the new settings, replace it (\`pulumi up --replace <urn>\`), which deletes it and creates a new one.`,
    );
  }
  return { live: current, restore: { kind: "none" } };
}

/** After an edit: the declared state wins; without one, put the campaign back as it was. */
export async function restoreAfterEdit(
  client: BurkiClient,
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
      return mustGet(client, id, label);
    }
    return converge(client, id, "running", label, known);
  }
  if (restore.kind === "start" && desired === undefined) {
    logInfo(`${label}: resuming after the edit`);
    return converge(client, id, "running", label, known);
  }
  return converge(client, id, desired, label, known);
}
