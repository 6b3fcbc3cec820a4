/**
 * The guard on Burki schedules changed in place (issue 10 remainder): an update that gives a draft or
 * paused campaign a timed schedule starts calling at that time (counted, and blocked by --block-starts,
 * as a create with a schedule is); a moved schedule is a changed start time; `immediate` instead of a
 * timed schedule cancels the calls it was scheduled to place; a dropped `schedule` input leaves Burki's.
 * Plan: test/fixtures/preview/cli/burki-schedule-updates.refresh.json, written by the real CLI (its
 * scenario in test/e2e/helpers/preview-scenarios.ts: times years ahead, since `check` refuses a new
 * one in the past). Campaigns are found by name: the emulator numbers them in creation order, which varies.
 */
import { expect } from "chai";
import {
  type CampaignImpact,
  type PreviewDigest,
  UNKNOWN_PLACEHOLDER,
  evaluatePlan,
  exitCodeFor,
  formatSummary,
} from "../../provider/guard";
import { cliPlan, labelOf, variantOf } from "./preview-fixtures";

const fixture = (): PreviewDigest => cliPlan("burki-schedule-updates", "refresh");

function byName(changes: readonly CampaignImpact[]): Map<string | undefined, CampaignImpact> {
  return new Map(changes.map((c) => [c.name, c]));
}

/** The plan with one campaign's update step's new inputs edited (by resource name). */
function variant(resource: string, edit: (inputs: Record<string, unknown>) => void): PreviewDigest {
  return variantOf(fixture(), (d) => {
    for (const s of d.steps)
      if (s.op === "update" && s.urn.endsWith(`::${resource}`)) edit(s.newState!.inputs!);
  });
}

