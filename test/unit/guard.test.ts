import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import ts from "typescript";
import { runCli } from "../../provider/cli";
import {
  type GuardReport,
  type PreviewDigest,
  PreviewParseError,
  evaluatePlan,
  exitCodeFor,
  formatReport,
  parsePreviewJson,
} from "../../provider/guard";

const ROOT = path.resolve(__dirname, "../..");
const FIXTURES = path.join(ROOT, "test/fixtures/preview");

const fixturePath = (name: string) => path.join(FIXTURES, `${name}.json`);
const fixtureText = (name: string) => readFileSync(fixturePath(name), "utf8");
const fixture = (name: string): PreviewDigest => parsePreviewJson(fixtureText(name));
const lines = (text: string) => text.split("\n").filter((line) => line !== "");

const WOODPECKER_Q4_DELETE =
  'Woodpecker campaign 4711 ("q4-outreach") belongs to the workflow "Q4 nurture": the plan would delete it, ' +
  "and Woodpecker refuses to delete a campaign in an active workflow (409 CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW); " +
  'remove it from the workflow "Q4 nurture" in Woodpecker, drop `workflow` from the resource (apply that with ' +
  "`pulumi up` before deleting or replacing it), and run preview again";
const BURKI_42_REPLACE_BLOCKED =
  'Burki campaign 42 ("Renewal reminders"): the plan would replace it (delete and re-create), but it is ' +
  "running and would be stopped, ending calls in progress; pause it first or re-run with --allow-stop-running";
const BURKI_61_DELETE_BLOCKED =
  'Burki campaign 61 ("Holiday hours notice"): the plan would delete it, but it is scheduled and would be ' +
  "stopped, cancelling the calls it is scheduled to place; pause it first or re-run with --allow-stop-running";

/** The older fixtures were made without `--refresh` and without `--show-replacement-steps`. */
const NO_REFRESH =
  "WARNING: the plan shows no sign of a refresh (no `refresh` steps): the statuses it judges are what the " +
  "last `pulumi up` or refresh stored, and may be stale; run `pulumi preview --refresh " +
  "--show-replacement-steps --json`";
const NO_REPLACEMENT_STEPS =
  "WARNING: the plan lists 1 replacement without its steps, so it was made without " +
  "`--show-replacement-steps`: copies that earlier replacements left to delete (`delete-replaced`) are " +
  "hidden from it; run `pulumi preview --refresh --show-replacement-steps --json`";

const MIXED_STDOUT = [
  `BLOCKED: ${WOODPECKER_Q4_DELETE}`,
  `BLOCKED: ${BURKI_42_REPLACE_BLOCKED}`,
  `BLOCKED: ${BURKI_61_DELETE_BLOCKED}`,
  NO_REFRESH,
  NO_REPLACEMENT_STEPS,
  "guard: blocked (3 blocked, 2 warnings, 6 campaign steps checked)",
];

/** A deep copy of a fixture to bend into a case the fixtures do not cover. */
function variant(name: string, edit: (digest: PreviewDigest) => void): PreviewDigest {
  const digest = structuredClone(fixture(name));
  edit(digest);
  return digest;
}

const levels = (report: GuardReport) => report.findings.map((f) => `${f.level} ${f.platform} ${f.op}`);

