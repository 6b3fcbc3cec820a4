/** Woodpecker emulator contract: patch (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import { create, expectBusiness, expectEmpty, expectProblem, v2, useWoodpeckerEmulator } from "./helpers";

describe("Woodpecker emulator (contract)", function () {
  useWoodpeckerEmulator();

  describe("patch", function () {
    it("is allowed in DRAFT, refused in RUNNING, allowed again once EDITED", async function () {
      const c = await create();
      const p1 = await v2("PATCH", `/campaigns/${c.id}`, {
        body: { name: "Renamed", email_account_ids: [201, 202], settings: { daily_enroll: 99 }, steps: null },
      });
      expect(p1.status, p1.text).to.equal(200);
      expect(p1.json.name).to.equal("Renamed");
      expect(p1.json.email_account_ids).to.deep.equal([201, 202]);
      expect(p1.json.settings.daily_enroll).to.equal(99);
      expect(p1.json.settings.timezone).to.equal("Europe/Warsaw"); // partial merge
      expect(p1.json.steps).to.deep.equal(c.steps); // steps are not changed here

      expectEmpty(await v2("POST", `/campaigns/${c.id}/run`));
      const refused = await v2("PATCH", `/campaigns/${c.id}`, { body: { name: "Nope" } });
      expectBusiness(
        refused,
        409,
        "CAMPAIGN_NOT_EDITABLE",
        "Only campaigns with a status of DRAFT or EDITED can be updated",
      );
      expect(refused.json.details).to.equal(null);
      expect((await v2("GET", `/campaigns/${c.id}`)).json.name).to.equal("Renamed");

      expectEmpty(await v2("POST", `/campaigns/${c.id}/make_editable`));
      expect((await v2("GET", `/campaigns/${c.id}`)).json.status).to.equal("EDITED");
      const p2 = await v2("PATCH", `/campaigns/${c.id}`, {
        body: { settings: { gdpr_unsubscribe: true, open_disabled_list: ["google.com"] } },
      });
      expect(p2.status).to.equal(200);
      expect(p2.json.status).to.equal("EDITED");
      expect(p2.json.settings).to.include({ gdpr_unsubscribe: true, daily_enroll: 99 });
      expect(p2.json.settings.open_disabled_list).to.deep.equal(["google.com"]);
    });

    it("validates the given fields like create", async function () {
      const c = await create();
      const r = await v2("PATCH", `/campaigns/${c.id}`, {
        body: { settings: { daily_enroll: 0, timezone: "Nowhere/City" }, email_account_ids: [] },
      });
      expectBusiness(r, 400, "INPUT_DATA_VALIDATION_FAILURE");
      expect(r.json.details)
        .to.include("daily_enroll")
        .and.include("timezone")
        .and.include("email_account_ids");
      expect((await v2("GET", `/campaigns/${c.id}`)).json).to.deep.equal(c);
      expectProblem(await v2("PATCH", `/campaigns/${c.id}`, { raw: "[" }), 400, "Bad Request");
      expectBusiness(await v2("PATCH", "/campaigns/42", { body: { name: "x" } }), 404, "CAMPAIGN_NOT_EXIST");
    });
  });
});
