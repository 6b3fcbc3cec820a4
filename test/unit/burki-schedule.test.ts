/** `burki.Campaign` `schedule`: schema, check rules, mapping to Burki's record, and the plan. */
import { expect } from "chai";
import { planDiff } from "../../provider/burki/plan";
import {
  fromScheduleBody,
  instantOf,
  isSpent,
  sameSchedule,
  scheduleTimeRule,
  toScheduleBody,
} from "../../provider/burki/schedule";
import { burkiCampaignSchema, checkBurkiCampaignInputs } from "../../provider/burki/schema";
import type { BurkiCampaignOutputs, BurkiSchedule } from "../../provider/burki/types";
import { UNKNOWN, validate } from "../../provider/core/validation";

const base = { name: "renewals", campaignType: "call", assistantId: 7 };
const hourAhead = () => new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");

function failuresOf(input: Record<string, unknown>) {
  const r = validate(burkiCampaignSchema(), input);
  return r.ok ? [] : r.failures;
}
const paths = (input: Record<string, unknown>) =>
  failuresOf(input)
    .map((f) => f.property)
    .sort();

describe("burki schedule: schema and rules", () => {
  it("fills timezone UTC, interval 1, and a recurring timeZone from timezone", () => {
    const r = checkBurkiCampaignInputs({
      ...base,
      schedule: {
        type: "recurring",
        timezone: "Europe/Paris",
        recurring: { frequency: "daily", time: "08:00" },
      },
    });
    expect(r.ok && r.inputs.schedule).to.deep.equal({
      type: "recurring",
      timezone: "Europe/Paris",
      recurring: { frequency: "daily", time: "08:00", interval: 1, timeZone: "Europe/Paris" },
    });
    const once = checkBurkiCampaignInputs({ ...base, schedule: { type: "scheduled", at: hourAhead() } });
    expect(once.ok && once.inputs.schedule).to.include({ type: "scheduled", timezone: "UTC" });
  });

  it("names the path of each mistake", () => {
    expect(paths({ ...base, schedule: { type: "scheduled" } })).to.deep.equal(["schedule.at"]);
    expect(paths({ ...base, schedule: { type: "immediate", at: hourAhead() } })).to.deep.equal([
      "schedule.at",
    ]);
    expect(paths({ ...base, schedule: { type: "scheduled", at: "tomorrow 9am" } })).to.deep.equal([
      "schedule.at",
    ]);
    expect(paths({ ...base, schedule: { type: "scheduled", at: "2026-02-30T09:00:00Z" } })).to.deep.equal([
      "schedule.at",
    ]);
    expect(paths({ ...base, schedule: { type: "recurring" } })).to.deep.equal(["schedule.recurring"]);
    expect(
      paths({ ...base, schedule: { type: "recurring", recurring: { frequency: "daily" } } }),
    ).to.deep.equal(["schedule.recurring.time"]);
    expect(
      paths({ ...base, schedule: { type: "recurring", recurring: { frequency: "monthly", time: "25:00" } } }),
    ).to.deep.equal(["schedule.recurring.dayOfMonth", "schedule.recurring.time"]);
    expect(
      paths({
        ...base,
        schedule: { type: "recurring", recurring: { frequency: "daily", time: "09:00", daysOfWeek: [1] } },
      }),
    ).to.deep.equal(["schedule.recurring.daysOfWeek"]);
    expect(
      paths({
        ...base,
        schedule: {
          type: "recurring",
          recurring: { frequency: "weekly", time: "09:00", daysOfWeek: [1, 1, 8] },
        },
      }),
    ).to.deep.equal(["schedule.recurring.daysOfWeek", "schedule.recurring.daysOfWeek[2]"]);
    expect(
      paths({ ...base, schedule: { type: "scheduled", at: hourAhead(), timezone: "Europe/Pariss" } }),
    ).to.deep.equal(["schedule.timezone"]);
    expect(
      paths({
        ...base,
        schedule: { type: "scheduled", at: hourAhead(), recurring: { frequency: "daily", time: "09:00" } },
      }),
    ).to.deep.equal(["schedule.recurring"]);
    expect(paths({ ...base, schedule: { type: "scheduled", at: hourAhead(), when: "now" } })).to.deep.equal([
      "schedule",
    ]);
    expect(
      paths({ ...base, state: "paused", schedule: { type: "scheduled", at: hourAhead() } }),
    ).to.deep.equal(["state"]);
    expect(
      paths({
        ...base,
        state: "running",
        contacts: [{ phoneNumber: "+15551230001" }],
        schedule: { type: "scheduled", at: hourAhead() },
      }),
    ).to.deep.equal([]);
  });

  it("a time in the past is refused when new, not when it is the one already in state", () => {
    const past: BurkiSchedule = { type: "scheduled", at: "2021-03-01T09:00:00", timezone: "Europe/Paris" };
    expect(scheduleTimeRule({}, { schedule: past })).to.include({ property: "schedule.at" });
    // The same instant, spelt another way, is the same schedule.
    expect(
      scheduleTimeRule({ schedule: { ...past, at: "2021-03-01T08:00:00Z" } }, { schedule: past }),
    ).to.equal(undefined);
    expect(
      scheduleTimeRule({ schedule: { ...past, at: "2021-03-02T09:00:00" } }, { schedule: past }),
    ).to.include({
      property: "schedule.at",
    });
    expect(
      scheduleTimeRule({}, { schedule: { type: "scheduled", at: hourAhead(), timezone: "UTC" } }),
    ).to.equal(undefined);
    const ended: BurkiSchedule = {
      type: "recurring",
      timezone: "UTC",
      recurring: { frequency: "daily", time: "09:00", endDate: "2021-01-01" },
    };
    expect(scheduleTimeRule({}, { schedule: ended })).to.include({ property: "schedule.recurring.endDate" });
    expect(scheduleTimeRule({ schedule: ended }, { schedule: ended })).to.equal(undefined);
    expect(scheduleTimeRule({}, { schedule: { type: "scheduled", at: UNKNOWN } as BurkiSchedule })).to.equal(
      undefined,
    );
  });

  it("a spent one-shot schedule no longer contradicts a paused or draft state", () => {
    const spent = { type: "scheduled", at: "2021-03-01T09:00:00Z" };
    expect(paths({ ...base, state: "paused", schedule: spent })).to.deep.equal([]);
    expect(isSpent({ ...spent, type: "scheduled" })).to.equal(true);
    expect(isSpent({ type: "scheduled", at: hourAhead() })).to.equal(false);
    expect(isSpent({ type: "recurring", at: "2021-03-01T09:00:00Z" })).to.equal(false);
  });
});

