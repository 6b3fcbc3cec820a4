/**
 * The guard's blind spots (issue 12, section 1), each on a plan the real CLI wrote
 * (test/fixtures/preview/cli/, docs/guard-fixtures.md says how each is made), except the statuses Burki
 * does not have (test/fixtures/preview/burki-status-unknown.json, hand-built).
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { HAND_BUILT_DIR, type Variant, cliPlan, labelOf, variantOf } from "./preview-fixtures";
import {
  type GuardReport,
  type PreviewDigest,
  UNKNOWN_PLACEHOLDER,
  evaluatePlan,
  exitCodeFor,
  formatReport,
  parsePreviewJson,
} from "../../provider/guard";

/** The hand-built plan of statuses the CLI cannot make against the emulators. */
const unknownStatuses = (): PreviewDigest =>
  parsePreviewJson(readFileSync(path.join(HAND_BUILT_DIR, "burki-status-unknown.json"), "utf8"));
const lines = (report: GuardReport) => formatReport(report).split("\n").filter(Boolean);

function variant(name: string, edit: (digest: PreviewDigest) => void, v: Variant = "refresh"): PreviewDigest {
  const digest = name === "burki-status-unknown" ? unknownStatuses() : cliPlan(name, v);
  return variantOf(digest, edit);
}
const fixture = (name: string, v: Variant = "refresh") =>
  name === "burki-status-unknown" ? unknownStatuses() : cliPlan(name, v);

describe("guard blind spot 1: copies left for deletion (delete-replaced, shown with --show-replacement-steps)", () => {
  it("blocks the running leftover copy of an earlier replacement, which `pulumi up` would stop", () => {
    const plan = fixture("delete-replaced");
    const leftover = plan.steps.find((s) => s.op === "delete-replaced")!.oldState!;
    const report = evaluatePlan(plan);
    expect(lines(report)).to.deep.equal([
      `BLOCKED: Burki campaign ${leftover.id} ("Renewals"): the plan would delete it (the old copy left by an ` +
        "earlier replacement), but it is running and would be stopped, ending calls in progress; pause it " +
        "first or re-run with --allow-stop-running",
      "guard: blocked (1 blocked, 3 campaign steps checked)",
    ]);
    expect(report.findings[0]).to.include({
      op: "delete-replaced",
      campaignId: Number(leftover.id),
      reason: "stops-running",
    });
    expect(report.changes.map((c) => c.effect)).to.deep.equal([
      "deletes the old copy left by an earlier replacement: stops a running campaign (calls in progress end) and deletes it",
    ]);
  });

  it("is blind without --show-replacement-steps (why the pipeline passes it): the step is not in the document", () => {
    const hidden = variant("delete-replaced", (d) => {
      d.steps = d.steps.filter((s) => s.op !== "delete-replaced");
    });
    expect(exitCodeFor(evaluatePlan(hidden))).to.equal(0);
  });

  it("lets the stop through with --allow-stop-running", () => {
    const report = evaluatePlan(fixture("delete-replaced"), { allowStopRunning: true });
    expect(report.findings.map((f) => f.level)).to.deep.equal(["allowed"]);
    expect(exitCodeFor(report)).to.equal(0);
  });

  it("warns about a plan whose replacements come without their steps", () => {
    const logicalOnly = variant("realistic-plan", (d) => {
      d.steps = d.steps.filter((s) => s.op !== "create-replacement" && s.op !== "delete-replaced");
    });
    const report = evaluatePlan(logicalOnly);
    expect(report.warnings).to.have.length(1);
    expect(report.warnings[0]).to.match(/^the plan lists 1 replacement without its steps/);
    expect(evaluatePlan(fixture("realistic-plan")).warnings).to.deep.equal([]);
    // What the CLI prints without --show-replacement-steps (and without --refresh) gets the same warning.
    expect(evaluatePlan(fixture("realistic-plan", "plain")).warnings.at(-1)).to.match(
      /^the plan lists 1 replacement without its steps/,
    );
  });
});

describe("guard blind spot 2: stale statuses (no --refresh, or --run-program)", () => {
  it("says when the plan shows no sign of a refresh, and the refresh shows why", () => {
    // "Reminders" was started in Burki's app: the state still says draft.
    const report = evaluatePlan(fixture("burki-delete-stale", "preview"));
    expect(lines(report)).to.deep.equal([
      "WARNING: the plan shows no sign of a refresh (no `refresh` steps): the statuses it judges are what " +
        "the last `pulumi up` or refresh stored, and may be stale; run `pulumi preview --refresh " +
        "--show-replacement-steps --json`",
      "guard: passed (1 warning, 1 campaign step checked)",
    ]);
    const refreshed = evaluatePlan(fixture("burki-delete-stale"));
    expect(refreshed.findings.map((f) => `${f.level} ${f.reason} ${f.name}`)).to.deep.equal([
      "block stops-running Reminders",
    ]);
  });

  it("names a campaign the plan deletes without having refreshed it (`--refresh --run-program`)", () => {
    const plan = fixture("burki-delete-not-refreshed", "run-program");
    // The CLI refreshes the campaigns the program registers, not the one it no longer declares.
    expect(plan.steps.filter((s) => s.op === "refresh").map((s) => s.urn.split("::").at(-1))).to.deep.equal([
      "renewals",
    ]);
    expect(lines(evaluatePlan(plan))).to.deep.equal([
      `WARNING: ${labelOf(plan, "reminders")} was not refreshed before the plan deletes it ` +
        '(`--run-program` does not refresh campaigns removed from the program): its status "draft" may be ' +
        "stale; run the preview with `--refresh` and without `--run-program`",
      "guard: passed (1 warning, 2 campaign steps checked)",
    ]);
    // It is running: the plain --refresh preview of the same stack blocks it.
    expect(evaluatePlan(fixture("burki-delete-not-refreshed")).findings.map((f) => f.reason)).to.deep.equal([
      "stops-running",
    ]);
  });

  it("has nothing to say about a refreshed plan", () => {
    expect(evaluatePlan(fixture("realistic-plan")).warnings).to.deep.equal([]);
    expect(evaluatePlan(fixture("delete-replaced")).warnings).to.deep.equal([]);
  });
});

