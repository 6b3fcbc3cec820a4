// The one place that provisions the Pulumi CLI for the demo, the end-to-end suite, the fixture and
// bench scripts, and `npm run pulumi -- <args>`. Phases, first that works wins:
//
//   1. `pulumi` on PATH at the pinned version or newer (3.x);
//   2. the cached copy in <root>/bin (root: .pulumi-cli/<version>/, git-ignored;
//      PULUMI_CAMPAIGNS_CLI_ROOT overrides it), when its build stamp matches tools/pulumi-cli;
//   3. the SDK's installer, PulumiCommand.install({ root, version }) — a user's machine with internet;
//   4. a build from the Go modules (tools/pulumi-cli: the CLI from github.com/pulumi/pulumi/pkg/v3 at
//      the pinned version, and our own Node.js language host, see tools/pulumi-cli/README.md) when
//      `go` is on PATH. Cold: several hundred modules and 10–25 minutes on 2 cores; warm (Go's own
//      build cache): under a minute.
//
// Each phase prints what it does and how long it took; a failure names the phase, the command and
// the fix. Whatever the phase, <bin> holds (or PATH provides) `pulumi`, `pulumi-language-nodejs`
// and `pulumi-resource-pulumi-nodejs` (the dynamic-provider plugin, a script shipped inside
// @pulumi/pulumi): the CLI finds plugins on PATH and beside its own executable.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { delimiter, dirname, join, relative, resolve, sep } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "..");
const require = createRequire(import.meta.url);

/** The pinned Pulumi CLI version (package.json "config.pulumiCliVersion", = the @pulumi/pulumi SDK's). */
export const cliVersion = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).config
  .pulumiCliVersion;

/** Where the pinned CLI is (or would be) provisioned. */
export const cliRoot = process.env.PULUMI_CAMPAIGNS_CLI_ROOT
  ? resolve(process.env.PULUMI_CAMPAIGNS_CLI_ROOT)
  : join(repoRoot, ".pulumi-cli", cliVersion);
const binDir = join(cliRoot, "bin");
const stampFile = join(cliRoot, "build-stamp");
const toolModule = join(repoRoot, "tools", "pulumi-cli");

/** The manual install command of the pinned version (one line). */
export const manualInstall =
  `\`curl -fsSL https://get.pulumi.com | sh -s -- --version ${cliVersion}\`` +
  " (or `brew install pulumi/tap/pulumi`; see https://www.pulumi.com/docs/install/)";

export class ProvisionError extends Error {}

/** `<command> version` (e.g. "v3.276.0"), or undefined when it cannot run. */
function versionOf(command) {
  const r = spawnSync(command, ["version"], {
    encoding: "utf8",
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.trim() || undefined;
}

/** [major, minor, patch] of "v3.276.0" / "3.276.0", or undefined. */
function parseVersion(v) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v ?? "");
  return m ? m.slice(1, 4).map(Number) : undefined;
}

/** True for 3.x at the pinned version or newer. */
export function isCompatible(version) {
  const have = parseVersion(version);
  const want = parseVersion(cliVersion);
  if (!have || !want || have[0] !== want[0]) return false;
  for (let i = 1; i < 3; i++) if (have[i] !== want[i]) return have[i] > want[i];
  return true;
}

/** The provisioned CLI's folder, shown relative to the repo when inside it. */
export function displayRoot() {
  const rel = relative(repoRoot, cliRoot);
  return rel && !rel.startsWith("..") ? rel : cliRoot;
}

/**
 * What the Go build's output depends on besides Go's own caches: the tool module's files. A cached
 * build whose stamp differs (go.sum bumped, the language host edited) is rebuilt.
 */
function buildStamp() {
  const h = createHash("sha256").update(`pulumi ${cliVersion}\n`);
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(go|mod|sum)$/.test(entry.name)) h.update(relative(toolModule, p)).update(readFileSync(p));
    }
  };
  walk(toolModule);
  return `go-build ${h.digest("hex")}`;
}

/** The SDK's dynamic-provider plugin script, from the installed @pulumi/pulumi. */
function dynamicProviderPlugin() {
  return join(dirname(require.resolve("@pulumi/pulumi/package.json")), "pulumi-resource-pulumi-nodejs");
}

const seconds = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/** Phase 1: a compatible `pulumi` on PATH. */
function fromPath(log) {
  const version = versionOf("pulumi");
  if (!version) return undefined;
  if (isCompatible(version)) return { command: "pulumi", version, where: "on PATH", binDir: undefined };
  log(`pulumi on PATH is ${version}, not 3.x at or after the pinned v${cliVersion}: not used`);
  return undefined;
}

/** Phase 2: the cached copy, when it runs, is complete and (for a Go build) its stamp is current. */
function fromCache() {
  const command = join(binDir, "pulumi");
  if (!existsSync(command) || !existsSync(join(binDir, "pulumi-language-nodejs"))) return undefined;
  const stamp = existsSync(stampFile) ? readFileSync(stampFile, "utf8").trim() : "";
  if (stamp.startsWith("go-build") && stamp !== buildStamp()) return undefined;
  const version = versionOf(command);
  if (!version || !isCompatible(version)) return undefined;
  ensurePlugin();
  return { command, version, where: `cached in ${displayRoot()}`, binDir };
}