describe("burki schedule: mapping", () => {
  it("reads a time without an offset in its timezone, across daylight saving", () => {
    expect(new Date(instantOf("2026-07-01T09:00", "Europe/Paris")).toISOString()).to.equal(
      "2026-07-01T07:00:00.000Z",
    );
    expect(new Date(instantOf("2026-12-01T09:00", "Europe/Paris")).toISOString()).to.equal(
      "2026-12-01T08:00:00.000Z",
    );
    expect(new Date(instantOf("2026-12-01T09:00-05:00", "Europe/Paris")).toISOString()).to.equal(
      "2026-12-01T14:00:00.000Z",
    );
    expect(Number.isNaN(instantOf("2026-12-01T09:00", "Not/AZone"))).to.equal(true);
  });

  it("sends at as a UTC instant and the recurring config in Burki's spelling; reads it back the same", () => {
    const s: BurkiSchedule = {
      type: "recurring",
      at: "2026-12-01T09:00",
      timezone: "America/New_York",
      recurring: {
        frequency: "weekly",
        interval: 2,
        daysOfWeek: [5, 1],
        time: "09:30",
        timeZone: "America/New_York",
        endDate: "2027-06-30",
      },
    };
    const body = toScheduleBody(s);
    expect(body).to.deep.equal({
      schedule_type: "recurring",
      timezone: "America/New_York",
      scheduled_at: "2026-12-01T14:00:00Z",
      recurring_config: {
        frequency: "weekly",
        interval: 2,
        days_of_week: [1, 5],
        time: "09:30",
        time_zone: "America/New_York",
        end_date: "2027-06-30",
      },
    });
    const { timezone: _tz, ...record } = body; // GET does not send timezone back
    const back = fromScheduleBody(record, s);
    expect(sameSchedule(back, s)).to.equal(true);
    expect(toScheduleBody({ type: "immediate", timezone: "UTC" })).to.deep.equal({
      schedule_type: "immediate",
      timezone: "UTC",
    });
    expect(fromScheduleBody({ schedule_type: "once", scheduled_at: "2026-12-01T14:00:00Z" })).to.deep.equal({
      type: "scheduled",
      at: "2026-12-01T14:00:00Z",
      timezone: "UTC",
    });
    expect(fromScheduleBody(undefined, s)).to.deep.equal({ type: "immediate", timezone: "America/New_York" });
  });
});

describe("burki schedule: plan", () => {
  const at = hourAhead();
  const schedule: BurkiSchedule = { type: "scheduled", at, timezone: "UTC" };
  const olds = {
    ...base,
    maxAttempts: 3,
    retryDelayMinutes: 30,
    campaignId: 1,
    status: "scheduled",
    state: "running",
    schedule,
  } as Partial<BurkiCampaignOutputs>;
  const news = (over: Record<string, unknown> = {}) =>
    ({ ...base, maxAttempts: 3, retryDelayMinutes: 30, state: "running", schedule, ...over }) as never;

  it("no change when the schedule is the same (a running state is satisfied by scheduled)", () => {
    expect(planDiff(olds, news())).to.deep.equal({ changes: false, deleteBeforeReplace: true });
    // The same instant in another spelling is the same schedule.
    const plus = new Date(Date.parse(at)).toISOString().replace("Z", "+00:00");
    expect(planDiff(olds, news({ schedule: { ...schedule, at: plus } })).changes).to.equal(false);
  });

  it("a schedule change is an in-place update, never a replacement", () => {
    for (const s of [
      { ...schedule, at: new Date(Date.parse(at) + 60_000).toISOString() },
      { ...schedule, timezone: "Europe/Paris" },
      { type: "immediate", timezone: "UTC" },
      {
        type: "recurring",
        timezone: "UTC",
        recurring: { frequency: "daily", time: "09:00", interval: 1, timeZone: "UTC" },
      },
    ]) {
      expect(planDiff(olds, news({ schedule: s })), JSON.stringify(s)).to.deep.equal({
        changes: true,
        deleteBeforeReplace: true,
      });
    }
    // Removing the input stops managing it (an update that changes nothing in Burki).
    expect(planDiff(olds, news({ schedule: undefined })).changes).to.equal(true);
  });

  it("unknowns at preview mean 'may change', and nothing throws on odd state", () => {
    expect(planDiff(olds, news({ schedule: UNKNOWN })).changes).to.equal(true);
    expect(planDiff(olds, news({ schedule: { ...schedule, at: UNKNOWN } })).changes).to.equal(true);
    expect(planDiff({ ...olds, schedule: "garbage" as never }, news()).changes).to.equal(true);
    expect(planDiff({ ...olds, schedule: { type: "scheduled", at: "not a time" } }, news()).changes).to.equal(
      true,
    );
  });
});
