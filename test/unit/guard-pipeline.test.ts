/**
 * The GitOps pipeline (examples/gitops/.github/workflows/campaigns.yml) as a reviewer would want it, and
 * the hand-built preview fixture being in the exact shape the CLI prints (the CLI-written ones show it).
 */
import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { CLI_DIR, HAND_BUILT_DIR } from "./preview-fixtures";

const ROOT = path.resolve(__dirname, "../..");
const WORKFLOW = path.join(ROOT, "examples/gitops/.github/workflows/campaigns.yml");

interface Step {
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = parse(readFileSync(WORKFLOW, "utf8")) as Workflow;
const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");
/** The `pulumi preview` invocations of a job: run lines, and pulumi/actions steps with `command: preview`. */
const previews = (job: Job) => [
  ...runs(job)
    .split("\n")
    .filter((line) => /\bpulumi preview\b/.test(line)),
  ...job.steps
    .filter((s) => s.uses?.startsWith("pulumi/actions") && s.with?.command === "preview")
    .map(() => "action"),
];
const stepIndex = (job: Job, pattern: RegExp) => job.steps.findIndex((s) => pattern.test(s.run ?? ""));

describe("the GitOps pipeline", () => {
  const { preview, plan, deploy, drift } = workflow.jobs;

  it("uses the current major of pulumi/actions (v7, node24 runtime) everywhere", () => {
    const uses = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.uses ?? ""));
    const pulumi = uses.filter((u) => u.startsWith("pulumi/actions"));
    expect(pulumi).to.have.length(4);
    for (const u of pulumi) expect(u).to.equal("pulumi/actions@v7");
    // A pinned CLI, the release of the SDK in the examples' package.json.
    expect(workflow.env.PULUMI_VERSION).to.match(/^3\.\d+\.\d+$/);
    const sdk = JSON.parse(readFileSync(path.join(ROOT, "examples/gitops/package.json"), "utf8"))
      .dependencies["@pulumi/pulumi"];
    expect(sdk.replace(/^\^/, "")).to.equal(workflow.env.PULUMI_VERSION);
  });

  it("grants nothing at the top and scopes permissions per job", () => {
    expect(workflow.permissions).to.deep.equal({});
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect(job.permissions, name).to.be.an("object");
      expect(job.permissions!.contents, name).to.equal("read");
    }
    expect(preview.permissions).to.deep.equal({ contents: "read", "pull-requests": "write" });
    expect(deploy.permissions).to.deep.equal({ contents: "read" });
    expect(drift.permissions).to.deep.equal({ contents: "read" });
  });

  it("gates `pulumi up` on main behind an environment approval, after the plan job", () => {
    expect(deploy.environment).to.equal("production");
    expect(deploy.needs).to.equal("plan");
    expect(plan.if).to.contain("refs/heads/main");
    // Nothing else runs `up`.
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const ups = runs(job).match(/\bpulumi up\b/g) ?? [];
      expect(ups.length, name).to.equal(name === "deploy" ? 1 : 0);
      expect(
        job.steps.some((s) => s.with?.command === "up"),
        name,
      ).to.equal(false);
    }
  });

  it("runs one preview per pull-request run, and cancels an older run of the same pull request", () => {
    expect(previews(preview)).to.have.length(1);
    expect(String((workflow as unknown as { concurrency: { group: string } }).concurrency.group)).to.contain(
      "github.event.pull_request.number",
    );
  });

  it("previews with --refresh --show-replacement-steps --json (never --run-program) wherever it guards", () => {
    for (const job of [preview, plan, deploy]) {
      const [line] = previews(job);
      expect(line).to.contain("pulumi preview");
      for (const flag of ["--refresh", "--show-replacement-steps", "--json"]) expect(line).to.contain(flag);
      expect(runs(job)).not.to.contain("--run-program");
    }
  });

  it("guards with --block-starts and the state from before the last refresh, then publishes the summary", () => {
    for (const job of [preview, plan, deploy]) {
      const script = runs(job);
      expect(script).to.contain("npx pulumi-campaigns guard plan.json");
      expect(script).to.contain("--block-starts");
      expect(script).to.contain("--previous-state previous-state.json");
      expect(script).to.contain("--summary-file summary.md");
      expect(script).to.match(/pulumi stack export --stack "\$STACK" .*--file previous-state\.json/);
      // The export comes first, then the preview, then the guard.
      expect(stepIndex(job, /stack export/)).to.be.lessThan(stepIndex(job, /pulumi preview/));
      expect(stepIndex(job, /pulumi preview/)).to.be.lessThan(stepIndex(job, /pulumi-campaigns guard/));
    }
    // The pull request gets the summary as its comment, also when the guard blocked.
    const comment = preview.steps.find((s) => /gh pr comment/.test(s.run ?? ""))!;
    expect(comment.if).to.contain("always()");
    expect(comment.run).to.contain("--body-file summary.md");
  });

  it("judges again right before `up`, in the same job", () => {
    expect(stepIndex(deploy, /pulumi-campaigns guard/)).to.equal(stepIndex(deploy, /pulumi up/) - 1);
  });

  it("approves starts with the `allow-starts` label or a manual run, never by default", () => {
    expect(workflow.on.pull_request).to.deep.include({
      types: ["opened", "synchronize", "reopened", "labeled", "unlabeled"],
    });
    const dispatch = workflow.on.workflow_dispatch as { inputs: Record<string, { default: boolean }> };
    expect(dispatch.inputs["allow-starts"].default).to.equal(false);
    expect(preview.steps.find((s) => s.env?.ALLOW_STARTS)!.env!.ALLOW_STARTS).to.contain("'allow-starts'");
    for (const job of [preview, plan, deploy]) {
      expect(runs(job)).to.contain('if [ "$ALLOW_STARTS" = "true" ]; then flags+=(--allow-starts); fi');
    }
  });

  it("keeps the nightly drift check", () => {
    expect(drift.if).to.equal("github.event_name == 'schedule'");
    expect(runs(drift)).to.contain("pulumi refresh --yes");
    expect(runs(drift)).to.contain("pulumi preview --expect-no-changes");
  });
});

