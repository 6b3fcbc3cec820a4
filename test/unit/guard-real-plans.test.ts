/**
 * The guard on plans the real CLI wrote: test/fixtures/preview/cli/, made by `npm run fixtures:preview`
 * (scripts/fixtures-preview.ts: each scenario of test/e2e/helpers/preview-scenarios.ts deployed with
 * `pulumi up` against the emulators, then previewed). Per scenario: `<name>.preview.json`
 * (`--show-replacement-steps`), `<name>.refresh.json` (and `--refresh`), for some `<name>.plain.json`
 * (neither flag), and `<name>.stack-export.json` (the state before the preview, `--previous-state`).
 */
import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import {
  evaluatePlan,
  formatSummary,
  isBlocked,
  parsePreviewJson,
  parseStackExport,
  type GuardOptions,
  type GuardReport,
} from "../../provider/guard";

const DIR = path.resolve(__dirname, "../fixtures/preview/cli");
const text = (file: string) => readFileSync(path.join(DIR, file), "utf8");
type Variant = "preview" | "refresh" | "plain";

function judge(
  name: string,
  variant: Variant,
  opts: GuardOptions & { withPrevious?: boolean } = {},
): GuardReport {
  const { withPrevious = true, ...rest } = opts;
  const previousState = withPrevious ? parseStackExport(text(`${name}.stack-export.json`)) : undefined;
  return evaluatePlan(parsePreviewJson(text(`${name}.${variant}.json`)), { ...rest, previousState });
}
const reasons = (r: GuardReport) => r.findings.filter((f) => f.level === "block").map((f) => f.reason);
const manifest = JSON.parse(text("manifest.json")) as {
  cli: string;
  scenarios: Array<{
    name: string;
    preview: { exitCode: number };
    refresh: { exitCode: number };
    plain?: { exitCode: number };
    extra?: Record<string, { args: string[]; exitCode: number }>;
  }>;
};

