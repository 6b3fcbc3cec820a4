/**
 * Waiting for Burki: each wait is data for the core waiter (core/waiter.ts `waitForState`): the
 * states it goes on through, the states that end it, and the refresh function that reads them
 * (find.ts `statusCampaign`). Timeouts and backoff are the ones the lifecycle has always used.
 */
import { BURKI_ACTIVE_STATUSES, BURKI_TERMINAL_STATUSES } from "../core/campaign";
import { WaitTimeoutError } from "../core/errors";
import { logInfo } from "../core/log";
import { waitForState } from "../core/waiter";
import type { BurkiCampaign, BurkiClient } from "./api";
import { stopTimedOut } from "./errors";
import { type CampaignFinder, GONE, mustFindCampaign, statusCampaign } from "./find";

/** Longest we wait for the scheduled → running hop that follows an immediate start. */
export const START_HOP_MS = 30_000;
/** Longest a contact import may take. */
export const IMPORT_TIMEOUT_MS = 10 * 60_000;

/** Statuses of a campaign that is not placing calls and will not start by itself. */
export const STOPPED_STATUSES: readonly string[] = ["draft", "paused", ...BURKI_TERMINAL_STATUSES];

export interface StopWait {
  label: string;
  /** When the whole stop-and-delete must be over (ms since epoch). */
  deadline: number;
  /** The configured bound on it, for the message. */
  stopTimeoutMs: number;
  /**
   * Runs on every check that finds the campaign still active: re-sends a stop nobody confirmed
   * (it may never have reached Burki). "gone" when that found the campaign deleted.
   */
  stillActive?: () => Promise<"gone" | undefined>;
}

/** Until the campaign is no longer running or scheduled; StopTimeoutError at the deadline. */
export async function waitCampaignStopped(
  client: CampaignFinder,
  id: number,
  w: StopWait,
): Promise<"stopped" | "gone"> {
  try {
    const { state } = await waitForState({
      what: `${w.label} to stop`,
      timeoutMs: Math.max(0, w.deadline - Date.now()),
      initialDelayMs: 0,
      maxDelayMs: 5_000,
      pending: BURKI_ACTIVE_STATUSES,
      target: [...STOPPED_STATUSES, GONE],
      refresh: async () => {
        const observed = await statusCampaign(client, id);
        if (BURKI_ACTIVE_STATUSES.includes(observed.state) && (await w.stillActive?.()) === "gone") {
          return { state: GONE, value: undefined };
        }
        return observed;
      },
    });
    return state === GONE ? "gone" : "stopped";
  } catch (e) {
    if (e instanceof WaitTimeoutError) throw stopTimedOut(w.label, id, w.stopTimeoutMs, e);
    throw e;
  }
}

/**
 * After /start: the campaign once it has left `scheduled` (Burki starts asynchronously), or as it
 * is when that takes longer than START_HOP_MS — Burki's worker then moves it on by itself.
 */
export async function waitStartedOrScheduled(
  client: CampaignFinder,
  id: number,
  label: string,
): Promise<BurkiCampaign> {
  let latest: BurkiCampaign | undefined;
  try {
    const { value } = await waitForState({
      what: `${label} to begin running`,
      timeoutMs: START_HOP_MS,
      firstCheckAfterMs: 150,
      initialDelayMs: 150,
      pending: ["scheduled"],
      target: ["running", ...STOPPED_STATUSES],
      refresh: async () => {
        latest = await mustFindCampaign(client, id, label);
        return { state: latest.status, value: latest };
      },
    });
    return value;
  } catch (e) {
    if (!latest) throw e;
    logInfo(`${label} was started and is still "${latest.status}"; Burki's worker will move it to running.`);
    return latest;
  }
}

/** Until Burki has processed a contact import; throws when Burki reports it failed. */
export async function waitImportDone(
  client: Pick<BurkiClient, "getImport">,
  id: number,
  importId: number,
  label: string,
): Promise<void> {
  await waitForState({
    what: `the contact import of ${label}`,
    timeoutMs: IMPORT_TIMEOUT_MS,
    // Burki imports in a background task: the first check waits a little.
    firstCheckAfterMs: 100,
    initialDelayMs: 200,
    maxDelayMs: 3_000,
    pending: ["pending", "processing"],
    // An import that is no longer found is over. Burki does not document its import statuses
    // (reference/burki-api.md, import-data), so only the known ones decide and others mean "not yet".
    target: ["completed", "success", GONE],
    otherStates: "pending",
    refresh: async () => {
      const s = await client.getImport(id, importId);
      if (s?.status === "failed" || s?.status === "error") {
        throw new Error(`Burki could not import the contacts of ${label}: ${s.error ?? "import failed"}`);
      }
      return { state: s ? (s.status ?? "") : GONE, value: s };
    },
  });
}
