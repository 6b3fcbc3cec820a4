/**
 * The guard's verdicts and lines on plans the real CLI wrote (test/fixtures/preview/cli/, made by
 * `npm run fixtures:preview`), and parsePreviewJson. The compiled bin: guard-bin.test.ts.
 */
import { expect } from "chai";
import {
  type GuardReport,
  PreviewParseError,
  evaluatePlan,
  exitCodeFor,
  formatReport,
  parsePreviewJson,
} from "../../provider/guard";
import { cliPlan, cliText, labelOf, variantOf } from "./preview-fixtures";

const lines = (text: string) => text.split("\n").filter((line) => line !== "");
const levels = (report: GuardReport) => report.findings.map((f) => `${f.level} ${f.platform} ${f.op}`);
/** The CLI lists independent campaigns in the order the engine reached them, which varies from run to run. */
const sorted = (xs: string[]) => [...xs].sort();

const WORKFLOW_DELETE =
  'Woodpecker campaign 12345001 ("Q4 outreach") belongs to the workflow "Nurture": the plan would delete it, ' +
  "and Woodpecker refuses to delete a campaign in an active workflow (409 CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW); " +
  'remove it from the workflow "Nurture" in Woodpecker, drop `workflow` from the resource (apply that with ' +
  "`pulumi up` before deleting or replacing it), and run preview again";

/** A preview without --refresh (every `<name>.preview.json`) gets this warning. */
const NO_REFRESH =
  "WARNING: the plan shows no sign of a refresh (no `refresh` steps): the statuses it judges are what the " +
  "last `pulumi up` or refresh stored, and may be stale; run `pulumi preview --refresh " +
  "--show-replacement-steps --json`";

/** destroy-running with only its Woodpecker campaign's steps: a delete of a campaign in no workflow. */
const woodpeckerDeleteOnly = (variant: "preview" | "refresh") =>
  variantOf(cliPlan("destroy-running", variant), (d) => {
    d.steps = d.steps.filter((s) => !s.urn.includes("/burki:Campaign::"));
  });

