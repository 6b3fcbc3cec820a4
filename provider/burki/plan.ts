/**
 * What `diff` decides for a Burki campaign: which input changes need a new campaign
 * (REPLACE_FIELDS, adopting another campaign), which are applied in place (UPDATABLE_FIELDS,
 * contacts, run state, schedule), and that every replacement deletes before it creates.
 *
 * Pure: `diff` runs it against the state at preview time without any API call.
 */
import { adoptsAnotherCampaign } from "../core/campaign";
import { sameData } from "../core/digest";
import { doNotContactChanged } from "../core/do-not-contact-check";
import type { DiffResult, Props } from "../core/provider-kit";
import { UNKNOWN } from "../core/validation";
import { sameSchedule } from "./schedule";
import { MAP_FIELDS, TEXT_FIELDS, contactsDigest, stateSatisfied } from "./mapping";
import type { BurkiCampaignInputs, BurkiCampaignOutputs } from "./types";

/** Input fields whose change needs a new campaign (Burki cannot change them in place). */
export const REPLACE_FIELDS = ["campaignType", "assistantId"] as const;

/** Input fields updated in place through PUT. */
export const UPDATABLE_FIELDS = [
  "name",
  "maxAttempts",
  "retryDelayMinutes",
  ...TEXT_FIELDS.map(([k]) => k),
  ...MAP_FIELDS.map(([k]) => k),
] as const;

/**
 * Total over partial input: at preview the engine sends the unknown sentinel wherever an input
 * depends on a resource not created yet, and `check` has filled the defaults around it. An unknown
 * value "may change": an unknown replace field is a replacement (say so rather than understate the
 * plan), any other unknown an update. The engine also calls this after every refresh (olds = the
 * refreshed outputs, news = the inputs in state), so nothing here may throw for a policy reason.
 */
export function planDiff(
  o: Partial<BurkiCampaignOutputs>,
  n: Partial<BurkiCampaignInputs>,
  /** With `contactsFile`: the digest of the file's contacts now (undefined: unreadable, so "may change"). */
  fileDigest?: string,
  /**
   * With a do-not-contact list that leaves someone out: the digest of the contacts an update would
   * import (undefined: cannot be told, so "may change"); it replaces the comparison of the declared ones.
   */
  toImport?: { digest: string | undefined },
): DiffResult {
  const replaces: string[] = REPLACE_FIELDS.filter((k) => !sameData(n[k], o[k]));
  if (adoptsAnotherCampaign(n.existingCampaignId, o.campaignId)) replaces.push("existingCampaignId");
  // deleteBeforeReplace here covers the replacements this diff asks for. Those the engine decides
  // without calling Diff (`--replace`, taint, replacementTrigger, replaceWith, deletedWith) read only
  // the resource option, which the Campaign class defaults to true (step_generator.go).
  if (replaces.length) return { changes: true, replaces, deleteBeforeReplace: true };

  const changed = UPDATABLE_FIELDS.some((k) => !sameData(n[k], o[k])) || n.contactsFile !== o.contactsFile;
  const contactsChanged = toImport
    ? toImport.digest === undefined || toImport.digest !== o.contactsDigest
    : n.contactsFile !== undefined
      ? (n.contactsFile as unknown) === UNKNOWN || fileDigest === undefined || fileDigest !== o.contactsDigest
      : (n.contacts as unknown) === UNKNOWN || contactsDigest(n.contacts) !== o.contactsDigest;
  const stateChanged =
    n.state !== o.state || (n.state !== undefined && !stateSatisfied(n.state, o.status ?? "draft"));
  // A schedule change is an update (POST /schedule); removing the input only stops managing it.
  const scheduleChanged = !sameSchedule(n.schedule, o.schedule);
  return {
    changes:
      changed ||
      contactsChanged ||
      stateChanged ||
      scheduleChanged ||
      doNotContactChanged(n as Props, o as Props),
    deleteBeforeReplace: true,
  };
}
