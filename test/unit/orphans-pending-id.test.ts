/**
 * A pending create that carries an id: what a `kill -9` of `pulumi up` left in a real run
 * (test/e2e/crash-up.test.ts, CLI v3.276.0), trimmed to one managed campaign and two pending
 * creates: w-12, whose Create had answered (id 12345014 and its outputs are in the pending
 * operation), and w-15, whose had not. Both are dropped by `pulumi refresh --clear-pending-creates`,
 * so both campaigns are orphans to adopt; before, the one with an id counted as managed and was
 * never listed, and the recovery re-created it.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { findOrphans, formatReport, parseStackExport } from "../../provider/orphans";

const text = readFileSync(path.resolve(__dirname, "../fixtures/stack-export/killed-during-up.json"), "utf8");

describe("orphans: a pending create that carries an id (real CLI export after kill -9)", () => {
  it("is a pending create paired by its id, not a managed campaign", async () => {
    const stack = parseStackExport(text);
    expect(stack.pendingCreates.map((p) => [p.urn.split("::").pop(), p.campaignId])).to.deep.equal([
      ["w-12", 12345014],
      ["w-15", undefined],
    ]);
    expect(stack.managed.flatMap((m) => m.campaignIds)).to.deep.equal([12345013]);

    const listed = [
      { id: 12345013, name: "Outreach 11", status: "RUNNING" },
      { id: 12345014, name: "Outreach 12", status: "RUNNING" },
      { id: 12345017, name: "Outreach 15", status: "DRAFT" },
    ];
    const report = await findOrphans(stack, {
      woodpecker: { baseUrl: "http://127.0.0.1:1/rest", list: async () => listed },
      burki: { skipped: "no key" },
    });
    const check = report.checks.find((c) => c.platform === "woodpecker");
    expect(check?.outcome).to.equal("checked");
    if (check?.outcome !== "checked") return;
    expect(
      check.orphans.map((o) => [o.id, o.pendingCreates.map((p) => p.urn.split("::").pop())]),
    ).to.deep.equal([
      [12345014, ["w-12"]],
      [12345017, ["w-15"]],
    ]);
    const out = formatReport(report);
    expect(out).to.include("pending create that names this id (Create had answered)");
    expect(out).to.include("adopt it with existingCampaignId: 12345014");
  });
});
