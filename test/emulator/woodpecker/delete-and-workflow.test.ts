/** Woodpecker emulator contract: delete and the hidden workflow flag (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import {
  api,
  control,
  create,
  expectBusiness,
  expectEmpty,
  setStatus,
  v2,
  useWoodpeckerEmulator,
} from "./helpers";

describe("Woodpecker emulator (contract)", function () {
  useWoodpeckerEmulator();

  describe("delete and the hidden workflow flag", function () {
    it("DELETE answers 200 with no body, then GET is 404", async function () {
      const c = await create();
      await setStatus(c.id, "RUNNING"); // any status
      expectEmpty(await v2("DELETE", `/campaigns/${c.id}`));
      expectBusiness(await v2("GET", `/campaigns/${c.id}`), 404, "CAMPAIGN_NOT_EXIST");
      expectBusiness(await v2("DELETE", `/campaigns/${c.id}`), 404, "CAMPAIGN_NOT_EXIST");
    });

    it("refuses DELETE with 409 while in an active workflow; the flag is invisible", async function () {
      const c = await create();
      const set = await control("PUT", `/campaigns/${c.id}/workflow`, { active: true });
      expect(set.json.inActiveWorkflow).to.equal(true);

      const r = await v2("DELETE", `/campaigns/${c.id}`);
      expect(r.status).to.equal(409);
      expect(r.json).to.deep.equal({
        code: "CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW",
        message: "Campaign related to active workflow",
        details: null,
      });

      const get = await v2("GET", `/campaigns/${c.id}`);
      expect(get.status).to.equal(200);
      expect(get.json).to.deep.equal(c);
      expect(get.text.toLowerCase()).to.not.include("workflow");
      const patched = await v2("PATCH", `/campaigns/${c.id}`, { body: { name: "x" } });
      expect(patched.text.toLowerCase()).to.not.include("workflow");
      const v1 = await api("GET", "/rest/v1/campaign_list");
      expect(v1.json).to.have.length(1);
      expect(v1.text.toLowerCase()).to.not.include("workflow");

      await control("PUT", `/campaigns/${c.id}/workflow`, { active: false });
      expectEmpty(await v2("DELETE", `/campaigns/${c.id}`));
    });
  });
});