describe("guard: evaluatePlan", () => {
  it("blocks deleting a Woodpecker campaign whose state declares a workflow", () => {
    const report = evaluatePlan(fixture("woodpecker-delete-workflow"), {});
    expect(report.findings).to.deep.equal([
      {
        level: "block",
        reason: "workflow",
        urn: "urn:pulumi:prod::campaigns::pulumi-nodejs:dynamic/woodpecker:Campaign::q4-outreach",
        platform: "woodpecker",
        campaignId: 4711,
        name: "q4-outreach",
        op: "delete",
        message: WOODPECKER_Q4_DELETE,
      },
    ]);
    expect(report.checked).to.equal(1);
    expect(exitCodeFor(report)).to.equal(1);
  });

  it("reports a replacement (replace + create-replacement + delete-replaced) once", () => {
    const report = evaluatePlan(fixture("woodpecker-replace-workflow"), {});
    expect(levels(report)).to.deep.equal(["block woodpecker replace"]);
    expect(report.findings[0].message).to.contain("the plan would replace it (delete and re-create)");
    expect(report.checked).to.equal(3);
  });

  it("blocks a replacement shown as the logical replace step alone (no --show-replacement-steps)", () => {
    const digest = variant("woodpecker-replace-workflow", (d) => {
      d.steps = d.steps.filter((s) => s.op !== "create-replacement" && s.op !== "delete-replaced");
    });
    expect(levels(evaluatePlan(digest, {}))).to.deep.equal(["block woodpecker replace"]);
  });

  it("passes deleting a Woodpecker campaign without a workflow", () => {
    const report = evaluatePlan(fixture("woodpecker-delete-no-workflow"), {});
    expect(report.findings).to.deep.equal([]);
    expect(report.checked).to.equal(1);
    expect(exitCodeFor(report)).to.equal(0);
  });

  it("falls back to the workflow in the old inputs when the outputs lack it", () => {
    const digest = variant("woodpecker-delete-workflow", (d) => {
      delete d.steps[1].oldState!.outputs!.workflow;
    });
    expect(evaluatePlan(digest, {}).findings[0].message).to.equal(WOODPECKER_Q4_DELETE);
  });

  it("still blocks a workflow whose name is a secret, without printing it", () => {
    const digest = variant("woodpecker-delete-workflow", (d) => {
      d.steps[1].oldState!.outputs!.workflow = "[secret]";
      d.steps[1].oldState!.inputs!.workflow = "[secret]";
    });
    const [finding] = evaluatePlan(digest, {}).findings;
    expect(finding.level).to.equal("block");
    expect(finding.message).to.contain("its workflow (name hidden as a secret)");
  });

  it("blocks destroying a running Burki campaign, and allows it with allowStopRunning", () => {
    const blocked = evaluatePlan(fixture("burki-destroy-running"), {});
    expect(levels(blocked)).to.deep.equal(["block burki delete"]);
    expect(blocked.findings[0]).to.include({ campaignId: 42, name: "Renewal reminders" });
    expect(blocked.findings[0].message).to.equal(
      'Burki campaign 42 ("Renewal reminders"): the plan would delete it, but it is running and would be ' +
        "stopped, ending calls in progress; pause it first or re-run with --allow-stop-running",
    );
    // The paused campaign and the provider and stack deletes are not findings.
    expect(blocked.checked).to.equal(2);
    expect(exitCodeFor(blocked)).to.equal(1);

    const allowed = evaluatePlan(fixture("burki-destroy-running"), { allowStopRunning: true });
    expect(levels(allowed)).to.deep.equal(["allowed burki delete"]);
    expect(allowed.findings[0].message).to.equal(
      'Burki campaign 42 ("Renewal reminders"): the plan would delete it; it is running and will be stopped ' +
        "first, ending calls in progress (allowed by --allow-stop-running)",
    );
    expect(exitCodeFor(allowed)).to.equal(0);
  });

  it("never blocks plain updates, even of workflow-bound or running campaigns", () => {
    const report = evaluatePlan(fixture("update-only"), {});
    expect(report.findings).to.deep.equal([]);
    expect(report.checked).to.equal(2);
    expect(exitCodeFor(report)).to.equal(0);
  });

  it("passes a plan of same steps", () => {
    const report = evaluatePlan(fixture("same-only"), {});
    expect(report).to.deep.equal({ findings: [], warnings: [], changes: [], checked: 2, previewErrors: [] });
  });

  it("reports every dangerous campaign of a mixed plan, in plan order", () => {
    const report = evaluatePlan(fixture("mixed"), {});
    expect(report.findings.map((f) => f.message)).to.deep.equal([
      WOODPECKER_Q4_DELETE,
      BURKI_42_REPLACE_BLOCKED,
      BURKI_61_DELETE_BLOCKED,
    ]);
    expect(levels(report)).to.deep.equal([
      "block woodpecker delete",
      "block burki replace",
      "block burki delete",
    ]);
    expect(report.checked).to.equal(6);

    const withFlag = evaluatePlan(fixture("mixed"), { allowStopRunning: true });
    expect(levels(withFlag)).to.deep.equal([
      "block woodpecker delete",
      "allowed burki replace",
      "allowed burki delete",
    ]);
    expect(exitCodeFor(withFlag)).to.equal(1);
  });

  it("blocks a failed preview: its plan has no deletes yet", () => {
    const report = evaluatePlan(fixture("preview-failed"), {});
    expect(report.findings).to.deep.equal([]);
    expect(report.previewErrors).to.deep.equal([
      "Running program '/home/runner/work/campaigns/campaigns' failed with an unhandled exception",
    ]);
    expect(exitCodeFor(report)).to.equal(1);
  });

  it("skips deletes that never reach the provider (retainOnDelete, discard), not retained replacements", () => {
    const retained = variant("mixed", (d) => {
      for (const step of d.steps) if (step.oldState) step.oldState.retainOnDelete = true;
    });
    // The deletes only forget their campaigns; the replacement of the running campaign 42 would leave it
    // calling beside its new copy.
    expect(evaluatePlan(retained, {}).findings.map((f) => `${f.campaignId} ${f.reason}`)).to.deep.equal([
      "42 retained-replace",
    ]);

    const discarded = variant("woodpecker-delete-workflow", (d) => {
      d.steps[1].op = "discard";
    });
    expect(evaluatePlan(discarded, {}).findings).to.deep.equal([]);
  });

  it("tells a leftover copy from an earlier replacement apart from the live campaign", () => {
    const digest = variant("woodpecker-replace-workflow", (d) => {
      const leftover = structuredClone(d.steps[1]);
      leftover.oldState!.id = "4650";
      leftover.oldState!.outputs!.campaignId = 4650;
      d.steps.push(leftover);
    });
    const report = evaluatePlan(digest, {});
    expect(report.findings.map((f) => `${f.campaignId} ${f.op}`)).to.deep.equal([
      "4711 replace",
      "4650 delete-replaced",
    ]);
    expect(report.findings[1].message).to.contain("the old copy left by an earlier replacement");
  });

  it("recognises a campaign by its URN when the state has no type (child of a component)", () => {
    const digest = variant("woodpecker-delete-workflow", (d) => {
      const step = d.steps[1];
      step.urn = step.urn.replace("::pulumi-nodejs:", "::acme:index:Outreach$pulumi-nodejs:");
      delete step.oldState!.type;
      delete step.oldState!.outputs!.campaignId;
      delete step.oldState!.id;
    });
    const [finding] = evaluatePlan(digest, {}).findings;
    expect(finding).to.include({ platform: "woodpecker", name: "q4-outreach" });
    expect(finding.campaignId).to.equal(undefined);
    expect(finding.message).to.match(
      /^Woodpecker campaign "q4-outreach" belongs to the workflow "Q4 nurture"/,
    );
  });
});

