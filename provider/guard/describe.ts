/**
 * What the plan does to one campaign, in words and counts: the row of the summary, and what the findings
 * (./judge.ts) are judged on. One function per kind of step: a new campaign, a removal, a replacement,
 * and an update in place (./describe-update.ts, the longest: a schedule, a resume, a pause, more people).
 */
import type { ResourceState } from "./preview";
import type { PreviousState } from "./state";
import type { CampaignImpact } from "./types";
import { operationOf, survives, type CampaignChange } from "./plan";
import { plannedStateOf, statusOf } from "./status";
import { scheduledStart } from "./schedule";
import { audienceOf, newCount, type Count } from "./audience";
import { PLATFORM_NAME, deleteEffect, identify, people, verbs } from "./words";
import { describeUpdate } from "./describe-update";

/** What every row says of the campaign, whatever the plan does to it. */
export type ImpactBase = Pick<
  CampaignImpact,
  "urn" | "campaignId" | "name" | "label" | "platform" | "operation" | "audience" | "recreated"
>;

/** What the program declares for the campaign after the plan. */
export interface Intent {
  /** The declared `state` (`running`, `paused`…), `unknown` until apply, or undefined (not managed). */
  planned: string | undefined;
  /** How many people it declares. */
  count: Count;
  /** The same count when the plan gives it. */
  startCount: number | undefined;
}

/** What the plan does to one campaign: the summary row, and what the findings are judged on. */
export function describe(
  change: CampaignChange,
  refreshed: Map<string, ResourceState | undefined>,
  previous: PreviousState | undefined,
): CampaignImpact {
  const { platform } = change;
  // A create of a URN the stack knew: a refresh (this preview's own, or an earlier one saved by
  // `pulumi refresh`) found the campaign gone and dropped it from the state.
  const lastKnown =
    !change.old && change.ops.includes("create")
      ? (refreshed.get(change.urn) ?? (refreshed.has(change.urn) ? {} : previous?.resources.get(change.urn)))
      : undefined;
  const recreated = lastKnown !== undefined;
  const operation = operationOf(change, recreated);
  const identity = identify(change, lastKnown);
  const base: ImpactBase = {
    urn: change.urn,
    ...identity,
    platform,
    operation,
    audience: audienceOf(platform),
    recreated,
  };
  const count = newCount(change);
  const intent: Intent = {
    planned: plannedStateOf(change.new),
    count,
    startCount: typeof count === "number" ? count : undefined,
  };

  switch (operation) {
    case "create":
    case "re-create":
    case "import":
      return describeNew(change, base, intent, lastKnown);
    case "discard":
    case "delete":
    case "delete-replaced":
      return describeRemoval(change, base);
    case "replace":
      return describeReplace(change, base, intent);
    default:
      return describeUpdate(change, base, intent);
  }
}

/** A create, the re-creation of a campaign deleted outside Pulumi, or an import. */
function describeNew(
  change: CampaignChange,
  base: ImpactBase,
  { planned, count, startCount }: Intent,
  lastKnown: ResourceState | undefined,
): CampaignImpact {
  const { platform, operation, recreated } = base;
  const v = verbs(platform);
  const vendor = PLATFORM_NAME[platform];
  const was = lastKnown ? statusOf(platform, lastKnown) : undefined;
  const current = was ? (was.kind === "unknown" ? "gone" : `gone (was ${was.shown})`) : "none";
  if (operation === "import") {
    return {
      ...base,
      current,
      planned: planned ?? "not managed",
      effect: "adopts an existing campaign; nothing starts",
      starts: false,
      stops: false,
    };
  }
  const prefix = recreated
    ? `re-creates a campaign that is no longer in ${vendor} (deleted outside Pulumi?)`
    : undefined;
  const timed = scheduledStart(platform, change.new);
  if (planned === "running" || planned === "unknown" || (timed && planned === undefined)) {
    const may = planned === "unknown" ? "may start" : "starts";
    const effect = prefix
      ? `${prefix} and ${planned === "unknown" ? "may start" : "starts"} it, ${v.start} ${people(platform, count)}${timed ?? ""}` +
        (planned === "unknown" ? " (its `state` is not known until apply)" : "")
      : `${may} ${v.start} ${people(platform, count)}${timed ?? ""}` +
        (planned === "unknown" ? " (its `state` is not known until apply)" : "");
    return {
      ...base,
      current,
      planned:
        planned === "unknown" ? "unknown until apply" : planned === undefined ? "scheduled" : "running",
      effect,
      starts: true,
      ...(startCount !== undefined ? { startCount } : {}),
      stops: false,
    };
  }
  const idle = planned
    ? `as ${planned}: nobody is contacted until it runs`
    : `with its run state not managed by Pulumi: nobody is contacted until someone starts it`;
  return {
    ...base,
    current,
    planned: planned ?? "not managed",
    effect: prefix ? `${prefix}, ${idle}` : `creates it ${idle}`,
    starts: false,
    stops: false,
  };
}

