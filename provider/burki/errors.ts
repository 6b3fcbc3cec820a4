/**
 * The errors Burki's lifecycle raises on purpose, with the messages a user sees: what was refused,
 * why, and the fix.
 */
import { CampaignsError } from "../core/errors";

/** A running campaign could not be stopped, so it was not deleted (it stays in the Pulumi state). */
export class StopTimeoutError extends CampaignsError {}

/** The stop was sent but the campaign did not stop within `stopTimeoutMs`. */
export function stopTimedOut(
  label: string,
  id: number,
  stopTimeoutMs: number,
  cause: Error,
): StopTimeoutError {
  return new StopTimeoutError(
    `${label} is still running: it was asked to stop but did not stop within ` +
      `${Math.round(stopTimeoutMs / 1000)}s, so it was NOT deleted and stays in the Pulumi state. ` +
      `Check it in Burki (POST /api/v1/campaigns/${id}/stop), then run the destroy again; raise ` +
      `burki:stopTimeoutSeconds if stopping takes longer. (${cause.message})`,
  );
}

/** Every delete was refused because the campaign had turned running again. */
export function keptRestarting(label: string, rounds: number): StopTimeoutError {
  return new StopTimeoutError(
    `${label} kept turning running again while it was being deleted (${rounds} attempts); it was NOT ` +
      `deleted and stays in the Pulumi state. Find out what restarts it (a schedule, another tool), then destroy again.`,
  );
}

/** The run state could not be reached in the rounds converge allows. */
export function stateNotReached(
  label: string,
  status: string,
  desired: string,
  rounds: number,
): CampaignsError {
  return new CampaignsError(
    `${label} is "${status}" and could not be brought to the desired state "${desired}" after ` +
      `${rounds} attempts. Check the campaign in Burki (assistant configured, contacts imported) and run again.`,
  );
}

/** Burki does not edit a finished campaign. */
export function notEditable(label: string, status: string): CampaignsError {
  return new CampaignsError(
    `${label} is ${status}; Burki does not allow editing a ${status} campaign. To run it again ` +
      `with the new settings, replace it (\`pulumi up --replace <urn>\`), which deletes it and creates a new one.`,
  );
}