describe("guard: evaluatePlan", () => {
  it("blocks deleting a Woodpecker campaign whose state declares a workflow", () => {
    const report = evaluatePlan(cliPlan("woodpecker-workflow-delete", "preview"), {});
    expect(report.findings).to.deep.equal([
      {
        level: "block",
        reason: "workflow",
        urn: "urn:pulumi:e2e::fx-woodpecker-workflow-delete::pulumi-nodejs:dynamic/woodpecker:Campaign::q4-outreach",
        platform: "woodpecker",
        campaignId: 12345001,
        name: "Q4 outreach",
        op: "delete",
        message: WORKFLOW_DELETE,
      },
    ]);
    expect(report.checked).to.equal(1);
    expect(exitCodeFor(report)).to.equal(1);
  });

  it("reports a replacement (delete-replaced + replace + create-replacement) once", () => {
    const report = evaluatePlan(cliPlan("woodpecker-replace-workflow", "preview"), {});
    expect(levels(report)).to.deep.equal(["block woodpecker replace"]);
    expect(report.findings[0].message).to.contain("the plan would replace it (delete and re-create)");
    expect(report.checked).to.equal(3);
  });

  it("blocks a replacement shown as the logical replace step alone (no --show-replacement-steps)", () => {
    const plain = cliPlan("woodpecker-replace-workflow", "plain");
    expect(plain.steps.map((s) => s.op)).to.deep.equal(["same", "replace"]);
    expect(levels(evaluatePlan(plain, {}))).to.deep.equal(["block woodpecker replace"]);
  });

  it("passes deleting a Woodpecker campaign without a workflow", () => {
    const report = evaluatePlan(woodpeckerDeleteOnly("refresh"), {});
    expect(report.findings).to.deep.equal([]);
    expect(report.checked).to.equal(2); // its refresh step and its delete
    expect(exitCodeFor(report)).to.equal(0);
  });

  it("falls back to the workflow in the old inputs when the outputs lack it", () => {
    const digest = variantOf(cliPlan("woodpecker-workflow-delete", "preview"), (d) => {
      delete d.steps[1].oldState!.outputs!.workflow;
    });
    expect(evaluatePlan(digest, {}).findings[0].message).to.equal(WORKFLOW_DELETE);
  });

  it("still blocks a workflow whose name is a secret, without printing it", () => {
    const digest = variantOf(cliPlan("woodpecker-workflow-delete", "preview"), (d) => {
      d.steps[1].oldState!.outputs!.workflow = "[secret]";
      d.steps[1].oldState!.inputs!.workflow = "[secret]";
    });
    const [finding] = evaluatePlan(digest, {}).findings;
    expect(finding.level).to.equal("block");
    expect(finding.message).to.contain("its workflow (name hidden as a secret)");
  });

  it("blocks destroying running Burki campaigns, and allows it with allowStopRunning", () => {
    const plan = cliPlan("destroy-running", "refresh");
    const blocked = evaluatePlan(plan, {});
    expect(levels(blocked)).to.deep.equal(["block burki delete", "block burki delete"]);
    expect(sorted(blocked.findings.map((f) => f.name!))).to.deep.equal(["Reminders", "Renewals"]);
    expect(blocked.findings.find((f) => f.name === "Reminders")!.message).to.equal(
      `${labelOf(plan, "reminders")}: the plan would delete it, but it is running and would be ` +
        "stopped, ending calls in progress; pause it first or re-run with --allow-stop-running",
    );
    // The Woodpecker campaign (no workflow) and the stack are not findings.
    expect(blocked.checked).to.equal(6);
    expect(exitCodeFor(blocked)).to.equal(1);

    const allowed = evaluatePlan(plan, { allowStopRunning: true });
    expect(levels(allowed)).to.deep.equal(["allowed burki delete", "allowed burki delete"]);
    expect(allowed.findings.find((f) => f.name === "Reminders")!.message).to.equal(
      `${labelOf(plan, "reminders")}: the plan would delete it; it is running and will be stopped ` +
        "first, ending calls in progress (allowed by --allow-stop-running)",
    );
    expect(exitCodeFor(allowed)).to.equal(0);
  });

  it("never blocks plain updates, even of running campaigns", () => {
    const updates = variantOf(cliPlan("realistic-plan", "refresh"), (d) => {
      d.steps = d.steps.filter((s) => s.op === "update" || s.op === "refresh");
    });
    const report = evaluatePlan(updates, {});
    expect(sorted(report.changes.map((c) => `${c.operation} ${c.current} → ${c.planned}`))).to.deep.equal([
      "update RUNNING → paused",
      "update draft → running",
    ]);
    expect(report.findings).to.deep.equal([]);
    expect(exitCodeFor(report)).to.equal(0);
  });

  it("passes a plan of same steps (the CLI lists only the stack's: campaign sames need --show-sames)", () => {
    const plan = cliPlan("realistic-plan", "preview");
    expect(plan.changeSummary).to.include({ same: 2 }); // the stack and "Win-back calls"
    const sames = variantOf(plan, (d) => {
      d.steps = d.steps.filter((s) => s.op === "same");
    });
    expect(sames.steps.map((s) => s.urn.split("::").at(-1))).to.deep.equal(["fx-realistic-plan-e2e"]);
    const report = evaluatePlan(sames, {});
    expect(report).to.deep.equal({ findings: [], warnings: [], changes: [], checked: 0, previewErrors: [] });
  });

  it("reports every dangerous campaign of a mixed plan, in plan order", () => {
    const plan = cliPlan("realistic-plan", "refresh");
    const report = evaluatePlan(plan, {});
    expect(sorted(report.findings.map((f) => `${f.level} ${f.reason} ${f.op} ${f.name}`))).to.deep.equal([
      "block stops-running delete Holiday hours notice",
      "block stops-running replace Reminders",
      "block workflow delete Q3 outreach",
    ]);
    const firstStep = (urn: string) => plan.steps.findIndex((s) => s.op !== "refresh" && s.urn === urn);
    const positions = report.findings.map((f) => firstStep(f.urn));
    expect(positions).to.deep.equal([...positions].sort((a, b) => a - b));
    expect(report.checked).to.equal(15);

    const withFlag = evaluatePlan(plan, { allowStopRunning: true });
    expect(sorted(withFlag.findings.map((f) => `${f.level} ${f.name}`))).to.deep.equal([
      "allowed Holiday hours notice",
      "allowed Reminders",
      "block Q3 outreach",
    ]);
    expect(exitCodeFor(withFlag)).to.equal(1);
  });

  it("blocks a failed preview: its plan has no deletes yet", () => {
    const report = evaluatePlan(cliPlan("preview-failed", "preview"), {});
    expect(report.findings).to.deep.equal([]);
    expect(report.previewErrors).to.have.length(1);
    expect(report.previewErrors[0]).to.match(
      /^pulumi-nodejs:dynamic\/woodpecker:Campaign resource 'q4-outreach': property workflow value \{Nurture\} has a problem: /,
    );
    expect(exitCodeFor(report)).to.equal(1);
  });

  it("skips deletes that never reach the provider (retainOnDelete, discard), not retained replacements", () => {
    const retained = variantOf(cliPlan("realistic-plan", "refresh"), (d) => {
      for (const step of d.steps) if (step.oldState) step.oldState.retainOnDelete = true;
    });
    // The deletes only forget their campaigns; the replacement of the running campaign would leave it
    // calling beside its new copy.
    expect(evaluatePlan(retained, {}).findings.map((f) => `${f.name} ${f.reason}`)).to.deep.equal([
      "Reminders retained-replace",
    ]);

    const discarded = variantOf(cliPlan("woodpecker-workflow-delete", "preview"), (d) => {
      d.steps[1].op = "discard";
    });
    expect(evaluatePlan(discarded, {}).findings).to.deep.equal([]);
  });

  it("tells a leftover copy from an earlier replacement apart from the live campaign", () => {
    const digest = variantOf(cliPlan("woodpecker-replace-workflow", "preview"), (d) => {
      const leftover = structuredClone(d.steps.find((s) => s.op === "delete-replaced")!);
      leftover.oldState!.id = "12344999";
      leftover.oldState!.outputs!.campaignId = 12344999;
      d.steps.push(leftover);
    });
    const report = evaluatePlan(digest, {});
    expect(report.findings.map((f) => `${f.campaignId} ${f.op}`)).to.deep.equal([
      "12345001 replace",
      "12344999 delete-replaced",
    ]);
    expect(report.findings[1].message).to.contain("the old copy left by an earlier replacement");
  });

  it("recognises a campaign by its URN when the state has no type (child of a component)", () => {
    const digest = variantOf(cliPlan("woodpecker-workflow-delete", "preview"), (d) => {
      const step = d.steps[1];
      step.urn = step.urn.replace("::pulumi-nodejs:", "::acme:index:Outreach$pulumi-nodejs:");
      delete step.oldState!.type;
      delete step.oldState!.outputs!.campaignId;
      delete step.oldState!.id;
    });
    const [finding] = evaluatePlan(digest, {}).findings;
    expect(finding).to.include({ platform: "woodpecker", name: "Q4 outreach" });
    expect(finding.campaignId).to.equal(undefined);
    expect(finding.message).to.match(/^Woodpecker campaign "Q4 outreach" belongs to the workflow "Nurture"/);
  });
});

