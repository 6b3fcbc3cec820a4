/** Woodpecker emulator contract: bounce shield threshold (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import { create, expectBusiness, expectEmpty, v2, useWoodpeckerEmulator } from "./helpers";

describe("Woodpecker emulator (contract)", function () {
  useWoodpeckerEmulator();

  describe("bounce shield threshold", function () {
    it("GET null, PUT 204, GET value, DELETE 204", async function () {
      const c = await create();
      const path = `/campaigns/${c.id}/bounce_shield/threshold`;
      expect((await v2("GET", path)).json).to.deep.equal({ bounce_rate_threshold: null });
      expectEmpty(await v2("PUT", path, { body: { bounce_rate_threshold: 12 } }), 204);
      const got = await v2("GET", path);
      expect(got.status).to.equal(200);
      expect(got.json).to.deep.equal({ bounce_rate_threshold: 12 });
      for (const bad of [0, 100, 12.5, "12", null]) {
        expectBusiness(
          await v2("PUT", path, { body: { bounce_rate_threshold: bad } }),
          400,
          "INPUT_DATA_VALIDATION_FAILURE",
        );
      }
      expect((await v2("GET", path)).json).to.deep.equal({ bounce_rate_threshold: 12 });
      expectEmpty(await v2("DELETE", path), 204);
      expect((await v2("GET", path)).json).to.deep.equal({ bounce_rate_threshold: null });
      expectBusiness(await v2("GET", "/campaigns/1/bounce_shield/threshold"), 404, "CAMPAIGN_NOT_EXIST");
    });
  });
});
