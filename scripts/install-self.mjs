// Installs this package into ./node_modules/pulumi-campaigns exactly as users get it: `npm pack`,
// then extract the tarball into a real directory (not a symlink).
//
// Why: Pulumi's closure serializer writes a plain `require("pulumi-campaigns/dynamic/...")` into
// state only for modules that live under node_modules. A symlinked or in-repo copy is captured by
// value instead. Examples, protocol and program tests therefore import "pulumi-campaigns" from
// here, so they exercise what users run. Run after `npm run build`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const scratch = mkdtempSync(join(tmpdir(), "pulumi-campaigns-pack-"));
try {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const out = execFileSync(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", scratch], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [{ filename }] = JSON.parse(out);
  const target = join(root, "node_modules", "pulumi-campaigns");
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  execFileSync("tar", ["-xzf", join(scratch, filename), "-C", target, "--strip-components=1"]);
  console.log(`installed ${filename} into node_modules/pulumi-campaigns`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
