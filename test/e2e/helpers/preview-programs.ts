/**
 * The programs of the newer preview scenarios (preview-scenarios.ts): campaigns built from the e2e
 * programs' arguments with their state, contacts, schedule or prospects changed.
 */
import type { Project } from "./engine";
import { burkiArgs, program, woodpeckerArgs } from "../programs";

/** The id of the campaign named `name` on an emulator (creation order is the engine's, not ours). */
export async function idOf(p: Project, platform: "burki" | "woodpecker", name: string): Promise<number> {
  const ctl = platform === "burki" ? p.burkiCtl : p.woodpeckerCtl;
  const found = ((await ctl.campaigns()) as Array<{ id: number; name: string }>).find((c) => c.name === name);
  if (!found) throw new Error(`no ${platform} campaign named ${name}`);
  return found.id;
}

/** `n` made-up contacts in the +1 555 range (never real people). */
const contacts = (n: number) => `Array.from({ length: ${n} }, (_, i) => ({
  phoneNumber: "+1555" + String(3000000 + i),
  name: "Contact " + i,
}))`;

/**
 * A Burki campaign statement: `state` replaced (null: not declared, so Burki's schedule decides),
 * `contacts` generated when a count is given, `extra` properties appended.
 */
export function burkiCampaign(
  resource: string,
  name: string,
  o: { state?: string | null; contacts?: number; extra?: string; opts?: string } = {},
): string {
  let args = burkiArgs(name, o.extra ?? "");
  if (o.state !== undefined) {
    args = args.replace(`state: "running",\n`, o.state === null ? "" : `state: "${o.state}",\n`);
  }
  if (o.contacts !== undefined) {
    args = args.replace(/contacts: \[[\s\S]*?\],\n/, `contacts: ${contacts(o.contacts)},\n`);
  }
  return `new burki.Campaign(${JSON.stringify(resource)}, ${args}${o.opts ? `, ${o.opts}` : ""});\n`;
}

/** A Woodpecker campaign statement; `prospects`: replaces the two default ones ("" drops them). */
export function woodpeckerCampaign(
  resource: string,
  name: string,
  o: { state?: string; extra?: string; prospects?: string } = {},
): string {
  let args = woodpeckerArgs(name, o.extra ?? "");
  if (o.state !== undefined) args = args.replace(`state: "running",\n`, `state: "${o.state}",\n`);
  if (o.prospects !== undefined) {
    args = args.replace(/prospects: \[[\s\S]*?\],\n/, o.prospects ? `prospects: [${o.prospects}],\n` : "");
  }
  return `new woodpecker.Campaign(${JSON.stringify(resource)}, ${args});\n`;
}

/** A Burki `schedule` property, once at `at` (years ahead: `check` refuses a new one in the past). */
export const once = (at: string, timezone?: string) =>
  `schedule: { type: "scheduled", at: "${at}"${timezone ? `, timezone: "${timezone}"` : ""} },`;
export const weekly = (days: number[], time: string, timezone = "UTC") =>
  `schedule: { type: "recurring", timezone: "${timezone}", recurring: { frequency: "weekly", daysOfWeek: [${days.join(", ")}], time: "${time}" } },`;

/** Two running Burki campaigns, "Reminders" declared paused (Burki keeps it a draft: never started). */
export const staleBefore = program(
  burkiCampaign("renewals", "Renewals") + burkiCampaign("reminders", "Reminders", { state: "paused" }),
);

/** The stack of the mixed plan, as deployed. */
export const mixedBefore = program(
  burkiCampaign("renewals", "Renewals", { state: "paused", contacts: 240 }) +
    burkiCampaign("reminders", "Reminders") +
    burkiCampaign("holiday-hours", "Holiday hours notice", {
      state: null,
      extra: once("2031-12-24T09:00:00Z"),
    }) +
    burkiCampaign("winback", "Win-back calls", { state: "paused" }) +
    woodpeckerCampaign("q3-outreach", "Q3 outreach", {
      extra: `workflow: "Nurture",`,
      prospects: `{ email: "sam@example.com", firstName: "Sam", company: "Umbrella" }`,
    }) +
    woodpeckerCampaign("q4-outreach", "Q4 outreach"),
);

/** The mixed plan's program: a start, a replacement, two deletes, a stop, two creates, a same. */
export const mixedAfter = program(
  burkiCampaign("renewals", "Renewals", { contacts: 240 }) +
    burkiCampaign("reminders", "Reminders").replace("assistantId: 1,", "assistantId: 2,") +
    burkiCampaign("winback", "Win-back calls", { state: "paused" }) +
    burkiCampaign("spring", "Spring renewals", { contacts: 2000 }) +
    woodpeckerCampaign("q4-outreach", "Q4 outreach", { state: "paused" }) +
    woodpeckerCampaign("partner-webinar", "Partner webinar", { state: "paused", prospects: "" }),
);

/** Burki campaigns whose schedules the plan changes (state not declared: the schedule decides). */
export const schedulesBefore = program(
  burkiCampaign("winter-renewals", "Winter renewals", { state: null, contacts: 500 }) +
    burkiCampaign("survey-follow-up", "Survey follow-up", { state: "paused", contacts: 120 }) +
    burkiCampaign("holiday-hours", "Holiday hours notice", {
      state: null,
      contacts: 300,
      extra: once("2031-12-24T09:00:00Z"),
    }) +
    burkiCampaign("new-year-greetings", "New year greetings", {
      state: null,
      contacts: 80,
      extra: once("2031-12-31T10:00:00Z"),
    }) +
    burkiCampaign("weekly-check-in", "Weekly check-in", {
      state: null,
      contacts: 45,
      extra: weekly([1], "09:00"),
    }) +
    burkiCampaign("launch-day", "Launch day", {
      state: null,
      contacts: 60,
      extra: once("2032-02-01T08:00:00Z"),
    }),
);
