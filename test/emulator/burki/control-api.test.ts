/** Burki emulator contract: control API (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import {
  ISO_Z,
  type Json,
  ORG2_KEY,
  call,
  campaignWithContacts,
  control,
  createCampaign,
  getCampaign,
  runningCampaign,
  useBurkiEmulator,
} from "./helpers";

describe("Burki emulator (contract)", function () {
  this.timeout(10_000);
  useBurkiEmulator();

  describe("control API", () => {
    it("lists every organisation's campaigns with their contacts", async () => {
      await campaignWithContacts();
      await createCampaign({ name: "Theirs" }, ORG2_KEY);
      const res = await control("GET", "/_emulator/campaigns");
      expect(res.status).to.equal(200);
      expect(res.body.campaigns.map((c: Json) => [c.name, c.organization, c.contacts.length])).to.deep.equal([
        ["Spring outreach", "org-1", 2],
        ["Theirs", "org-2", 0],
      ]);
      const one = await control("GET", "/_emulator/campaigns/1");
      expect(one.body).to.include({ id: 1, organization: "org-1", assistant_name: "Assistant 12" });
      expect((await control("GET", "/_emulator/campaigns/99")).status).to.equal(404);
    });

    it("edits a campaign outside Pulumi in any status and bumps updated_at", async () => {
      const id = await runningCampaign();
      const before = await getCampaign(id);
      const res = await control("PATCH", `/_emulator/campaigns/${id}`, {
        name: "Edited in the dashboard",
        max_attempts: 7,
        fallback_values: { company: "ACME" },
        campaign_type: "sms",
      });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ name: "Edited in the dashboard", status: "running" });
      const after = await getCampaign(id);
      expect(after).to.include({ name: "Edited in the dashboard", max_attempts: 7, campaign_type: "sms" });
      expect(after.fallback_values).to.deep.equal({ company: "ACME" });
      expect(after.updated_at > before.updated_at).to.equal(true);
      const bad = await control("PATCH", `/_emulator/campaigns/${id}`, { status: "draft" });
      expect(bad.status).to.equal(400);
    });

    it("deletes a campaign outside Pulumi in any status", async () => {
      const id = await runningCampaign();
      expect((await control("DELETE", `/_emulator/campaigns/${id}`)).status).to.equal(200);
      expect((await call("GET", `/api/v1/campaigns/${id}`)).status).to.equal(404);
    });

    it("forces transitions and validates the target status", async () => {
      const c = await createCampaign();
      const res = await control("POST", `/_emulator/campaigns/${c.id}/transition`, { status: "running" });
      expect(res.status).to.equal(200);
      expect(res.body.status).to.equal("running");
      expect(res.body.started_at).to.match(ISO_Z);
      const failed = await control("POST", `/_emulator/campaigns/${c.id}/transition`, { status: "failed" });
      expect(failed.body.status).to.equal("failed");
      expect(
        (await control("POST", `/_emulator/campaigns/${c.id}/transition`, { status: "done" })).status,
      ).to.equal(400);
    });

    it("logs API requests in order with method, path and status", async () => {
      await control("DELETE", "/_emulator/requests");
      const c = await createCampaign();
      await call("GET", `/api/v1/campaigns/${c.id}`);
      await call("GET", "/api/v1/campaigns/999");
      await call("GET", "/api/v1/campaigns", { key: null });
      const log = await control("GET", "/_emulator/requests");
      expect(log.body.requests.map((r: Json) => [r.method, r.path, r.status])).to.deep.equal([
        ["POST", "/api/v1/campaigns/", 200],
        ["GET", `/api/v1/campaigns/${c.id}`, 200],
        ["GET", "/api/v1/campaigns/999", 404],
        ["GET", "/api/v1/campaigns", 307],
      ]);
    });

    it("injects 500s with a fault profile and recovers when it is cleared", async () => {
      await control("PUT", "/_emulator/faults", { rate500: 1 });
      const res = await call("GET", "/api/v1/campaigns/");
      expect(res.status).to.equal(500);
      expect(res.body).to.deep.equal({ detail: "Internal Server Error" });
      await control("DELETE", "/_emulator/faults");
      expect((await call("GET", "/api/v1/campaigns/")).status).to.equal(200);
    });

    it("returns and updates the timing config", async () => {
      const res = await control("PUT", "/_emulator/config", { startDelayMs: 5, crossOrgStatus: 403 });
      expect(res.body).to.deep.equal({ startDelayMs: 5, importDelayMs: 10, crossOrgStatus: 403 });
      expect((await control("PUT", "/_emulator/config", { crossOrgStatus: 500 })).status).to.equal(400);
    });

    it("reset deletes all data and restarts ids", async () => {
      await createCampaign();
      await control("POST", "/_emulator/reset");
      expect((await call("GET", "/api/v1/campaigns/")).body.campaigns).to.deep.equal([]);
      expect((await createCampaign()).id).to.equal(1);
    });
  });
});
