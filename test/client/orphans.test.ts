/**
 * `pulumi-campaigns orphans` against both local emulators: a `pulumi stack export` (fixtures in
 * test/fixtures/stack-export, shaped as pulumi/pulumi's apitype DeploymentV3) compared with what
 * each vendor lists. Exactly the unmanaged campaigns are listed, the one a pending create left
 * behind is called out, nothing but GETs reaches the emulators, and no secret from the export or
 * the environment is printed.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Readable } from "node:stream";
import { BURKI_DIALECT, BurkiClient } from "../../provider/burki/api";
import { resetStackConfig } from "../../provider/core/credentials";
import { HttpClient, closeAllPools } from "../../provider/core/http";
import { BURKI_EMULATOR_API_KEY, BurkiEmulator } from "../../provider/emulators/burki";
import { WOODPECKER_EMULATOR_API_KEY, WoodpeckerEmulator } from "../../provider/emulators/woodpecker";
import { runOrphans } from "../../provider/orphans/cli-command";
import { SECRET_SIG, parseStackExport } from "../../provider/orphans/stack-export";
import { WOODPECKER_DIALECT, WoodpeckerClient } from "../../provider/woodpecker/api";
import { toCreateBody } from "../../provider/woodpecker/mapping";
import { woodpeckerCampaignSchema } from "../../provider/woodpecker/schema";
import type { WoodpeckerCampaignInputs } from "../../provider/woodpecker/types";
import { EmulatorControl } from "../helpers/control";

const ROOT = path.resolve(__dirname, "../..");
const fixture = (name: string) => path.join(ROOT, "test/fixtures/stack-export", `${name}.json`);
const fixtureText = (name: string) => readFileSync(fixture(name), "utf8");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `  id N  name "…"` lines → { platform title → ids }, in the order printed. */
function listedOrphans(stdout: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  let current = "";
  for (const line of stdout.split("\n")) {
    const header = /^(Burki|Woodpecker) \(/.exec(line);
    if (header) current = header[1];
    const id = /^ {2}id (\d+) {2}name /.exec(line);
    if (id) (out[current] ??= []).push(Number(id[1]));
  }
  return out;
}

describe("client ↔ emulator: pulumi-campaigns orphans", function () {
  this.timeout(30_000);
  let burki: BurkiEmulator;
  let woodpecker: WoodpeckerEmulator;
  let burkiCtl: EmulatorControl;
  let woodpeckerCtl: EmulatorControl;
  let burkiApi: BurkiClient;
  let woodpeckerApi: WoodpeckerClient;

  const env = (over: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    BURKI_API_KEY: BURKI_EMULATOR_API_KEY,
    BURKI_BASE_URL: burki.baseUrl,
    WOODPECKER_API_KEY: WOODPECKER_EMULATOR_API_KEY,
    WOODPECKER_BASE_URL: woodpecker.baseUrl,
    ...over,
  });

  async function run(args: string[], input: string, e = env(), burkiPerPage?: number): Promise<Run> {
    let stdout = "";
    let stderr = "";
    const code = await runOrphans(
      args,
      { stdin: Readable.from([input]), stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
      { env: e, burkiPerPage },
    );
    return { code, stdout, stderr };
  }

  async function burkiCampaign(name: string, status?: string): Promise<number> {
    const c = await burkiApi.createCampaign({ name, campaign_type: "call", assistant_id: 123 });
    if (status) await burkiCtl.transition(c.id, status);
    return c.id;
  }
  async function woodpeckerCampaign(name: string): Promise<number> {
    const r = woodpeckerCampaignSchema().safeParse({
      name,
      emailAccountIds: [1],
      settings: { timezone: "Europe/Warsaw" },
      steps: [{ versions: [{ subject: "Hi", message: "<p>1</p>" }] }],
    });
    if (!r.success) throw r.error;
    return (await woodpeckerApi.createCampaign(toCreateBody(r.data as WoodpeckerCampaignInputs))).id;
  }

  /** What the fixtures' stack manages (ids 1 and 12345001) plus the campaign of its pending create. */
  async function seedCrash(): Promise<void> {
    expect(await burkiCampaign("renewals", "running")).to.equal(1); // fixture: burki "renewals" id "1"
    expect(await burkiCampaign("winback", "running")).to.equal(2); // the pending create's campaign
    expect(await woodpeckerCampaign("q4-outreach")).to.equal(12345001); // fixture: woodpecker id "12345001"
  }

  const allRequests = async () => [
    ...(await burkiCtl.requestLines()),
    ...(await woodpeckerCtl.requestLines()),
  ];

  before(async () => {
    resetStackConfig(); // the command reads keys from its env only; no stack config may linger
    burki = new BurkiEmulator({ startDelayMs: 5 });
    woodpecker = new WoodpeckerEmulator();
    await burki.start();
    await woodpecker.start();
    burkiCtl = new EmulatorControl(burki.origin);
    woodpeckerCtl = new EmulatorControl(woodpecker.origin);
    burkiApi = new BurkiClient(
      new HttpClient({
        platform: "burki",
        baseUrl: burki.baseUrl,
        authHeaders: { authorization: `Bearer ${BURKI_EMULATOR_API_KEY}` },
        ...BURKI_DIALECT,
      }),
    );
    woodpeckerApi = new WoodpeckerClient(
      new HttpClient({
        platform: "woodpecker",
        baseUrl: woodpecker.baseUrl,
        authHeaders: { "x-api-key": WOODPECKER_EMULATOR_API_KEY },
        ...WOODPECKER_DIALECT,
      }),
    );
  });
  after(async () => {
    await closeAllPools();
    await burki.stop();
    await woodpecker.stop();
  });
  beforeEach(async () => {
    await burkiCtl.reset(); // also restarts ids at 1 / 12345001, which the fixtures name
    await woodpeckerCtl.reset();
  });

  it("reads the fixtures as pulumi's DeploymentV3: two managed campaigns and one pending create", () => {
    const stack = parseStackExport(fixtureText("pending-create"));
    expect(stack.managed.map((m) => [m.platform, m.campaignIds])).to.deep.equal([
      ["burki", [1]],
      ["woodpecker", [12345001]],
    ]);
    expect(stack.pendingCreates).to.deep.equal([
      {
        platform: "burki",
        urn: "urn:pulumi:prod::campaigns::pulumi-nodejs:dynamic/burki:Campaign::winback",
        name: "winback",
        existingCampaignId: undefined,
      },
    ]);
  });

  it("one orphan: the campaign a pending create left behind, called out; exit 1; GETs only", async () => {
    await seedCrash();
    await burkiCtl.clearRequests();
    await woodpeckerCtl.clearRequests();
    const r = await run([], fixtureText("pending-create"));
    expect(r.stderr).to.equal("");
    expect(r.code).to.equal(1);
    expect(listedOrphans(r.stdout)).to.deep.equal({ Burki: [2] });
    expect(r.stdout).to.match(/^ {2}id 2 {2}name "winback" {2}status running {2}created \d{4}-\d\d-\d\dT/m);
    expect(r.stdout).to.include(
      'this stack has a pending create of "winback"\n    (urn:pulumi:prod::campaigns::pulumi-nodejs:dynamic/burki:Campaign::winback)',
    );
    expect(r.stdout).to.include(
      `Burki (${burki.baseUrl}): 1 orphan among 2 campaigns (1 managed by this stack)`,
    );
    expect(r.stdout).to.include(
      `Woodpecker (${woodpecker.baseUrl}): 0 orphans among 1 campaign (1 managed by this stack)`,
    );
    expect(r.stdout).to.include("campaigns of\nother stacks sharing the account");
    expect(r.stdout).to.include("Read only: nothing was changed.");
    const requests = await allRequests();
    expect(requests).to.have.length.greaterThan(1);
    expect(requests.filter((l) => !l.startsWith("GET "))).to.deep.equal([]);
    // What the closing note quotes.
    console.log(`      exact output (exit ${r.code}):\n${r.stdout.replace(/^/gm, "      | ")}`);
  });

  it("lists exactly the orphans of each platform, walking every Burki page", async () => {
    await seedCrash();
    expect(await burkiCampaign("renewals (manual test)")).to.equal(3);
    expect(await woodpeckerCampaign("q4-outreach staging")).to.equal(12345002);
    await burkiCtl.clearRequests();
    await woodpeckerCtl.clearRequests();
    const r = await run([fixture("pending-create")], "", env(), 1);
    expect(r.code).to.equal(1);
    expect(listedOrphans(r.stdout)).to.deep.equal({ Burki: [2, 3], Woodpecker: [12345002] });
    // The pending create is matched to its campaign only.
    expect(r.stdout.match(/pending create of/g)).to.have.length(1);
    expect(r.stdout).to.match(/id 2 .*\n {4}likely left by an interrupted create/);
    expect(r.stdout).to.include("Found 3 orphans.");
    const burkiLines = await burkiCtl.requestLines();
    expect(burkiLines).to.deep.equal([
      "GET /api/v1/campaigns/ 200",
      "GET /api/v1/campaigns/ 200",
      "GET /api/v1/campaigns/ 200",
    ]);
    expect((await burkiCtl.requests()).map((q) => new URLSearchParams(q.query).get("page"))).to.deep.equal([
      "1",
      "2",
      "3",
    ]);
    expect(await woodpeckerCtl.writeLines()).to.deep.equal([]);
    expect(await woodpeckerCtl.requestLines()).to.deep.equal(["GET /rest/v1/campaign_list 200"]);
  });

  it("no orphans once the campaign is adopted: exit 0", async () => {
    await seedCrash();
    await burkiCtl.clearRequests();
    const r = await run(["-"], fixtureText("recovered"));
    expect(r.code).to.equal(0);
    expect(listedOrphans(r.stdout)).to.deep.equal({});
    expect(r.stdout).to.include("No orphans found.");
    expect(r.stdout).to.include(
      "Burki (" + burki.baseUrl + "): 0 orphans among 2 campaigns (2 managed by this stack)",
    );
    expect(await burkiCtl.writeLines()).to.deep.equal([]);
  });

  it("names a pending adoption, a resource without id, and stack campaigns the vendor does not list", async () => {
    await seedCrash();
    expect(await burkiCampaign("adopt me")).to.equal(3);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document edited in place
    const doc: any = JSON.parse(fixtureText("pending-create"));
    const [pending] = doc.deployment.pending_operations;
    pending.resource.inputs = { ...pending.resource.inputs, name: "adopt me", existingCampaignId: 3 };
    const resources = doc.deployment.resources as Array<typeof pending.resource>;
    const wp = resources.find((r) => r.type === "pulumi-nodejs:dynamic/woodpecker:Campaign");
    wp.id = "12345009";
    wp.outputs.campaignId = 12345009;
    const noId = structuredClone(resources.find((r) => r.id === "1"));
    noId.urn = noId.urn.replace("::renewals", "::broken");
    delete noId.id;
    delete noId.outputs.campaignId;
    doc.deployment.resources.push(noId);
    const r = await run([], JSON.stringify(doc));
    expect(r.code).to.equal(1);
    expect(listedOrphans(r.stdout)).to.deep.equal({ Burki: [2, 3], Woodpecker: [12345001] });
    expect(r.stdout).to.match(/id 3 .*\n {4}a pending create of this stack adopts it \(existingCampaignId 3/);
    expect(r.stdout).to.not.include("likely left by an interrupted create");
    expect(r.stdout).to.include("not listed by Woodpecker, though this stack names them: 1 id 12345009");
    expect(r.stdout).to.include(
      "Resource urn:pulumi:prod::campaigns::pulumi-nodejs:dynamic/burki:Campaign::broken names no campaign id",
    );
    expect(r.stdout).to.include("Stack export: 3 campaign resources, 1 pending create.");
  });

  it("invalid input: exit 2 with the reason, and no request to any vendor", async () => {
    await seedCrash();
    await burkiCtl.clearRequests();
    await woodpeckerCtl.clearRequests();
    const cases: Array<[string, RegExp]> = [
      ['{"version": 3, "deployment": {"resources": [', /standard input: the input is not valid JSON/],
      ["", /the input is empty/],
      [
        '{"steps": [], "changeSummary": {}}',
        /no `deployment` object \(this looks like `pulumi preview --json`\)/,
      ],
      ['{"version": 9, "deployment": {}}', /deployment version 9 is not supported/],
      [
        '{"version": 3, "deployment": {"resources": [{"type": "x"}]}}',
        /deployment\.resources\[0\] is not a resource/,
      ],
    ];
    for (const [input, message] of cases) {
      const r = await run([], input);
      expect(r.code, input).to.equal(2);
      expect(r.stdout, input).to.equal("");
      expect(r.stderr, input).to.match(message);
    }
    const missing = await run(["/nonexistent/export.json"], "");
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include("cannot read /nonexistent/export.json");
    expect(await allRequests()).to.deep.equal([]);
  });

  it("never prints a secret: state ciphertext, --show-secrets plaintext, contacts, API keys", async () => {
    await seedCrash();
    const outputs: string[] = [];
    for (const name of ["pending-create", "show-secrets", "recovered"]) {
      const r = await run([fixture(name)], "");
      outputs.push(r.stdout + r.stderr);
    }
    // Every secret value of the fixtures, and the keys the command ran with.
    const secrets = new Set<string>([BURKI_EMULATOR_API_KEY, WOODPECKER_EMULATOR_API_KEY, SECRET_SIG]);
    const leaves = (v: unknown): void => {
      if (typeof v === "string") secrets.add(v);
      else if (v && typeof v === "object") Object.values(v).forEach(leaves);
    };
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (SECRET_SIG in o) {
          for (const x of [o.ciphertext, o.plaintext]) if (typeof x === "string") secrets.add(x);
          if (typeof o.plaintext === "string") leaves(JSON.parse(o.plaintext));
        } else Object.values(o).forEach(collect);
      }
    };
    for (const name of ["pending-create", "show-secrets", "recovered"])
      collect(JSON.parse(fixtureText(name)));
    expect([...secrets]).to.include.members([
      "+15557654321",
      "Jane Roe",
      "jane.roe@example.com",
      "winback Jane Roe",
    ]);
    for (const out of outputs) {
      expect(out).to.include("Read only: nothing was changed."); // the runs did report
      for (const s of secrets) expect(out, s).to.not.include(s);
    }
    // With the pending create's name secret, it is reported as unmatched rather than guessed.
    expect(outputs[1]).to.include("its name is secret or unset, so no campaign above can be matched to it");
  });

  it("checks only platforms whose key is set, and says which it skipped and why", async () => {
    await seedCrash();
    await woodpeckerCtl.clearRequests();
    const r = await run([], fixtureText("pending-create"), env({ WOODPECKER_API_KEY: "" }));
    expect(r.code).to.equal(1);
    expect(r.stdout).to.include("Woodpecker: skipped (WOODPECKER_API_KEY is not set)");
    expect(listedOrphans(r.stdout)).to.deep.equal({ Burki: [2] });
    expect(await woodpeckerCtl.requestLines()).to.deep.equal([]);

    const none = await run([], fixtureText("pending-create"), { BURKI_BASE_URL: burki.baseUrl });
    expect(none.code).to.equal(2);
    expect(none.stderr).to.include("no platform to check: set BURKI_API_KEY and/or WOODPECKER_API_KEY");
  });

  it("takes base URLs from flags over the environment, and keys never from flags", async () => {
    await seedCrash();
    const r = await run(
      ["--burki-base-url", burki.baseUrl, `--woodpecker-base-url=${woodpecker.baseUrl}`],
      fixtureText("pending-create"),
      env({ BURKI_BASE_URL: "http://127.0.0.1:9/nowhere", WOODPECKER_BASE_URL: "not a url" }),
    );
    expect(r.stderr).to.equal("");
    expect(r.code).to.equal(1);
    expect(listedOrphans(r.stdout)).to.deep.equal({ Burki: [2] });

    const badUrl = await run(["--burki-base-url", "ftp://x"], fixtureText("pending-create"));
    expect(badUrl.code).to.equal(2);
    expect(badUrl.stderr).to.include("burki:baseUrl must be an http(s) URL");
    expect(badUrl.stderr).to.include("--burki-base-url");

    const keyFlag = await run(["--burki-api-key=sk_live_abcdef123456"], fixtureText("pending-create"));
    expect(keyFlag.code).to.equal(2);
    expect(keyFlag.stderr).to.include("API keys are read from the environment only");
    expect(keyFlag.stderr + keyFlag.stdout).to.not.include("sk_live_abcdef123456");
  });

  it("a platform that cannot be listed is reported without its key; exit 2 when nothing was found", async () => {
    await seedCrash();
    const r = await run(
      [fixture("recovered")],
      "",
      env({ WOODPECKER_API_KEY: "wpk_wrong_key_000000000000000000000000" }),
    );
    expect(r.code).to.equal(2);
    expect(r.stdout).to.match(
      /^Woodpecker \(.*\): could not list campaigns: Woodpecker authentication failed/m,
    );
    expect(r.stdout).to.include("Burki (" + burki.baseUrl + "): 0 orphans");
    expect(r.stdout + r.stderr).to.not.include("wpk_wrong_key_000000000000000000000000");
  });

  it("the installed bin reads the export from standard input (exit 1 with an orphan)", async () => {
    // dist/cli.js is the package's `pulumi-campaigns` bin (built by `npm test`'s pretest).
    await seedCrash();
    await burkiCtl.clearRequests();
    // Not spawnSync: the emulators answer from this process's event loop.
    const child = spawn(process.execPath, [path.join(ROOT, "dist/cli.js"), "orphans"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env() },
    });
    const r = { stdout: "", stderr: "", status: -1 };
    child.stdout.on("data", (d: Buffer) => (r.stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (r.stderr += d.toString()));
    child.stdin.end(fixtureText("pending-create"));
    r.status = await new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
    expect(r.stderr).to.equal("");
    expect(r.status).to.equal(1);
    expect(listedOrphans(r.stdout)).to.deep.equal({ Burki: [2] });
    expect(await burkiCtl.writeLines()).to.deep.equal([]);
  });
});