describe("guard: Burki schedules changed by an update", () => {
  it("counts a draft or paused campaign that gains a timed schedule as a start, and says when", () => {
    const c = byName(evaluatePlan(fixture()).changes);
    expect(c.get("Winter renewals")).to.include({
      operation: "update",
      current: "draft",
      planned: "scheduled",
      starts: true,
      startCount: 500,
      stops: false,
      effect: "starts calling 500 contacts at 2032-01-05T09:00:00Z (its new schedule)",
    });
    expect(c.get("Survey follow-up")).to.include({
      current: "paused",
      planned: "scheduled",
      starts: true,
      startCount: 120,
      effect: "starts calling 120 contacts on its recurring schedule (its new schedule)",
    });
  });

  it("reports a moved schedule as a changed start time, not a new start", () => {
    const holiday = byName(evaluatePlan(fixture()).changes).get("Holiday hours notice")!;
    expect(holiday).to.include({
      current: "scheduled",
      starts: false,
      stops: false,
      effect:
        "changes its start time: it starts calling 300 contacts at 2031-12-27T09:00:00Z instead of at " +
        "2031-12-24T09:00:00Z",
    });
    // With more contacts as well, the added ones are a start.
    const grown = byName(evaluatePlan(variant("holiday-hours", (i) => (i.contactCount = 340))).changes).get(
      "Holiday hours notice",
    )!;
    expect(grown).to.include({ starts: true, startCount: 40 });
    expect(grown.effect).to.match(/instead of at 2031-12-24T09:00:00Z, and adds 40 contacts$/);
  });

  it("says the scheduled calls are cancelled when the schedule becomes immediate, and a start when `state: running` too", () => {
    const greetings = byName(evaluatePlan(fixture()).changes).get("New year greetings")!;
    expect(greetings).to.include({
      current: "scheduled",
      planned: "draft",
      starts: false,
      stops: true,
      effect:
        "unschedules it (its schedule becomes immediate): the calls it was scheduled to place at " +
        "2031-12-31T10:00:00Z are cancelled, and it goes back to draft; nobody is called until someone starts it",
    });
    const now = byName(evaluatePlan(variant("new-year-greetings", (i) => (i.state = "running"))).changes).get(
      "New year greetings",
    )!;
    expect(now).to.include({
      starts: true,
      startCount: 80,
      stops: false,
      effect:
        "starts calling 80 contacts now instead of at 2031-12-31T10:00:00Z (its schedule becomes immediate)",
    });
  });

  it("says Burki keeps the schedule when the `schedule` input is dropped, and sees the same instant as no change", () => {
    const c = byName(evaluatePlan(fixture()).changes);
    expect(c.get("Weekly check-in")).to.include({ starts: false, stops: false });
    expect(c.get("Weekly check-in")!.effect).to.equal(
      "stops managing its schedule: Burki keeps it, so it still starts calling 45 contacts on its recurring " +
        'schedule (to cancel those calls, declare `schedule: { type: "immediate" }` instead)',
    );
    // 2032-02-01T09:00 in Paris is 08:00Z, the time it already has: an ordinary edit.
    expect(c.get("Launch day")).to.include({ starts: false, stops: false });
    expect(c.get("Launch day")!.effect).to.not.match(/start time|starts calling/);
    // One hour later is a move.
    const moved = byName(
      evaluatePlan(
        variant("launch-day", (i) => ((i.schedule as Record<string, unknown>).at = "2032-02-01T10:00")),
      ).changes,
    ).get("Launch day")!;
    expect(moved.effect).to.match(
      /^changes its start time: .* at 2032-02-01T10:00 instead of at 2032-02-01T08:00:00Z$/,
    );
  });

  it("counts the starts in the total and blocks them with --block-starts until approved", () => {
    const report = evaluatePlan(fixture(), { blockStarts: true });
    const blocked = report.findings.filter((f) => f.reason === "starts");
    expect(blocked.map((f) => [f.name, f.level]).sort()).to.deep.equal([
      ["Survey follow-up", "block"],
      ["Winter renewals", "block"],
    ]);
    expect(blocked.find((f) => f.name === "Winter renewals")!.message).to.equal(
      `${labelOf(fixture(), "winter-renewals")}: the plan starts calling 500 contacts at 2032-01-05T09:00:00Z ` +
        "(its new schedule); this stack blocks plans that start contacting people (--block-starts): review the " +
        "summary, then approve with --allow-starts (in the pipeline: the `allow-starts` label on the pull " +
        "request, or a manual run of the workflow with allow-starts)",
    );
    expect(exitCodeFor(report)).to.not.equal(0);
    const summary = formatSummary(report);
    expect(summary).to.include(
      "**Total:** starts contacting 620 people in 2 campaigns (620 to call); stops 1 running or scheduled campaign;",
    );
    const approved = evaluatePlan(fixture(), { blockStarts: true, allowStarts: true });
    expect(approved.findings.filter((f) => f.reason === "starts").map((f) => f.level)).to.deep.equal([
      "allowed",
      "allowed",
    ]);
    expect(exitCodeFor(approved)).to.equal(0);
  });

  it("fails closed: an unknown schedule or status may start the campaign", () => {
    const unknownAt = byName(
      evaluatePlan(
        variant("winter-renewals", (i) => (i.schedule = { type: "scheduled", at: UNKNOWN_PLACEHOLDER })),
      ).changes,
    ).get("Winter renewals")!;
    expect(unknownAt).to.include({
      starts: true,
      effect:
        "may start calling 500 contacts at its scheduled time (not known until apply) (its new schedule)",
    });
    const d = variant("winter-renewals", () => undefined);
    for (const s of d.steps) if (s.urn.endsWith("::winter-renewals")) delete s.oldState!.outputs!.status;
    const unknownStatus = byName(evaluatePlan(d).changes).get("Winter renewals")!;
    expect(unknownStatus.starts).to.equal(true);
    expect(unknownStatus.effect).to.match(
      /^may start calling 500 contacts at 2032-01-05T09:00:00Z .*its status is missing/,
    );
  });
});
