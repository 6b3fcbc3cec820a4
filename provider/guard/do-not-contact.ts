/**
 * The guard and the do-not-contact list: people the list leaves out are not contacted, so the counts
 * the guard judges are the declared ones minus `excludedByDoNotContact` (both plain in the plan), and
 * each campaign's summary row says how many the list leaves out. Taking someone off the list raises
 * the count a campaign contacts, so the summary counts them among the people the plan starts
 * contacting. Counts only: the list itself is a secret ("[secret]" in preview JSON) and never read.
 */
import type { CampaignImpact } from "./types";
import type { ResourceState } from "./preview";

/** The plain count of people left out by the list in a property bag, when there is one. */
export function excludedIn(bag: Record<string, unknown> | undefined): number | undefined {
  const value = bag?.excludedByDoNotContact;
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * The number of people a campaign contacts: its declared `contactCount`/`prospectCount` less those
 * the list leaves out (only the audience counts are reduced; Burki's `totalContacts` is Burki's own).
 */
export function contactedCount(
  bag: Record<string, unknown> | undefined,
  key: string,
  declared: number,
): number {
  if (key !== "contactCount" && key !== "prospectCount") return declared;
  return Math.max(0, declared - (excludedIn(bag) ?? 0));
}

/** The summary row, with "leaves out N people on the do-not-contact list" when the plan says so. */
export function withDoNotContactNote(
  impact: CampaignImpact,
  planned: ResourceState | undefined,
): CampaignImpact {
  if (
    impact.operation === "delete" ||
    impact.operation === "delete-replaced" ||
    impact.operation === "discard"
  ) {
    return impact;
  }
  const left = excludedIn(planned?.inputs) ?? excludedIn(planned?.outputs);
  if (left === undefined) return impact;
  const people = `${left.toLocaleString("en-US")} ${left === 1 ? "person" : "people"}`;
  return { ...impact, effect: `${impact.effect}; leaves out ${people} on the do-not-contact list` };
}
