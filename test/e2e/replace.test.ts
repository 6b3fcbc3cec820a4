/**
 * e2e: replacements the engine decides without asking the provider (`pulumi up --replace <urn>`).
 * The classes default the `deleteBeforeReplace` resource option, so the old campaign is stopped
 * and deleted before its replacement is created: never two live copies. And what really happens
 * with `retainOnDelete: true` on a replaced running campaign (the engine skips the provider's
 * Delete: the old campaign is forgotten, still running, beside the new one).
 */
import { expect } from "chai";
import { projectFor } from "./helpers/engine";
import { burkiArgs, program, woodpeckerArgs } from "./programs";

const twoCampaigns = (opts = "{}") =>
  program(`const b = new burki.Campaign("renewals", ${burkiArgs("renewals")}, ${opts});
const w = new woodpecker.Campaign("outreach", ${woodpeckerArgs("outreach")}, ${opts});
export const burkiId = b.campaignId;
export const woodpeckerId = w.campaignId;`);

/** The index of the first line matching `re`, -1 when none does. */
const at = (lines: string[], re: RegExp) => lines.findIndex((l) => re.test(l));

describe("e2e (real CLI): up --replace of running campaigns", function () {
  this.timeout(10 * 60_000);
  const project = projectFor("replace", twoCampaigns());

  before(async function () {
    const p = project();
    const up = await p.up();
    expect(up.code, up.output).to.equal(0);
  });

  async function urns(): Promise<Record<string, string>> {
    return Object.fromEntries(
      (await project().campaignsInState()).map((r) => [r.urn.split("::").pop(), r.urn]),
    );
  }

  it("Burki: the old campaign is stopped and deleted before the new one is created", async () => {
    const p = project();
    const old = (await p.outputs()).burkiId as number;
    await p.burkiCtl.clearRequests();
    const up = await p.up("--replace", (await urns()).renewals);
    expect(up.code, up.output).to.equal(0);
    const lines = await p.burkiCtl.writeLines();
    const stop = at(lines, new RegExp(`^POST /api/v1/campaigns/${old}/stop 200$`));
    const del = at(lines, new RegExp(`^DELETE /api/v1/campaigns/${old} 200$`));
    const create = at(lines, /^POST \/api\/v1\/campaigns\/ 20\d$/);
    expect(stop, lines.join("\n")).to.be.at.least(0);
    expect(del, lines.join("\n")).to.be.greaterThan(stop);
    expect(create, lines.join("\n")).to.be.greaterThan(del);
    const held = await p.burkiCtl.campaigns();
    expect(held.map((c) => c.status)).to.deep.equal(["running"]);
    expect(held[0].id)
      .to.equal((await p.outputs()).burkiId)
      .and.not.equal(old);
  });

  it("Woodpecker: the old campaign is deleted before the new one is created", async () => {
    const p = project();
    const old = (await p.outputs()).woodpeckerId as number;
    await p.woodpeckerCtl.clearRequests();
    const up = await p.up("--replace", (await urns()).outreach);
    expect(up.code, up.output).to.equal(0);
    const lines = await p.woodpeckerCtl.writeLines();
    const del = at(lines, new RegExp(`^DELETE /rest/v2/campaigns/${old} 200$`));
    const create = at(lines, /^POST \/rest\/v2\/campaigns 200$/);
    expect(del, lines.join("\n")).to.be.at.least(0);
    expect(create, lines.join("\n")).to.be.greaterThan(del);
    const held = await p.woodpeckerCtl.campaigns();
    expect(held.map((c) => c.id)).to.deep.equal([(await p.outputs()).woodpeckerId]);
    expect(held[0].id).to.not.equal(old);
  });

  it("retainOnDelete: the engine skips Delete, so the replaced campaign is forgotten while still running", async () => {
    const p = project();
    p.write("index.ts", twoCampaigns("{ retainOnDelete: true }"));
    const adopt = await p.up();
    expect(adopt.code, adopt.output).to.equal(0);
    const before = await p.outputs();
    await p.burkiCtl.clearRequests();
    await p.woodpeckerCtl.clearRequests();
    const all = await urns();
    const up = await p.up("--replace", all.renewals, "--replace", all.outreach);
    expect(up.code, up.output).to.equal(0);
    // No stop, no delete: what the engine does with retainOnDelete (step.go, DeleteStep.Apply).
    expect(await p.burkiCtl.writeLines()).to.not.include(`POST /api/v1/campaigns/${before.burkiId}/stop 200`);
    expect((await p.woodpeckerCtl.writeLines()).filter((l) => l.startsWith("DELETE"))).to.deep.equal([]);
    const burkiHeld = await p.burkiCtl.campaigns();
    expect(burkiHeld.map((c) => c.status).sort()).to.deep.equal(["running", "running"]);
    expect((await p.woodpeckerCtl.campaigns()).length).to.equal(2);
    const after = await p.outputs();
    expect(after.burkiId).to.not.equal(before.burkiId);
    // State owns only the new copies; the old ones run on, owned by nobody — why the guard blocks this plan.
    expect((await p.campaignsInState()).map((r) => Number(r.id)).sort()).to.deep.equal(
      [after.burkiId as number, after.woodpeckerId as number].sort(),
    );
    // Tidy up the two copies the engine left outside the stack.
    await p.burkiCtl.transition(before.burkiId as number, "completed");
    await p.burkiCtl.deleteOutside(before.burkiId as number);
    await p.woodpeckerCtl.deleteOutside(before.woodpeckerId as number);
    p.write("index.ts", twoCampaigns());
    expect((await p.up()).code).to.equal(0);
  });
});
