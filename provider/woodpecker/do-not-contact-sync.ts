/**
 * What a sync of `woodpecker.Campaign` prospects does about people on the do-not-contact list who
 * are already in the campaign: removes them (even those added in Woodpecker's app, never declared)
 * and puts them on the account's blacklist (blacklist-api.ts) — an address by itself, or its listed
 * domain — so that no campaign of the account enrols them again. Kept apart from prospects.ts,
 * which calls it.
 */
import {
  type DoNotContactList,
  type PersonKeys,
  matchedPositions,
  normalizePhone,
} from "../core/do-not-contact";
import { logInfo } from "../core/log";
import type { WoodpeckerClient } from "./api";
import { addToBlacklist } from "./blacklist-api";
import type { ListedProspect } from "./prospects-api";

/** The prospect's identifiers the list is matched against. */
export function prospectKeys(p: { email: string; phone?: string }): PersonKeys {
  const phone = typeof p.phone === "string" && p.phone ? normalizePhone(p.phone) : undefined;
  return { emails: [p.email], phones: phone ? [phone] : undefined };
}

/** Ids of live prospects on the list that the plan does not remove yet (added in the app, say). */
export function listedLiveIds(
  list: DoNotContactList | undefined,
  live: readonly ListedProspect[],
  removing: readonly number[],
): number[] {
  if (!list || list.size === 0) return [];
  const already = new Set(removing);
  const keys = (p: ListedProspect) => prospectKeys({ email: p.email, phone: p.fields.phone });
  return matchedPositions(list, live, keys)
    .map((i) => live[i].id)
    .filter((id) => !already.has(id));
}

/**
 * After a sync removed prospects: those of them on the list go onto the account's blacklist, an
 * address by itself, or its listed domain (which covers it). Nothing when none was on the list.
 */
export async function blacklistRemoved(
  client: WoodpeckerClient,
  list: DoNotContactList | undefined,
  live: readonly ListedProspect[],
  removedIds: readonly number[],
  label: string,
): Promise<void> {
  if (!list || list.size === 0 || removedIds.length === 0) return;
  const removed = new Set(removedIds);
  const emails = new Set<string>();
  const domains = new Set<string>();
  for (const p of live) {
    if (!removed.has(p.id)) continue;
    const how = list.matchEmail(p.email);
    const phone = p.fields.phone ? normalizePhone(p.fields.phone) : undefined;
    if (how === "domain") domains.add(list.domainOf(p.email)!);
    else if (how === "email" || (phone !== undefined && list.hasPhone(phone)))
      emails.add(p.email.trim().toLowerCase());
  }
  if (emails.size + domains.size === 0) return;
  logInfo(
    `${label}: putting ${emails.size} address(es) and ${domains.size} domain(s) on the do-not-contact list onto ` +
      "Woodpecker's account blacklist",
  );
  if (emails.size) await addToBlacklist(client.http, "emails", [...emails].sort(), label);
  if (domains.size) await addToBlacklist(client.http, "domains", [...domains].sort(), label);
}
