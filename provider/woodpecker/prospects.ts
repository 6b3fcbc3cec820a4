/**
 * `woodpecker.Campaign` `prospects`: the sync and read steps the lifecycle calls
 * (reference/woodpecker-prospects-api.md). What they are built from has a file each: the shape and
 * digest of a prospect (prospects-mapping.ts), the plan and drift (prospects-plan.ts), what
 * Woodpecker refuses (prospects-refusals.ts), the state and diff's view (prospects-state.ts).
 *
 * Managed prospects are the declared ones. Declared but absent from the campaign → added;
 * present with other data → updated (`update: true`); declared before but no longer → removed from
 * this campaign only (never deleted from the account's database). Prospects someone added in
 * Woodpecker's app and never declared are left alone.
 *
 * With `prospectsFile` the state keeps no list of whom it declared, so "declared before" cannot be
 * told apart from "added in the app": once a campaign's prospects come from a file, every prospect
 * of the campaign that is not in the file is removed from it when the provider applies the file
 * (on create and adoption nothing is removed; moving from inline `prospects` to a file removes only
 * the inline list's prospects that the file no longer has).
 */
import { logInfo } from "../core/log";
import type { WoodpeckerClient } from "./api";
import { blacklistRemoved, listedLiveIds } from "./do-not-contact-sync";
import {
  type AddOutcome,
  type DeleteLimit,
  type ListedProspect,
  addProspectsToCampaign,
  deleteBatches,
  listCampaignProspects,
  removeProspectsFromCampaign,
  truncatedFields,
} from "./prospects-api";
import { toApiProspect } from "./prospects-mapping";
import { batches, countProspects, observeProspects, planProspects } from "./prospects-plan";
import { type ProspectRejection, TRUNCATED, refusal } from "./prospects-refusals";
import { type DeclaredProspects, type ProspectsState, carriedProspects } from "./prospects-state";
import { emailKey } from "./prospects-schema";
import type { WoodpeckerCampaignInputs, WoodpeckerCampaignOutputs, WoodpeckerProspect } from "./types";

// What moved out of this file stays importable from it (lifecycle.ts, do-not-contact.ts,
// prospects-file.ts and the tests import it from here).
export { FIELD_MAP, prospectsDigest, sameProspectData, toApiProspect } from "./prospects-mapping";
export {
  type ProspectPlan,
  batches,
  countProspects,
  observeProspects,
  planProspects,
} from "./prospects-plan";
export { type ProspectRejection, ProspectsRejectedError, TRUNCATED } from "./prospects-refusals";
export {
  type DeclaredProspects,
  type ProspectsState,
  carriedProspects,
  inlineProspects,
  prospectInputs,
  prospectsChanged,
  withProspects,
} from "./prospects-state";

const listBudgetMs = (client: WoodpeckerClient) => Math.max(600_000, 3 * client.http.requestBudgetMs);

async function listLive(client: WoodpeckerClient, id: number, label: string): Promise<ListedProspect[]> {
  return listCampaignProspects(client.http, id, {
    budgetMs: listBudgetMs(client),
    progress: (n, total) =>
      logInfo(`${label}: read ${n}${total !== undefined ? ` of ${total}` : ""} prospects`),
  });
}

export interface SyncResult {
  state: ProspectsState;
  rejections: ProspectRejection[];
  /** Whether anything was written (the campaign's status may have changed: COMPLETED → RUNNING). */
  wrote: boolean;
}

/**
 * Whom to remove when no longer declared: those the state lists (inline before), every prospect of
 * the campaign (a file before, whose state lists nobody), or nobody (a create, or not managed before).
 */
function removable(
  previous: Partial<WoodpeckerCampaignOutputs>,
): readonly WoodpeckerProspect[] | "campaign" | undefined {
  if (previous.prospects !== undefined) return previous.prospects;
  return previous.prospectsFile !== undefined ? "campaign" : undefined;
}

/**
 * Bring the campaign's prospects to the declared list. Unmanaged (no declared prospects): nothing.
 * Unchanged since the last apply or read (same digest): nothing is read or written.
 */
