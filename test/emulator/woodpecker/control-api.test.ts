/** Woodpecker emulator contract: control API (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import { control, create, expectBusiness, setStatus, stepsOf, v2, useWoodpeckerEmulator } from "./helpers";

describe("Woodpecker emulator (contract)", function () {
  useWoodpeckerEmulator();

  describe("control API", function () {
    it("exposes hidden state, background transitions and outside edits", async function () {
      const c = await create();
      const got = await control("GET", `/campaigns/${c.id}`);
      expect(got.status).to.equal(200);
      expect(got.json).to.include({ account: "acct-1", inActiveWorkflow: false, bounceRateThreshold: null });
      expect(stepsOf(got.json)[0].processedProspects).to.equal(0);
      expect((await control("GET", "/campaigns/1")).status).to.equal(404);

      await setStatus(c.id, "RUNNING");
      const paused = await control("POST", `/campaigns/${c.id}/transition`, {
        status: "PAUSED",
        bounceShield: true,
      });
      expect(paused.json.status).to.equal("PAUSED");
      const viaApi = await v2("GET", `/campaigns/${c.id}`);
      expect(viaApi.json.status).to.equal("PAUSED");
      expect(viaApi.json.bounce_shield_autopaused_at).to.be.a("string");
      expect((await control("POST", `/campaigns/${c.id}/transition`, { status: "NOPE" })).status).to.equal(
        400,
      );

      const s1 = stepsOf(c)[0];
      const edited = await control("PATCH", `/campaigns/${c.id}`, {
        name: "Edited in the app",
        settings: { daily_enroll: 5 },
        versions: [{ step_id: s1.id, version_id: s1.body.versions[0].id, subject: "App subject" }],
        delivery_time: [{ step_id: s1.id, delivery_time: { SUNDAY: [{ from: "10:00", to: "12:00" }] } }],
      });
      expect(edited.status, edited.text).to.equal(200);
      const after = (await v2("GET", `/campaigns/${c.id}`)).json;
      expect(after.status).to.equal("PAUSED");
      expect(after.name).to.equal("Edited in the app");
      expect(after.settings.daily_enroll).to.equal(5);
      expect(stepsOf(after)[0].body.versions[0].subject).to.equal("App subject");
      expect(stepsOf(after)[0].delivery_time).to.deep.equal({ SUNDAY: [{ from: "10:00", to: "12:00" }] });
      const badEdit = await control("PATCH", `/campaigns/${c.id}`, { settings: { daily_enroll: 0 } });
      expect(badEdit.status).to.equal(400);
      expect(badEdit.json.error).to.include("daily_enroll");

      await control("PUT", `/campaigns/${c.id}/workflow`, { active: true });
      const del = await control("DELETE", `/campaigns/${c.id}`); // ignores the workflow flag
      expect(del.status).to.equal(200);
      expectBusiness(await v2("GET", `/campaigns/${c.id}`), 404, "CAMPAIGN_NOT_EXIST");
      expect((await control("GET", "/campaigns")).json.campaigns).to.deep.equal([]);
    });
  });
});
