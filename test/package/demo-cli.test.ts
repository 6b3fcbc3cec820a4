/**
 * `npm run demo` (scripts/demo.mjs) where `pulumi` is not on PATH: it provisions the pinned CLI
 * (scripts/pulumi-cli.mjs: cache → PulumiCommand.install → a build from the Go modules), printing
 * each phase with its time, or says what failed and how to fix it and exits 2, having run nothing;
 * a CLI already provisioned is used.
 *
 * Deterministic anywhere: PATH holds only this Node (and, in the build test, the `go` found on the
 * machine's PATH); PULUMI_CAMPAIGNS_CLI_ROOT points the provisioned root at a scratch folder; the
 * installer's download (Node's fetch of get.pulumi.com) goes through NODE_USE_ENV_PROXY to a
 * loopback port nobody listens on.
 */
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
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

  /** Env that sends the installer's download to a closed loopback port. */
  async function offline(root: string): Promise<Record<string, string>> {
    const port = await closedPort();
    return {
      PULUMI_CAMPAIGNS_CLI_ROOT: root,
      NODE_USE_ENV_PROXY: "1",
      HTTPS_PROXY: `http://127.0.0.1:${port}`,
      HTTP_PROXY: `http://127.0.0.1:${port}`,
    };
  }

  it("offline and without Go: each phase's failure, the fix with the manual install command, exit 2, nothing run", async () => {
    const root = join(tmp!.dir, "cli");
    const r = await demo(await offline(root));
    const all = (r.stdout + r.stderr).trimEnd();
    expect(r.code, all).to.equal(2);
    expect(all)
      .to.contain(`no Pulumi CLI v${VERSION} on PATH`)
      .and.to.contain("trying PulumiCommand.install");
    expect(all).to.match(/PulumiCommand\.install: failed in [\d.]+ s \(.*get\.pulumi\.com.*\)/);
    expect(all).to.contain("the build from the Go modules failed").and.to.contain("`go` is not on PATH");
    expect(all).to.contain("go build -trimpath -tags osusergo,grpcnotrace");
    expect(all).to.contain(`curl -fsSL https://get.pulumi.com | sh -s -- --version ${VERSION}`);
    expect(all).to.contain("Nothing was run");
    // It never pretends: no emulator, no stack, no CLI left behind.
    expect(all).not.to.match(/emulator|pulumi up|done/i);
    expect(existsSync(join(root, "bin", "pulumi")), "a CLI in the root").to.equal(false);
  });

  it("offline with Go on PATH: builds the CLI and the language host from the Go modules, phase by phase", async function () {
    const go = spawnSync("sh", ["-c", "command -v go"], { encoding: "utf8" }).stdout.trim();
    if (!go) {
      console.log("    skipped: no `go` on PATH here, so the build phase cannot run");
      return this.skip();
    }
    this.timeout(45 * 60_000); // cold: minutes; warm (Go's build cache): seconds
    const root = join(tmp!.dir, "built");
    const env = await offline(root);
    // The stand-in stack ls fails the demo right after provisioning: only the provisioning is judged.
    const r = await demo({
      ...env,
      PATH: `${dirname(process.execPath)}:${dirname(go)}`,
      GOTOOLCHAIN: "local",
    });
    const all = r.stdout + r.stderr;
    expect(all).to.match(/PulumiCommand\.install: failed in [\d.]+ s/);
    expect(all).to.match(/go build: done in [\d.]+ s \(v3\.\d+\.\d+\)/);
    expect(all).to.contain(`demo: Pulumi CLI v${VERSION} (built from the Go modules into ${root})`);
    for (const bin of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"])
      expect(existsSync(join(root, "bin", bin)), bin).to.equal(true);
    expect(readFileSync(join(root, "build-stamp"), "utf8")).to.match(/^go-build [0-9a-f]{64}\n$/);
    const version = spawnSync(join(root, "bin", "pulumi-language-nodejs"), ["-version"], {
      encoding: "utf8",
    });
    expect(version.stdout.trim()).to.equal(`v${VERSION}`);
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
    writeFileSync(join(root, "bin", "pulumi-language-nodejs"), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
    const r = await demo({ PULUMI_CAMPAIGNS_CLI_ROOT: root });
    const all = r.stdout + r.stderr;
    expect(all).to.contain(`demo: Pulumi CLI v${VERSION} (cached in ${root})`);
    expect(all).not.to.contain("PulumiCommand.install");
    // The first real command (listing stacks of the local backend) reached the stand-in and failed.
    expect(readFileSync(log, "utf8").split("\n")).to.include("stack ls --json");
    expect(r.code, all).to.equal(1);
    expect(all).to.match(/demo: FAILED — `pulumi stack ls --json` failed \(exit code 3\)/);
    expect(all).to.contain("stand-in CLI: stack is not implemented");
    expect(readdirSync(root)).to.deep.equal(["bin"]);
  });
});
