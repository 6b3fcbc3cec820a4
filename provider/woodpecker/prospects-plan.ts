/**
 * What a sync changes and what a read sees, as pure functions of the declared prospects and the
 * campaign's live ones: the plan (add, update, remove; who counts as declared before is said in
 * prospects.ts), the request batches, the counts by status, and the drift with its digest.
 */
import { digestOf } from "../core/digest";
import { sameProspectData, prospectsDigest, toApiProspect } from "./prospects-mapping";
import { MAX_PROSPECTS_PER_REQUEST, emailKey } from "./prospects-schema";
import type { ListedProspect } from "./prospects-v1";
import type { WoodpeckerProspect, WoodpeckerProspectCounts } from "./types";

export interface ProspectPlan {
  /** Positions (in `prospects`) to add. */
  add: number[];
  /** Positions to update (`update: true`). */
  update: number[];
  /** Woodpecker ids to remove from the campaign. */
  remove: number[];
}

/**
 * What to change, from the declared list, the previously declared list (from state) and the
 * campaign's live prospects.
 */
export function planProspects(
  declared: readonly WoodpeckerProspect[],
  /** Previously declared (removed when no longer declared); "campaign": every live prospect is (the file form). */
  previous: readonly WoodpeckerProspect[] | "campaign" | undefined,
  live: readonly ListedProspect[],
): ProspectPlan {
  const liveByEmail = new Map(live.map((p) => [emailKey(p.email), p]));
  const plan: ProspectPlan = { add: [], update: [], remove: [] };
  const wanted = new Set<string>();
  const removing = new Set<number>();
  declared.forEach((p, i) => {
    const key = emailKey(p.email);
    wanted.add(key);
    const found = liveByEmail.get(key);
    if (!found) plan.add.push(i);
    else if (!sameProspectData(toApiProspect(p), found.fields)) plan.update.push(i);
  });
  const before = previous === "campaign" ? live : (previous ?? []);
  for (const p of before) {
    const key = emailKey(p.email);
    const found = liveByEmail.get(key);
    if (!wanted.has(key) && found && !removing.has(found.id)) {
      removing.add(found.id);
      plan.remove.push(found.id);
    }
  }
  return plan;
}

/** Split into batches of at most `size` (Woodpecker: 20,000 prospects per request). */
export function batches<T>(items: readonly T[], size = MAX_PROSPECTS_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Counts by the prospect's status in the campaign. */
export function countProspects(live: readonly ListedProspect[]): WoodpeckerProspectCounts {
  const c: WoodpeckerProspectCounts = { total: live.length, active: 0, replied: 0, bounced: 0, other: 0 };
  for (const p of live) {
    if (p.status === "ACTIVE") c.active++;
    else if (p.status === "REPLIED") c.replied++;
    else if (p.status === "BOUNCED") c.bounced++;
    else c.other++;
  }
  return c;
}

/**
 * How the live campaign holds the declared prospects: the digest of what is there (equal to the
 * declared digest when nothing drifted) and how many declared prospects are missing or differ.
 */
export function observeProspects(
  declared: readonly WoodpeckerProspect[],
  live: readonly ListedProspect[],
  /**
   * The declared list is the campaign's whole list (`prospectsFile`): a prospect in the campaign
   * that is not declared (added in the app) is drift too, which the next `up` removes — so refresh
   * and preview show it before that happens.
   */
  whole = false,
): { digest: string | undefined; drifted: number } {
  const liveByEmail = new Map(live.map((p) => [emailKey(p.email), p]));
  let drifted = 0;
  const seen: Array<{ email: string } & Record<string, unknown>> = declared.map((p) => {
    const found = liveByEmail.get(emailKey(p.email));
    const api = toApiProspect(p);
    if (!found || !sameProspectData(api, found.fields)) {
      drifted++;
      return { email: emailKey(p.email), drift: found ? "data" : "missing" };
    }
    return { ...api, email: emailKey(p.email) };
  });
  if (whole) {
    const declaredKeys = new Set(declared.map((p) => emailKey(p.email)));
    for (const key of liveByEmail.keys()) {
      if (declaredKeys.has(key)) continue;
      drifted++;
      seen.push({ email: key, drift: "not declared" });
    }
  }
  if (drifted === 0) return { digest: prospectsDigest(declared), drifted };
  seen.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  return { digest: digestOf(seen), drifted };
}
