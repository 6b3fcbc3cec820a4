/**
 * What an update in place does to a campaign, in words and counts: a draft or paused campaign that a new
 * schedule or `state: running` starts, a running one that is paused or reaches more people, a finished one
 * that is only edited. ./describe.ts covers the other kinds of step.
 */
import type { CampaignImpact } from "./types";
import type { CampaignChange } from "./plan";
import { statusOf } from "./status";
import { scheduleChangeOf } from "./schedule";
import { oldCount, reachedContacts } from "./audience";
import { formatCount, people, verbs } from "./words";
import type { ImpactBase, Intent } from "./describe";

/** An update in place: judged on the status now, the declared state, the schedule and the counts. */
export function describeUpdate(
  change: CampaignChange,
  base: ImpactBase,
  { planned, count, startCount }: Intent,
): CampaignImpact {
  const { platform, audience } = base;
  const v = verbs(platform);
  const status = statusOf(platform, change.old);
  const current = status.shown;
  const was = oldCount(platform, change.old);
  const shownPlanned = planned === "unknown" ? "unknown until apply" : (planned ?? "not managed");
  const toRun = planned === "running" || planned === "unknown";
  const may = planned === "unknown" ? "may start" : "starts";
  const stateNote = planned === "unknown" ? " (its `state` is not known until apply)" : "";
  const sched = status.kind === "finished" ? undefined : scheduleChangeOf(change);
  const byItself = planned === undefined || planned === "running";
  if (sched?.kind === "set" && byItself && status.kind !== "active") {
    // A draft or paused campaign (or one whose status the guard cannot read) gains a timed schedule:
    // Burki starts calling at that time, without `state: running` (counted as a create with one is).
    const sure = status.kind === "inactive" && sched.known;
    return {
      ...base,
      current,
      planned: planned === undefined ? "scheduled" : shownPlanned,
      effect:
        `${sure ? "starts" : "may start"} ${v.start} ${people(platform, count)} ${sched.when} (its new schedule)` +
        (status.kind === "unknown"
          ? `: its status is ${status.shown}, so the guard cannot tell whether it runs already`
          : ""),
      starts: true,
      ...(startCount !== undefined ? { startCount } : {}),
      stops: false,
    };
  }
  if (sched && byItself && status.kind === "active") {
    const added = typeof count === "number" && typeof was === "number" && count > was ? count - was : 0;
    const more = added > 0 ? `, and adds ${people(platform, added)}` : "";
    const grows = added > 0 ? { starts: true, startCount: added } : { starts: false };
    if (sched.kind === "set" && status.shown === "scheduled") {
      return {
        ...base,
        current,
        planned: shownPlanned,
        effect:
          `changes its start time: it starts ${v.start} ${people(platform, count)} ${sched.when} ` +
          `instead of ${sched.was ?? "at the time Burki holds"}${more}`,
        ...grows,
        stops: false,
      };
    }
    if (sched.kind === "set") {
      // Burki takes a schedule only while editable: the running campaign is paused, then scheduled.
      return {
        ...base,
        current,
        planned: shownPlanned,
        effect: `pauses a ${status.shown} campaign and schedules it: no new ${v.sends} until it starts again ${sched.when} (its new schedule)${more}`,
        ...grows,
        stops: true,
      };
    }
    if (sched.kind === "cleared" && status.shown === "scheduled") {
      return planned === "running"
        ? {
            ...base,
            current,
            planned: shownPlanned,
            effect: `starts ${v.start} ${people(platform, count)} now instead of ${sched.was} (its schedule becomes immediate)`,
            starts: true,
            ...(startCount !== undefined ? { startCount } : {}),
            stops: false,
          }
        : {
            ...base,
            current,
            planned: "draft",
            effect:
              `unschedules it (its schedule becomes immediate): the calls it was scheduled to place ${sched.was} ` +
              "are cancelled, and it goes back to draft; nobody is called until someone starts it",
            starts: false,
            stops: true,
          };
    }
    if (sched.kind === "dropped" && status.shown === "scheduled") {
      return {
        ...base,
        current,
        planned: shownPlanned,
        effect:
          `stops managing its schedule: Burki keeps it, so it still starts ${v.start} ${people(platform, count)} ` +
          `${sched.was} (to cancel those calls, declare \`schedule: { type: "immediate" }\` instead)${more}`,
        ...grows,
        stops: false,
      };
    }
  }
  if (status.kind === "finished") {
    return {
      ...base,
      current,
      planned: shownPlanned,
      effect: `edits a ${status.shown} campaign; it is not restarted, nobody new is contacted`,
      starts: false,
      stops: false,
    };
  }
  if (status.kind === "unknown" && toRun) {
    return {
      ...base,
      current,
      planned: shownPlanned,
      effect: `may start ${v.start} ${people(platform, count)}: its status is ${status.shown}, so the guard cannot tell whether it runs already${stateNote}`,
      starts: true,
      ...(startCount !== undefined ? { startCount } : {}),
      stops: false,
    };
  }
  if (status.kind === "inactive" && toRun) {
    // Resuming a paused Burki campaign calls the contacts it has not reached yet (same list).
    const reached = reachedContacts(change.old);
    if (platform === "burki" && status.shown === "paused" && typeof count === "number" && count === was) {
      if (reached !== undefined && reached > 0 && reached <= count) {
        return {
          ...base,
          current,
          planned: shownPlanned,
          effect:
            `resumes calling ${people(platform, count - reached)} (${formatCount(reached)} of its ` +
            `${formatCount(count)} were called before it was paused)${stateNote}`,
          starts: true,
          startCount: count - reached,
          stops: false,
        };
      }
    }
    return {
      ...base,
      current,
      planned: shownPlanned,
      effect: `${may} ${v.start} ${people(platform, count)}${stateNote}`,
      starts: true,
      ...(startCount !== undefined ? { startCount } : {}),
      stops: false,
    };
  }
  if (status.kind === "active" && planned !== undefined && !toRun) {
    const effect =
      planned === "stopped"
        ? `stops a running campaign (${v.inProgress})`
        : `pauses a ${status.shown === "scheduled" ? "scheduled" : "running"} campaign: no new ${v.sends} until it runs again`;
    return { ...base, current, planned: shownPlanned, effect, starts: false, stops: true };
  }
  if (status.kind === "active") {
    // Still running after the update: does it reach more people?
    if (count === "unknown") {
      return {
        ...base,
        current,
        planned: shownPlanned,
        effect: `may add ${audience} to a running campaign (how many is not known until apply)`,
        starts: true,
        stops: false,
      };
    }
    if (typeof count === "number" && typeof was === "number" && count > was) {
      const added = count - was;
      return {
        ...base,
        current,
        planned: shownPlanned,
        effect: `adds ${people(platform, added)} to a running campaign`,
        starts: true,
        startCount: added,
        stops: false,
      };
    }
    if (typeof count === "number" && was === undefined) {
      return {
        ...base,
        current,
        planned: shownPlanned,
        effect: `may add ${audience} to a running campaign (it declares ${people(platform, count)}; the state has no earlier count)`,
        starts: true,
        stops: false,
      };
    }
    const fewer =
      typeof count === "number" && typeof was === "number" && count < was
        ? `, removes ${people(platform, was - count)}`
        : "";
    return {
      ...base,
      current,
      planned: shownPlanned,
      effect: `edits a ${status.shown} campaign${fewer}; nobody new is contacted`,
      starts: false,
      stops: false,
    };
  }
  return {
    ...base,
    current,
    planned: shownPlanned,
    effect: "edits it; nobody is contacted",
    starts: false,
    stops: false,
  };
}
