/**
 * Installing from git, as the README says to until the package is on the registry: a clone of this
 * repository's current commit, installed into a scratch project with
 * `npm install git+file://<clone>#<commit>`. npm installs the clone's devDependencies and runs its
 * `prepare` script (which builds dist/, git-ignored), then packs it per "files": the scratch
 * project must get a working package — CommonJS and ES module imports, the subpaths the
 * serialized provider `require`s, input checks that run, the licence and changelog.
 *
 * Bounded: npm's cache first (`--prefer-offline`), the registry only for what is not cached.
 * Commits only: uncommitted changes are not in the clone.
 */
import { expect } from "chai";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, lstatSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { ROOT, tempDir } from "./scratch";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function run(
  cmd: string,
  args: string[],
  cwd: string,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, {
      cwd,
      // This Node first on PATH: npm runs the clone's scripts (tsc) with the `node` it finds there.
      env: { ...process.env, PATH: dirname(process.execPath) + delimiter + (process.env.PATH ?? "") },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (e) => (output += String(e)));
    child.on("close", (code) => done({ code, output }));
  });
}

const CHECKS = `
const assert = require("node:assert/strict");
const pkg = require("pulumi-campaigns");
assert.equal(typeof pkg.burki.Campaign, "function");
assert.equal(typeof pkg.woodpecker.Campaign, "function");
assert.equal(typeof pkg.ApiError, "function");
const ok = pkg.burki.checkCampaignInputs({ campaignType: "call", assistantId: 7, name: "renewals" });
assert.deepEqual(ok, { ok: true, inputs: { name: "renewals", campaignType: "call", assistantId: 7, maxAttempts: 3, retryDelayMinutes: 30 } });
const bad = pkg.woodpecker.checkCampaignInputs({ emailAccountIds: [1], settings: { timezone: "Europe/Warsaw" }, steps: [] });
assert.equal(bad.ok, false);
assert.ok(bad.failures.some((f) => f.property === "steps"), JSON.stringify(bad.failures));
for (const sub of ["burki", "woodpecker"]) {
  const p = require("pulumi-campaigns/dynamic/" + sub + "-campaign");
  assert.deepEqual(Object.keys(p).sort(), ["check", "configure", "create", "delete", "diff", "read", "update"]);
}
assert.equal(typeof require("pulumi-campaigns/emulators").BurkiEmulator, "function");
assert.equal(typeof require("pulumi-campaigns/guard").parsePreviewJson, "function");
console.log("cjs ok");
`;

const ESM_CHECKS = `
import { burki, woodpecker } from "pulumi-campaigns";
import { BurkiEmulator } from "pulumi-campaigns/emulators";
if (typeof burki.Campaign !== "function" || typeof woodpecker.Campaign !== "function" || typeof BurkiEmulator !== "function") {
  throw new Error("named ES module imports are missing");
}
console.log("esm ok");
`;

describe("package: npm install git+file://<clone> gives a working package", function () {
  this.timeout(10 * 60_000);
  let tmp: ReturnType<typeof tempDir> | undefined;
  let project = "";
  let install: { code: number | null; output: string } = { code: null, output: "" };
  let commit = "";

  before(async () => {
    tmp = tempDir("git-install");
    commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const clone = join(tmp.dir, "clone");
    execFileSync("git", ["clone", "--quiet", "--no-local", "--no-checkout", ROOT, clone]);
    execFileSync("git", ["-C", clone, "checkout", "--quiet", "--detach", commit]);
    project = join(tmp.dir, "project");
    execFileSync("mkdir", ["-p", project]);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "scratch", private: true }, null, 2));
    install = await run(
      npm,
      ["install", "--no-audit", "--no-fund", "--prefer-offline", `git+file://${clone}#${commit}`],
      project,
      8 * 60_000,
    );
  });
  after(() => tmp?.cleanup());

  it("npm install succeeds, records the git URL, and installs a real directory with the built dist/", () => {
    expect(install.code, install.output).to.equal(0);
    const deps = JSON.parse(readFileSync(join(project, "package.json"), "utf8")).dependencies;
    expect(deps["pulumi-campaigns"]).to.match(/^git\+file:\/\//);
    const installed = join(project, "node_modules", "pulumi-campaigns");
    expect(lstatSync(installed).isSymbolicLink(), "a copy, not a link (the serializer needs it)").to.equal(
      false,
    );
    for (const f of [
      "dist/index.js",
      "dist/index.d.ts",
      "dist/burki/dynamic.js",
      "dist/emulators/index.d.ts",
      "LICENSE",
      "CHANGELOG.md",
      "README.md",
    ]) {
      expect(existsSync(join(installed, f)), f).to.equal(true);
    }
    for (const f of ["provider", "test", "tsconfig.json", "node_modules"]) {
      expect(existsSync(join(installed, f)), `${f} is not shipped`).to.equal(false);
    }
    expect(readFileSync(join(installed, "LICENSE"), "utf8")).to.contain("Apache License");
  });

  it("require(): the resources, input checks, the dynamic provider modules and the subpaths load", async function () {
    if (install.code !== 0) this.skip();
    const r = await run(process.execPath, ["-e", CHECKS], project, 60_000);
    expect(r.code, r.output).to.equal(0);
    expect(r.output).to.contain("cjs ok");
  });

  it("import from an ES module: named exports of the package and of /emulators", async function () {
    if (install.code !== 0) this.skip();
    writeFileSync(join(project, "check.mjs"), ESM_CHECKS);
    const r = await run(process.execPath, ["check.mjs"], project, 60_000);
    expect(r.code, r.output).to.equal(0);
    expect(r.output).to.contain("esm ok");
  });
});