describe("guard: formatReport", () => {
  it("prints one line per campaign and a summary line", () => {
    const plan = cliPlan("realistic-plan", "preview");
    const printed = lines(formatReport(evaluatePlan(plan, {})));
    expect(sorted(printed.slice(0, 3))).to.deep.equal(
      sorted([
        `BLOCKED: ${labelOf(plan, "reminders")}: the plan would replace it (delete and re-create), but it is ` +
          "running and would be stopped, ending calls in progress; pause it first or re-run with --allow-stop-running",
        `BLOCKED: ${labelOf(plan, "holiday-hours")}: the plan would delete it, but it is scheduled and would ` +
          "be stopped, cancelling the calls it is scheduled to place; pause it first or re-run with --allow-stop-running",
        `BLOCKED: ${labelOf(plan, "q3-outreach")} belongs to the workflow "Nurture": the plan would delete it, ` +
          "and Woodpecker refuses to delete a campaign in an active workflow (409 CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW); " +
          'remove it from the workflow "Nurture" in Woodpecker, drop `workflow` from the resource (apply that with ' +
          "`pulumi up` before deleting or replacing it), and run preview again",
      ]),
    );
    expect(printed.slice(3)).to.deep.equal([
      NO_REFRESH,
      "guard: blocked (3 blocked, 1 warning, 9 campaign steps checked)",
    ]);
  });

  it("summarises passing plans", () => {
    expect(lines(formatReport(evaluatePlan(woodpeckerDeleteOnly("preview"), {})))).to.deep.equal([
      NO_REFRESH,
      "guard: passed (1 warning, 1 campaign step checked)",
    ]);
    const destroy = cliPlan("destroy-running", "preview");
    const printed = lines(formatReport(evaluatePlan(destroy, { allowStopRunning: true })));
    expect(sorted(printed.slice(0, 2))).to.deep.equal(
      ["reminders", "renewals"].map(
        (r) =>
          `ALLOWED: ${labelOf(destroy, r)}: the plan would delete it; it is running and will be ` +
          "stopped first, ending calls in progress (allowed by --allow-stop-running)",
      ),
    );
    expect(printed.slice(2)).to.deep.equal([
      NO_REFRESH,
      "guard: passed (2 allowed, 1 warning, 3 campaign steps checked)",
    ]);
  });
});