describe("guard blind spot 3: fail closed on a status it cannot read", () => {
  it('blocks deletes whose status is "[secret]", missing, or one it does not know', () => {
    const report = evaluatePlan(fixture("burki-status-unknown"));
    expect(lines(report)).to.deep.equal([
      'BLOCKED: Burki campaign 42 ("Renewal reminders"): the plan would delete it, but its status is hidden ' +
        'as a secret ("[secret]"), so the guard cannot tell whether it is running (a running campaign would be ' +
        "stopped, ending calls in progress); keep `status` out of additionalSecretOutputs, or check it in " +
        "Burki and re-run with --allow-stop-running",
      'BLOCKED: Burki campaign 57 ("Appointment reminders"): the plan would delete it, but its state records ' +
        "no status, so the guard cannot tell whether it is running (a running campaign would be stopped, " +
        "ending calls in progress); run the preview with `--refresh` so the plan carries the live status, or " +
        "check it in Burki and re-run with --allow-stop-running",
      'BLOCKED: Burki campaign 61 ("Win-back calls"): the plan would delete it, but its status "archived" is ' +
        "not one the guard knows, so the guard cannot tell whether it is running (a running campaign would be " +
        "stopped, ending calls in progress); run the preview with `--refresh` so the plan carries the live " +
        "status, or check it in Burki and re-run with --allow-stop-running",
      "guard: blocked (3 blocked, 6 campaign steps checked)",
    ]);
    expect(report.findings.map((f) => f.reason)).to.deep.equal([
      "status-unknown",
      "status-unknown",
      "status-unknown",
    ]);
  });

  it("blocks a status that is not known (the engine's unknown value) and a replacement alike", () => {
    const unknown = variant("burki-status-unknown", (d) => {
      for (const s of d.steps)
        if (s.oldState?.outputs?.status === "archived") s.oldState.outputs.status = UNKNOWN_PLACEHOLDER;
    });
    expect(evaluatePlan(unknown).findings[2].message).to.contain("but its status is not known");

    const replaced = variant("burki-status-unknown", (d) => {
      for (const s of d.steps) if (s.op === "delete") s.op = "replace";
    });
    expect(evaluatePlan(replaced).findings.map((f) => `${f.op} ${f.level}`)).to.deep.equal([
      "replace block",
      "replace block",
      "replace block",
    ]);
  });

  it("allows them with --allow-stop-running, and never blocks a paused one", () => {
    const allowed = evaluatePlan(fixture("burki-status-unknown"), { allowStopRunning: true });
    expect(allowed.findings.map((f) => f.level)).to.deep.equal(["allowed", "allowed", "allowed"]);
    expect(exitCodeFor(allowed)).to.equal(0);

    const paused = variant("burki-status-unknown", (d) => {
      for (const s of d.steps) if (s.oldState?.outputs) s.oldState.outputs.status = "paused";
    });
    expect(evaluatePlan(paused).findings).to.deep.equal([]);
  });
});

describe("guard blind spot 4: no false blocks for campaigns already deleted (pendingReplacement)", () => {
  it("lets through the re-creation of a campaign whose delete already ran", () => {
    const report = evaluatePlan(fixture("pending-replacement"));
    expect(lines(report)).to.deep.equal(["guard: passed (3 campaign steps checked)"]);
    expect(report.changes.map((c) => `${c.current} → ${c.planned}: ${c.effect}`)).to.deep.equal([
      "already deleted → running: creates the campaign again (the old one was already deleted by a replacement " +
        "that got half-way): the new one starts calling 2 contacts from the start",
    ]);
  });

  it("would block the same plan if the campaign were live (the flag is what tells)", () => {
    const live = variant("pending-replacement", (d) => {
      for (const s of d.steps) if (s.oldState) delete s.oldState.pendingReplacement;
    });
    expect(evaluatePlan(live).findings.map((f) => `${f.name} ${f.reason}`)).to.deep.equal([
      "Renewals stops-running",
    ]);
  });
});

