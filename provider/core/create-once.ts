/**
 * Creating a campaign without ever leaving a duplicate.
 *
 * Neither API takes an idempotency key, so a create whose answer was lost (timeout, reset, a 5xx
 * after the request was sent) may or may not have been applied. Before trying again we look for a
 * campaign that matches what we sent and was created since just before the attempt: one match is
 * adopted, several are an error a person must resolve, none means it is safe to send again.
 */
import { CampaignsError, OutcomeUnknownError, PLATFORM_TITLE, type Platform } from "./errors";
import { logInfo } from "./log";

/** How long before an attempt a matching campaign may have been created to count as that attempt's. */
export const LOST_CREATE_WINDOW_MS = 10 * 60_000;
const MAX_ATTEMPTS = 3;

export interface CreateOnceOptions<T extends { id: number }> {
  platform: Platform;
  /** The campaign name (for messages). */
  name: string;
  create: () => Promise<T>;
  /** Campaigns that match what `create` sent and were created after `since` (ms since epoch). */
  findMatches: (since: number) => Promise<T[]>;
}

export async function createOnce<T extends { id: number }>(o: CreateOnceOptions<T>): Promise<T> {
  const title = PLATFORM_TITLE[o.platform];
  for (let attempt = 1; ; attempt++) {
    const since = Date.now() - LOST_CREATE_WINDOW_MS;
    try {
      return await o.create();
    } catch (e) {
      if (!(e instanceof OutcomeUnknownError)) throw e;
      const matches = await o.findMatches(since);
      if (matches.length > 1) {
        throw new CampaignsError(
          `${title} did not confirm the creation of campaign "${o.name}", and ${matches.length} matching draft ` +
            `campaigns exist (ids ${matches.map((c) => c.id).join(", ")}). Delete the extra ones in ${title}, or ` +
            `adopt one with existingCampaignId, then run again.`,
        );
      }
      if (matches.length === 1) {
        logInfo(
          `${title} campaign ${matches[0].id} ("${o.name}"): the create was applied although its answer was lost; using it`,
        );
        return matches[0];
      }
      if (attempt >= MAX_ATTEMPTS) throw e;
      logInfo(`${title} campaign "${o.name}": the create was not applied (${e.message}); trying again`);
    }
  }
}
