/**
 * What the plan does to people (issue 12, sections 2 and 3): the Markdown summary, --block-starts /
 * --allow-starts, and the re-creation of campaigns deleted outside Pulumi.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
  type PreviewDigest,
  type PreviousState,
  StateParseError,
  UNKNOWN_PLACEHOLDER,
  evaluatePlan,
  exitCodeFor,
  formatReport,
  formatSummary,
  parsePreviewJson,
  parseStackExport,
} from "../../provider/guard";

const FIXTURES = path.resolve(__dirname, "../fixtures/preview");
const text = (name: string) => readFileSync(path.join(FIXTURES, name), "utf8");
const fixture = (name: string): PreviewDigest => parsePreviewJson(text(`${name}.json`));
const previous = (): PreviousState => parseStackExport(text("stack-export-before-refresh.json"));

function variant(name: string, edit: (digest: PreviewDigest) => void): PreviewDigest {
  const digest = structuredClone(fixture(name));
  edit(digest);
  return digest;
}

const APPROVE =
  "this stack blocks plans that start contacting people (--block-starts): review the summary, then approve " +
  "with --allow-starts (in the pipeline: the `allow-starts` label on the pull request, or a manual run of the " +
  "workflow with allow-starts)";

/** The realistic plan: two creates, a replace, a delete, a start and a stop, on a production stack. */
const REALISTIC_SUMMARY = `### Campaign plan: the guard blocked

| Campaign | Operation | Run state now → planned | What it means for people |
| --- | --- | --- | --- |
| Burki campaign 42 ("Renewal reminders") | update | paused → running | resumes calling 103 contacts (137 of its 240 were called before it was paused) |
| Burki campaign "Spring renewals" (new) | create | none → running | starts calling 2,000 contacts |
| Burki campaign 57 ("Appointment reminders") | replace | paused → paused | deletes the paused campaign, then creates a new campaign that is paused: nobody is contacted until it runs |
| Woodpecker campaign 4711 ("Q4 outreach") | update | RUNNING → stopped | stops a running campaign (no further emails are sent) |
| Woodpecker campaign "Partner webinar" (new) | create | none → paused | creates it as paused: nobody is contacted until it runs |
| Woodpecker campaign 4650 ("Q3 outreach") | delete | COMPLETED → deleted | deletes the COMPLETED campaign; nobody is contacted |

**Total:** starts contacting 2,103 people in 2 campaigns (2,103 to call); stops 1 running or scheduled campaign; 6 campaigns changed (2 updated, 2 created, 1 replaced, 1 deleted).

**Blocked:**

- Burki campaign 42 ("Renewal reminders"): the plan resumes calling 103 contacts (137 of its 240 were called before it was paused); ${APPROVE}
- Burki campaign "Spring renewals" (new): the plan starts calling 2,000 contacts; ${APPROVE}

<sub>pulumi-campaigns guard: blocked (2 blocked, 12 campaign steps checked). Counts only: no phone number, email address or name is read from the plan.</sub>
`;

