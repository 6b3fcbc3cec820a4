/**
 * Deleting a Burki campaign — the promise this project was founded on.
 *
 * Burki refuses to delete a running campaign (400 "Cannot delete running campaign - stop it first").
 * So, like Genesys' outbound-campaign provider (turn off → wait → delete): read it; if it is
 * running or scheduled, stop it and wait (bounded, with backoff) until it is not; then delete.
 * Burki's own "Campaign not found" at any point means it is already gone; any other 404 (a wrong
 * base URL: FastAPI's route 404, a proxy) is an error and nothing is taken for deleted. A campaign that turns running between our read and
 * our delete (its schedule fired) gets the same 400, and we go round again. A stop that never takes
 * effect ends in a timeout error that names the campaign; the resource then stays in state.
 *
 * Common case, running campaign: GET → POST stop → GET → DELETE (4 calls). Draft: GET → DELETE.
 */
import {
  CampaignsError,
  OutcomeUnknownError,
  WaitTimeoutError,
  isApiError,
  isNotFound,
} from "../core/errors";
import { logInfo } from "../core/log";
import { waitFor } from "../core/waiter";
import { ACTIVE_STATUSES, type BurkiClient, isRunningDeleteRefusal } from "./api";

export class StopTimeoutError extends CampaignsError {}

export interface StopThenDeleteOptions {
  /** Bound on the whole stop-and-wait, in ms. */
  stopTimeoutMs: number;
  label: string;
}

/** How many times a delete may be refused because the campaign (re)started before we give up. */
const MAX_ROUNDS = 5;

export type DeleteOutcome = "deleted" | "already-gone";

export async function stopThenDelete(
  client: BurkiClient,
  id: number,
  opts: StopThenDeleteOptions,
): Promise<DeleteOutcome> {
  const deadline = Date.now() + opts.stopTimeoutMs;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const live = await client.getCampaign(id);
    if (!live) return "already-gone";

    if (ACTIVE_STATUSES.includes(live.status)) {
      logInfo(`${opts.label} is ${live.status}: stopping it before deleting`);
      /** Send stop; false when Burki did not confirm it (it may never have arrived). */
      const sendStop = async (): Promise<boolean | "gone"> => {
        try {
          await client.action(id, "stop");
          return true;
        } catch (e) {
          if (isNotFound(e, "campaign")) return "gone";
          // Refused: it stopped or finished meanwhile; the wait below reads the truth.
          if (isApiError(e, 400)) return true;
          if (e instanceof OutcomeUnknownError) return false;
          throw e;
        }
      };
      let confirmed = await sendStop();
      if (confirmed === "gone") return "already-gone";
      const remaining = deadline - Date.now();
      try {
        const stopped = await waitFor(
          {
            what: `${opts.label} to stop`,
            timeoutMs: Math.max(0, remaining),
            initialDelayMs: 0,
            maxDelayMs: 5_000,
          },
          async () => {
            const c = await client.getCampaign(id);
            if (!c) return "gone" as const;
            if (!ACTIVE_STATUSES.includes(c.status)) return "stopped" as const;
            // Still running after a stop nobody confirmed: it may never have reached Burki.
            if (!confirmed) confirmed = await sendStop();
            return confirmed === "gone" ? ("gone" as const) : undefined;
          },
        );
        if (stopped === "gone") return "already-gone";
      } catch (e) {
        if (e instanceof WaitTimeoutError) {
          throw new StopTimeoutError(
            `${opts.label} is still running: it was asked to stop but did not stop within ` +
              `${Math.round(opts.stopTimeoutMs / 1000)}s, so it was NOT deleted and stays in the Pulumi state. ` +
              `Check it in Burki (POST /api/v1/campaigns/${id}/stop), then run the destroy again; raise ` +
              `burki:stopTimeoutSeconds if stopping takes longer. (${e.message})`,
          );
        }
        throw e;
      }
    }

    try {
      const r = await client.deleteCampaign(id);
      if (r === "gone") return "already-gone";
      logInfo(`${opts.label} deleted`);
      return "deleted";
    } catch (e) {
      if (isRunningDeleteRefusal(e)) {
        // It started between our read and our delete (a schedule fired, or someone pressed start).
        logInfo(`${opts.label} turned running before the delete; stopping it again`);
        if (Date.now() >= deadline) break;
        continue;
      }
      if (e instanceof OutcomeUnknownError) continue; // the next GET tells whether it is gone
      throw e;
    }
  }
  throw new StopTimeoutError(
    `${opts.label} kept turning running again while it was being deleted (${MAX_ROUNDS} attempts); it was NOT ` +
      `deleted and stays in the Pulumi state. Find out what restarts it (a schedule, another tool), then destroy again.`,
  );
}
