/**
 * Protocol layer: `burki.Campaign`'s `schedule` through the SDK's dynamic-provider host against the
 * Burki emulator — a scheduled campaign's round trip, asserted from the emulator's request log.
 */
import { expect } from "chai";
import * as path from "node:path";
import { BURKI_EMULATOR_API_KEY, BurkiEmulator } from "../../provider/emulators/burki";
import {
  CREDENTIAL_ENV,
  campaignConfig,
  checkAndCreate,
  installedProviderText,
} from "../helpers/campaign-host";
import { EmulatorControl } from "../helpers/control";
import { ProviderHost, UNKNOWN, rpcFailure, type Props } from "../helpers/provider-host";

const ROOT = path.resolve(__dirname, "../..");
const TYPE = "pulumi-nodejs:dynamic/burki:Campaign";
const contacts = [
  { phoneNumber: "+15551230001", name: "Ann" },
  { phoneNumber: "+15551230002", name: "Bob" },
];
/** An hour from now, whole seconds, UTC. */
const future = (ms = 3_600_000) =>
  new Date(Math.floor((Date.now() + ms) / 1000) * 1000).toISOString().replace(/\.000Z$/, "Z");

describe("protocol: burki.Campaign schedule through the SDK's dynamic-provider host", function () {
  this.timeout(60_000);
  let emulator: BurkiEmulator;
  let control: EmulatorControl;
  let host: ProviderHost;
  let providerText: string;

  const inputs = (over: Props = {}): Props => ({
    name: "renewals",
    campaignType: "call",
    assistantId: 7,
    contacts,
    state: "running",
    ...over,
    __provider: providerText,
  });

  /** POST /schedule as someone in Burki's app would. */
  const scheduleOutside = async (id: string, body: unknown) => {
    const r = await fetch(`${emulator.baseUrl}/api/v1/campaigns/${id}/schedule`, {
      method: "POST",
      headers: { authorization: `Bearer ${BURKI_EMULATOR_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(r.status).to.equal(200);
  };

  before(async () => {
    emulator = new BurkiEmulator({ startDelayMs: 50, importDelayMs: 10 });
    await emulator.start();
    control = new EmulatorControl(emulator.origin);
    providerText = await installedProviderText("burki");
    host = await ProviderHost.start({ cwd: ROOT, env: CREDENTIAL_ENV });
    await host.configure(
      campaignConfig({ burki: { baseUrl: emulator.baseUrl }, settings: { "burki:stopTimeoutSeconds": "3" } }),
    );
  });

  after(async () => {
    await host?.close();
    await emulator?.stop();
  });

  beforeEach(async () => {
    await control.clearRequests();
  });

  it("check: a past time, a recurring config without its fields and a bad zone fail with their paths", async () => {
    const urn = host.urnOf(TYPE, "bad-schedule");
    const past = await host.check(
      urn,
      {},
      inputs({ schedule: { type: "scheduled", at: "2020-01-01T09:00:00Z" } }),
    );
    expect(past.failures.map((f) => f.property)).to.deep.equal(["schedule.at"]);
    expect(past.failures[0].reason).to.match(/in the past/);

    const recurring = await host.check(
      urn,
      {},
      inputs({
        schedule: { type: "recurring", timezone: "Mars/Olympus", recurring: { frequency: "weekly" } },
      }),
    );
    expect(recurring.failures.map((f) => f.property).sort()).to.deep.equal([
      "schedule.recurring.time",
      "schedule.timezone",
    ]);
    const weekly = await host.check(
      urn,
      {},
      inputs({
        schedule: {
          type: "recurring",
          recurring: { frequency: "weekly", time: "09:00", timeZone: "Nowhere/City" },
        },
      }),
    );
    expect(weekly.failures.map((f) => f.property).sort()).to.deep.equal([
      "schedule.recurring.daysOfWeek",
      "schedule.recurring.timeZone",
    ]);
    const noDays = await host.check(
      urn,
      {},
      inputs({ schedule: { type: "recurring", recurring: { frequency: "weekly", time: "09:00" } } }),
    );
    expect(noDays.failures.map((f) => f.property)).to.deep.equal(["schedule.recurring.daysOfWeek"]);
    const contradiction = await host.check(
      urn,
      {},
      inputs({ state: "draft", schedule: { type: "scheduled", at: future() } }),
    );
    expect(contradiction.failures.map((f) => f.property)).to.deep.equal(["state"]);
    expect(await control.requests()).to.deep.equal([]);
  });

  it("preview: an unknown schedule is not a failure and shows a change (diff never throws)", async () => {
    const urn = host.urnOf(TYPE, "preview");
    const chk = await host.check(urn, {}, inputs({ schedule: { type: "scheduled", at: UNKNOWN } }));
    expect(chk.failures).to.deep.equal([]);
    expect(chk.inputs.schedule).to.deep.equal({ type: "scheduled", at: UNKNOWN, timezone: "UTC" });
    const olds = {
      ...inputs({ schedule: { type: "scheduled", at: future(), timezone: "UTC" } }),
      campaignId: 1,
      status: "scheduled",
    };
    expect((await host.diff(urn, "1", olds, chk.inputs)).changes).to.equal("DIFF_SOME");
    const whole = await host.check(urn, {}, inputs({ schedule: UNKNOWN }));
    expect(whole.failures).to.deep.equal([]);
    expect((await host.diff(urn, "1", olds, whole.inputs)).changes).to.equal("DIFF_SOME");
    expect(await control.requests()).to.deep.equal([]);
  });

  it("round trip: create scheduled → no drift → outside change shows → edit keeps the schedule → destroy stops then deletes", async () => {
    const at = future();
    // A time without an offset, in Paris: sent to Burki as the UTC instant.
    const parisAt = new Date(Date.parse(at) + 3_600_000)
      .toLocaleString("sv-SE", { timeZone: "Europe/Paris" })
      .replace(" ", "T");
    const schedule = { type: "scheduled", at: parisAt, timezone: "Europe/Paris" };
    const c = await checkAndCreate(host, TYPE, "scheduled", inputs({ schedule }));
    const id = c.id;
    const laterUtc = new Date(Date.parse(at) + 3_600_000).toISOString().replace(/\.000Z$/, "Z");
    expect(c.outs).to.include({ status: "scheduled", state: "running" });
    expect(c.outs.schedule).to.deep.equal(schedule);
    const created = await control.requests();
    expect(
      created.map((r) => `${r.method} ${r.path} ${r.status}`).filter((l) => !l.startsWith("GET")),
    ).to.deep.equal([
      "POST /api/v1/campaigns/ 200",
      `POST /api/v1/campaigns/${id}/import-data 202`,
      `POST /api/v1/campaigns/${id}/schedule 200`,
    ]);
    // Declared running + a future schedule: satisfied by scheduled, so no /start.
    expect((await control.campaign(id)).schedule).to.include({
      schedule_type: "scheduled",
      scheduled_at: laterUtc,
    });

    // Refresh: one GET of the campaign and one of its schedule; no drift.
    await control.clearRequests();
    const r = await host.read(c.urn, id, c.outs, c.inputs);
    expect(await control.requestLines()).to.deep.equal([
      `GET /api/v1/campaigns/${id} 200`,
      `GET /api/v1/campaigns/${id}/schedule 200`,
    ]);
    expect(r.inputs!.schedule).to.deep.equal(schedule);
    expect((await host.diff(c.urn, id, r.outs, c.inputs)).changes).to.equal("DIFF_NONE");

    // Someone moves the schedule in Burki's app: the refresh shows it, and an up puts it back.
    const moved = future(7_200_000 + 3_600_000);
    await scheduleOutside(id, { schedule_type: "scheduled", scheduled_at: moved });
    const drift = await host.read(c.urn, id, r.outs, r.inputs);
    expect(drift.outs.schedule).to.deep.equal({ type: "scheduled", at: moved, timezone: "Europe/Paris" });
    expect((await host.diff(c.urn, id, drift.outs, c.inputs)).changes).to.equal("DIFF_SOME");
    await control.clearRequests();
    const back = await host.update(c.urn, id, drift.outs, c.inputs, drift.inputs);
    expect(back.outs).to.include({ status: "scheduled" });
    expect(await control.writeLines()).to.deep.equal([
      `POST /api/v1/campaigns/${id}/unschedule 200`,
      `POST /api/v1/campaigns/${id}/schedule 200`,
    ]);
    expect((await control.campaign(id)).schedule.scheduled_at).to.equal(laterUtc);

    // An edit while scheduled: unschedule → PUT → the same schedule again.
    await control.clearRequests();
    const edited = (await host.check(c.urn, c.inputs, inputs({ schedule, maxAttempts: 5 }))).inputs;
    expect((await host.diff(c.urn, id, back.outs, edited)).changes).to.equal("DIFF_SOME");
    const u = await host.update(c.urn, id, back.outs, edited, c.inputs);
    expect(u.outs).to.include({ status: "scheduled", maxAttempts: 5 });
    expect(await control.writeLines()).to.deep.equal([
      `POST /api/v1/campaigns/${id}/unschedule 200`,
      `PUT /api/v1/campaigns/${id} 200`,
      `POST /api/v1/campaigns/${id}/schedule 200`,
    ]);
    const kept = (await control.campaign(id)).schedule;
    expect(kept).to.include({ schedule_type: "scheduled", scheduled_at: laterUtc, timezone: "Europe/Paris" });

    // A schedule change alone is an in-place update: POST /schedule, nothing else.
    await control.clearRequests();
    const weekly = {
      type: "recurring",
      recurring: { frequency: "weekly", daysOfWeek: [5, 1], time: "09:30", timeZone: "America/New_York" },
    };
    const news = (await host.check(c.urn, edited, inputs({ schedule: weekly, maxAttempts: 5 }))).inputs;
    expect(news.schedule).to.deep.equal({
      ...weekly,
      timezone: "UTC",
      recurring: { ...weekly.recurring, interval: 1 },
    });
    const d = await host.diff(c.urn, id, u.outs, news);
    expect(d).to.include({ changes: "DIFF_SOME" });
    expect(d.replaces).to.deep.equal([]);
    const w = await host.update(c.urn, id, u.outs, news, edited);
    expect(await control.writeLines()).to.deep.equal([
      `POST /api/v1/campaigns/${id}/unschedule 200`,
      `POST /api/v1/campaigns/${id}/schedule 200`,
    ]);
    expect((await control.campaign(id)).schedule.recurring_config).to.deep.equal({
      frequency: "weekly",
      interval: 1,
      days_of_week: [1, 5],
      time: "09:30",
      time_zone: "America/New_York",
    });
    const rw = await host.read(c.urn, id, w.outs, news);
    expect((await host.diff(c.urn, id, rw.outs, news)).changes).to.equal("DIFF_NONE");

    // Destroy a scheduled campaign: stop, then delete.
    await control.clearRequests();
    await host.delete(c.urn, id, rw.outs, news);
    expect(await control.requestLines()).to.deep.equal([
      `GET /api/v1/campaigns/${id} 200`,
      `POST /api/v1/campaigns/${id}/stop 200`,
      `GET /api/v1/campaigns/${id} 200`,
      `DELETE /api/v1/campaigns/${id} 200`,
    ]);
    expect(await control.campaign(id)).to.equal(undefined);
  });

  it("once its time has passed, an applied one-shot schedule is history: check, refresh and diff stay quiet", async () => {
    const schedule = { type: "scheduled", at: future(1_500), timezone: "UTC" };
    const c = await checkAndCreate(host, TYPE, "spent", inputs({ schedule }));
    expect(c.outs).to.include({ status: "scheduled" });
    await new Promise((res) => setTimeout(res, 1_700));
    // Burki's worker ran it at its time (the emulator leaves that to the test).
    await control.transition(c.id, "running");

    const again = await host.check(c.urn, c.inputs, inputs({ schedule }));
    expect(again.failures).to.deep.equal([]);
    await control.clearRequests();
    const r = await host.read(c.urn, c.id, c.outs, c.inputs);
    expect(await control.requestLines()).to.deep.equal([`GET /api/v1/campaigns/${c.id} 200`]);
    expect(r.inputs!.schedule).to.deep.equal(schedule);
    expect((await host.diff(c.urn, c.id, r.outs, again.inputs)).changes).to.equal("DIFF_NONE");
    // An up with an unrelated change does not send the spent schedule again.
    const described = (
      await host.check(c.urn, c.inputs, inputs({ schedule, description: "renewals, wave 1" }))
    ).inputs;
    const u = await host.update(c.urn, c.id, r.outs, described, r.inputs);
    expect(u.outs).to.include({ status: "running", description: "renewals, wave 1" });
    expect(u.outs.schedule).to.deep.equal(schedule);
    expect(await control.writeLines()).to.deep.equal([
      `POST /api/v1/campaigns/${c.id}/pause 200`,
      `PUT /api/v1/campaigns/${c.id} 200`,
      `POST /api/v1/campaigns/${c.id}/start 200`,
    ]);
    // Pausing it now is fine too: the spent schedule no longer contradicts a paused state.
    expect((await host.check(c.urn, c.inputs, inputs({ schedule, state: "paused" }))).failures).to.deep.equal(
      [],
    );

    // A different time in the past is new, and refused.
    const moved = await host.check(
      c.urn,
      c.inputs,
      inputs({ schedule: { ...schedule, at: "2021-06-01T09:00:00Z" } }),
    );
    expect(moved.failures.map((f) => f.property)).to.deep.equal(["schedule.at"]);
    await control.deleteOutside(c.id);
  });

  it("an edit that fails after unscheduling records Burki's schedule, so the next up restores it", async () => {
    const schedule = { type: "scheduled", at: future(), timezone: "UTC" };
    const c = await checkAndCreate(host, TYPE, "edit-fails", inputs({ schedule }));
    expect(c.outs).to.include({ status: "scheduled" });
    const news = (await host.check(c.urn, c.inputs, inputs({ schedule, maxAttempts: 4 }))).inputs;
    await control.setFaults({ rate500: 1, match: "^PUT " });
    const e = await rpcFailure(host.update(c.urn, c.id, c.outs, news, c.inputs));
    await control.clearFaults();
    expect(e.details).to.include(`Burki campaign ${c.id} ("renewals") exists but was not fully configured`);
    const outs = e.initFailed!.properties;
    expect(outs).to.include({ status: "draft" });
    expect(outs.schedule).to.deep.equal({ type: "immediate", timezone: "UTC" });
    expect((await host.diff(c.urn, c.id, outs, news)).changes).to.equal("DIFF_SOME");
    await control.clearRequests();
    const u = await host.update(c.urn, c.id, outs, news, c.inputs);
    expect(u.outs).to.include({ status: "scheduled", maxAttempts: 4 });
    expect(u.outs.schedule).to.deep.equal(schedule);
    expect(await control.writeLines()).to.deep.equal([
      `PUT /api/v1/campaigns/${c.id} 200`,
      `POST /api/v1/campaigns/${c.id}/schedule 200`,
    ]);
    await control.deleteOutside(c.id);
  });

  it("unmanaged schedule: one GET per refresh, as before", async () => {
    const c = await checkAndCreate(host, TYPE, "unmanaged", inputs({ state: "draft" }));
    await control.clearRequests();
    const r = await host.read(c.urn, c.id, c.outs, c.inputs);
    expect(await control.requestLines()).to.deep.equal([`GET /api/v1/campaigns/${c.id} 200`]);
    expect(r.outs.schedule).to.equal(undefined);
    await control.deleteOutside(c.id);
  });
});