describe("guard on plans written by the real CLI (test/fixtures/preview/cli)", () => {
  it("were written by the pinned CLI, for every scenario, with the files each needs", () => {
    const pinned = (
      JSON.parse(readFileSync(path.resolve(__dirname, "../../package.json"), "utf8")) as {
        config: { pulumiCliVersion: string };
      }
    ).config.pulumiCliVersion;
    expect(manifest.cli).to.equal(`v${pinned}`);
    const files = readdirSync(DIR);
    expect(manifest.scenarios.map((s) => s.name)).to.have.length(18);
    for (const s of manifest.scenarios) {
      const each = ["preview", "refresh", "stack-export", ...(s.plain ? ["plain"] : [])];
      for (const f of [...each, ...Object.keys(s.extra ?? {})])
        expect(files).to.include(`${s.name}.${f}.json`);
    }
    expect(manifest.scenarios.find((s) => s.name === "burki-delete-not-refreshed")?.extra).to.deep.equal({
      "run-program": { args: ["--show-replacement-steps", "--refresh", "--run-program"], exitCode: 0 },
    });
  });

  it("hold no phone number, email address or contact name: the CLI prints [secret] for them", () => {
    for (const f of readdirSync(DIR).filter((x) => x.endsWith(".json"))) {
      const t = text(f);
      expect(t, f).not.to.match(/\+1555\d{7}/);
      expect(t, f).not.to.match(/@example\.(com|org|net)/);
      expect(t, f).not.to.match(/"(John|Maria|Contact \d+|Ana|Li|Rita|Sam)"/);
    }
  });

  for (const variant of ["preview", "refresh"] as const) {
    describe(`${variant === "refresh" ? "with" : "without"} --refresh`, () => {
      it("stop (state: paused) of a running Burki campaign passes, shown as a stop", () => {
        const r = judge("burki-stop-running", variant);
        expect(isBlocked(r)).to.equal(false);
        expect(r.changes.map((c) => [c.operation, c.current, c.planned, c.stops])).to.deep.equal([
          ["update", "running", "paused", true],
        ]);
      });

      it("destroy of running campaigns blocks each running Burki campaign, not the Woodpecker one", () => {
        const r = judge("destroy-running", variant);
        expect(reasons(r)).to.deep.equal(["stops-running", "stops-running"]);
        expect(r.findings.every((f) => f.platform === "burki" && f.op === "delete")).to.equal(true);
        expect(r.changes.map((c) => c.operation)).to.deep.equal(["delete", "delete", "delete"]);
        expect(
          judge("destroy-running", variant, { allowStopRunning: true }).findings.map((f) => f.level),
        ).to.deep.equal(["allowed", "allowed"]);
      });

      it("replacement of a running Burki campaign is blocked as a stop", () => {
        const r = judge("replace-running", variant);
        expect(reasons(r)).to.deep.equal(["stops-running"]);
        expect(r.changes[0]).to.include({ operation: "replace", current: "running", stops: true });
      });

      it("replacement of a running retainOnDelete campaign is blocked (two live campaigns)", () => {
        expect(reasons(judge("replace-running-retained", variant))).to.deep.equal(["retained-replace"]);
      });

      it("a pendingReplacement the stack export confirms is not blocked (the campaign is gone)", () => {
        const r = judge("pending-replacement", variant);
        expect(isBlocked(r)).to.equal(false);
        expect(r.changes[0]).to.include({ operation: "replace", current: "already deleted", stops: false });
      });

      it("a running copy left by a replacement (delete-replaced) is blocked", () => {
        const r = judge("delete-replaced", variant);
        expect(r.findings.map((f) => [f.reason, f.op])).to.deep.equal([["stops-running", "delete-replaced"]]);
      });

      it("delete of a Woodpecker campaign that declares a workflow is blocked", () => {
        const r = judge("woodpecker-workflow-delete", variant);
        expect(reasons(r)).to.deep.equal(["workflow"]);
        expect(r.findings[0].message).to.include('"Nurture"');
      });

      it("creates that start calling 2,000 contacts are counted, and blocked with --block-starts", () => {
        expect(isBlocked(judge("creates-start-2000", variant))).to.equal(false);
        const r = judge("creates-start-2000", variant, { blockStarts: true });
        expect(reasons(r)).to.deep.equal(["starts", "starts"]);
        const burki = r.changes.find((c) => c.platform === "burki");
        expect(burki).to.include({ operation: "create", startCount: 2000, planned: "running" });
        expect(formatSummary(r)).to.include("starts calling 2,000 contacts");
      });

      it("a prospect Woodpecker refused at the last up is shown by position in the campaign's row, not blocked", () => {
        const r = judge("woodpecker-prospect-refused", variant);
        expect(isBlocked(r)).to.equal(false);
        const row = r.changes.find((c) => c.urn.endsWith("::q4-outreach"));
        expect(row?.effect).to.include(
          "1 prospect refused by Woodpecker at the last update (prospects[2]: E_INV_STATUS)",
        );
        expect(formatSummary(r)).to.include("prospects[2]: E_INV_STATUS");
      });

      it("a delete whose status is [secret] fails closed", () => {
        const r = judge("secret-status", variant);
        expect(reasons(r)).to.deep.equal(["status-unknown"]);
        expect(r.changes[0].current).to.equal("hidden");
      });

      it("a failed preview is blocked, with the CLI's exit code 1 and its error", () => {
        const r = judge("preview-failed", variant);
        expect(isBlocked(r)).to.equal(true);
        expect(r.previewErrors).to.have.length(1);
        expect(r.previewErrors[0]).to.include("belongs to the active workflow");
        const entry = manifest.scenarios.find((s) => s.name === "preview-failed")!;
        expect(entry[variant].exitCode).to.equal(1);
      });
    });
  }

  describe("the preview's own pendingReplacement (DeleteStep.Apply sets it before the replace steps print)", () => {
    it("the CLI writes pendingReplacement: true on the replace steps of a replacement not yet run", () => {
      const plan = parsePreviewJson(text("replace-running.plain.json"));
      const replace = plan.steps.find((s) => s.op === "replace")!;
      expect(replace.oldState?.pendingReplacement).to.equal(true);
      const stored = parseStackExport(text("replace-running.stack-export.json"));
      expect([...stored.resources.values()].some((r) => r.pendingReplacement === true)).to.equal(false);
    });

    it("without --show-replacement-steps, a replacement of a running campaign is still blocked", () => {
      for (const withPrevious of [true, false]) {
        const r = judge("replace-running", "plain", { withPrevious });
        expect(reasons(r), `previous state: ${withPrevious}`).to.deep.equal(["stops-running"]);
      }
      expect(reasons(judge("replace-running-retained", "plain"))).to.deep.equal(["retained-replace"]);
    });

    it("a real pending replacement with nothing to confirm it is judged as a delete, and the guard says why", () => {
      const r = judge("pending-replacement", "plain", { withPrevious: false });
      expect(reasons(r)).to.deep.equal(["stops-running"]);
      expect(r.warnings.join("\n")).to.include(
        "nothing in the plan confirms an earlier replacement got half-way",
      );
      expect(isBlocked(judge("pending-replacement", "plain"))).to.equal(false);
      expect(isBlocked(judge("pending-replacement", "refresh", { withPrevious: false }))).to.equal(false);
    });
  });
});

