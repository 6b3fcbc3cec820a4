/**
 * The guard's wording: how a campaign is named in a line (`Burki campaign 42 ("Renewals")`), how people
 * are counted in words, what a delete does to a campaign, and the warnings about what a plan does not
 * show. Counts only: no line names a contact or a prospect.
 */
import type { ResourceState } from "./preview";
import { SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from "./preview";
import { declaredString, nameFromUrn, numberProperty, numericId, type CampaignChange } from "./plan";
import { quoteStatus, statusOf, type RunStatus } from "./status";
import { audienceOf, type Count } from "./audience";
import type { Platform } from "../core/errors";

export const PLATFORM_NAME: Readonly<Record<Platform, string>> = { burki: "Burki", woodpecker: "Woodpecker" };

export function verbs(platform: Platform) {
  return platform === "burki"
    ? { start: "calling", inProgress: "calls in progress end", sends: "calls" }
    : { start: "emailing", inProgress: "no further emails are sent", sends: "emails" };
}

export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

export function people(platform: Platform, count: Count, noun = audienceOf(platform)): string {
  if (typeof count === "number") return `${formatCount(count)} ${count === 1 ? noun.slice(0, -1) : noun}`;
  if (count === "unknown") return `its ${noun} (the plan does not say how many)`;
  return `its ${noun} (not managed by Pulumi, so not counted)`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** The campaign's id, name and the label that names it in messages. */
export function identify(
  change: CampaignChange,
  lastKnown: ResourceState | undefined,
): { campaignId?: number; name?: string; label: string } {
  const { urn, platform } = change;
  const known = change.old ?? lastKnown;
  const campaignId = known ? (numberProperty(known.outputs, "campaignId") ?? numericId(known.id)) : undefined;
  const declaredName =
    (known ? declaredString(known, "name") : undefined) ??
    (change.new ? declaredString(change.new, "name") : undefined);
  const name =
    declaredName !== undefined && declaredName !== SECRET_PLACEHOLDER && declaredName !== UNKNOWN_PLACEHOLDER
      ? declaredName
      : nameFromUrn(urn);
  const platformName = PLATFORM_NAME[platform];
  const label =
    campaignId !== undefined
      ? `${platformName} campaign ${campaignId}${name ? ` ("${name}")` : ""}`
      : `${platformName} campaign "${name ?? urn}"${change.old ? "" : " (new)"}`;
  return {
    ...(campaignId !== undefined ? { campaignId } : {}),
    ...(name ? { name } : {}),
    label,
  };
}

/** What a deleting plan does: the words after "the plan would …". */
export function actionOf(operation: string): string {
  switch (operation) {
    case "replace":
      return "the plan would replace it (delete and re-create)";
    case "delete-replaced":
      return "the plan would delete it (the old copy left by an earlier replacement)";
    default:
      return "the plan would delete it";
  }
}

export function deleteEffect(platform: Platform, status: RunStatus, inReplacement = false): string {
  switch (status.kind) {
    case "active":
      return platform === "burki"
        ? `stops a ${status.shown} campaign (${status.shown === "running" ? "calls in progress end" : "the calls it is scheduled to place are cancelled"}) and deletes it`
        : "deletes a running campaign (no further emails are sent)";
    case "unknown":
      return `deletes it (its status is ${status.shown}: the guard cannot tell whether it is running)`;
    default:
      return inReplacement
        ? `deletes the ${status.shown} campaign`
        : `deletes the ${status.shown} campaign; nobody is contacted`;
  }
}

/** The plan deletes or replaces a campaign that its own refresh did not read: its status may be stale. */
export function notRefreshedWarning(change: CampaignChange, label: string): string {
  return (
    `${label} was not refreshed before the plan ${change.ops.includes("delete") ? "deletes" : "replaces"} ` +
    `it (\`--run-program\` does not refresh campaigns removed from the program): its status ` +
    `${quoteStatus(statusOf(change.platform, change.old))} may be stale; run the preview with \`--refresh\` ` +
    `and without \`--run-program\``
  );
}

export const NO_REFRESH_WARNING =
  "the plan shows no sign of a refresh (no `refresh` steps): the statuses it judges are what the last " +
  "`pulumi up` or refresh stored, and may be stale; run `pulumi preview --refresh " +
  "--show-replacement-steps --json`";

/** Replacements listed as a lone `replace`: the preview ran without `--show-replacement-steps`. */
export function replacementsWithoutStepsWarning(count: number): string {
  return (
    `the plan lists ${plural(count, "replacement")} without ${count === 1 ? "its" : "their"} ` +
    "steps, so it was made without `--show-replacement-steps`: copies that earlier replacements left " +
    "to delete (`delete-replaced`) are hidden from it; run `pulumi preview --refresh " +
    "--show-replacement-steps --json`"
  );
}
