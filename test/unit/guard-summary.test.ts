/**
 * What the plan does to people (issue 12, section 2): the Markdown summary and --block-starts /
 * --allow-starts, on plans the real CLI wrote (test/fixtures/preview/cli/). Campaigns deleted outside
 * Pulumi (section 3): guard-recreate.test.ts.
 */
import { expect } from "chai";
import {
  type PreviewDigest,
  UNKNOWN_PLACEHOLDER,
  evaluatePlan,
  exitCodeFor,
  formatReport,
  formatSummary,
} from "../../provider/guard";
import { cliPlan, labelOf, variantOf } from "./preview-fixtures";

/** realistic-plan and the others, as `pulumi preview --refresh` printed them. */
const fixture = (name: string): PreviewDigest => cliPlan(name, "refresh");

function variant(name: string, edit: (digest: PreviewDigest) => void): PreviewDigest {
  return variantOf(fixture(name), edit);
}

/**
 * The summary with the rows of its table and of its lists in a fixed order: the CLI lists independent
 * campaigns in the order the engine reached them, which varies from run to run.
 */
function normalized(markdown: string): string {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    out.push(...run.sort());
    run = [];
  };
  for (const line of markdown.split("\n")) {
    if ((line.startsWith("| ") && !line.startsWith("| Campaign |")) || line.startsWith("- ")) run.push(line);
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out.join("\n");
}

const APPROVE =
  "this stack blocks plans that start contacting people (--block-starts): review the summary, then approve " +
  "with --allow-starts (in the pipeline: the `allow-starts` label on the pull request, or a manual run of the " +
  "workflow with allow-starts)";

/** The mixed plan: two creates, a replacement, two updates, two deletes (and a same the CLI does not list). */
function realisticSummary(plan: PreviewDigest): string {
  const l = (resource: string) => labelOf(plan, resource);
  const replaceStop =
    `${l("reminders")}: the plan would replace it (delete and re-create), but it is running and would be ` +
    "stopped, ending calls in progress; pause it first or re-run with --allow-stop-running";
  const holiday =
    `${l("holiday-hours")}: the plan would delete it, but it is scheduled and would be stopped, cancelling the ` +
    "calls it is scheduled to place; pause it first or re-run with --allow-stop-running";
  const workflow =
    `${l("q3-outreach")} belongs to the workflow "Nurture": the plan would delete it, and Woodpecker refuses to ` +
    "delete a campaign in an active workflow (409 CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW); remove it from the " +
    'workflow "Nurture" in Woodpecker, drop `workflow` from the resource (apply that with `pulumi up` before ' +
    "deleting or replacing it), and run preview again";
  const replaceEffect =
    "stops a running campaign (calls in progress end) and deletes it, then creates a new campaign that starts " +
    "calling 2 contacts from the start";
  return `### Campaign plan: the guard blocked

| Campaign | Operation | Run state now → planned | What it means for people |
| --- | --- | --- | --- |
| ${l("reminders")} | replace | running → running | ${replaceEffect} |
| Woodpecker campaign "Partner webinar" (new) | create | none → paused | creates it as paused: nobody is contacted until it runs |
| ${l("q4-outreach")} | update | RUNNING → paused | pauses a running campaign: no new emails until it runs again |
| Burki campaign "Spring renewals" (new) | create | none → running | starts calling 2,000 contacts |
| ${l("renewals")} | update | draft → running | starts calling 240 contacts |
| ${l("holiday-hours")} | delete | scheduled → deleted | stops a scheduled campaign (the calls it is scheduled to place are cancelled) and deletes it |
| ${l("q3-outreach")} | delete | RUNNING → deleted | deletes a running campaign (no further emails are sent) |

**Total:** starts contacting 2,242 people in 3 campaigns (2,242 to call); stops 4 running or scheduled campaigns; 7 campaigns changed (2 created, 2 updated, 1 replaced, 2 deleted).

**Blocked:**

- ${replaceStop}
- ${l("reminders")}: the plan ${replaceEffect}; ${APPROVE}
- Burki campaign "Spring renewals" (new): the plan starts calling 2,000 contacts; ${APPROVE}
- ${l("renewals")}: the plan starts calling 240 contacts; ${APPROVE}
- ${holiday}
- ${workflow}

<sub>pulumi-campaigns guard: blocked (6 blocked, 15 campaign steps checked). Counts only: no phone number, email address or name is read from the plan.</sub>
`;
}

