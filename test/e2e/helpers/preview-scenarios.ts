/**
 * The plans the guard must judge, each made for real: a program is deployed with `pulumi up`
 * against the emulators, the vendor side is moved where the scenario needs it (a workflow flag, a
 * stop Burki ignores, a fault), and a second program is previewed. scripts/fixtures-preview.ts
 * runs them and writes what the CLI printed to test/fixtures/preview/cli/.
 */
import type { Project } from "./engine";
import { burkiArgs, program, woodpeckerArgs } from "../programs";
import {
  burkiCampaign,
  idOf,
  mixedAfter,
  mixedBefore,
  once,
  schedulesBefore,
  staleBefore,
  weekly,
} from "./preview-programs";

export interface PreviewScenario {
  /** File stem under test/fixtures/preview/cli/. */
  name: string;
  /** What the plan is, for the manifest and the tests' titles. */
  title: string;
  /** Stack config beyond the emulators' URLs and keys. */
  config?: Record<string, string>;
  /** Deployed with `pulumi up` first (omit: an empty stack). */
  before?: string;
  /** Run after the first `up`: moves the vendor side, may deploy a second program that fails. */
  between?: (p: Project, step: StepRunner) => Promise<void>;
  /** The program previewed. */
  after: string;
  /** Also write `<name>.plain.json`: `pulumi preview --json` without --show-replacement-steps. */
  plain?: boolean;
  /** Added to every preview of the scenario (`--replace <urn>`: a replacement no input asks for). */
  previewArgs?: (p: Project) => string[];
  /** More previews: `<name>.<key>.json` from `pulumi preview --json <args>` (after previewArgs). */
  extraPreviews?: Record<string, string[]>;
}

/** Lets `between` run an `up` of another program and say which exit it expects. */
export interface StepRunner {
  up(programText: string, expect: "ok" | "fails"): Promise<void>;
  /** `pulumi refresh` (the nightly job of a pipeline), which must succeed. */
  refresh(): Promise<void>;
  /** Writes `pulumi stack export` as it is now to `<name>.<file>` (a state from before a later step). */
  saveExport(file: string): Promise<void>;
}

const renewals = (extra = "", opts = "") =>
  `const renewals = new burki.Campaign("renewals", ${burkiArgs("Renewals", extra)}${opts ? `, ${opts}` : ""});
export const renewalsId = renewals.campaignId;`;

const outreach = (extra = "", followUpDays = 3) =>
  `const outreach = new woodpecker.Campaign("q4-outreach", ${woodpeckerArgs("Q4 outreach", extra, followUpDays)});
export const outreachId = outreach.campaignId;`;

/** q4-outreach with Rita added (third), and the webinar campaign she replied to. */
const refusedProgram = `${outreach().replace(
  /(prospects: \[[\s\S]*?)\],\n/,
  `$1  { email: "rita@example.net", firstName: "Rita", company: "Initech" },\n    ],\n`,
)}
const webinar = new woodpecker.Campaign("webinar", ${woodpeckerArgs("Webinar").replace(
  /prospects: \[[\s\S]*?\],\n/,
  `prospects: [{ email: "rita@example.net", firstName: "Rita", company: "Initech" }],\n`,
)});
void webinar;
export const refused = outreach.prospectsRefused;
export const refusedAt = outreach.prospectsRefusedAt;`;

/** Ids of the campaigns on an emulator, oldest first. */
async function ids(p: Project, platform: "burki" | "woodpecker"): Promise<number[]> {
  const ctl = platform === "burki" ? p.burkiCtl : p.woodpeckerCtl;
  return ((await ctl.campaigns()) as Array<{ id: number }>).map((c) => c.id).sort((a, b) => a - b);
}

/** 2,000 made-up contacts in the reserved +1 555 01xx range's neighbourhood (never real people). */
const manyContacts = `Array.from({ length: 2000 }, (_, i) => ({
  phoneNumber: "+1555" + String(2000000 + i),
  name: "Contact " + i,
}))`;