/** `json` tags of Go's structs, in declaration order (pkg/display/json.go, sdk/go/common/apitype/core.go). */
const DIGEST = ["config", "steps", "diagnostics", "duration", "changeSummary", "maybeCorrupt"];
const STEP = [
  "op",
  "urn",
  "provider",
  "oldState",
  "newState",
  "diffReasons",
  "replaceReasons",
  "detailedDiff",
];
const RESOURCE_V3 = [
  "urn",
  "custom",
  "delete",
  "id",
  "type",
  "inputs",
  "outputs",
  "parent",
  "protect",
  "taint",
  "external",
  "dependencies",
  "initErrors",
  "provider",
  "propertyDependencies",
  "pendingReplacement",
  "additionalSecretOutputs",
  "aliases",
  "customTimeouts",
  "importID",
  "retainOnDelete",
  "deletedWith",
  "replaceWith",
  "created",
  "modified",
  "sourcePosition",
  "stackTrace",
  "ignoreChanges",
  "hideDiff",
  "replaceOnChanges",
  "replacementTrigger",
  "refreshBeforeUpdate",
  "viewOf",
  "resourceHooks",
  "extensionRef",
  "snippetID",
];

function expectOrdered(keys: string[], order: string[], where: string) {
  const positions = keys.map((k) => order.indexOf(k));
  expect(positions, `${where}: ${keys.join(", ")}`).not.to.include(-1);
  expect(positions, `${where}: ${keys.join(", ")}`).to.deep.equal([...positions].sort((a, b) => a - b));
}

function expectSortedMaps(value: unknown, where: string): void {
  if (Array.isArray(value)) value.forEach((v, i) => expectSortedMaps(v, `${where}[${i}]`));
  else if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value);
    expect(keys, where).to.deep.equal([...keys].sort());
    for (const k of keys) expectSortedMaps((value as Record<string, unknown>)[k], `${where}.${k}`);
  }
}

describe("the preview fixtures", () => {
  it("have Go's field order, sorted maps, four-space indent and HTML-safe escapes", () => {
    // The CLI-written documents prove the field orders above; the hand-built one must follow them.
    const files = [
      ...readdirSync(CLI_DIR)
        .filter((f) => f.endsWith(".json") && !f.includes("stack-export") && f !== "manifest.json")
        .map((f) => path.join(CLI_DIR, f)),
      ...readdirSync(HAND_BUILT_DIR)
        .filter((f) => f.endsWith(".json"))
        .map((f) => path.join(HAND_BUILT_DIR, f)),
    ];
    expect(files.length).to.be.greaterThan(40);
    for (const file of files) {
      const raw = readFileSync(file, "utf8");
      const digest = JSON.parse(raw) as { steps?: Array<Record<string, unknown>> };
      expectOrdered(Object.keys(digest), DIGEST, file);
      for (const [i, step] of (digest.steps ?? []).entries()) {
        expectOrdered(Object.keys(step), STEP, `${file} steps[${i}]`);
        expect(step, `${file} steps[${i}]`).to.have.property("detailedDiff"); // not omitempty
        for (const key of ["oldState", "newState"]) {
          const state = step[key] as Record<string, unknown> | undefined;
          if (!state) continue;
          expectOrdered(Object.keys(state), RESOURCE_V3, `${file} steps[${i}].${key}`);
          expectSortedMaps(state.inputs, `${file} steps[${i}].${key}.inputs`);
          expectSortedMaps(state.outputs, `${file} steps[${i}].${key}.outputs`);
        }
      }
      expect(raw.split("\n")[1], file).to.match(/^ {4}"/);
      expect(raw, file).not.to.match(/[<>&]/);
      expect(raw.endsWith("}\n"), file).to.equal(true);
    }
  });
});