export async function syncProspects(
  client: WoodpeckerClient,
  id: number,
  inputs: Pick<WoodpeckerCampaignInputs, "force">,
  declaredProspects: DeclaredProspects,
  previous: Partial<WoodpeckerCampaignOutputs>,
  label: string,
): Promise<SyncResult> {
  const declared = declaredProspects.prospects;
  if (declared === undefined) return { state: {}, rejections: [], wrote: false };
  const digest = declaredProspects.digest;
  if (digest === previous.prospectsDigest && previous.prospectCounts) {
    return { state: carriedProspects(inputs, declaredProspects, previous), rejections: [], wrote: false };
  }
  const live = await listLive(client, id, label);
  const plan = planProspects(declared, removable(previous), live);
  // People on the do-not-contact list leave the campaign even if Pulumi never enrolled them.
  plan.remove.push(...listedLiveIds(declaredProspects.doNotContact, live, plan.remove));
  const force = inputs.force === true;
  const rejections: ProspectRejection[] = [];
  const knownIds = new Map(live.map((p) => [emailKey(p.email), p.id]));
  const send = async (positions: number[], update: boolean) => {
    for (const batch of batches(positions)) {
      logInfo(`${label}: ${update ? "updating" : "adding"} ${batch.length} prospect(s)`);
      const outcomes: AddOutcome[] = await addProspectsToCampaign(
        client.http,
        id,
        batch.map((i) => toApiProspect(declared[i])),
        { update, force, ids: knownIds },
      ).catch(async (e: unknown) => {
        throw (
          (await refusal(client, id, label, `${update ? "update" : "add"} ${batch.length} prospect(s)`, e)) ??
          e
        );
      });
      outcomes.forEach((o, j) => {
        if (o.kind === "rejected") rejections.push({ index: batch[j], code: o.code, reason: o.reason });
      });
    }
  };
  await send(plan.add, false);
  await send(plan.update, true);
  if (plan.remove.length) {
    logInfo(`${label}: removing ${plan.remove.length} prospect(s) from the campaign (kept in the account)`);
    const limit: DeleteLimit = {};
    for (const ids of deleteBatches(plan.remove, id, client.http.baseUrl)) {
      await removeProspectsFromCampaign(client.http, id, ids, limit).catch(async (e: unknown) => {
        throw (await refusal(client, id, label, `remove ${ids.length} prospect(s) from it`, e)) ?? e;
      });
    }
    await blacklistRemoved(client, declaredProspects.doNotContact, live, plan.remove, label);
  }
  const wrote = plan.add.length + plan.update.length + plan.remove.length > 0;
  let after = wrote ? await listLive(client, id, label) : live;
  // An add keeps the stored data of a prospect already in the account's database [DOC]: those
  // just added with other data there get their declared data with one update pass.
  if (plan.add.length) {
    const refused = new Set(rejections.map((r) => r.index));
    const added = new Set(plan.add);
    const stale = planProspects(declared, undefined, after).update.filter(
      (i) => added.has(i) && !refused.has(i),
    );
    if (stale.length) {
      await send(stale, true);
      after = await listLive(client, id, label);
    }
  }
  // A field cut to an (undocumented) length limit: reported, not updated again on every `up` silently.
  const refusedNow = new Set(rejections.map((r) => r.index));
  const stored = new Map(after.map((p) => [emailKey(p.email), p.fields]));
  declared.forEach((p, index) => {
    const cut = refusedNow.has(index)
      ? []
      : truncatedFields(toApiProspect(p), stored.get(emailKey(p.email)) ?? {});
    if (cut.length)
      rejections.push({ index, code: TRUNCATED, reason: `Woodpecker stored ${cut.join(", ")}` });
  });
  const observed = observeProspects(declared, after);
  rejections.sort((a, b) => a.index - b.index);
  const people: ProspectsState = declaredProspects.file
    ? { prospectsFile: declaredProspects.file.path }
    : { prospects: declared };
  return {
    state: {
      ...people,
      force: inputs.force,
      prospectCount: declared.length,
      // A refused prospect leaves the digest unmatched, so the next `up` tries again (and reports again).
      prospectsDigest: rejections.length ? observed.digest : digest,
      prospectCounts: countProspects(after),
      prospectsDrifted: observed.drifted,
    },
    rejections,
    wrote,
  };
}

/**
 * Refresh: the live counts and drift of the managed prospects (nothing when unmanaged). With
 * `prospectsFile`, `declared` is the file as it is now (read by the lifecycle); when it cannot be
 * read, the counts are refreshed and the digest and drift kept as they were.
 */
export async function readProspects(
  client: WoodpeckerClient,
  id: number,
  previous: Partial<WoodpeckerCampaignOutputs>,
  label: string,
  declaredInFile?: readonly WoodpeckerProspect[],
): Promise<ProspectsState> {
  if (previous.prospectsFile !== undefined) {
    const live = await listLive(client, id, label);
    const base: ProspectsState = {
      prospectsFile: previous.prospectsFile,
      force: previous.force,
      prospectCount: declaredInFile?.length ?? previous.prospectCount,
      prospectsDigest: previous.prospectsDigest,
      prospectCounts: countProspects(live),
      prospectsDrifted: previous.prospectsDrifted,
    };
    if (!declaredInFile) return base;
    const observed = observeProspects(declaredInFile, live, true);
    return { ...base, prospectsDigest: observed.digest, prospectsDrifted: observed.drifted };
  }
  if (previous.prospects === undefined) return {};
  const live = await listLive(client, id, label);
  const observed = observeProspects(previous.prospects, live);
  return {
    prospects: previous.prospects,
    force: previous.force,
    prospectCount: previous.prospects.length,
    prospectsDigest: observed.digest,
    prospectCounts: countProspects(live),
    prospectsDrifted: observed.drifted,
  };
}
