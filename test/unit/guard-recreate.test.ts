/**
 * Campaigns deleted outside Pulumi and re-created (issue 12, section 3), and reading the stack export
 * given as --previous-state, on what the real CLI wrote: recreate-deleted-outside (a Burki campaign
 * deleted in Burki's app, found gone by the preview's own refresh; a Woodpecker campaign deleted in
 * Woodpecker's that a nightly `pulumi refresh` had already dropped, with the export from before it).
 */
import { expect } from "chai";
import {
  type PreviewDigest,
  type PreviousState,
  StateParseError,
  evaluatePlan,
  exitCodeFor,
  formatSummary,
  parseStackExport,
} from "../../provider/guard";
import { cliExport, cliPlan, cliText } from "./preview-fixtures";

const fixture = (name: string): PreviewDigest => cliPlan(name, "refresh");
/** The stack export taken before the nightly refresh dropped the Woodpecker campaign. */
const previous = (): PreviousState => cliExport("recreate-deleted-outside", "stack-export-before-refresh");

/** A campaign's URN and id in the export taken before the refresh. */
function storedBefore(resource: string): { urn: string; id?: string } {
  const urn = [...previous().resources.keys()].find((u) => u.endsWith(`::${resource}`))!;
  return { urn, id: previous().resources.get(urn)!.id };
}

describe("guard: campaigns deleted outside Pulumi and re-created", () => {
  it("names the re-creation the preview's own refresh reveals (a refresh step, then a create)", () => {
    const plan = fixture("recreate-deleted-outside");
    // The refresh step of the campaign Burki no longer has prints the state as stored, then its create.
    const renewals = plan.steps.filter((s) => s.urn.endsWith("::renewals")).map((s) => s.op);
    expect(renewals).to.deep.equal(["refresh", "create"]);
    const report = evaluatePlan(plan, { blockStarts: true });
    const burki = report.changes.find((c) => c.platform === "burki")!;
    const woodpecker = report.changes.find((c) => c.platform === "woodpecker")!;
    expect(burki).to.include({
      operation: "re-create",
      recreated: true,
      current: "gone (was running)",
      effect:
        "re-creates a campaign that is no longer in Burki (deleted outside Pulumi?) and starts it, calling 2 contacts",
    });
    // Dropped by an earlier, saved refresh: without the state from before it, a plain create.
    expect(woodpecker).to.include({
      operation: "create",
      recreated: false,
      effect: "starts emailing 2 prospects",
    });
    expect(exitCodeFor(report)).to.equal(1);
    // The provider's note that it dropped the campaign is a diagnostic of its own severity, not an error.
    expect(report.previewErrors).to.deep.equal([]);
    expect(plan.diagnostics?.map((d) => d.severity)).to.deep.equal(["info#err"]);
  });

  it("names the one an earlier refresh dropped, given the state from before it (--previous-state)", () => {
    const report = evaluatePlan(fixture("recreate-deleted-outside"), {
      blockStarts: true,
      previousState: previous(),
    });
    const rows = report.changes.map((c) => [c.label, c.operation, c.current]);
    expect(rows.sort((x, y) => x[0].localeCompare(y[0]))).to.deep.equal([
      [`Burki campaign ${storedBefore("renewals").id} ("Renewals")`, "re-create", "gone (was running)"],
      [
        `Woodpecker campaign ${storedBefore("q4-outreach").id} ("Q4 outreach")`,
        "re-create",
        "gone (was RUNNING)",
      ],
    ]);
    expect(report.changes.find((c) => c.platform === "woodpecker")!.effect).to.equal(
      "re-creates a campaign that is no longer in Woodpecker (deleted outside Pulumi?) and starts it, emailing 2 prospects",
    );
    expect(formatSummary(report)).to.contain(
      "**Total:** starts contacting 4 people in 2 campaigns (2 to call, 2 to email); re-creates 2 " +
        "campaigns deleted outside Pulumi; 2 campaigns changed (2 re-created).",
    );
  });

  it("does not call a create of a new URN a re-creation", () => {
    const report = evaluatePlan(fixture("realistic-plan"), {
      previousState: cliExport("realistic-plan"),
    });
    expect(report.changes.filter((c) => c.operation === "create").map((c) => c.name)).to.have.length(2);
    expect(report.changes.filter((c) => c.recreated)).to.deep.equal([]);
  });
});

describe("guard: parseStackExport", () => {
  it("reads `pulumi stack export`: the stack, the provider and each campaign by URN", () => {
    const state = previous();
    expect([...state.resources.keys()]).to.have.length(4);
    expect(state.resources.get(storedBefore("q4-outreach").urn)).to.include({
      id: storedBefore("q4-outreach").id,
    });
  });

  it("skips a copy pending deletion (`delete: true`, left by a replacement whose delete failed)", () => {
    const text = cliText("delete-replaced.stack-export.json");
    const copies = (
      JSON.parse(text) as { deployment: { resources: Array<{ urn: string; id?: string; delete?: boolean }> } }
    ).deployment.resources.filter((r) => r.urn.endsWith("::renewals"));
    expect(copies.map((r) => r.delete === true).sort()).to.deep.equal([false, true]);
    const live = copies.find((r) => r.delete !== true)!;
    const state = parseStackExport(text);
    expect(state.resources.get(live.urn)).to.include({ id: live.id });
  });

  it("accepts a stack that was never deployed, and refuses what is not an export", () => {
    // What `pulumi stack export` printed for the empty stack of creates-start-2000.
    expect(cliExport("creates-start-2000").resources.size).to.equal(0);
    expect(() => parseStackExport("error: no stack named 'prod' found")).to.throw(
      StateParseError,
      /not valid JSON/,
    );
    expect(() => parseStackExport(cliText("realistic-plan.refresh.json"))).to.throw(
      StateParseError,
      /has no `deployment` object \(this looks like `pulumi preview --json`\)/,
    );
  });
});
