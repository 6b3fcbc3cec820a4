/** Burki emulator contract: test hooks (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import { call, control, createCampaign, getCampaign, runningCampaign, useBurkiEmulator } from "./helpers";

describe("Burki emulator (contract)", function () {
  this.timeout(10_000);
  useBurkiEmulator();

  describe("test hooks", () => {
    it("startBeforeNextDelete turns the next DELETE into the running-campaign 400, once", async () => {
      const c = await createCampaign();
      const hook = await control("POST", `/_emulator/campaigns/${c.id}/hooks`, {
        startBeforeNextDelete: true,
      });
      expect(hook.status).to.equal(200);
      const del = await call("DELETE", `/api/v1/campaigns/${c.id}`);
      expect(del.status).to.equal(400);
      expect(del.body).to.deep.equal({ detail: "Cannot delete running campaign - stop it first" });
      expect((await getCampaign(c.id)).status).to.equal("running");
      await call("POST", `/api/v1/campaigns/${c.id}/stop`);
      expect((await call("DELETE", `/api/v1/campaigns/${c.id}`)).status).to.equal(200);
    });

    it("ignoreStop answers 200 to stop without changing the status, until cleared", async () => {
      const id = await runningCampaign();
      await control("POST", `/_emulator/campaigns/${id}/hooks`, { ignoreStop: true });
      const stop = await call("POST", `/api/v1/campaigns/${id}/stop`);
      expect(stop.status).to.equal(200);
      expect(stop.body).to.deep.equal({ message: "Campaign stopped successfully" });
      expect((await getCampaign(id)).status).to.equal("running");
      await control("POST", `/_emulator/campaigns/${id}/hooks`, { ignoreStop: false });
      await call("POST", `/api/v1/campaigns/${id}/stop`);
      expect((await getCampaign(id)).status).to.equal("cancelled");
    });
  });
});
