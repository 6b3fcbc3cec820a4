/**
 * e2e, promise one: `pulumi destroy` of a running Burki campaign stops it, then deletes it.
 * Judged on the emulator's request log and `pulumi stack export`.
 */
import { expect } from "chai";
import { projectFor } from "./helpers/engine";
import { burkiArgs, program } from "./programs";

describe("e2e (real CLI): destroy of a running Burki campaign", function () {
  this.timeout(10 * 60_000);
  const project = projectFor(
    "burki-destroy",
    program(`const c = new burki.Campaign("renewals", ${burkiArgs("renewals")});
export const campaignId = c.campaignId;
export const status = c.status;`),
  );

  it("sends stop before DELETE, empties the state and leaves nothing on Burki", async () => {
    const p = project();
    const up = await p.up();
    expect(up.code, up.output).to.equal(0);
    const { campaignId, status } = await p.outputs();
    expect(status).to.equal("running");
    expect((await p.burkiCtl.campaign(campaignId as number))?.status).to.equal("running");

    await p.burkiCtl.clearRequests();
    const destroy = await p.destroy();
    expect(destroy.code, destroy.output).to.equal(0);

    const lines = await p.burkiCtl.writeLines();
    expect(lines, "the mutating requests of destroy").to.deep.equal([
      `POST /api/v1/campaigns/${campaignId}/stop 200`,
      `DELETE /api/v1/campaigns/${campaignId} 200`,
    ]);
    expect(await p.burkiCtl.campaigns()).to.deep.equal([]);
    expect(await p.campaignsInState()).to.deep.equal([]);
    expect(destroy.output).to.include("is running: stopping it before deleting");
  });
});
