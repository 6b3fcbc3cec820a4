/**
 * `pulumi-campaigns-emulators` (the installed package's bin) behaves like a CLI: --help, unknown
 * options and invalid ports refused with the usage and exit 2, a port in use is exit 1 with the
 * reason, and the printed URLs work — the control API at each emulator's origin (Woodpecker's API
 * base ends in /rest, its control API does not).
 */
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import * as path from "node:path";

const BIN = path.join(
  path.dirname(require.resolve("pulumi-campaigns/package.json")),
  "dist/emulators/bin.js",
);

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Start the bin, wait until it printed `lines` lines, hand them over, then stop it with SIGTERM. */
async function withRunning(
  args: string[],
  lines: number,
  use: (out: string[]) => Promise<void>,
): Promise<number | null> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err += String(d)));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d) => {
        out += String(d);
        if (out.split("\n").length > lines) resolve();
      });
      child.once("exit", (code) => reject(new Error(`exited ${code} early: ${err}`)));
    });
    await use(out.trim().split("\n"));
  } finally {
    child.kill("SIGTERM");
  }
  return exited;
}

describe("emulator bin: a CLI", function () {
  this.timeout(30_000);

  it("--help and -h print the usage and exit 0", () => {
    for (const flag of ["--help", "-h"]) {
      const r = run([flag]);
      expect(r.status).to.equal(0);
      expect(r.stdout).to.match(/^usage: pulumi-campaigns-emulators \[--burki-port N\]/);
      expect(r.stdout).to.include("--woodpecker-port N");
      expect(r.stdout).to.include("--json");
    }
  });

  const refused: Array<[string[], RegExp]> = [
    [["--bogus"], /unknown option --bogus/],
    [["--burki-prot", "8000"], /unknown option --burki-prot/],
    [["extra"], /unexpected argument "extra"/],
    [
      ["--burki-port", "70000"],
      /--burki-port must be a port number from 0 to 65535 \(0 picks a free port\), got "70000"/,
    ],
    [["--woodpecker-port=-1"], /--woodpecker-port must be a port number from 0 to 65535.*got "-1"/],
    [["--burki-port", "80a"], /--burki-port must be a port number .*got "80a"/],
    [["--burki-port"], /--burki-port needs a value/],
    [["--burki-port", "--json"], /--burki-port needs a value/],
    [["--latency", "fast"], /--latency must be a whole number of milliseconds ≥ 0, got "fast"/],
  ];
  for (const [args, reason] of refused) {
    it(`refuses ${args.join(" ")} with the usage and exit 2`, () => {
      const r = run(args);
      expect(r.status).to.equal(2);
      expect(r.stderr).to.match(reason);
      expect(r.stderr).to.include("usage: pulumi-campaigns-emulators");
      expect(r.stdout).to.equal("");
    });
  }

  it("--json: base URLs, keys and control URLs that work; Woodpecker's control API is not under /rest", async () => {
    const code = await withRunning(["--json", "--latency=1"], 1, async ([line]) => {
      const info = JSON.parse(line) as Record<
        "burki" | "woodpecker",
        { baseUrl: string; apiKey: string; controlUrl: string }
      >;
      expect(info.woodpecker.baseUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\/rest$/);
      expect(info.burki.baseUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.woodpecker.controlUrl).to.equal(info.woodpecker.baseUrl.replace(/\/rest$/, "/_emulator"));
      expect(info.burki.controlUrl).to.equal(`${info.burki.baseUrl}/_emulator`);
      for (const p of ["burki", "woodpecker"] as const) {
        const health = await fetch(`${info[p].controlUrl}/health`);
        expect(await health.json()).to.deep.equal({ ok: true, platform: p });
      }
      // The old hint "<base>/_emulator/…" was wrong for Woodpecker:
      expect((await fetch(`${info.woodpecker.baseUrl}/_emulator/health`)).status).to.not.equal(200);
      const r = await fetch(`${info.woodpecker.baseUrl}/v1/campaign_list`, {
        headers: { "x-api-key": info.woodpecker.apiKey },
      });
      expect(r.status).to.equal(200);
    });
    expect(code).to.equal(0);
  });

  it("text mode prints KEY=VALUE lines and a control-API hint per emulator that is right", async () => {
    const code = await withRunning([], 7, async (lines) => {
      const vars = Object.fromEntries(lines.filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split("=", 2)));
      expect(Object.keys(vars)).to.deep.equal([
        "BURKI_BASE_URL",
        "BURKI_API_KEY",
        "WOODPECKER_BASE_URL",
        "WOODPECKER_API_KEY",
      ]);
      const hints = lines.filter((l) => l.startsWith("#"));
      const burkiHint = hints.find((l) => l.includes("Burki control API"))!;
      const woodpeckerHint = hints.find((l) => l.includes("Woodpecker control API"))!;
      expect(burkiHint).to.include(`${vars.BURKI_BASE_URL}/_emulator/`);
      const origin = vars.WOODPECKER_BASE_URL.replace(/\/rest$/, "");
      expect(woodpeckerHint).to.include(`${origin}/_emulator/`);
      expect(woodpeckerHint).to.not.include("/rest/_emulator");
      const url = /(http:\/\/\S+\/_emulator)\/…/.exec(woodpeckerHint)![1];
      expect((await fetch(`${url}/health`)).status).to.equal(200);
    });
    expect(code).to.equal(0);
  });

  it("a port in use: exit 1 with the reason", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = run(["--woodpecker-port", String(port)]);
      expect(r.status).to.equal(1);
      expect(r.stderr).to.include(
        `the Woodpecker emulator cannot listen on 127.0.0.1:${port}: the port is in use`,
      );
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });
});