describe("guard: formatReport", () => {
  it("prints one line per campaign and a summary line", () => {
    expect(lines(formatReport(evaluatePlan(fixture("mixed"), {})))).to.deep.equal(MIXED_STDOUT);
  });

  it("summarises passing plans", () => {
    expect(formatReport(evaluatePlan(fixture("same-only"), {}))).to.equal(
      "guard: passed (2 campaign steps checked)\n",
    );
    expect(lines(formatReport(evaluatePlan(fixture("woodpecker-delete-no-workflow"), {})))).to.deep.equal([
      NO_REFRESH,
      "guard: passed (1 warning, 1 campaign step checked)",
    ]);
    expect(
      lines(formatReport(evaluatePlan(fixture("burki-destroy-running"), { allowStopRunning: true }))),
    ).to.deep.equal([
      'ALLOWED: Burki campaign 42 ("Renewal reminders"): the plan would delete it; it is running and will be ' +
        "stopped first, ending calls in progress (allowed by --allow-stop-running)",
      NO_REFRESH,
      "guard: passed (1 allowed, 1 warning, 2 campaign steps checked)",
    ]);
  });
});

describe("guard: parsePreviewJson", () => {
  it("reads every fixture", () => {
    for (const name of ["mixed", "same-only", "burki-destroy-running", "woodpecker-replace-workflow"]) {
      expect(fixture(name).steps.length).to.be.greaterThan(0);
    }
  });

  it("skips lines printed before the document", () => {
    const text =
      "warning: A new version of Pulumi is available.\nPreviewing update (prod):\n" + fixtureText("mixed");
    expect(parsePreviewJson(text).steps).to.have.length(8);
  });

  it("treats a digest without steps as an empty plan (Go omits empty fields)", () => {
    expect(parsePreviewJson('{"duration": 120000000}').steps).to.deep.equal([]);
  });

  const rejects: Array<[string, string, RegExp]> = [
    ["empty input", "  \n", /the input is empty/],
    ["text that is not JSON", "error: no stack selected\n", /not JSON/],
    ["truncated JSON", fixtureText("mixed").slice(0, 500), /not JSON/],
    ["a JSON array", "[]", /expected a JSON object/],
    ["an object without steps", '{"name": "campaigns"}', /no `steps` array/],
    ["steps that are not an array", '{"steps": {}}', /`steps` must be an array, got an object/],
    ["a step without op", '{"steps": [{"urn": "urn:pulumi:a::b::c::d"}]}', /steps\[0\] has no `op`/],
    ["a step without urn", '{"steps": [{"op": "delete"}]}', /steps\[0\] \(delete\) has no `urn`/],
    [
      "a state that is not an object",
      '{"steps": [{"op": "delete", "urn": "u", "oldState": 3}]}',
      /oldState must be/,
    ],
    [
      "streamed engine events",
      '{"sequence": 0, "timestamp": 1761570000, "cancelEvent": {}}\n',
      /PULUMI_ENABLE_STREAMING_JSON_PREVIEW/,
    ],
  ];
  for (const [what, text, message] of rejects) {
    it(`rejects ${what}`, () => {
      expect(() => parsePreviewJson(text)).to.throw(PreviewParseError, message);
    });
  }
});