describe("guard --summary: the realistic plan", () => {
  it("prints the Markdown a reviewer reads on the pull request", () => {
    const report = evaluatePlan(fixture("realistic-plan"), { blockStarts: true });
    expect(formatSummary(report)).to.equal(REALISTIC_SUMMARY);
    expect(exitCodeFor(report)).to.equal(1);
  });

  it("passes once the starts are approved, and says they were", () => {
    const report = evaluatePlan(fixture("realistic-plan"), { blockStarts: true, allowStarts: true });
    expect(exitCodeFor(report)).to.equal(0);
    const summary = formatSummary(report);
    expect(summary).to.match(/^### Campaign plan: the guard passed\n/);
    expect(summary).to.contain(
      '**Allowed:**\n\n- Burki campaign 42 ("Renewal reminders"): the plan resumes calling 103 contacts (137 of its 240 were called before it was paused); ' +
        "starting is approved (allowed by --allow-starts)\n",
    );
    expect(summary).not.to.contain("**Blocked:**");
  });

  it("does not judge starts without --block-starts (the summary still counts them)", () => {
    const report = evaluatePlan(fixture("realistic-plan"));
    expect(report.findings).to.deep.equal([]);
    expect(formatSummary(report)).to.contain("**Total:** starts contacting 2,103 people in 2 campaigns");
  });

  it("classifies each campaign of the plan", () => {
    const changes = evaluatePlan(fixture("realistic-plan")).changes;
    expect(changes.map((c) => [c.operation, c.starts, c.startCount, c.stops])).to.deep.equal([
      ["update", true, 103, false],
      ["create", true, 2000, false],
      ["replace", false, undefined, false],
      ["update", false, undefined, true],
      ["create", false, undefined, false],
      ["delete", false, undefined, false],
    ]);
  });
});

describe("guard --summary: counts, never people", () => {
  it("prints no phone number, email address or name even when the plan carries them in plain text", () => {
    const leaky = variant("realistic-plan", (d) => {
      for (const s of d.steps) {
        for (const state of [s.oldState, s.newState]) {
          if (state?.inputs?.contacts)
            state.inputs.contacts = [{ phoneNumber: "+15555550101", name: "Jane Roe" }];
          if (state?.inputs?.name === "Partner webinar") {
            state.inputs.prospects = [{ email: "jane.roe@example.com", firstName: "Jane" }];
            state.inputs.prospectCount = 1;
          }
        }
      }
    });
    const report = evaluatePlan(leaky, { blockStarts: true });
    const printed = formatSummary(report) + formatReport(report);
    for (const personal of ["+15555550101", "5555550101", "Jane", "Roe", "example.com", "@"]) {
      expect(printed).not.to.contain(personal);
    }
  });

  it("adds the people added to a running campaign (contacts 240 → 260)", () => {
    const report = evaluatePlan(fixture("burki-add-contacts-running"), { blockStarts: true });
    expect(report.changes[0]).to.include({
      effect: "adds 20 contacts to a running campaign",
      startCount: 20,
    });
    expect(formatReport(report).split("\n")[0]).to.equal(
      `BLOCKED: Burki campaign 42 ("Renewal reminders"): the plan adds 20 contacts to a running campaign; ${APPROVE}`,
    );
  });

  it("fails closed on a count not known until apply, and is quiet about fewer contacts", () => {
    const unknown = variant("burki-add-contacts-running", (d) => {
      d.steps.at(-1)!.newState!.inputs!.contactCount = UNKNOWN_PLACEHOLDER;
    });
    expect(evaluatePlan(unknown).changes[0]).to.include({
      starts: true,
      effect: "may add contacts to a running campaign (how many is not known until apply)",
    });

    const fewer = variant("burki-add-contacts-running", (d) => {
      d.steps.at(-1)!.newState!.inputs!.contactCount = 200;
    });
    expect(evaluatePlan(fewer, { blockStarts: true }).changes[0]).to.include({
      starts: false,
      effect: "edits a running campaign, removes 40 contacts; nobody new is contacted",
    });
  });

  it("counts pausing a running campaign as a stop", () => {
    const paused = variant("burki-add-contacts-running", (d) => {
      const inputs = d.steps.at(-1)!.newState!.inputs!;
      inputs.state = "paused";
      inputs.contactCount = 240;
    });
    expect(evaluatePlan(paused, { blockStarts: true }).changes[0]).to.include({
      starts: false,
      stops: true,
      effect: "pauses a running campaign: no new calls until it runs again",
    });
    expect(formatSummary(evaluatePlan(paused))).to.contain(
      "starts contacting nobody; stops 1 running or scheduled campaign;",
    );
  });

  it("counts Woodpecker prospects when the plan has them (prospectCount)", () => {
    const prospects = variant("realistic-plan", (d) => {
      const q4 = d.steps.find((s) => s.op === "update" && s.urn.endsWith("::q4-outreach"))!;
      q4.oldState!.outputs!.prospectCount = 350;
      q4.newState!.inputs!.prospectCount = 500;
      q4.newState!.inputs!.state = "running";
    });
    const q4 = evaluatePlan(prospects).changes.find((c) => c.campaignId === 4711)!;
    expect(q4).to.include({
      effect: "adds 150 prospects to a running campaign",
      startCount: 150,
      audience: "prospects",
    });
    expect(formatSummary(evaluatePlan(prospects))).to.contain(
      "starts contacting 2,253 people in 3 campaigns (2,103 to call, 150 to email)",
    );
  });

  it("counts prospects declared in a prospectsFile (its prospectCount; the people are in no state)", () => {
    const filed = variant("realistic-plan", (d) => {
      const q4 = d.steps.find((s) => s.op === "update" && s.urn.endsWith("::q4-outreach"))!;
      delete q4.oldState!.outputs!.prospects;
      delete q4.newState!.inputs!.prospects;
      q4.oldState!.outputs!.prospectsFile = "prospects/q4.csv";
      q4.oldState!.outputs!.prospectCount = 350;
      q4.newState!.inputs!.prospectsFile = "prospects/q4.csv";
      q4.newState!.inputs!.prospectCount = 500;
      q4.newState!.inputs!.state = "running";
    });
    const q4 = evaluatePlan(filed).changes.find((c) => c.campaignId === 4711)!;
    expect(q4).to.include({
      effect: "adds 150 prospects to a running campaign",
      startCount: 150,
      audience: "prospects",
    });
  });

  it("treats a state not known until apply as a start, and a finished campaign as not restarted", () => {
    const unknownState = variant("realistic-plan", (d) => {
      d.steps.find((s) => s.op === "create" && s.urn.endsWith("::partner-webinar"))!.newState!.inputs!.state =
        UNKNOWN_PLACEHOLDER;
    });
    const webinar = evaluatePlan(unknownState, { blockStarts: true }).changes.find(
      (c) => c.name === "Partner webinar",
    )!;
    expect(webinar).to.include({
      starts: true,
      planned: "unknown until apply",
      effect:
        "may start emailing its prospects (not managed by Pulumi, so not counted) (its `state` is not known until apply)",
    });

    const finished = variant("burki-add-contacts-running", (d) => {
      d.steps.at(-1)!.oldState!.outputs!.status = "completed";
    });
    expect(evaluatePlan(finished).changes[0]).to.include({ starts: false });
    expect(evaluatePlan(finished).changes[0].effect).to.match(
      /^edits a completed campaign; it is not restarted/,
    );
  });

  it("escapes Markdown and HTML in campaign names", () => {
    const odd = variant("realistic-plan", (d) => {
      d.steps.find((s) => s.op === "create" && s.urn.endsWith("::spring-renewals"))!.newState!.inputs!.name =
        "Spring | <b>renewals</b>";
    });
    expect(formatSummary(evaluatePlan(odd))).to.contain(
      '| Burki campaign "Spring \\| &lt;b&gt;renewals&lt;/b&gt;" (new) | create |',
    );
  });

  it("says so when the plan changes no campaign", () => {
    const summary = formatSummary(evaluatePlan(fixture("same-only")));
    expect(summary).to.contain("No campaign changes.");
    expect(summary).not.to.contain("| Campaign |");
  });
});

describe("guard: campaigns deleted outside Pulumi and re-created", () => {
  it("names the re-creation the preview's own refresh reveals (a refresh step, then a create)", () => {
    const report = evaluatePlan(fixture("recreate-deleted-outside"), { blockStarts: true });
    const [burki, woodpecker] = report.changes;
    expect(burki).to.include({
      operation: "re-create",
      recreated: true,
      current: "gone (was running)",
      effect:
        "re-creates a campaign that is no longer in Burki (deleted outside Pulumi?) and starts it, calling 240 contacts",
    });
    // Dropped by an earlier, saved refresh: without the state from before it, a plain create.
    expect(woodpecker).to.include({
      operation: "create",
      recreated: false,
      effect: "starts emailing 350 prospects",
    });
    expect(exitCodeFor(report)).to.equal(1);
  });

  it("names the one an earlier refresh dropped, given the state from before it (--previous-state)", () => {
    const report = evaluatePlan(fixture("recreate-deleted-outside"), {
      blockStarts: true,
      previousState: previous(),
    });
    expect(report.changes.map((c) => [c.label, c.operation, c.current])).to.deep.equal([
      ['Burki campaign 42 ("Renewal reminders")', "re-create", "gone (was running)"],
      ['Woodpecker campaign 4711 ("Q4 outreach")', "re-create", "gone (was RUNNING)"],
    ]);
    expect(report.changes[1].effect).to.equal(
      "re-creates a campaign that is no longer in Woodpecker (deleted outside Pulumi?) and starts it, emailing 350 prospects",
    );
    expect(formatSummary(report)).to.contain(
      "**Total:** starts contacting 590 people in 2 campaigns (240 to call, 350 to email); re-creates 2 " +
        "campaigns deleted outside Pulumi; 2 campaigns changed (2 re-created).",
    );
  });

  it("does not call a create of a new URN a re-creation", () => {
    const report = evaluatePlan(fixture("realistic-plan"), { previousState: previous() });
    expect(report.changes.filter((c) => c.recreated)).to.deep.equal([]);
  });
});

describe("guard: parseStackExport", () => {
  it("reads `pulumi stack export`, skipping copies pending deletion", () => {
    const state = previous();
    expect([...state.resources.keys()]).to.have.length(4);
    expect(
      state.resources.get(
        "urn:pulumi:prod::campaigns::pulumi-nodejs:dynamic/woodpecker:Campaign::q4-outreach",
      ),
    ).to.include({ id: "4711" });

    const withDeleted = JSON.parse(text("stack-export-before-refresh.json"));
    withDeleted.deployment.resources[3].delete = true;
    expect(parseStackExport(JSON.stringify(withDeleted)).resources.size).to.equal(3);
  });

  it("accepts a stack that was never deployed, and refuses what is not an export", () => {
    expect(
      parseStackExport('{"version": 3, "deployment": {"manifest": {"version": "v3.270.0"}}}').resources.size,
    ).to.equal(0);
    expect(() => parseStackExport("error: no stack named 'prod' found")).to.throw(
      StateParseError,
      /not valid JSON/,
    );
    expect(() => parseStackExport(text("realistic-plan.json"))).to.throw(
      StateParseError,
      /has no `deployment` object \(this looks like `pulumi preview --json`\)/,
    );
  });
});

describe("guard --summary: a Burki schedule starts calling at its time", () => {
  it("counts a create or replacement whose schedule will start it, and says when", () => {
    const scheduled = variant("realistic-plan", (d) => {
      for (const s of d.steps) {
        const inputs = s.newState?.inputs;
        if (!inputs) continue;
        if (inputs.name === "Spring renewals") {
          delete inputs.state;
          inputs.schedule = { type: "scheduled", at: "2026-12-24T09:00:00Z", timezone: "UTC" };
        }
        if (
          inputs.name === "Appointment reminders" &&
          (s.op === "replace" || s.op === "create-replacement")
        ) {
          delete inputs.state;
          inputs.schedule = {
            type: "recurring",
            timezone: "UTC",
            recurring: { frequency: "daily", time: "09:00" },
          };
        }
      }
    });
    const changes = evaluatePlan(scheduled).changes.filter((c) => c.platform === "burki");
    const spring = changes.find((c) => c.operation === "create")!;
    expect(spring).to.include({ starts: true, startCount: 2000, planned: "scheduled" });
    expect(spring.effect).to.equal("starts calling 2,000 contacts at 2026-12-24T09:00:00Z (its schedule)");
    const replaced = changes.find((c) => c.operation === "replace")!;
    expect(replaced.starts).to.equal(true);
    expect(replaced.effect).to.match(
      /then creates a new campaign that starts calling .* on its recurring schedule$/,
    );
    // Without a schedule (the fixture as is), neither starts by itself.
    const plain = evaluatePlan(fixture("realistic-plan")).changes.find((c) => c.operation === "replace")!;
    expect(plain.starts).to.equal(false);
  });
});