/** A delete, the delete of a copy an earlier replacement left, or a discard (forgotten, not deleted). */
function describeRemoval(change: CampaignChange, base: ImpactBase): CampaignImpact {
  const { platform, operation } = base;
  const vendor = PLATFORM_NAME[platform];
  const status = statusOf(platform, change.old);
  const current = status.shown;

  if (operation === "discard") {
    return {
      ...base,
      current,
      planned: "not managed",
      effect: `Pulumi forgets it without calling ${vendor} (it was read, not managed); it stays ${status.shown}`,
      starts: false,
      stops: false,
    };
  }
  const leftover =
    operation === "delete-replaced" ? "deletes the old copy left by an earlier replacement: " : "";
  if (survives(change)) {
    return {
      ...base,
      current,
      planned: status.shown,
      effect: `Pulumi stops managing it (retainOnDelete); it stays in ${vendor} as it is (${status.shown})`,
      starts: false,
      stops: false,
    };
  }
  return {
    ...base,
    current,
    planned: "deleted",
    effect: leftover + deleteEffect(platform, status),
    starts: false,
    stops: status.kind === "active",
  };
}

/** A replacement: what happens to the old campaign, then what the new one does. */
function describeReplace(
  change: CampaignChange,
  base: ImpactBase,
  { planned, count, startCount }: Intent,
): CampaignImpact {
  const { platform } = base;
  const v = verbs(platform);
  const vendor = PLATFORM_NAME[platform];
  const status = statusOf(platform, change.old);
  const current = status.shown;
  let oldPart: string;
  let stops = false;
  if (change.old?.pendingReplacement === true) {
    oldPart = "the old campaign is already deleted (an earlier replacement got half-way)";
  } else if (survives(change)) {
    oldPart =
      status.kind === "active"
        ? `leaves the ${status.shown} campaign ${platform === "burki" ? "calling" : "sending"} beside the new one (retainOnDelete: Pulumi does not delete it)`
        : `leaves the old campaign (${status.shown}) in ${vendor} beside the new one (retainOnDelete)`;
  } else {
    oldPart = deleteEffect(platform, status, true);
    stops = status.kind === "active";
  }
  let newPart: string;
  let starts = false;
  const timed = scheduledStart(platform, change.new);
  if (planned === "running" || planned === "unknown" || (timed && planned === undefined)) {
    starts = true;
    newPart =
      `${planned === "unknown" ? "may start" : "starts"} ${v.start} ${people(platform, count)}${timed ?? " from the start"}` +
      (planned === "unknown" ? " (its `state` is not known until apply)" : "");
  } else {
    newPart = planned
      ? `is ${planned}: nobody is contacted until it runs`
      : "is not started by Pulumi: nobody is contacted until someone starts it";
  }
  return {
    ...base,
    current: change.old?.pendingReplacement === true ? "already deleted" : current,
    planned: planned === "unknown" ? "unknown until apply" : (planned ?? "not managed"),
    effect:
      change.old?.pendingReplacement === true
        ? `creates the campaign again (the old one was already deleted by a replacement that got half-way): the new one ${newPart}`
        : `${oldPart}, then creates a new campaign that ${newPart}`,
    starts,
    ...(starts && startCount !== undefined ? { startCount } : {}),
    stops,
  };
}
