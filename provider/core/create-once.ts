/**
 * Creating a campaign without ever leaving a duplicate behind.
 *
 * Neither API takes an idempotency key, so a create whose answer was lost (timeout, reset, a 5xx
 * after the request was sent) may or may not have been applied. Before trying again we look for a
 * campaign that matches what we sent and was created since just before the attempt: one match is
 * adopted, several are an error a person must resolve, none means it is safe to send again. If the
 * look-up itself cannot be done, we stop and say the campaign may exist: the engine records
 * nothing for a failed create, so the next `pulumi up` would otherwise create it a second time.
 *
 * We deliberately do not look before every first create: two stacks that deploy the same program
 * to one account (staging and production) would then adopt each other's fresh drafts.
 */
import {
  CampaignsError,
  OutcomeUnknownError,
  PLATFORM_TITLE,
  WaitTimeoutError,
  errorMessage,
  type Platform,
} from "./errors";
import { logInfo } from "./log";
import { waitFor } from "./waiter";

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
  /**
   * The time budget of one request: the look-up after an unconfirmed create is tried for three of
   * them, at most two minutes.
   */
  requestBudgetMs: number;
}

/**
 * Create, at most MAX_ATTEMPTS times: an attempt ends in the campaign (created, or found after an
 * unconfirmed create), or in "not applied", after which it is safe to send again.
 */
export async function createOnce<T extends { id: number }>(o: CreateOnceOptions<T>): Promise<T> {
  const title = PLATFORM_TITLE[o.platform];
  let lastError: unknown;
  let notApplied = 0;
  const attempt = async (): Promise<T | undefined> => {
    const since = Date.now() - LOST_CREATE_WINDOW_MS;
    try {
      return await o.create();
    } catch (e) {
      if (!(e instanceof OutcomeUnknownError)) throw e;
      lastError = e;
    }
    const matches = await findLostCreate(o, since, lastError);
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
    logInfo(
      `${title} campaign "${o.name}": the create was not applied (${errorMessage(lastError)}); trying again`,
    );
    notApplied++;
    return undefined;
  };
  try {
    // No pause between attempts: "not applied" was just established by a look-up.
    return await waitFor(
      {
        what: `the creation of "${o.name}"`,
        timeoutMs: Infinity,
        maxChecks: MAX_ATTEMPTS,
        maxDelayMs: 0,
        initialDelayMs: 0,
      },
      attempt,
    );
  } catch (e) {
    if (!(e instanceof WaitTimeoutError && notApplied === MAX_ATTEMPTS)) throw e;
    throw new CampaignsError(
      `${title} did not confirm the creation of campaign "${o.name}" in ${MAX_ATTEMPTS} attempts, and no such ` +
        `campaign was found afterwards, so none was created. Last error: ${errorMessage(lastError)} Run again when ` +
        `${title} answers.`,
    );
  }
}

/** The look-up after an unconfirmed create, retried until it answers or its budget is spent. */
async function findLostCreate<T extends { id: number }>(
  o: CreateOnceOptions<T>,
  since: number,
  cause: unknown,
): Promise<T[]> {
  const title = PLATFORM_TITLE[o.platform];
  let lookUpError: unknown;
  try {
    return await waitFor(
      {
        what: `the look-up of "${o.name}"`,
        timeoutMs: Math.min(120_000, 3 * o.requestBudgetMs),
        initialDelayMs: 500,
        maxDelayMs: 10_000,
        noCheckAtDeadline: true,
      },
      () =>
        o.findMatches(since).catch((e: unknown) => {
          lookUpError = e;
          return undefined;
        }),
    );
  } catch (e) {
    if (!(e instanceof WaitTimeoutError)) throw e;
    throw new CampaignsError(
      `${title} did not confirm the creation of campaign "${o.name}" (${errorMessage(cause)}), and it could ` +
        `not be checked afterwards (${errorMessage(lookUpError)}). The campaign MAY EXIST NOW. Before running again, ` +
        `look in ${title} for a draft campaign named "${o.name}" created at about ` +
        `${new Date(since + LOST_CREATE_WINDOW_MS).toISOString()}: adopt it with existingCampaignId: <its id>, ` +
        `or delete it. Otherwise the next run creates another one.`,
      { cause: lookUpError },
    );
  }
}
