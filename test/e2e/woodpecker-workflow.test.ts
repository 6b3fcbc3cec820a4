/**
 * e2e, promise two: a Woodpecker campaign in an active workflow is never half-deleted. A change
 * that forces its replacement fails `pulumi preview` (the provider's check) with the workflow
 * message and no mutating request; `pulumi destroy` fails clearly and keeps campaign and state;
 * once the workflow is cleared in Woodpecker, destroy succeeds.
 */
import { expect } from "chai";
import { projectFor } from "./helpers/engine";
import { program, woodpeckerArgs } from "./programs";

const declared = (followUpDays: number) =>
  program(`const c = new woodpecker.Campaign("nurture", ${woodpeckerArgs("nurture", 'workflow: "Q4 nurture",', followUpDays)});
export const campaignId = c.campaignId;`);

describe("e2e (real CLI): a Woodpecker campaign in an active workflow", function () {
  this.timeout(10 * 60_000);
  let id = 0;
  const project = projectFor("woodpecker-workflow", declared(3), {
    // Out of the workflow first, or the destroy at the end is refused (as it should be).
    beforeCleanUp: async (p) => {
      if (id) await p.woodpeckerCtl.call("PUT", `/campaigns/${id}/workflow`, { active: false });
    },
  });

  it("up creates it; Woodpecker then puts it in the workflow", async () => {
    const p = project();
    const up = await p.up();
    expect(up.code, up.output).to.equal(0);
    id = (await p.outputs()).campaignId as number;
    await p.woodpeckerCtl.call("PUT", `/campaigns/${id}/workflow`, { active: true });
  });

  it("a change that forces a replacement fails `pulumi preview` with the workflow message, 0 mutating requests", async function () {
    if (!id) this.skip();
    const p = project();
    p.write("index.ts", declared(5)); // the follow-up's delay: Woodpecker cannot change it in place
    await p.woodpeckerCtl.clearRequests();
    const preview = await p.preview();
    expect(preview.code, preview.output).to.not.equal(0);
    expect(preview.output).to.include('belongs to the active workflow "Q4 nurture"');
    expect(preview.output).to.include("steps[1].delay");
    expect(await p.woodpeckerCtl.writeLines(), "mutating requests of the preview").to.deep.equal([]);
    const up = await p.up();
    expect(up.code, "up of the same change").to.not.equal(0);
    expect(await p.woodpeckerCtl.writeLines(), "mutating requests of the refused up").to.deep.equal([]);
    expect((await p.woodpeckerCtl.campaign(id))?.status).to.equal("RUNNING");
    p.write("index.ts", declared(3));
  });

  it("`pulumi destroy` fails naming the workflow and the fix; campaign and state are kept", async function () {
    if (!id) this.skip();
    const p = project();
    const destroy = await p.destroy();
    expect(destroy.code, destroy.output).to.not.equal(0);
    expect(destroy.output).to.include("part of an active workflow");
    expect(destroy.output).to.include("Remove the campaign from the workflow");
    expect(await p.woodpeckerCtl.campaign(id), "the campaign on Woodpecker").to.not.equal(undefined);
    const inState = await p.campaignsInState();
    expect(inState.map((r) => r.id)).to.deep.equal([String(id)]);
  });

  it("once the workflow is cleared in Woodpecker, destroy succeeds and nothing is left", async function () {
    if (!id) this.skip();
    const p = project();
    await p.woodpeckerCtl.call("PUT", `/campaigns/${id}/workflow`, { active: false });
    const destroy = await p.destroy();
    expect(destroy.code, destroy.output).to.equal(0);
    expect(await p.woodpeckerCtl.campaigns()).to.deep.equal([]);
    expect(await p.campaignsInState()).to.deep.equal([]);
    id = 0;
  });
});
