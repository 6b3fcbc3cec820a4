/**
 * The guard on Burki schedules changed in place (issue 10 remainder): an update that gives a draft or
 * paused campaign a timed schedule starts calling at that time (counted, and blocked by --block-starts,
 * as a create with a schedule is); a moved schedule is a changed start time; `immediate` instead of a
 * timed schedule cancels the calls it was scheduled to place; a dropped `schedule` input leaves Burki's.
 * Fixture: test/fixtures/preview/burki-schedule-updates.json (built by test/fixtures/preview/build.ts).
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
  type CampaignImpact,
  type PreviewDigest,
  UNKNOWN_PLACEHOLDER,
  evaluatePlan,
  exitCodeFor,
  formatSummary,
  parsePreviewJson,
} from "../../provider/guard";

const FIXTURES = path.resolve(__dirname, "../fixtures/preview");
const fixture = (): PreviewDigest =>
  parsePreviewJson(readFileSync(path.join(FIXTURES, "burki-schedule-updates.json"), "utf8"));

function byId(changes: readonly CampaignImpact[]): Map<number | undefined, CampaignImpact> {
  return new Map(changes.map((c) => [c.campaignId, c]));
}

/** The fixture with one step's new inputs edited. */
function variant(id: number, edit: (inputs: Record<string, unknown>) => void): PreviewDigest {
  const d = structuredClone(fixture());
  for (const s of d.steps) if (s.op === "update" && s.oldState?.id === String(id)) edit(s.newState!.inputs!);
  return d;
}

describe("guard: Burki schedules changed by an update", () => {
  it("counts a draft or paused campaign that gains a timed schedule as a start, and says when", () => {
    const c = byId(evaluatePlan(fixture()).changes);
    expect(c.get(70)).to.include({
      operation: "update",
      current: "draft",
      planned: "scheduled",
      starts: true,
      startCount: 500,
      stops: false,
      effect: "starts calling 500 contacts at 2027-01-05T09:00:00Z (its new schedule)",
    });
    expect(c.get(71)).to.include({
      current: "paused",
      planned: "scheduled",
      starts: true,
      startCount: 120,
      effect: "starts calling 120 contacts on its recurring schedule (its new schedule)",
    });
  });

  it("reports a moved schedule as a changed start time, not a new start", () => {
    const holiday = byId(evaluatePlan(fixture()).changes).get(72)!;
    expect(holiday).to.include({
      current: "scheduled",
      starts: false,
      stops: false,
      effect:
        "changes its start time: it starts calling 300 contacts at 2026-12-27T09:00:00Z instead of at " +
        "2026-12-24T09:00:00Z",
    });
    // With more contacts as well, the added ones are a start.
    const grown = byId(evaluatePlan(variant(72, (i) => (i.contactCount = 340))).changes).get(72)!;
    expect(grown).to.include({ starts: true, startCount: 40 });
    expect(grown.effect).to.match(/instead of at 2026-12-24T09:00:00Z, and adds 40 contacts$/);
  });

  it("says the scheduled calls are cancelled when the schedule becomes immediate, and a start when `state: running` too", () => {
    const greetings = byId(evaluatePlan(fixture()).changes).get(73)!;
    expect(greetings).to.include({
      current: "scheduled",
      planned: "draft",
      starts: false,
      stops: true,
      effect:
        "unschedules it (its schedule becomes immediate): the calls it was scheduled to place at " +
        "2026-12-31T10:00:00Z are cancelled, and it goes back to draft; nobody is called until someone starts it",
    });
    const now = byId(evaluatePlan(variant(73, (i) => (i.state = "running"))).changes).get(73)!;
    expect(now).to.include({
      starts: true,
      startCount: 80,
      stops: false,
      effect:
        "starts calling 80 contacts now instead of at 2026-12-31T10:00:00Z (its schedule becomes immediate)",
    });
  });

  it("says Burki keeps the schedule when the `schedule` input is dropped, and sees the same instant as no change", () => {
    const c = byId(evaluatePlan(fixture()).changes);
    expect(c.get(74)).to.include({ starts: false, stops: false });
    expect(c.get(74)!.effect).to.equal(
      "stops managing its schedule: Burki keeps it, so it still starts calling 45 contacts on its recurring " +
        'schedule (to cancel those calls, declare `schedule: { type: "immediate" }` instead)',
    );
    // 2027-02-01T09:00 in Paris is 08:00Z, the time it already has: an ordinary edit.
    expect(c.get(75)).to.include({ starts: false, stops: false });
    expect(c.get(75)!.effect).to.not.match(/start time|starts calling/);
    // One hour later is a move.
    const moved = byId(
      evaluatePlan(variant(75, (i) => ((i.schedule as Record<string, unknown>).at = "2027-02-01T10:00")))
        .changes,
    ).get(75)!;
    expect(moved.effect).to.match(
      /^changes its start time: .* at 2027-02-01T10:00 instead of at 2027-02-01T08:00:00Z$/,
    );
  });

  it("counts the starts in the total and blocks them with --block-starts until approved", () => {
    const report = evaluatePlan(fixture(), { blockStarts: true });
    const blocked = report.findings.filter((f) => f.reason === "starts");
    expect(blocked.map((f) => [f.campaignId, f.level])).to.deep.equal([
      [70, "block"],
      [71, "block"],
    ]);
    expect(blocked[0].message).to.equal(
      'Burki campaign 70 ("Winter renewals"): the plan starts calling 500 contacts at 2027-01-05T09:00:00Z ' +
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
    const unknownAt = byId(
      evaluatePlan(variant(70, (i) => (i.schedule = { type: "scheduled", at: UNKNOWN_PLACEHOLDER }))).changes,
    ).get(70)!;
    expect(unknownAt).to.include({
      starts: true,
      effect:
        "may start calling 500 contacts at its scheduled time (not known until apply) (its new schedule)",
    });
    const d = variant(70, () => undefined);
    for (const s of d.steps) if (s.oldState?.id === "70") delete s.oldState.outputs!.status;
    const unknownStatus = byId(evaluatePlan(d).changes).get(70)!;
    expect(unknownStatus.starts).to.equal(true);
    expect(unknownStatus.effect).to.match(
      /^may start calling 500 contacts at 2027-01-05T09:00:00Z .*its status is missing/,
    );
  });
});
