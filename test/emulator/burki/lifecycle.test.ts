/** Burki emulator contract: lifecycle (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import {
  ISO_Z,
  call,
  campaignWithContacts,
  contactsOf,
  control,
  createCampaign,
  getCampaign,
  runningCampaign,
  sleep,
  waitForStatus,
  useBurkiEmulator,
} from "./helpers";

describe("Burki emulator (contract)", function () {
  this.timeout(10_000);
  useBurkiEmulator();

  describe("lifecycle", () => {
    it("refuses to start without contacts", async () => {
      const c = await createCampaign();
      const res = await call("POST", `/api/v1/campaigns/${c.id}/start`);
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ detail: "No contacts found" });
    });

    it("starts asynchronously: scheduled first, running after the delay", async () => {
      const id = await campaignWithContacts();
      const res = await call("POST", `/api/v1/campaigns/${id}/start`);
      expect(res.status).to.equal(200);
      expect(res.body).to.include({
        success: true,
        message: "Campaign execution started immediately",
        campaign_id: id,
        status: "scheduled",
      });
      expect(res.body.task_id).to.match(/^[0-9a-f-]{36}$/);
      expect((await getCampaign(id)).status).to.equal("scheduled");
      await waitForStatus(id, "running");
      const c = await getCampaign(id);
      expect(c.started_at).to.match(ISO_Z);
      const again = await call("POST", `/api/v1/campaigns/${id}/start`);
      expect(again.status).to.equal(400);
      expect(again.body).to.deep.equal({ detail: "Cannot start campaign - invalid status" });
    });

    it("pauses a running campaign and resumes it with start", async () => {
      const id = await runningCampaign();
      const pause = await call("POST", `/api/v1/campaigns/${id}/pause`);
      expect(pause.status).to.equal(200);
      expect(pause.body).to.deep.equal({ message: "Campaign paused successfully" });
      expect((await getCampaign(id)).status).to.equal("paused");
      const again = await call("POST", `/api/v1/campaigns/${id}/pause`);
      expect(again.status).to.equal(400);
      expect(again.body).to.deep.equal({ detail: "Campaign is not running" });
      expect((await call("POST", `/api/v1/campaigns/${id}/start`)).body.status).to.equal("scheduled");
      await waitForStatus(id, "running");
    });

    it("stops synchronously: cancelled, pending contacts cancelled, completed_at set", async () => {
      const id = await runningCampaign();
      const stop = await call("POST", `/api/v1/campaigns/${id}/stop`);
      expect(stop.status).to.equal(200);
      expect(stop.body).to.deep.equal({ message: "Campaign stopped successfully" });
      const c = await getCampaign(id);
      expect(c.status).to.equal("cancelled");
      expect(c.completed_at).to.match(ISO_Z);
      expect((await contactsOf(id)).map((k) => k.status)).to.deep.equal(["cancelled", "cancelled"]);
      const again = await call("POST", `/api/v1/campaigns/${id}/stop`);
      expect(again.status).to.equal(400);
      expect(again.body).to.deep.equal({ detail: "Campaign cannot be stopped (invalid status)" });
    });

    it("drops the pending running hop when the campaign is unscheduled or stopped first", async () => {
      await control("PUT", "/_emulator/config", { startDelayMs: 80 });
      const a = await campaignWithContacts();
      const b = await campaignWithContacts();
      await call("POST", `/api/v1/campaigns/${a}/start`);
      await call("POST", `/api/v1/campaigns/${b}/start`);
      const un = await call("POST", `/api/v1/campaigns/${a}/unschedule`);
      expect(un.status).to.equal(200);
      expect((await call("POST", `/api/v1/campaigns/${b}/stop`)).status).to.equal(200);
      await sleep(160);
      expect((await getCampaign(a)).status).to.equal("draft");
      expect((await getCampaign(b)).status).to.equal("cancelled");
      const notScheduled = await call("POST", `/api/v1/campaigns/${a}/unschedule`);
      expect(notScheduled.status).to.equal(400);
      expect(notScheduled.body).to.deep.equal({ detail: "Campaign is not scheduled" });
    });

    it("refuses to delete a running campaign; after stop, delete works once then 404", async () => {
      const id = await runningCampaign();
      const del = await call("DELETE", `/api/v1/campaigns/${id}`);
      expect(del.status).to.equal(400);
      expect(del.body).to.deep.equal({ detail: "Cannot delete running campaign - stop it first" });
      await call("POST", `/api/v1/campaigns/${id}/stop`);
      const ok = await call("DELETE", `/api/v1/campaigns/${id}`);
      expect(ok.status).to.equal(200);
      expect(ok.body).to.deep.equal({ message: "Campaign deleted successfully" });
      for (const method of ["GET", "DELETE"]) {
        const gone = await call(method, `/api/v1/campaigns/${id}`);
        expect(gone.status).to.equal(404);
        expect(gone.body).to.deep.equal({ detail: "Campaign not found" });
      }
    });

    it("deletes draft, paused and scheduled campaigns", async () => {
      for (const status of ["draft", "paused", "scheduled", "completed"]) {
        const c = await createCampaign();
        await control("POST", `/_emulator/campaigns/${c.id}/transition`, { status });
        expect((await call("DELETE", `/api/v1/campaigns/${c.id}`)).status, status).to.equal(200);
      }
    });

    it("re-executes a completed campaign back to draft", async () => {
      const id = await campaignWithContacts();
      const draft = await call("POST", `/api/v1/campaigns/${id}/re-execute`, {
        json: { contact_selection: "all" },
      });
      expect(draft.status).to.equal(400);
      expect(draft.body).to.deep.equal({ detail: "Campaign status doesn't allow re-execution" });
      await control("POST", `/_emulator/campaigns/${id}/transition`, { status: "completed" });
      const start = await call("POST", `/api/v1/campaigns/${id}/start`);
      expect(start.body).to.deep.equal({ detail: "All contacts have already been processed" });
      const none = await call("POST", `/api/v1/campaigns/${id}/re-execute`, {
        json: { contact_selection: "failed_only" },
      });
      expect(none.status).to.equal(400);
      expect(none.body).to.deep.equal({ detail: "No contacts match the selection criteria" });
      const res = await call("POST", `/api/v1/campaigns/${id}/re-execute`, {
        json: { contact_selection: "all" },
      });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({
        success: true,
        message: "Campaign ready for re-execution with 2 contacts",
        campaign_id: id,
        contacts_reset: 2,
        schedule_type: "immediate",
        status: "draft",
      });
      const c = await getCampaign(id);
      expect(c).to.include({ status: "draft", completed_contacts: 0, total_contacts: 2 });
      expect((await contactsOf(id)).map((k) => k.status)).to.deep.equal(["pending", "pending"]);
      const missingBody = await call("POST", `/api/v1/campaigns/${id}/re-execute`);
      expect(missingBody.status).to.equal(422);
    });

    it("saves schedules: scheduled sets status scheduled, immediate reverts to draft, past is 400", async () => {
      const c = await createCampaign();
      const initial = await call("GET", `/api/v1/campaigns/${c.id}/schedule`);
      expect(initial.body).to.deep.equal({
        schedule_type: "immediate",
        scheduled_at: null,
        recurring_config: null,
      });
      const future = new Date(Date.now() + 86_400_000).toISOString();
      const save = await call("POST", `/api/v1/campaigns/${c.id}/schedule`, {
        json: { schedule_type: "scheduled", scheduled_at: future, timezone: "UTC" },
      });
      expect(save.status).to.equal(200);
      expect(save.body).to.deep.equal({ success: true, message: "Schedule saved" });
      expect((await getCampaign(c.id)).status).to.equal("scheduled");
      const got = await call("GET", `/api/v1/campaigns/${c.id}/schedule`);
      expect(got.body.schedule_type).to.equal("scheduled");
      expect(Date.parse(got.body.scheduled_at)).to.equal(Date.parse(future));
      await call("POST", `/api/v1/campaigns/${c.id}/schedule`, { json: { schedule_type: "immediate" } });
      expect((await getCampaign(c.id)).status).to.equal("draft");
      const past = await call("POST", `/api/v1/campaigns/${c.id}/schedule`, {
        json: { schedule_type: "scheduled", scheduled_at: "2020-01-01T00:00:00Z" },
      });
      expect(past.status).to.equal(400);
      expect(past.body).to.deep.equal({ detail: "Scheduled time is in the past" });
    });

    it("reports progress and executions", async () => {
      const id = await campaignWithContacts();
      const before = await call("GET", `/api/v1/campaigns/${id}/progress`);
      expect(before.body).to.include({ campaign_id: id, status: "draft" });
      expect(before.body.progress).to.include({ total_contacts: 2, pending: 2, completed: 0 });
      await control("POST", `/_emulator/campaigns/${id}/transition`, { status: "completed" });
      const after = await call("GET", `/api/v1/campaigns/${id}/progress`);
      expect(after.body.progress).to.include({ completed: 2, pending: 0, progress_percentage: 100 });
      const ex = await call("GET", `/api/v1/campaigns/${id}/executions`);
      expect(ex.status).to.equal(200);
      expect(ex.body.executions).to.have.length(2);
      expect(ex.body.executions[0].execution_id).to.equal(ex.body.executions[0].id);
      expect(ex.body.pagination.total_items).to.equal(2);
      expect((await getCampaign(id)).completed_contacts).to.equal(2);
    });
  });
});
