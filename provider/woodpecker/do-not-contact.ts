/**
 * `woodpecker.Campaign` `doNotContact`: which prospects are on the list (by email, by domain, and
 * by a `phone` that is an E.164 number), the check step over inline prospects or `prospectsFile`,
 * the prospects to enrol, and diff's digest of them. What a sync does about listed prospects
 * already in the campaign is in do-not-contact-sync.ts.
 *
 * The state's `prospects` (inline form) are those enrolled: the declared ones not on the list.
 * `prospectCount` stays the declared number; `excludedByDoNotContact` says how many were left out.
 */
import type { CheckFailure } from "../core/check-types";
import { matchedPositions, withoutListed } from "../core/do-not-contact";
import {
  checkDoNotContact,
  declaredAudience,
  doNotContactOutputs,
  resolveDoNotContact,
} from "../core/do-not-contact-check";
import type { Props } from "../core/provider-kit";
import { containsUnknown } from "../core/validation";
import { prospectKeys } from "./do-not-contact-sync";
import { type DeclaredProspects, prospectsDigest } from "./prospects";
import { readProspectsFile } from "./prospects-file";
import type { WoodpeckerCampaignInputs, WoodpeckerCampaignOutputs, WoodpeckerProspect } from "./types";

/** The `doNotContact` part of `check`: counts, or failures at `prospects[i]` / `prospectsFile` row N. */
export function checkWoodpeckerDoNotContact(
  inputs: Props,
  fromFile: { prospects?: WoodpeckerProspect[]; rows?: number[] },
): { inputs: Props } | { failures: CheckFailure[] } {
  const name = typeof inputs.name === "string" ? inputs.name : "(name not known yet)";
  return checkDoNotContact(
    inputs,
    declaredAudience(
      inputs,
      { inline: "prospects", file: "prospectsFile", noun: "prospect" },
      { people: fromFile.prospects, rows: fromFile.rows },
      prospectKeys,
    ),
    `Woodpecker campaign "${name}"`,
  );
}

/**
 * The declared prospects without those on the list: what a sync enrols, with the rows (file) or
 * positions (inline) of those kept, so refusals still name them as declared. Or why not now.
 */
export function prospectsToEnrol(
  inputs: Pick<WoodpeckerCampaignInputs, "doNotContact">,
  declared: DeclaredProspects,
): DeclaredProspects | { problem: string } {
  if (inputs.doNotContact === undefined || declared.prospects === undefined) return declared;
  const resolved = resolveDoNotContact(inputs.doNotContact);
  if (!resolved.ok) return { problem: resolved.failures.map((f) => `${f.property} ${f.reason}`).join("; ") };
  const list = resolved.list;
  const matched = matchedPositions(list, declared.prospects, prospectKeys);
  if (matched.length && inputs.doNotContact.onMatch === "fail") {
    return {
      problem: `${matched.length} declared prospect(s) are on the do-not-contact list and doNotContact.onMatch is "fail"`,
    };
  }
  const { kept, positions } = withoutListed(declared.prospects, matched);
  return {
    prospects: kept,
    digest: matched.length ? prospectsDigest(kept) : declared.digest,
    file: declared.file && { path: declared.file.path, rows: positions.map((i) => declared.file!.rows[i]) },
    positions: declared.file ? undefined : positions,
    doNotContact: list,
  };
}

/**
 * diff: the digest of the prospects a sync would enrol now, or undefined when it cannot be told
 * ("may change"). Only called with a list that leaves someone out.
 */
export function prospectsToEnrolDigest(news: Partial<WoodpeckerCampaignInputs>): string | undefined {
  try {
    let prospects: WoodpeckerProspect[] | undefined;
    if (news.prospectsFile !== undefined) {
      const read = readProspectsFile(news.prospectsFile);
      prospects = read.ok ? read.prospects : undefined;
    } else prospects = news.prospects;
    if (!Array.isArray(prospects) || containsUnknown(prospects)) return undefined;
    const r = prospectsToEnrol(news as WoodpeckerCampaignInputs, { prospects, digest: undefined });
    return "problem" in r ? undefined : (r.digest ?? prospectsDigest(prospects));
  } catch {
    return undefined; // diff never throws: "may change"
  }
}

/** Refresh with `prospectsFile`: the file's prospects as they would be enrolled (undefined: cannot tell). */
export function enrolledFromFile(
  previous: Partial<WoodpeckerCampaignOutputs>,
  prospects: WoodpeckerProspect[],
): WoodpeckerProspect[] | undefined {
  const r = prospectsToEnrol(previous, { prospects, digest: undefined });
  return "problem" in r ? undefined : r.prospects;
}

/**
 * The do-not-contact part of outputs: the list and its counts echoed from the inputs, and the
 * declared `prospectCount` (the sync counts those it enrolled).
 */
export function withDoNotContact<T extends object>(
  outs: T,
  inputs: Partial<WoodpeckerCampaignInputs>,
  declaredCount: number | undefined = inputs.prospectCount,
): T {
  if (inputs.doNotContact === undefined) return outs;
  const out: Record<string, unknown> = { ...outs, ...doNotContactOutputs(inputs) };
  if (out.prospectCount !== undefined && declaredCount !== undefined) out.prospectCount = declaredCount;
  return out as T;
}
