#!/usr/bin/env node
// `npm run pulumi -- <args>`: the provisioned Pulumi CLI (scripts/pulumi-cli.mjs) with the offline
// environment, for people and tests alike. The state backend is ./.pulumi-state/ (git-ignored)
// unless PULUMI_BACKEND_URL is set; the passphrase is PULUMI_CONFIG_PASSPHRASE, empty when unset.
//   npm run pulumi -- version
//   npm run pulumi -- stack ls
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { join } from "node:path";
import { ProvisionError, provisionPulumi, pulumiEnv, repoRoot } from "./pulumi-cli.mjs";

let cli;
try {
  cli = await provisionPulumi();
} catch (e) {
  console.error(e instanceof ProvisionError ? `pulumi-cli: ${e.message}` : e);
  process.exit(2);
}
const env = pulumiEnv(cli, {
  backendDir: process.env.PULUMI_BACKEND_URL ? undefined : join(repoRoot, ".pulumi-state"),
  passphrase: process.env.PULUMI_CONFIG_PASSPHRASE ?? "",
});
const child = spawn(cli.command, process.argv.slice(2), { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("close", (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
