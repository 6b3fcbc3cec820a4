/** Woodpecker emulator contract: get (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import { OTHER_KEY, create, expectBusiness, v2, useWoodpeckerEmulator } from "./helpers";

describe("Woodpecker emulator (contract)", function () {
  useWoodpeckerEmulator();

  describe("get", function () {
    it("returns the campaign; 404 CAMPAIGN_NOT_EXIST for unknown ids and other accounts", async function () {
      const c = await create();
      const r = await v2("GET", `/campaigns/${c.id}`);
      expect(r.status).to.equal(200);
      expect(r.json).to.deep.equal(c);
      const missing = await v2("GET", "/campaigns/999");
      expectBusiness(missing, 404, "CAMPAIGN_NOT_EXIST", "Campaign not found");
      expect(missing.json.details).to.equal(null);
      expectBusiness(await v2("GET", `/campaigns/${c.id}`, { key: OTHER_KEY }), 404, "CAMPAIGN_NOT_EXIST");
      expectBusiness(await v2("DELETE", `/campaigns/${c.id}`, { key: OTHER_KEY }), 404, "CAMPAIGN_NOT_EXIST");
    });
  });
});
