/** Burki emulator contract: the schedule endpoints (reference/burki-api.md §4.10–4.12). */
import { expect } from "chai";
import { call, createCampaign, getCampaign, runningCampaign, useBurkiEmulator } from "./helpers";

const save = (id: number, json: unknown) => call("POST", `/api/v1/campaigns/${id}/schedule`, { json });
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");

describe("Burki emulator (contract): schedule", function () {
  this.timeout(10_000);
  useBurkiEmulator();

  it("recurring sets status scheduled and GET gives the record back as saved", async () => {
    const c = await createCampaign();
    const config = {
      frequency: "weekly",
      interval: 1,
      days_of_week: [1, 2, 3, 4, 5],
      time: "09:00",
      time_zone: "America/New_York",
      end_date: "2099-12-31",
    };
    const r = await save(c.id, { schedule_type: "recurring", recurring_config: config });
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.equal({ success: true, message: "Schedule saved" });
    expect((await getCampaign(c.id)).status).to.equal("scheduled");
    const got = await call("GET", `/api/v1/campaigns/${c.id}/schedule`);
    expect(got.body).to.deep.equal({
      schedule_type: "recurring",
      scheduled_at: null,
      recurring_config: config,
    });
  });

  it("immediate clears the schedule and reverts a scheduled campaign to draft; unschedule does too", async () => {
    const c = await createCampaign();
    await save(c.id, { schedule_type: "scheduled", scheduled_at: inAnHour() });
    expect((await getCampaign(c.id)).status).to.equal("scheduled");
    expect((await save(c.id, { schedule_type: "immediate" })).status).to.equal(200);
    expect((await getCampaign(c.id)).status).to.equal("draft");
    expect((await call("GET", `/api/v1/campaigns/${c.id}/schedule`)).body).to.deep.equal({
      schedule_type: "immediate",
      scheduled_at: null,
      recurring_config: null,
    });
    await save(c.id, { schedule_type: "scheduled", scheduled_at: inAnHour() });
    expect((await call("POST", `/api/v1/campaigns/${c.id}/unschedule`)).status).to.equal(200);
    expect((await getCampaign(c.id)).status).to.equal("draft");
  });

  it("reads a naive scheduled_at in the request's timezone (default UTC)", async () => {
    const c = await createCampaign();
    const utc = new Date(Date.now() + 86_400_000);
    utc.setUTCMinutes(0, 0, 0);
    const paris = utc.toLocaleString("sv-SE", { timeZone: "Europe/Paris" }).replace(" ", "T");
    await save(c.id, { schedule_type: "scheduled", scheduled_at: paris, timezone: "Europe/Paris" });
    const got = await call("GET", `/api/v1/campaigns/${c.id}/schedule`);
    expect(Date.parse(got.body.scheduled_at)).to.equal(utc.getTime());
    const asUtc = await createCampaign();
    await save(asUtc.id, { schedule_type: "scheduled", scheduled_at: utc.toISOString().slice(0, 19) });
    const gotUtc = await call("GET", `/api/v1/campaigns/${asUtc.id}/schedule`);
    expect(Date.parse(gotUtc.body.scheduled_at)).to.equal(utc.getTime());
  });

  it("400 on a past time, a bad zone, a bad recurring config; 422 without a body; 404 for no campaign", async () => {
    const c = await createCampaign();
    const past = await save(c.id, { schedule_type: "scheduled", scheduled_at: "2020-01-01T00:00:00Z" });
    expect(past.status).to.equal(400);
    expect(past.body).to.deep.equal({ detail: "Scheduled time is in the past" });
    const invalid = { status: 400, body: { detail: "Invalid schedule configuration" } };
    for (const body of [
      { schedule_type: "scheduled" },
      { schedule_type: "scheduled", scheduled_at: inAnHour(), timezone: "Mars/Olympus" },
      { schedule_type: "recurring" },
      { schedule_type: "recurring", recurring_config: { frequency: "hourly", time: "09:00" } },
      { schedule_type: "recurring", recurring_config: { frequency: "weekly", time: "9am" } },
      {
        schedule_type: "recurring",
        recurring_config: { frequency: "weekly", time: "09:00", days_of_week: [0] },
      },
      {
        schedule_type: "recurring",
        recurring_config: { frequency: "daily", time: "09:00", time_zone: "Nowhere" },
      },
      { schedule_type: "sometimes" },
    ]) {
      const r = await save(c.id, body);
      expect({ status: r.status, body: r.body }, JSON.stringify(body)).to.deep.equal(invalid);
    }
    expect((await getCampaign(c.id)).status).to.equal("draft");
    expect((await call("POST", `/api/v1/campaigns/${c.id}/schedule`)).status).to.equal(422);
    expect((await save(999_999, { schedule_type: "immediate" })).status).to.equal(404);
    expect((await call("GET", `/api/v1/campaigns/999999/schedule`)).status).to.equal(404);
  });

  it("refuses a schedule while running (emulator guess); a paused campaign may be scheduled", async () => {
    const id = await runningCampaign();
    const r = await save(id, { schedule_type: "scheduled", scheduled_at: inAnHour() });
    expect(r.status).to.equal(400);
    expect((await call("POST", `/api/v1/campaigns/${id}/pause`)).status).to.equal(200);
    const paused = id;
    expect((await getCampaign(paused)).status).to.equal("paused");
    expect((await save(paused, { schedule_type: "scheduled", scheduled_at: inAnHour() })).status).to.equal(
      200,
    );
    expect((await getCampaign(paused)).status).to.equal("scheduled");
  });
});