describe("guard --summary: the realistic plan", () => {
  it("prints the Markdown a reviewer reads on the pull request", () => {
    const plan = fixture("realistic-plan");
    const report = evaluatePlan(plan, { blockStarts: true });
    expect(normalized(formatSummary(report))).to.equal(normalized(realisticSummary(plan)));
    expect(exitCodeFor(report)).to.equal(1);
  });

  it("lists approved starts as allowed, and keeps blocking the stops and the workflow delete", () => {
    const plan = fixture("realistic-plan");
    const report = evaluatePlan(plan, { blockStarts: true, allowStarts: true });
    expect(exitCodeFor(report)).to.equal(1);
    expect(formatSummary(report)).to.contain(
      `- ${labelOf(plan, "renewals")}: the plan starts calling 240 contacts; starting is approved (allowed by --allow-starts)\n`,
    );
    const blocked = report.findings.filter((f) => f.level === "block");
    expect(blocked.map((f) => f.reason).sort()).to.deep.equal(["stops-running", "stops-running", "workflow"]);
    // Its creates and updates alone pass once approved.
    const startsOnly = variant("realistic-plan", (d) => {
      d.steps = d.steps.filter((s) => ["refresh", "create", "update"].includes(s.op));
    });
    const passing = evaluatePlan(startsOnly, { blockStarts: true, allowStarts: true });
    expect(exitCodeFor(passing)).to.equal(0);
    expect(formatSummary(passing)).to.match(/^### Campaign plan: the guard passed\n/);
    expect(formatSummary(passing)).not.to.contain("**Blocked:**");
  });

  it("does not judge starts without --block-starts (the summary still counts them)", () => {
    const report = evaluatePlan(fixture("realistic-plan"));
    expect(report.findings.map((f) => f.reason).sort()).to.deep.equal([
      "stops-running",
      "stops-running",
      "workflow",
    ]);
    expect(formatSummary(report)).to.contain("**Total:** starts contacting 2,242 people in 3 campaigns");
  });

  it("totals the operations in a fixed order, whatever order the CLI listed the campaigns in", () => {
    // Two `npm run fixtures:preview` runs of this scenario listed the creates and updates in different
    // orders (the engine registers independent campaigns in parallel); the total must not change with it.
    const total = (d: PreviewDigest) =>
      formatSummary(evaluatePlan(d))
        .split("\n")
        .find((l) => l.startsWith("**Total:**"));
    const createsLast = variant("realistic-plan", (d) => {
      d.steps = [...d.steps.filter((s) => s.op !== "create"), ...d.steps.filter((s) => s.op === "create")];
    });
    const updatesFirst = variant("realistic-plan", (d) => {
      d.steps = [...d.steps.filter((s) => s.op === "update"), ...d.steps.filter((s) => s.op !== "update")];
    });
    for (const d of [fixture("realistic-plan"), createsLast, updatesFirst]) {
      expect(total(d)).to.match(/; 7 campaigns changed \(2 created, 2 updated, 1 replaced, 2 deleted\)\.$/);
    }
  });

  it("classifies each campaign of the plan", () => {
    const changes = evaluatePlan(fixture("realistic-plan")).changes;
    const rows = changes.map((c) => [c.name, c.operation, c.starts, c.startCount, c.stops]);
    expect(rows.sort((x, y) => String(x[0]).localeCompare(String(y[0])))).to.deep.equal([
      ["Holiday hours notice", "delete", false, undefined, true],
      ["Partner webinar", "create", false, undefined, false],
      ["Q3 outreach", "delete", false, undefined, true],
      ["Q4 outreach", "update", false, undefined, true],
      ["Reminders", "replace", true, 2, true],
      ["Renewals", "update", true, 240, false],
      ["Spring renewals", "create", true, 2000, false],
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
      `BLOCKED: ${labelOf(fixture("burki-add-contacts-running"), "renewals")}: the plan adds 20 contacts to a running campaign; ${APPROVE}`,
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
    const q4 = evaluatePlan(prospects).changes.find((c) => c.name === "Q4 outreach")!;
    expect(q4).to.include({
      effect: "adds 150 prospects to a running campaign",
      startCount: 150,
      audience: "prospects",
    });
    expect(formatSummary(evaluatePlan(prospects))).to.contain(
      "starts contacting 2,392 people in 4 campaigns (2,242 to call, 150 to email)",
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
    const q4 = evaluatePlan(filed).changes.find((c) => c.name === "Q4 outreach")!;
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
      d.steps.find((s) => s.op === "create" && s.urn.endsWith("::spring"))!.newState!.inputs!.name =
        "Spring | <b>renewals</b>";
    });
    expect(formatSummary(evaluatePlan(odd))).to.contain(
      '| Burki campaign "Spring \\| &lt;b&gt;renewals&lt;/b&gt;" (new) | create |',
    );
  });

  it("says so when the plan changes no campaign", () => {
    // What the CLI lists when nothing changes: the stack's `same` step (campaign sames need --show-sames).
    const sameOnly = variant("realistic-plan", (d) => {
      d.steps = d.steps.filter((s) => s.op === "same");
    });
    const summary = formatSummary(evaluatePlan(sameOnly));
    expect(summary).to.contain("No campaign changes.");
    expect(summary).not.to.contain("| Campaign |");
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
          inputs.schedule = { type: "scheduled", at: "2031-12-24T09:00:00Z", timezone: "UTC" };
        }
        if (inputs.name === "Reminders" && (s.op === "replace" || s.op === "create-replacement")) {
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
    expect(spring.effect).to.equal("starts calling 2,000 contacts at 2031-12-24T09:00:00Z (its schedule)");
    const replaced = changes.find((c) => c.operation === "replace")!;
    expect(replaced.starts).to.equal(true);
    expect(replaced.effect).to.match(
      /then creates a new campaign that starts calling .* on its recurring schedule$/,
    );
    // As the CLI wrote it (`state: running`, no schedule), the new copy starts at once.
    const plain = evaluatePlan(fixture("realistic-plan")).changes.find((c) => c.operation === "replace")!;
    expect(plain.effect).to.match(
      /then creates a new campaign that starts calling 2 contacts from the start$/,
    );
  });
});
