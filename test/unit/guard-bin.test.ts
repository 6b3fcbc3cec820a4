/**
 * The compiled `pulumi-campaigns` bin, run as a process on plans the real CLI wrote
 * (test/fixtures/preview/cli/): files, standard input, flags, exit codes, usage errors.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import ts from "typescript";
import { runCli } from "../../provider/cli";
import { evaluatePlan, formatReport, parsePreviewJson } from "../../provider/guard";
import { cliPath, cliText } from "./preview-fixtures";

const ROOT = path.resolve(__dirname, "../..");
const lines = (text: string) => text.split("\n").filter((line) => line !== "");
/** What the guard says in-process about a file (guard.test.ts asserts those lines word for word). */
const inProcess = (file: string, opts = {}) =>
  lines(formatReport(evaluatePlan(parsePreviewJson(cliText(file)), opts)));

const MIXED = "realistic-plan.preview.json";

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
    const { code, stdout, stderr } = run(["guard", cliPath(MIXED)]);
    expect(lines(stdout)).to.deep.equal(inProcess(MIXED));
    expect(lines(stdout).at(-1)).to.match(/^guard: blocked \(3 blocked/);
    expect(stderr).to.equal("");
    expect(code).to.equal(1);
  });

  it("reads the plan from standard input, with no file or with -", () => {
    for (const args of [["guard"], ["guard", "-"]]) {
      const { code, stdout } = run(args, cliText(MIXED));
      expect(lines(stdout)).to.deep.equal(inProcess(MIXED));
      expect(code).to.equal(1);
    }
  });

  it("passes a plan that changes nothing dangerous (exit 0)", () => {
    const { code, stdout } = run(["guard"], cliText("burki-stop-running.refresh.json"));
    expect(lines(stdout)).to.deep.equal(["guard: passed (2 campaign steps checked)"]);
    expect(code).to.equal(0);
  });

  it("lets --allow-stop-running through, before or after the file", () => {
    const plan = cliPath("destroy-running.refresh.json");
    for (const args of [
      ["guard", "--allow-stop-running", plan],
      ["guard", plan, "--allow-stop-running"],
    ]) {
      const { code, stdout } = run(args);
      expect(lines(stdout)).to.have.length(3);
      expect(lines(stdout)[0]).to.match(/^ALLOWED: Burki campaign \d+ \("(Reminders|Renewals)"\)/);
      expect(lines(stdout)[2]).to.equal("guard: passed (2 allowed, 6 campaign steps checked)");
      expect(code).to.equal(0);
    }
    expect(run(["guard", plan]).code).to.equal(1);
  });

  it("accepts output with lines before the JSON on standard input", () => {
    const file = "woodpecker-workflow-delete.preview.json";
    const { code, stdout } = run(["guard"], "Previewing update (e2e):\n" + cliText(file));
    expect(lines(stdout)).to.deep.equal(inProcess(file));
    expect(lines(stdout)[0]).to.match(/^BLOCKED: Woodpecker campaign 12345001 \("Q4 outreach"\) belongs to/);
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
