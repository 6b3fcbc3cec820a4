/**
 * Waiting for Burki: each wait is data for the core waiter (core/waiter.ts `waitForState`): the
 * states it goes on through, the states that end it, and the refresh function that reads them
 * (find.ts `statusCampaign`). The hops Burki runs in the background (an import, the start) are
 * waited for at their measured pace (core/waiter.ts `Pace`), not after fixed first delays.
 */
import { BURKI_ACTIVE_STATUSES, BURKI_TERMINAL_STATUSES } from "../core/campaign";
import { WaitTimeoutError } from "../core/errors";
import { logInfo } from "../core/log";
import { Pace, waitForState } from "../core/waiter";
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
  let last = "running";
  try {
    const { state } = await waitForState({
      what: `${w.label} to stop`,
      timeoutMs: Math.max(0, w.deadline - Date.now()),
      onProgress: (ms) =>
        logInfo(
          `${w.label}: stop sent, still ${last} after ${Math.round(ms / 1000)}s; waiting up to ` +
            `${Math.round(w.stopTimeoutMs / 1000)}s (burki:stopTimeoutSeconds) before deleting`,
        ),
      initialDelayMs: 0,
      maxDelayMs: 5_000,
      pending: BURKI_ACTIVE_STATUSES,
      target: [...STOPPED_STATUSES, GONE],
      refresh: async () => {
        const observed = await statusCampaign(client, id);
        last = observed.state;
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
 * The pace of Burki's asynchronous hops in this process (core/waiter.ts `Pace`): the
 * `scheduled → running` hop after a start, and contact imports by size (a 100,000-row import does
 * not set the pace of a 2-row one).
 */
export const START_HOP_PACE = new Pace();
const importPaces = new Map<number, Pace>();
export function importPace(rows: number): Pace {
  const scale = Math.ceil(Math.log10(Math.max(1, rows) + 1));
  let pace = importPaces.get(scale);
  if (!pace) importPaces.set(scale, (pace = new Pace()));
  return pace;
}
/** Forget what the waits measured (tests). */
export function resetPaces(): void {
  START_HOP_PACE.reset();
  importPaces.clear();
}

/**
 * After /start, which answers `"status": "scheduled"` even for an immediate start (Burki's worker
 * moves it to running): the campaign once it has left `scheduled`, or as it is when that takes
 * longer than START_HOP_MS — Burki's worker then moves it on by itself. The first read goes when
 * the hop measured on earlier starts is over (START_HOP_PACE; at once before any measure), then
 * every 10 ms × 1.5ⁿ up to 1 s: one read at Burki's pace. `answered` is the status `start` gave:
 * anything but `scheduled` is read once, at once.
 */
export async function waitStartedOrScheduled(
  client: CampaignFinder,
  id: number,
  label: string,
  answered?: string,
): Promise<BurkiCampaign> {
  let latest: BurkiCampaign | undefined;
  const hop = answered === undefined || answered === "scheduled";
  try {
    const { value } = await waitForState({
      what: `${label} to begin running`,
      timeoutMs: START_HOP_MS,
      ...(hop ? { pace: START_HOP_PACE } : {}),
      initialDelayMs: 10,
      minDelayMs: 10,
      backoff: 1.5,
      maxDelayMs: 1_000,
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

/**
 * Until Burki has processed a contact import of `rows` rows (import-data answered 202 and an
 * import id: it is queued); throws when Burki reports it failed. The first status read goes when
 * imports of that size were over before (importPace; at once before any measure), then every
 * 10 ms × 1.5ⁿ up to 2 s while it is pending or processing.
 */
export async function waitImportDone(
  client: Pick<BurkiClient, "getImport">,
  id: number,
  importId: number,
  label: string,
  rows: number,
): Promise<void> {
  await waitForState({
    what: `the contact import of ${label}`,
    timeoutMs: IMPORT_TIMEOUT_MS,
    onProgress: (ms) =>
      logInfo(
        `${label}: Burki is still importing ${rows.toLocaleString("en-US")} contact(s) after ` +
          `${Math.round(ms / 1000)}s (waiting up to ${Math.round(IMPORT_TIMEOUT_MS / 1000)}s)`,
      ),
    pace: importPace(rows),
    initialDelayMs: 10,
    minDelayMs: 10,
    backoff: 1.5,
    maxDelayMs: 2_000,
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
