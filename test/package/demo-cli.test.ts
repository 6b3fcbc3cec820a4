/**
 * `npm run demo` (scripts/demo.mjs) where `pulumi` is not on PATH: it provisions the pinned CLI
 * with the SDK's PulumiCommand.install, or says in one line that it could not (with the manual
 * install command) and exits non-zero, having run nothing; a CLI already provisioned is used.
 *
 * Deterministic anywhere: PATH holds only this Node; PULUMI_CAMPAIGNS_CLI_ROOT points the
 * provisioned root at a scratch folder; the installer's download (Node's fetch of
 * get.pulumi.com) goes through NODE_USE_ENV_PROXY to a loopback port nobody listens on.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { ROOT, tempDir } from "./scratch";

const VERSION: string = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).config.pulumiCliVersion;

/** A loopback port that refuses connections (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

function demo(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const base: Record<string, string> = {};
    for (const k of ["HOME", "TMPDIR", "LANG"]) if (process.env[k]) base[k] = process.env[k]!;
    const child = spawn(process.execPath, [join(ROOT, "scripts", "demo.mjs")], {
      cwd: ROOT,
      env: { ...base, PATH: dirname(process.execPath), ...env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 120_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

describe("package: npm run demo provisions the Pulumi CLI where pulumi is not on PATH", function () {
  this.timeout(3 * 60_000);
  let tmp: ReturnType<typeof tempDir> | undefined;
  before(() => (tmp = tempDir("demo-cli")));
  after(() => tmp?.cleanup());

  it("offline: one line with the manual install command of the pinned version, exit 2, nothing run", async () => {
    const root = join(tmp!.dir, "cli");
    const port = await closedPort();
    const r = await demo({
      PULUMI_CAMPAIGNS_CLI_ROOT: root,
      NODE_USE_ENV_PROXY: "1",
      HTTPS_PROXY: `http://127.0.0.1:${port}`,
      HTTP_PROXY: `http://127.0.0.1:${port}`,
    });
    const all = (r.stdout + r.stderr).trimEnd();
    expect(r.code, all).to.equal(2);
    expect(all.split("\n"), "exactly one line").to.have.length(1);
    expect(all).to.contain(`installing Pulumi v${VERSION}`).and.to.contain("PulumiCommand.install");
    expect(all).to.match(/failed \(.*get\.pulumi\.com.*\)/);
    expect(all).to.contain("nothing was run");
    expect(all).to.contain(`curl -fsSL https://get.pulumi.com | sh -s -- --version ${VERSION}`);
    // It never pretends: no emulator, no stack, no CLI left behind.
    expect(all).not.to.match(/emulator|pulumi up|done/i);
    expect(existsSync(join(root, "bin", "pulumi")), "a CLI in the root").to.equal(false);
  });

  it("a CLI already provisioned in the root is used (and its failures are reported, not hidden)", async () => {
    // A stand-in CLI: answers `version`, fails everything else, and logs what it was asked.
    const root = join(tmp!.dir, "provisioned");
    mkdirSync(join(root, "bin"), { recursive: true });
    const log = join(tmp!.dir, "calls.log");
    const fake = join(root, "bin", "pulumi");
    writeFileSync(
      fake,
      `#!/bin/sh\necho "$*" >> '${log}'\nif [ "$1" = version ]; then echo v${VERSION}; exit 0; fi\n` +
        `echo "stand-in CLI: $1 is not implemented" >&2; exit 3\n`,
    );
    chmodSync(fake, 0o755);
    const r = await demo({ PULUMI_CAMPAIGNS_CLI_ROOT: root });
    const all = r.stdout + r.stderr;
    expect(all).to.contain(`demo: Pulumi CLI v${VERSION} (provisioned in ${root})`);
    expect(all).not.to.contain("installing Pulumi");
    // The first real command (listing stacks of the local backend) reached the stand-in and failed.
    expect(readFileSync(log, "utf8").split("\n")).to.include("stack ls --json");
    expect(r.code, all).to.equal(1);
    expect(all).to.match(/demo: FAILED — `pulumi stack ls --json` failed \(exit code 3\)/);
    expect(all).to.contain("stand-in CLI: stack is not implemented");
    expect(readdirSync(root)).to.deep.equal(["bin"]);
  });
});
