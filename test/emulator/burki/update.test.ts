/** Burki emulator contract: update (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import { call, createCampaign, getCampaign, runningCampaign, useBurkiEmulator } from "./helpers";

describe("Burki emulator (contract)", function () {
  this.timeout(10_000);
  useBurkiEmulator();

  describe("update", () => {
    it("applies a partial update to a draft and bumps updated_at", async () => {
      const c = await createCampaign({ description: "keep me" });
      const res = await call("PUT", `/api/v1/campaigns/${c.id}`, {
        json: { name: "Renamed", max_attempts: 5, description: null, campaign_type: "sms", assistant_id: 99 },
      });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ message: "Campaign updated successfully" });
      const after = await getCampaign(c.id);
      expect(after).to.include({
        name: "Renamed",
        max_attempts: 5,
        description: "keep me",
        campaign_type: "call",
        assistant_id: 12,
      });
      expect(after.updated_at > c.updated_at).to.equal(true);
    });

    it("does not range-check updates but rejects wrong types", async () => {
      const c = await createCampaign();
      expect(
        (await call("PUT", `/api/v1/campaigns/${c.id}`, { json: { max_attempts: 50 } })).status,
      ).to.equal(200);
      expect((await getCampaign(c.id)).max_attempts).to.equal(50);
      const bad = await call("PUT", `/api/v1/campaigns/${c.id}`, { json: { max_attempts: "many" } });
      expect(bad.status).to.equal(422);
      expect(bad.body.detail[0]).to.include({ type: "int_parsing" });
    });

    it("refuses updates to a running campaign with 400", async () => {
      const id = await runningCampaign();
      const res = await call("PUT", `/api/v1/campaigns/${id}`, { json: { name: "nope" } });
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ detail: "Cannot update running or completed campaigns" });
    });
  });
});
