/**
 * Counting the people a campaign contacts, from the plan. Contacts and prospects are secrets (preview JSON
 * shows them as "[secret]") and nothing here reads them: the counts come from the plain `contactCount`
 * (Burki) and `prospectCount` (Woodpecker) inputs and outputs, and Burki's contact counters.
 */
import type { ResourceState } from "./preview";
import { SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from "./preview";
import type { CampaignChange } from "./plan";
import type { Audience } from "./types";
import type { Platform } from "../core/errors";
import { contactedCount } from "./do-not-contact";

export type Count = number | "unknown" | undefined;

export function audienceOf(platform: Platform): Audience {
  return platform === "burki" ? "contacts" : "prospects";
}

const COUNT_KEY: Readonly<Record<Platform, string>> = { burki: "contactCount", woodpecker: "prospectCount" };
/** The (secret) audience inputs: present while Pulumi manages who the campaign contacts. */
const AUDIENCE_KEYS: Readonly<Record<Platform, readonly string[]>> = {
  burki: ["contacts"],
  woodpecker: ["prospects"],
};

/**
 * The plain count in a property bag. Without one, an audience input that is there (as "[secret]") means
 * the count is unknown (a value not known until apply, or state written before the count existed); no
 * audience input means Pulumi does not manage the audience.
 */
function countIn(
  platform: Platform,
  bag: Record<string, unknown> | undefined,
  key = COUNT_KEY[platform],
): Count {
  const value = bag?.[key];
  // People the do-not-contact list leaves out are not counted (./do-not-contact.ts).
  if (typeof value === "number" && Number.isFinite(value)) return contactedCount(bag, key, value);
  if (value === UNKNOWN_PLACEHOLDER || value === SECRET_PLACEHOLDER) return "unknown";
  if (bag && AUDIENCE_KEYS[platform].some((k) => bag[k] !== undefined && bag[k] !== null)) return "unknown";
  return undefined;
}

/** How many people the planned campaign declares (absent: Pulumi does not manage its audience). */
export function newCount(change: CampaignChange): Count {
  const { platform } = change;
  const fromInputs = countIn(platform, change.new?.inputs);
  return typeof fromInputs === "number" ? fromInputs : (countIn(platform, change.new?.outputs) ?? fromInputs);
}

/** How many people the campaign had: the plain count, else Burki's `totalContacts`. */
export function oldCount(platform: Platform, state: ResourceState | undefined): Count {
  const candidates = [
    countIn(platform, state?.outputs),
    countIn(platform, state?.inputs),
    ...(platform === "burki" ? [countIn(platform, state?.outputs, "totalContacts")] : []),
  ];
  return candidates.find((c) => typeof c === "number") ?? candidates.find((c) => c !== undefined);
}

/** Burki contacts already called to the end (completed or failed), from the plain outputs. */
export function reachedContacts(state: ResourceState | undefined): number | undefined {
  const completed = state?.outputs?.completedContacts;
  const failed = state?.outputs?.failedContacts;
  if (typeof completed !== "number" || typeof failed !== "number") return undefined;
  return completed + failed;
}
