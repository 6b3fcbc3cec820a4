/** Burki emulator contract: get and list (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import { type Json, ORG2_KEY, call, control, createCampaign, getCampaign, useBurkiEmulator } from "./helpers";

describe("Burki emulator (contract)", function () {
  this.timeout(10_000);
  useBurkiEmulator();

  describe("get and list", () => {
    it("returns the full campaign object with assistant_name", async () => {
      const created = await createCampaign({
        description: "desc",
        fallback_values: { name: "there" },
        welcome_message_template: "Hi {{name}}",
      });
      const c = await getCampaign(created.id);
      expect(Object.keys(c)).to.include.members([
        "id",
        "name",
        "description",
        "campaign_type",
        "status",
        "assistant_id",
        "assistant_name",
        "welcome_message_template",
        "agenda_template",
        "end_call_message_template",
        "sms_message_template",
        "fallback_values",
        "variable_mappings",
        "available_variables",
        "max_attempts",
        "retry_delay_minutes",
        "total_contacts",
        "completed_contacts",
        "failed_contacts",
        "created_at",
        "updated_at",
        "last_import_file_name",
        "last_import_date",
        "last_import_row_count",
        "started_at",
        "completed_at",
      ]);
      expect(c.assistant_name).to.equal("Assistant 12");
      expect(c.fallback_values).to.deep.equal({ name: "there" });
      expect(c.welcome_message_template).to.equal("Hi {{name}}");
    });

    it("answers 404 for an unknown campaign and hides other organisations' campaigns", async () => {
      const missing = await call("GET", "/api/v1/campaigns/999");
      expect(missing.status).to.equal(404);
      expect(missing.body).to.deep.equal({ detail: "Campaign not found" });
      const theirs = await createCampaign({}, ORG2_KEY);
      const cross = await call("GET", `/api/v1/campaigns/${theirs.id}`);
      expect(cross.status).to.equal(404);
      expect(cross.body).to.deep.equal({ detail: "Campaign not found" });
      await control("PUT", "/_emulator/config", { crossOrgStatus: 403 });
      const forbidden = await call("DELETE", `/api/v1/campaigns/${theirs.id}`);
      expect(forbidden.status).to.equal(403);
      expect(forbidden.body).to.deep.equal({
        detail: "Forbidden - campaign belongs to different organization",
      });
      expect((await call("GET", "/api/v1/campaigns/", { key: ORG2_KEY })).body.campaigns).to.have.length(1);
    });

    it("paginates newest first with the page envelope", async () => {
      for (let i = 1; i <= 5; i++) await createCampaign({ name: `C${i}` });
      await createCampaign({ name: "Other org" }, ORG2_KEY);
      const res = await call("GET", "/api/v1/campaigns/?page=2&per_page=2");
      expect(res.status).to.equal(200);
      expect(res.body.campaigns.map((c: Json) => c.name)).to.deep.equal(["C3", "C2"]);
      expect(res.body.pagination).to.deep.equal({
        page: 2,
        per_page: 2,
        total_items: 5,
        total_pages: 3,
        has_next: true,
        has_prev: true,
      });
      const item = res.body.campaigns[0];
      expect(item).to.include.keys(
        "assistant_name",
        "metrics",
        "started_at",
        "completed_at",
        "total_contacts",
      );
      expect(item).not.to.have.property("welcome_message_template");
      const def = await call("GET", "/api/v1/campaigns/");
      expect(def.body.pagination).to.include({ page: 1, per_page: 50, total_items: 5, has_next: false });
    });

    it("filters by status, campaign_type, assistant_id and search", async () => {
      await createCampaign({ name: "Dental reminders", campaign_type: "call", assistant_id: 1 });
      await createCampaign({
        name: "Promo",
        description: "DENTAL promo",
        campaign_type: "sms",
        assistant_id: 2,
      });
      const third = await createCampaign({ name: "Survey", campaign_type: "call", assistant_id: 2 });
      await control("POST", `/_emulator/campaigns/${third.id}/transition`, { status: "paused" });
      const names = async (q: string) =>
        (await call("GET", `/api/v1/campaigns/${q}`)).body.campaigns.map((c: Json) => c.name);
      expect(await names("?status=paused")).to.deep.equal(["Survey"]);
      expect(await names("?campaign_type=sms")).to.deep.equal(["Promo"]);
      expect(await names("?assistant_id=2")).to.deep.equal(["Survey", "Promo"]);
      expect(await names("?search=dental")).to.deep.equal(["Promo", "Dental reminders"]);
    });

    it("rejects out-of-range pagination with 422 on the query parameter", async () => {
      for (const q of ["per_page=0", "per_page=1001", "page=0"]) {
        const res = await call("GET", `/api/v1/campaigns/?${q}`);
        expect(res.status, q).to.equal(422);
        expect(res.body.detail[0].loc).to.deep.equal(["query", q.split("=")[0]]);
      }
      const res = await call("GET", "/api/v1/campaigns/?per_page=1001");
      expect(res.body.detail[0]).to.include({ type: "less_than_equal", input: "1001" });
    });
  });
});