describe("guard: the pulumi-campaigns command", function () {
  // Compile the bin exactly as `npm run build` would (the project's tsconfig, CommonJS), but only the
  // CLI and what it imports, into a scratch directory: other modules' work in progress cannot break it.
  let outDir: string;
  let cli: string;

  before(function () {
    this.timeout(120_000);
    outDir = mkdtempSync(path.join(tmpdir(), "pulumi-campaigns-cli-"));
    compile(path.join(ROOT, "provider/cli.ts"), outDir);
    cli = path.join(outDir, "cli.js");
  });

  after(() => rmSync(outDir, { recursive: true, force: true }));

  const run = (args: string[], input?: string) => {
    const result = spawnSync(process.execPath, [cli, ...args], { cwd: ROOT, input, encoding: "utf8" });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it("is a node script", () => {
    expect(readFileSync(cli, "utf8").split("\n")[0]).to.equal("#!/usr/bin/env node");
  });

  it("blocks a plan given as a file (exit 1)", () => {
    const { code, stdout, stderr } = run(["guard", fixturePath("mixed")]);
    expect(lines(stdout)).to.deep.equal(MIXED_STDOUT);
    expect(stderr).to.equal("");
    expect(code).to.equal(1);
  });

  it("reads the plan from standard input, with no file or with -", () => {
    for (const args of [["guard"], ["guard", "-"]]) {
      const { code, stdout } = run(args, fixtureText("mixed"));
      expect(lines(stdout)).to.deep.equal(MIXED_STDOUT);
      expect(code).to.equal(1);
    }
  });

  it("passes a plan that changes nothing dangerous (exit 0)", () => {
    const { code, stdout } = run(["guard"], fixtureText("update-only"));
    expect(lines(stdout)).to.deep.equal([NO_REFRESH, "guard: passed (1 warning, 2 campaign steps checked)"]);
    expect(code).to.equal(0);
  });

  it("lets --allow-stop-running through, before or after the file", () => {
    for (const args of [
      ["guard", "--allow-stop-running", fixturePath("burki-destroy-running")],
      ["guard", fixturePath("burki-destroy-running"), "--allow-stop-running"],
    ]) {
      const { code, stdout } = run(args);
      expect(lines(stdout)).to.have.length(3);
      expect(lines(stdout)[0]).to.match(/^ALLOWED: Burki campaign 42 \("Renewal reminders"\)/);
      expect(lines(stdout)[2]).to.equal("guard: passed (1 allowed, 1 warning, 2 campaign steps checked)");
      expect(code).to.equal(0);
    }
    expect(run(["guard", fixturePath("burki-destroy-running")]).code).to.equal(1);
  });

  it("accepts output with lines before the JSON on standard input", () => {
    const { code, stdout } = run(
      ["guard"],
      "Previewing update (prod):\n" + fixtureText("woodpecker-delete-workflow"),
    );
    expect(lines(stdout)).to.deep.equal([
      `BLOCKED: ${WOODPECKER_Q4_DELETE}`,
      NO_REFRESH,
      "guard: blocked (1 blocked, 1 warning, 1 campaign step checked)",
    ]);
    expect(code).to.equal(1);
  });

  it("prints help (exit 0)", () => {
    for (const args of [["--help"], ["guard", "--help"]]) {
      const { code, stdout } = run(args);
      expect(stdout).to.contain(
        "pulumi-campaigns guard [file] [--allow-stop-running] [--block-starts [--allow-starts]]",
      );
      expect(code).to.equal(0);
    }
  });

  const usageErrors: Array<[string, string[], string | undefined, RegExp]> = [
    ["no command", [], undefined, /missing command/],
    ["an unknown command", ["deploy"], undefined, /unknown command "deploy"/],
    ["an unknown option", ["guard", "--force", "plan.json"], undefined, /Unknown option '--force'/],
    ["two files", ["guard", "a.json", "b.json"], undefined, /at most one file, got 2/],
    [
      "a missing file",
      ["guard", "does-not-exist.json"],
      undefined,
      /cannot read does-not-exist\.json: ENOENT/,
    ],
    ["input that is not JSON", ["guard"], "error: no stack selected\n", /standard input: not JSON/],
    ["JSON that is not a preview", ["guard"], '{"version": 3}', /standard input: no `steps` array/],
  ];
  for (const [what, args, input, message] of usageErrors) {
    it(`exits 2 on ${what}, with a message on stderr`, () => {
      const { code, stdout, stderr } = run(args, input ?? "");
      expect(stderr).to.match(message);
      expect(stdout).to.equal("");
      expect(code).to.equal(2);
    });
  }

  it("refuses to wait on a terminal (exit 2)", async () => {
    const stdin = Object.assign(Readable.from([]), { isTTY: true });
    let stderr = "";
    const code = await runCli(["guard"], { stdin, stdout: () => undefined, stderr: (t) => (stderr += t) });
    expect(code).to.equal(2);
    expect(stderr).to.contain("no input: pass a file or pipe `pulumi preview --json` into the command");
  });
});

function compile(entry: string, outDir: string): void {
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => ROOT,
    getNewLine: () => "\n",
  };
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, "tsconfig.json"),
    { outDir, declaration: false, sourceMap: false },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.formatDiagnostic(d, host));
      },
    },
  );
  if (!config) throw new Error("cannot read tsconfig.json");
  const program = ts.createProgram({ rootNames: [entry], options: config.options });
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  if (diagnostics.length > 0) throw new Error(ts.formatDiagnostics(diagnostics, host));
}