describe("what else the real CLI writes (and the guard relies on)", () => {
  const plan = (name: string, variant: Variant | "run-program") =>
    parsePreviewJson(text(`${name}.${variant}.json`));
  const ops = (name: string, variant: Variant | "run-program", resource: string) =>
    plan(name, variant)
      .steps.filter((s) => s.urn.endsWith(`::${resource}`))
      .map((s) => s.op);
  const status = (state: { outputs?: Record<string, unknown> } | undefined) => state?.outputs?.status;

  it("a refresh step prints the stored state; the campaign's next step carries what the refresh found", () => {
    // "Reminders" was started in Burki's app after the last `up`: stored draft, live running.
    const steps = plan("burki-delete-stale", "refresh").steps.filter((s) => s.urn.endsWith("::reminders"));
    expect(steps.map((s) => [s.op, status(s.oldState), status(s.newState)])).to.deep.equal([
      ["refresh", "draft", "draft"],
      ["delete", "running", undefined],
    ]);
    // So the guard judges the delete on the live status.
    expect(reasons(judge("burki-delete-stale", "refresh"))).to.deep.equal(["stops-running"]);
  });

  it("--refresh --run-program refreshes only what the program registers, after the stack's same step", () => {
    const steps = plan("burki-delete-not-refreshed", "run-program").steps;
    expect(steps.map((s) => `${s.op} ${s.urn.split("::").at(-1)}`)).to.deep.equal([
      "same fx-burki-delete-not-refreshed-e2e",
      "refresh renewals",
      "delete reminders",
    ]);
    // Its refresh step's newState is the program's goal (inputs, no outputs), not a stored state.
    expect(steps[1].newState?.outputs).to.equal(undefined);
    expect(status(steps[2].oldState)).to.equal("draft"); // stale: Burki says running
  });

  it("lists no `same` step of a campaign (only with --show-sames), only the stack's; changeSummary counts them", () => {
    const p = plan("realistic-plan", "refresh");
    expect(p.steps.filter((s) => s.op === "same").map((s) => s.urn.split("::").at(-1))).to.deep.equal([
      "fx-realistic-plan-e2e",
    ]);
    expect(ops("realistic-plan", "refresh", "winback")).to.deep.equal(["refresh"]);
    expect(p.changeSummary).to.include({ same: 2 });
  });

  it('`--replace <urn>` replaces with replaceReasons ["id"], and skips the check that refuses the change', () => {
    // The guard does not read replaceReasons (the parser keeps only what it reads): the raw document.
    const raw = JSON.parse(text("woodpecker-replace-workflow.preview.json")) as {
      steps: Array<{ op: string; replaceReasons?: string[] }>;
    };
    expect(raw.steps.find((s) => s.op === "replace")!.replaceReasons).to.deep.equal(["id"]);
    expect(ops("woodpecker-replace-workflow", "preview", "q4-outreach")).to.deep.equal([
      "delete-replaced",
      "replace",
      "create-replacement",
    ]);
    const entry = manifest.scenarios.find((s) => s.name === "woodpecker-replace-workflow")!;
    expect([entry.preview.exitCode, entry.refresh.exitCode, entry.plain?.exitCode]).to.deep.equal([0, 0, 0]);
    expect(reasons(judge("woodpecker-replace-workflow", "refresh"))).to.deep.equal(["workflow"]);
  });

  it("a campaign the preview's refresh finds gone: its refresh step, a create, and the provider's note as info#err", () => {
    const p = plan("recreate-deleted-outside", "refresh");
    expect(ops("recreate-deleted-outside", "refresh", "renewals")).to.deep.equal(["refresh", "create"]);
    expect(p.diagnostics?.map((d) => d.severity)).to.deep.equal(["info#err"]);
    expect(judge("recreate-deleted-outside", "refresh").previewErrors).to.deep.equal([]);
  });
});
