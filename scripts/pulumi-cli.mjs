// Where the demo (and the CLI e2e test) find the Pulumi CLI: `pulumi` on PATH, else a pinned
// version provisioned inside the repository with the SDK's own installer,
// `PulumiCommand.install({ root, version })` from @pulumi/pulumi/automation.
//
//   - version: package.json "config.pulumiCliVersion" (pinned; bump it deliberately);
//   - root: .pulumi-cli/<version>/ in the repo (git-ignored), the CLI at <root>/bin/pulumi.
//     PULUMI_CAMPAIGNS_CLI_ROOT overrides the root (tests point it at a scratch folder).
//
// The installer downloads https://get.pulumi.com/install.sh with Node's fetch, then the CLI from
// get.pulumi.com. Offline it fails; the caller then prints the manual install command.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "..");

/** The pinned Pulumi CLI version (package.json "config.pulumiCliVersion"). */
export const cliVersion = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).config
  .pulumiCliVersion;

/** Where the pinned CLI is (or would be) provisioned. */
export const cliRoot = process.env.PULUMI_CAMPAIGNS_CLI_ROOT
  ? resolve(process.env.PULUMI_CAMPAIGNS_CLI_ROOT)
  : join(repoRoot, ".pulumi-cli", cliVersion);

/** The manual install command of the pinned version (one line). */
export const manualInstall =
  `\`curl -fsSL https://get.pulumi.com | sh -s -- --version ${cliVersion}\`` +
  " (or `brew install pulumi/tap/pulumi`; see https://www.pulumi.com/docs/install/)";

/** `<command> version`, or undefined when it cannot run. */
function versionOf(command) {
  const r = spawnSync(command, ["version"], {
    encoding: "utf8",
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.trim() || "(unknown version)";
}

/** The provisioned CLI's path, shown relative to the repo when inside it. */
export function displayRoot() {
  const rel = relative(repoRoot, cliRoot);
  return rel && !rel.startsWith("..") ? rel : cliRoot;
}

/**
 * The CLI to use, without installing anything: `{ command, version, where }` or undefined.
 * `command` is "pulumi" (found on PATH) or the absolute path of the provisioned binary.
 */
export function findPulumi() {
  const onPath = versionOf("pulumi");
  if (onPath) return { command: "pulumi", version: onPath, where: "on PATH" };
  const provisioned = join(cliRoot, "bin", "pulumi");
  if (existsSync(provisioned)) {
    const version = versionOf(provisioned);
    if (version) return { command: provisioned, version, where: `provisioned in ${displayRoot()}` };
  }
  return undefined;
}

/**
 * Installs the pinned CLI into `cliRoot` with the SDK's PulumiCommand.install. Resolves to the
 * same shape as findPulumi(); rejects with the installer's error (offline: a failed download).
 */
export async function installPulumi() {
  const { PulumiCommand } = createRequire(import.meta.url)("@pulumi/pulumi/automation");
  const cmd = await PulumiCommand.install({ root: cliRoot, version: cliVersion });
  const version = versionOf(cmd.command);
  if (!version) throw new Error(`the installed ${cmd.command} does not run`);
  return { command: cmd.command, version, where: `provisioned in ${displayRoot()}` };
}
