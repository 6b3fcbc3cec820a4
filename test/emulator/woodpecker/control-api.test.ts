/** Woodpecker emulator contract: control API (through HTTP only; setup in ./helpers.ts). */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are inspected loosely, as a client would. */
import { expect } from "chai";
import {
  OTHER_KEY,
  api,
  control,
  create,
  expectBusiness,
  setStatus,
  stepsOf,
  v2,
  useWoodpeckerEmulator,
} from "./helpers";

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

  describe("control API: prospects", function () {
    const add = (campaignId: number, prospects: unknown[], key?: string) =>
      api("POST", "/rest/v1/add_prospects_campaign", {
        body: { campaign: { campaign_id: campaignId }, prospects },
        ...(key ? { key } : {}),
      });
    const listed = async (campaignId: number) =>
      (await api("GET", `/rest/v1/prospects?campaigns_id=${campaignId}`)).json;

    it("lists a campaign's prospects with their global and campaign status", async function () {
      const c = await create();
      const other = await create();
      const r = await add(c.id, [
        { email: "Ann@Example.com", first_name: "Ann" },
        { email: "bob@example.com" },
      ]);
      expect(r.json.status.status).to.equal("OK");
      await add(other.id, [{ email: "bob@example.com" }]);
      const got = await control("GET", `/campaigns/${c.id}/prospects`);
      expect(got.status, got.text).to.equal(200);
      const [ann, bob] = got.json.prospects;
      expect(got.json.prospects).to.have.length(2);
      expect(ann).to.deep.include({
        id: r.json.prospects[0].id,
        account: "acct-1",
        email: "Ann@Example.com",
        status: "ACTIVE",
        campaignStatus: "ACTIVE",
      });
      expect(ann.fields).to.deep.equal({ first_name: "Ann" });
      expect(bob.campaigns.map((m: any) => m.campaignId)).to.deep.equal([c.id, other.id]);
      expect((await control("GET", "/campaigns/1/prospects")).status).to.equal(404);
      expect((await control("GET", "/campaigns/abc/prospects")).status).to.equal(400);
    });

    it("changes a prospect's global and campaign status from outside; the API then refuses a re-add", async function () {
      const c = await create();
      const other = await create();
      const [row] = (await add(c.id, [{ email: "rita@example.com" }])).json.prospects;
      const patched = await control("PATCH", `/prospects/${row.id}`, { status: "REPLIED", campaignId: c.id });
      expect(patched.status, patched.text).to.equal(200);
      expect(patched.json).to.deep.include({ id: row.id, status: "REPLIED" });
      expect(patched.json.campaigns).to.deep.equal([
        { campaignId: c.id, status: "REPLIED", interested: "NOT-MARKED" },
      ]);
      const view = (await listed(c.id))[0];
      expect(view.status).to.equal("REPLIED");
      expect(view.campaigns_details[0].campaign_prospect_status).to.equal("REPLIED");
      // The global status now refuses the prospect in another campaign without force (E_INV_STATUS).
      const refused = await add(other.id, [{ email: "rita@example.com" }]);
      expect(refused.json.prospects[0]).to.include({ status: "ERROR", code: "E_INV_STATUS" });

      // Only the campaign-local status (a missing snippet parks a prospect).
      const local = await control("PATCH", `/prospects/${row.id}`, {
        campaignId: c.id,
        campaignStatus: "PAUSED",
      });
      expect(local.json.status).to.equal("REPLIED");
      expect((await listed(c.id))[0].campaigns_details[0].campaign_prospect_status).to.equal("PAUSED");

      // By email (as the in-process prospects.setStatus): back to ACTIVE everywhere it is asked.
      const byEmail = await control("PUT", "/prospects/status", {
        email: "RITA@example.com",
        status: "ACTIVE",
        campaignId: c.id,
      });
      expect(byEmail.status, byEmail.text).to.equal(200);
      expect(byEmail.json).to.deep.include({ id: row.id, status: "ACTIVE" });
      expect((await listed(c.id))[0].campaigns_details[0].campaign_prospect_status).to.equal("ACTIVE");
      expect((await add(other.id, [{ email: "rita@example.com" }])).json.prospects[0]).to.have.keys([
        "email",
        "id",
      ]);
    });

    it("answers 400/404 with the reason for a bad prospect change", async function () {
      const c = await create();
      const [row] = (await add(c.id, [{ email: "x@example.com" }])).json.prospects;
      const bad = async (method: string, path: string, b: unknown, status: number, text: RegExp) => {
        const r = await control(method, path, b);
        expect(r.status, r.text).to.equal(status);
        expect(r.json.error).to.match(text);
        expect(r.text).to.not.include("x@example.com");
      };
      await bad(
        "PATCH",
        `/prospects/${row.id}`,
        { status: "HAPPY" },
        400,
        /status must be one of ACTIVE, BOUNCED/,
      );
      await bad("PATCH", `/prospects/${row.id}`, {}, 400, /nothing to change/);
      await bad("PATCH", `/prospects/${row.id}`, { campaignStatus: "PAUSED" }, 400, /needs campaignId/);
      await bad(
        "PATCH",
        `/prospects/${row.id}`,
        { campaignId: c.id, campaignStatus: "X" },
        400,
        /campaignStatus must be one of/,
      );
      await bad(
        "PATCH",
        `/prospects/${row.id}`,
        { status: "REPLIED", campaignId: -1 },
        400,
        /campaignId must be a positive integer/,
      );
      await bad("PATCH", `/prospects/${row.id}`, { state: "REPLIED" }, 400, /unknown field\(s\) state/);
      await bad("PATCH", `/prospects/${row.id}`, [1], 400, /must be a JSON object/);
      await bad("PATCH", "/prospects/12x", { status: "REPLIED" }, 400, /bad prospect id 12x/);
      await bad("PATCH", "/prospects/999", { status: "REPLIED" }, 404, /no prospect 999/);
      const other = await create();
      await bad(
        "PATCH",
        `/prospects/${row.id}`,
        { status: "BOUNCED", campaignId: other.id },
        404,
        /is not in campaign/,
      );
      await bad("PUT", "/prospects/status", { status: "REPLIED" }, 400, /email must be a non-empty string/);
      await bad(
        "PUT",
        "/prospects/status",
        { email: "nobody@example.com", status: "REPLIED" },
        404,
        /no prospect with that email/,
      );
      // The same email in two accounts: which one must be said.
      const theirs = await create({}, OTHER_KEY);
      await add(theirs.id, [{ email: "x@example.com" }], OTHER_KEY);
      await bad(
        "PUT",
        "/prospects/status",
        { email: "x@example.com", status: "REPLIED" },
        400,
        /2 accounts .*give account/,
      );
      const ok = await control("PUT", "/prospects/status", {
        email: "x@example.com",
        status: "REPLIED",
        account: "acct-2",
      });
      expect(ok.json.account).to.equal("acct-2");
      // Nothing changed by the refused requests.
      expect((await listed(c.id))[0].status).to.equal("ACTIVE");
    });

    it("removes a prospect from a campaign as the app does: the global record and other campaigns stay", async function () {
      const c = await create();
      const other = await create();
      const rows = (await add(c.id, [{ email: "a@example.com" }, { email: "b@example.com" }])).json.prospects;
      await add(other.id, [{ email: "a@example.com" }]);
      const del = await control("DELETE", `/campaigns/${c.id}/prospects/${rows[0].id}`);
      expect(del.status, del.text).to.equal(200);
      expect((await listed(c.id)).map((p: any) => p.id)).to.deep.equal([rows[1].id]);
      expect((await listed(other.id)).map((p: any) => p.id)).to.deep.equal([rows[0].id]);
      // Still in the account's database: a re-add enrolls the same prospect (same id, no DUPLICATE).
      const again = await add(c.id, [{ email: "a@example.com" }]);
      expect(again.json.prospects[0]).to.deep.equal({ email: "a@example.com", id: rows[0].id });

      const gone = await control("DELETE", `/campaigns/${c.id}/prospects/999`);
      expect(gone.status).to.equal(404);
      expect(gone.json.error).to.equal(`prospect 999 is not in campaign ${c.id}`);
      expect((await control("DELETE", `/campaigns/1/prospects/${rows[0].id}`)).status).to.equal(404);
      expect((await control("DELETE", `/campaigns/${c.id}/prospects/x`)).status).to.equal(400);
    });
  });
});