describe("guard blind spot 5: replacing a retainOnDelete campaign leaves it live", () => {
  it("blocks replacing an active retained campaign, even with --allow-stop-running", () => {
    const plan = fixture("replace-running-retained");
    const report = evaluatePlan(plan, { allowStopRunning: true });
    expect(lines(report)).to.deep.equal([
      `BLOCKED: ${labelOf(plan, "renewals")}: the plan would replace it, but it has retainOnDelete, ` +
        "so Pulumi would create the new campaign and leave this one in Burki without deleting it, and it is " +
        "running: two live campaigns would contact the same contacts twice; pause it first (`state: paused`, " +
        "`pulumi up`), or drop retainOnDelete so the replacement deletes it, and run preview again",
      "guard: blocked (1 blocked, 4 campaign steps checked)",
    ]);
  });

  it("lets a retained campaign be deleted: Pulumi only forgets it", () => {
    const retained = variant("destroy-running", (d) => {
      for (const s of d.steps) if (s.oldState) s.oldState.retainOnDelete = true;
    });
    const report = evaluatePlan(retained);
    expect(report.findings).to.deep.equal([]);
    expect(report.changes.find((c) => c.name === "Reminders")!.effect).to.equal(
      "Pulumi stops managing it (retainOnDelete); it stays in Burki as it is (running)",
    );
  });

  it("lets a paused retained campaign be replaced, and blocks one whose status it cannot read", () => {
    const paused = variant("replace-running-retained", (d) => {
      for (const s of d.steps) {
        const outputs = s.oldState?.outputs;
        if (outputs?.status === "running") outputs.status = "paused";
      }
    });
    expect(evaluatePlan(paused).findings).to.deep.equal([]);

    const hidden = variant("replace-running-retained", (d) => {
      for (const s of d.steps)
        if (s.oldState?.outputs?.status === "running") s.oldState.outputs.status = "[secret]";
    });
    expect(evaluatePlan(hidden).findings[0].message).to.contain(
      "and its status is hidden, so the guard cannot tell whether it is running",
    );
  });

  it("judges replacing a campaign read with `get` (external, discard-replaced) the same way", () => {
    const external = variant("replace-running-retained", (d) => {
      for (const s of d.steps) {
        if (!s.oldState) continue;
        delete s.oldState.retainOnDelete;
        s.oldState.external = true;
        if (s.op === "delete-replaced") s.op = "discard-replaced";
      }
    });
    expect(evaluatePlan(external).findings.map((f) => f.reason)).to.deep.equal(["retained-replace"]);
  });
});

describe("guard: every op has a rule", () => {
  it("forgets a discarded (read-only) campaign without blocking, and says so", () => {
    const discarded = variant(
      "burki-delete-stale",
      (d) => {
        for (const s of d.steps) if (s.op === "delete") s.op = "discard";
      },
      "preview",
    );
    const report = evaluatePlan(discarded);
    expect(report.findings).to.deep.equal([]);
    expect(report.changes[0]).to.include({ operation: "discard" });
    expect(report.changes[0].effect).to.match(/^Pulumi forgets it without calling Burki/);
  });

  it("blocks a campaign step whose op it does not know (a newer CLI)", () => {
    const odd = variant(
      "burki-delete-stale",
      (d) => {
        for (const s of d.steps) if (s.op === "delete") s.op = "delete-soon";
      },
      "preview",
    );
    const report = evaluatePlan(odd);
    expect(report.findings.map((f) => `${f.level} ${f.reason} ${f.op}`)).to.deep.equal([
      "block unknown-op delete-soon",
    ]);
    expect(report.findings[0].message).to.match(
      /^Burki campaign \d+ \("Reminders"\): the plan has a step "delete-soon"/,
    );
  });
});

describe("guard: create-before-delete replacements", () => {
  /** replace-running's steps in the order `deleteBeforeReplace: false` lists them. */
  const createFirst = () =>
    variant("replace-running", (d) => {
      const op = (name: string) => d.steps.find((s) => s.op === name)!;
      d.steps = [op("refresh"), op("create-replacement"), op("replace"), op("delete-replaced")];
      // Nothing is deleted before the create: the engine marks nothing pending.
      for (const s of d.steps) if (s.oldState) delete s.oldState.pendingReplacement;
    });

  it("blocks a replacement that creates the new campaign while the old one still runs", () => {
    const plan = createFirst();
    expect(plan.steps.map((s) => s.op)).to.deep.equal([
      "refresh",
      "create-replacement",
      "replace",
      "delete-replaced",
    ]);
    const report = evaluatePlan(plan);
    expect(report.findings.map((f) => `${f.name} ${f.reason}`)).to.include("Renewals create-before-delete");
    expect(report.findings.find((f) => f.reason === "create-before-delete")!.message).to.match(
      /^Burki campaign \d+ \("Renewals"\): the plan would create its replacement before deleting it, and it is running/,
    );
    // Delete-first (the resources' default, as the CLI wrote it) is not.
    const deleteFirst = evaluatePlan(fixture("replace-running"));
    expect(deleteFirst.findings.map((f) => f.reason)).to.deep.equal(["stops-running"]);
  });
});