/** Copies the dynamic-provider plugin script beside the CLI (the CLI looks there and on PATH). */
function ensurePlugin() {
  const target = join(binDir, "pulumi-resource-pulumi-nodejs");
  copyFileSync(dynamicProviderPlugin(), target);
  chmodSync(target, 0o755);
}

/** Phase 3: the SDK's installer (downloads from get.pulumi.com). */
async function fromInstaller() {
  const { PulumiCommand } = require("@pulumi/pulumi/automation");
  const cmd = await PulumiCommand.install({ root: cliRoot, version: cliVersion });
  const version = versionOf(cmd.command);
  if (!version) throw new Error(`the installed ${cmd.command} does not run`);
  writeFileSync(stampFile, "installed\n");
  return {
    command: cmd.command,
    version,
    where: `installed into ${displayRoot()}`,
    binDir: dirname(cmd.command),
  };
}

/** Runs a command with its output streamed through `log`-prefixed lines; rejects on failure. */
function run(command, args, options) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("close", (code, signal) =>
      code === 0 ? resolvePromise() : reject(new Error(`${command} exited with ${signal ?? `code ${code}`}`)),
    );
  });
}

/** The `go build` command line of phase 4 (also printed, so a person can run it by hand). */
export function goBuildArgs() {
  return [
    "build",
    "-trimpath",
    "-tags",
    "osusergo,grpcnotrace",
    "-ldflags",
    `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${cliVersion}`,
    "-o",
    binDir + sep,
    "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    "./cmd/pulumi-language-nodejs",
  ];
}

/** The `go build` command as a person would type it (arguments with spaces quoted). */
function goBuildLine() {
  const args = goBuildArgs().map((a) => (/\s/.test(a) ? `"${a}"` : a));
  return `cd tools/pulumi-cli && GOTOOLCHAIN=local CGO_ENABLED=0 go ${args.join(" ")}`;
}

/** Phase 4: build the CLI and the language host from the Go modules. */
async function fromGo(log) {
  const go = spawnSync("go", ["version"], { encoding: "utf8" });
  if (go.error || go.status !== 0) throw new ProvisionError("`go` is not on PATH");
  log(
    `building from the Go modules with ${go.stdout.trim()} (cold: 10–25 min on 2 cores; warm: under a minute)`,
  );
  log(`  ${goBuildLine()}`);
  mkdirSync(binDir, { recursive: true });
  await run("go", goBuildArgs(), {
    cwd: toolModule,
    env: { ...process.env, GOTOOLCHAIN: "local", CGO_ENABLED: "0" },
  });
  ensurePlugin();
  const command = join(binDir, "pulumi");
  const version = versionOf(command);
  if (!version) throw new Error(`the built ${command} does not run`);
  writeFileSync(stampFile, buildStamp() + "\n");
  return { command, version, where: `built from the Go modules into ${displayRoot()}`, binDir };
}

/**
 * The CLI to use, provisioning it if needed: `{ command, version, where, binDir }`. Prints each
 * phase it tries through `log`; throws ProvisionError naming the phase, the command and the fix.
 */
export async function provisionPulumi({ log = (m) => console.error(`pulumi-cli: ${m}`) } = {}) {
  const onPath = fromPath(log);
  if (onPath) return onPath;
  const cached = fromCache();
  if (cached) return cached;

  let t0 = Date.now();
  let installError;
  log(`no Pulumi CLI v${cliVersion} on PATH or in ${displayRoot()}; trying PulumiCommand.install …`);
  try {
    const installed = await fromInstaller();
    log(`PulumiCommand.install: done in ${seconds(t0)} (${installed.version})`);
    return installed;
  } catch (e) {
    installError = String(e?.message ?? e).split("\n")[0];
    log(`PulumiCommand.install: failed in ${seconds(t0)} (${installError})`);
  }

  t0 = Date.now();
  try {
    const built = await fromGo(log);
    log(`go build: done in ${seconds(t0)} (${built.version})`);
    return built;
  } catch (e) {
    const reason = String(e?.message ?? e);
    throw new ProvisionError(
      `could not provision the Pulumi CLI v${cliVersion}: PulumiCommand.install failed (${installError}); ` +
        `the build from the Go modules failed after ${seconds(t0)} (${reason}). ` +
        `Fix: install Go ≥ 1.26 with access to a Go module proxy and run \`npm run pulumi -- version\` ` +
        `(the build is \`${goBuildLine()}\`), ` +
        `or install the CLI with ${manualInstall}.`,
    );
  }
}

/**
 * The environment every `pulumi` command of this project runs with: offline (no update check, no
 * plugin downloads), the provisioned bin folder and this Node (≥ 22: the language host runs the
 * `node` it finds on PATH) first on PATH, a file backend and the passphrase secrets provider.
 */
export function pulumiEnv(cli, { backendDir, home, passphrase = "", extra = {} } = {}) {
  const path = [cli.binDir, dirname(process.execPath), process.env.PATH ?? ""].filter(Boolean);
  const env = {
    ...process.env,
    PATH: path.join(delimiter),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    ...extra,
  };
  delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (backendDir) env.PULUMI_BACKEND_URL = "file://" + resolve(backendDir).split(sep).join("/");
  if (home) env.PULUMI_HOME = resolve(home);
  return env;
}
