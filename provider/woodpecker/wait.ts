/**
 * Waiting for Woodpecker: each wait is data for the core waiter (core/waiter.ts `waitForState`):
 * the states it goes on through, the states that end it, and the refresh function that reads them.
 * Woodpecker applies run/pause/stop at once, so converge needs no wait; only make_editable does.
 */
import { OutcomeUnknownError, WaitTimeoutError } from "../core/errors";
import { UnexpectedStateError, waitForState } from "../core/waiter";
import type { WoodpeckerClient } from "./api";
import { notEditable } from "./errors";
import { mustFindCampaign } from "./find";
import { EDITABLE_STATUSES } from "./mapping";

/** How many times make_editable is sent before we give up. */
export const EDITABLE_ROUNDS = 6;

/** Statuses make_editable leaves (to EDITED). */
export const NOT_EDITABLE_STATUSES: readonly string[] = ["RUNNING", "PAUSED", "STOPPED", "COMPLETED"];

/**
 * Until the campaign is DRAFT or EDITED. Each check sends make_editable (repeating one whose answer
 * was lost is harmless) and reads the status; no pause between them. `before` is the status it
 * had, for the message when it does not become editable.
 */
export async function waitEditable(
  client: Pick<WoodpeckerClient, "getCampaign" | "action">,
  id: number,
  label: string,
  before: string,
): Promise<void> {
  try {
    await waitForState({
      what: `${label} to become editable`,
      timeoutMs: Infinity,
      maxChecks: EDITABLE_ROUNDS,
      initialDelayMs: 0,
      maxDelayMs: 0,
      pending: NOT_EDITABLE_STATUSES,
      target: EDITABLE_STATUSES,
      refresh: async () => {
        try {
          await client.action(id, "make_editable");
        } catch (e) {
          if (!(e instanceof OutcomeUnknownError)) throw e;
        }
        const now = await mustFindCampaign(client, id, label);
        return { state: now.status, value: now };
      },
    });
  } catch (e) {
    if (e instanceof WaitTimeoutError || e instanceof UnexpectedStateError) throw notEditable(label, before);
    throw e;
  }
}
