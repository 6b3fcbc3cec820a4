/** Woodpecker emulator contract: status transitions (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import {
  chain,
  create,
  expectBusiness,
  expectEmpty,
  setStatus,
  stepsOf,
  v2,
  useWoodpeckerEmulator,
} from "./helpers";

describe("Woodpecker emulator (contract)", function () {
  useWoodpeckerEmulator();

  describe("status transitions", function () {
    it("run / pause / stop / make_editable answer 200 with no body", async function () {
      const c = await create();
      const path = `/campaigns/${c.id}`;
      const status = async () => (await v2("GET", path)).json.status;

      expectBusiness(
        await v2("POST", `${path}/pause`),
        400,
        "INVALID_CAMPAIGN_STATUS",
        "Campaign cannot be paused in status DRAFT",
      );
      expectBusiness(await v2("POST", `${path}/stop`), 400, "INVALID_CAMPAIGN_STATUS");
      expectEmpty(await v2("POST", `${path}/make_editable`)); // DRAFT: no-op
      expect(await status()).to.equal("DRAFT");

      expectEmpty(await v2("POST", `${path}/run`));
      expect(await status()).to.equal("RUNNING");
      expectEmpty(await v2("POST", `${path}/run`)); // no-op
      expect(await status()).to.equal("RUNNING");

      expectEmpty(await v2("POST", `${path}/pause`));
      expect(await status()).to.equal("PAUSED");
      expectEmpty(await v2("POST", `${path}/pause`)); // no-op
      expect(await status()).to.equal("PAUSED");

      expectEmpty(await v2("POST", `${path}/stop`));
      expect(await status()).to.equal("STOPPED");
      expectEmpty(await v2("POST", `${path}/stop`)); // no-op
      expectBusiness(await v2("POST", `${path}/pause`), 400, "INVALID_CAMPAIGN_STATUS");

      expectEmpty(await v2("POST", `${path}/run`)); // STOPPED can be resumed
      expect(await status()).to.equal("RUNNING");

      expectEmpty(await v2("POST", `${path}/make_editable`));
      expect(await status()).to.equal("EDITED");
      expectEmpty(await v2("POST", `${path}/make_editable`)); // no-op
      expectEmpty(await v2("POST", `${path}/stop`)); // EDITED → STOPPED
      expect(await status()).to.equal("STOPPED");

      await setStatus(c.id, "COMPLETED");
      expectEmpty(await v2("POST", `${path}/run`));
      expect(await status()).to.equal("RUNNING");
      expectBusiness(await v2("POST", "/campaigns/777/run"), 404, "CAMPAIGN_NOT_EXIST");
    });

    it("refuses to run without a subject on every version of the first EMAIL step", async function () {
      const c = await create({
        steps: chain([
          {
            type: "EMAIL",
            body: {
              versions: [
                { subject: "ok", message: "m" },
                { subject: null, message: "m" },
              ],
            },
          },
        ]),
      });
      const r = await v2("POST", `/campaigns/${c.id}/run`);
      expectBusiness(r, 409, "CAMPAIGN_VALIDATION_FAILURE", "Subject is required in the first email step");
      expect((await v2("GET", `/campaigns/${c.id}`)).json.status).to.equal("DRAFT");
      const step = stepsOf(c)[0];
      const fixed = await v2(
        "PATCH",
        `/campaigns/${c.id}/steps/${step.id}/versions/${step.body.versions[1].id}`,
        {
          body: { subject: "Now with a subject" },
        },
      );
      expect(fixed.status).to.equal(200);
      expectEmpty(await v2("POST", `/campaigns/${c.id}/run`));
    });
  });
});