export const PREVIEW_SCENARIOS: PreviewScenario[] = [
  {
    name: "burki-stop-running",
    title: "a running Burki campaign changed to state: paused",
    before: program(renewals()),
    after: program(renewals(`state: "paused",`).replace(`state: "running",\n`, "")),
  },
  {
    name: "destroy-running",
    title: "two running Burki campaigns and a running Woodpecker campaign removed from the program",
    before: program(
      `${renewals()}
const reminders = new burki.Campaign("reminders", ${burkiArgs("Reminders")});
${outreach()}
void reminders;`,
    ),
    after: program(""),
  },
  {
    name: "replace-running",
    plain: true,
    title: "a running Burki campaign replaced (assistantId changed; deleteBeforeReplace by default)",
    before: program(renewals()),
    after: program(renewals().replace("assistantId: 1,", "assistantId: 2,")),
  },
  {
    name: "replace-running-retained",
    plain: true,
    title: "a running Burki campaign with retainOnDelete replaced",
    before: program(renewals("", "{ retainOnDelete: true }")),
    after: program(renewals("", "{ retainOnDelete: true }").replace("assistantId: 1,", "assistantId: 2,")),
  },
  {
    name: "pending-replacement",
    plain: true,
    title: "a replacement whose delete ran and whose create failed (pendingReplacement), previewed again",
    before: program(renewals()),
    between: async (p, step) => {
      // Every create is reset before Burki handles it: the old campaign is stopped and deleted
      // (deleteBeforeReplace), the new one is never made, the state keeps pendingReplacement.
      await p.burkiCtl.setFaults({ rateReset: 1, match: "^POST /api/v1/campaigns/?$" });
      await step.up(program(renewals().replace("assistantId: 1,", "assistantId: 2,")), "fails");
      await p.burkiCtl.clearFaults();
    },
    after: program(renewals().replace("assistantId: 1,", "assistantId: 2,")),
  },
  {
    name: "delete-replaced",
    title: "a running Burki campaign left for deletion (delete: true) by a create-before-delete replacement",
    config: { "burki:stopTimeoutSeconds": "3" },
    before: program(renewals("", "{ deleteBeforeReplace: false }")),
    between: async (p, step) => {
      const [old] = await ids(p, "burki");
      // Burki answers the stop but keeps calling: the delete times out, the old copy stays in state.
      await p.burkiCtl.call("POST", `/campaigns/${old}/hooks`, { ignoreStop: true });
      await step.up(
        program(renewals("", "{ deleteBeforeReplace: false }").replace("assistantId: 1,", "assistantId: 2,")),
        "fails",
      );
    },
    after: program(
      renewals("", "{ deleteBeforeReplace: false }").replace("assistantId: 1,", "assistantId: 2,"),
    ),
  },
  {
    name: "woodpecker-workflow-delete",
    title: "a Woodpecker campaign that declares workflow (and is in one) removed from the program",
    before: program(outreach(`workflow: "Nurture",`)),
    between: async (p) => {
      const [id] = await ids(p, "woodpecker");
      await p.woodpeckerCtl.call("PUT", `/campaigns/${id}/workflow`, { active: true });
    },
    after: program(""),
  },
  {
    name: "creates-start-2000",
    title: "creates of a running Burki campaign with 2,000 contacts and a running Woodpecker campaign",
    after: program(
      `const spring = new burki.Campaign("spring", ${burkiArgs("Spring renewals").replace(
        /contacts: \[[\s\S]*?\],\n/,
        `contacts: ${manyContacts},\n`,
      )});
${outreach()}
export const springId = spring.campaignId;`,
    ),
  },
  {
    name: "secret-status",
    title: "a running Burki campaign whose status output is secret, removed from the program",
    before: program(renewals("", `{ additionalSecretOutputs: ["status"] }`)),
    after: program(""),
  },
  {
    name: "woodpecker-prospect-refused",
    title:
      "a running Woodpecker campaign whose added prospect replied elsewhere (refused, reported, not a failure)",
    before: program(`${outreach()}
const webinar = new woodpecker.Campaign("webinar", ${woodpeckerArgs("Webinar").replace(
      /prospects: \[[\s\S]*?\],\n/,
      `prospects: [{ email: "rita@example.net", firstName: "Rita", company: "Initech" }],\n`,
    )});
void webinar;`),
    between: async (p, step) => {
      // Rita replies to the webinar campaign: globally REPLIED, so Woodpecker refuses her elsewhere.
      await p.woodpeckerCtl.call("PUT", "/prospects/status", {
        email: "rita@example.net",
        status: "REPLIED",
      });
      await step.up(program(refusedProgram), "ok");
    },
    after: program(refusedProgram),
  },
  {
    name: "preview-failed",
    title: "a structural step change of a Woodpecker campaign that declares workflow (check fails)",
    before: program(outreach(`workflow: "Nurture",`)),
    after: program(
      outreach(`workflow: "Nurture",`).replace(
        /steps: \[/,
        `steps: [\n      { versions: [{ subject: "Before anything", message: "<p>Hello {{FIRST_NAME}}</p>" }] },`,
      ),
    ),
  },
  {
    name: "burki-add-contacts-running",
    title: "contacts added to a running Burki campaign (240 → 260)",
    before: program(burkiCampaign("renewals", "Renewals", { contacts: 240 })),
    after: program(burkiCampaign("renewals", "Renewals", { contacts: 260 })),
  },
  {
    name: "burki-delete-stale",
    title: "a Burki campaign started outside Pulumi (state still says draft), removed from the program",
    before: staleBefore,
    between: async (p) => {
      // Someone starts it in Burki's app: the stored status ("draft") is stale until a refresh.
      await p.burkiCtl.transition(await idOf(p, "burki", "Reminders"), "running");
    },
    after: program(burkiCampaign("renewals", "Renewals")),
  },
  {
    name: "burki-delete-not-refreshed",
    title:
      "the same, also previewed with --refresh --run-program (the program's campaigns refreshed as it registers them)",
    before: staleBefore,
    between: async (p) => {
      await p.burkiCtl.transition(await idOf(p, "burki", "Reminders"), "running");
    },
    after: program(burkiCampaign("renewals", "Renewals")),
    extraPreviews: { "run-program": ["--show-replacement-steps", "--refresh", "--run-program"] },
  },
  {
    name: "burki-schedule-updates",
    title: "schedules of draft, paused and scheduled Burki campaigns changed in place",
    before: program(
      burkiCampaign("winter-renewals", "Winter renewals", { state: null, contacts: 500 }) +
        burkiCampaign("survey-follow-up", "Survey follow-up", { contacts: 120 }) +
        schedulesBefore.slice(schedulesBefore.indexOf('new burki.Campaign("holiday-hours"')),
    ),
    between: async (_p, step) => {
      // Survey follow-up ran and was paused (created with `state: paused` it would stay a draft).
      await step.up(schedulesBefore, "ok");
    },
    after: program(
      burkiCampaign("winter-renewals", "Winter renewals", {
        state: null,
        contacts: 500,
        extra: once("2032-01-05T09:00:00Z"),
      }) +
        burkiCampaign("survey-follow-up", "Survey follow-up", {
          state: null,
          contacts: 120,
          extra: weekly([2, 4], "10:00", "Europe/Paris"),
        }) +
        burkiCampaign("holiday-hours", "Holiday hours notice", {
          state: null,
          contacts: 300,
          extra: once("2031-12-27T09:00:00Z"),
        }) +
        burkiCampaign("new-year-greetings", "New year greetings", {
          state: null,
          contacts: 80,
          extra: `schedule: { type: "immediate" },`,
        }) +
        burkiCampaign("weekly-check-in", "Weekly check-in", { state: null, contacts: 45 }) +
        burkiCampaign("launch-day", "Launch day", {
          state: null,
          contacts: 60,
          extra: once("2032-02-01T09:00", "Europe/Paris"),
        }),
    ),
  },
  {
    name: "recreate-deleted-outside",
    title:
      "a Burki campaign deleted in Burki's app, and a Woodpecker campaign deleted in Woodpecker's that a nightly refresh dropped",
    before: program(`${renewals()}\n${outreach()}`),
    between: async (p, step) => {
      await step.saveExport("stack-export-before-refresh.json");
      await p.woodpeckerCtl.deleteOutside(await idOf(p, "woodpecker", "Q4 outreach"));
      await step.refresh();
      await p.burkiCtl.deleteOutside(await idOf(p, "burki", "Renewals"));
    },
    after: program(`${renewals()}\n${outreach()}`),
  },
  {
    name: "woodpecker-replace-workflow",
    title: "a Woodpecker campaign in an active workflow, previewed with --replace (no input changed)",
    before: program(outreach(`workflow: "Nurture",`)),
    between: async (p) => {
      await p.woodpeckerCtl.call("PUT", `/campaigns/${await idOf(p, "woodpecker", "Q4 outreach")}/workflow`, {
        active: true,
      });
    },
    after: program(outreach(`workflow: "Nurture",`)),
    plain: true,
    previewArgs: (p) => [
      "--replace",
      `urn:pulumi:${p.stack}::${p.name}::pulumi-nodejs:dynamic/woodpecker:Campaign::q4-outreach`,
    ],
  },
  {
    name: "realistic-plan",
    title:
      "a pull request's plan: a start, a replacement and a scheduled delete (Burki), a workflow delete and a stop (Woodpecker), two creates, a same",
    before: mixedBefore,
    between: async (p) => {
      await p.woodpeckerCtl.call("PUT", `/campaigns/${await idOf(p, "woodpecker", "Q3 outreach")}/workflow`, {
        active: true,
      });
    },
    after: mixedAfter,
    plain: true,
  },
];