describe("guard: parsePreviewJson", () => {
  it("reads every document the CLI wrote", () => {
    for (const name of ["realistic-plan", "destroy-running", "woodpecker-replace-workflow"]) {
      expect(cliPlan(name).steps.length).to.be.greaterThan(0);
    }
  });

  it("skips lines printed before the document", () => {
    const text =
      "warning: A new version of Pulumi is available.\nPreviewing update (e2e):\n" +
      cliText("realistic-plan.refresh.json");
    expect(parsePreviewJson(text).steps).to.have.length(cliPlan("realistic-plan").steps.length);
  });

  it("treats a digest without steps as an empty plan (Go omits empty fields)", () => {
    expect(parsePreviewJson('{"duration": 120000000}').steps).to.deep.equal([]);
  });

  const rejects: Array<[string, () => string, RegExp]> = [
    ["empty input", () => "  \n", /the input is empty/],
    ["text that is not JSON", () => "error: no stack selected\n", /not JSON/],
    ["truncated JSON", () => cliText("realistic-plan.refresh.json").slice(0, 500), /not JSON/],
    ["a JSON array", () => "[]", /expected a JSON object/],
    ["an object without steps", () => '{"name": "campaigns"}', /no `steps` array/],
    ["steps that are not an array", () => '{"steps": {}}', /`steps` must be an array, got an object/],
    ["a step without op", () => '{"steps": [{"urn": "urn:pulumi:a::b::c::d"}]}', /steps\[0\] has no `op`/],
    ["a step without urn", () => '{"steps": [{"op": "delete"}]}', /steps\[0\] \(delete\) has no `urn`/],
    [
      "a state that is not an object",
      () => '{"steps": [{"op": "delete", "urn": "u", "oldState": 3}]}',
      /oldState must be/,
    ],
    [
      "streamed engine events",
      () => '{"sequence": 0, "timestamp": 1761570000, "cancelEvent": {}}\n',
      /PULUMI_ENABLE_STREAMING_JSON_PREVIEW/,
    ],
  ];
  for (const [what, text, message] of rejects) {
    it(`rejects ${what}`, () => {
      expect(() => parsePreviewJson(text())).to.throw(PreviewParseError, message);
    });
  }
});
