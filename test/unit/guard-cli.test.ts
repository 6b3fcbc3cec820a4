/**
 * `pulumi-campaigns guard` with --summary, --summary-file, --block-starts/--allow-starts and
 * --previous-state, run in-process (test/unit/guard.test.ts runs the compiled bin itself).
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { USAGE, runCli } from "../../provider/cli";
import { evaluatePlan, formatSummary, parsePreviewJson } from "../../provider/guard";
import { cliPath } from "./preview-fixtures";

async function run(args: string[], input = "") {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdin: Readable.from([input]),
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

describe("guard command: summary, starts, previous state", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "guard-cli-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // Creates of a running Burki and a running Woodpecker campaign, as `pulumi preview --refresh` printed them.
  const plan = cliPath("creates-start-2000.refresh.json");
  const expectedSummary = (opts: Parameters<typeof evaluatePlan>[1]) =>
    formatSummary(evaluatePlan(parsePreviewJson(readFileSync(plan, "utf8")), opts));

  it("--summary prints the Markdown on stdout and the guard's lines on stderr", async () => {
    const { code, stdout, stderr } = await run(["guard", plan, "--summary", "--block-starts"]);
    expect(stdout).to.equal(expectedSummary({ blockStarts: true }));
    expect(stderr.split("\n").filter(Boolean).at(-1)).to.equal(
      "guard: blocked (2 blocked, 2 campaign steps checked)",
    );
    expect(code).to.equal(1);
  });

  it("--summary-file writes the Markdown, also when the plan is blocked, and keeps the lines on stdout", async () => {
    const file = path.join(dir, "summary.md");
    const { code, stdout } = await run(
      ["guard", "--block-starts", "--summary-file", file],
      readFileSync(plan, "utf8"),
    );
    expect(readFileSync(file, "utf8")).to.equal(expectedSummary({ blockStarts: true }));
    expect(stdout).to.match(/^BLOCKED: (Burki|Woodpecker) campaign "(Spring renewals|Q4 outreach)" \(new\)/);
    expect(code).to.equal(1);
  });

  it("--allow-starts approves the starts (exit 0)", async () => {
    const { code, stdout } = await run(["guard", plan, "--block-starts", "--allow-starts"]);
    expect(stdout.split("\n").filter(Boolean).at(-1)).to.equal(
      "guard: passed (2 allowed, 2 campaign steps checked)",
    );
    expect(code).to.equal(0);
  });

  it("--previous-state names the campaigns an earlier refresh dropped", async () => {
    const { code, stdout } = await run([
      "guard",
      cliPath("recreate-deleted-outside.refresh.json"),
      "--summary",
      "--previous-state",
      cliPath("recreate-deleted-outside.stack-export-before-refresh.json"),
    ]);
    expect(stdout).to.match(
      /\| Woodpecker campaign \d+ \("Q4 outreach"\) \| re-create \| gone \(was RUNNING\) → running \| re-creates a campaign that is no longer in Woodpecker \(deleted outside Pulumi\?\) and starts it, emailing 2 prospects \|/,
    );
    expect(code).to.equal(0);
  });

  it("writes a summary that says why when the plan cannot be read (exit 2)", async () => {
    const file = path.join(dir, "summary.md");
    const { code, stderr } = await run(["guard", "--summary-file", file], "error: no stack selected\n");
    expect(code).to.equal(2);
    expect(stderr).to.contain("standard input: not JSON");
    expect(readFileSync(file, "utf8")).to.match(
      /^### Campaign plan: the guard could not judge it\n\nstandard input: not JSON/,
    );
  });

  const usage: Array<[string, string[], RegExp]> = [
    [
      "--allow-starts alone",
      ["guard", plan, "--allow-starts"],
      /--allow-starts approves the starts that --block-starts blocks/,
    ],
    ["--previous-state without a file", ["guard", plan, "--previous-state"], /argument missing/],
    [
      "an unreadable --previous-state",
      ["guard", plan, "--previous-state", "nope.json"],
      /--previous-state nope\.json: ENOENT/,
    ],
    [
      "a --previous-state that is not an export",
      ["guard", plan, "--previous-state", plan],
      /has no `deployment` object \(this looks like `pulumi preview --json`\)/,
    ],
    ["both inputs on standard input", ["guard", "--previous-state", "-"], /cannot both be standard input/],
  ];
  for (const [what, args, message] of usage) {
    it(`exits 2 on ${what}`, async () => {
      const { code, stderr, stdout } = await run(args);
      expect(stderr).to.match(message);
      expect(stdout).to.equal("");
      expect(code).to.equal(2);
    });
  }

  it("documents every option in its help", () => {
    for (const option of [
      "--summary ",
      "--summary-file",
      "--block-starts",
      "--allow-starts",
      "--previous-state",
    ]) {
      expect(USAGE).to.contain(option);
    }
    expect(USAGE).to.contain("pulumi preview --refresh --show-replacement-steps --json");
  });
});
