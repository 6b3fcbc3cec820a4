/**
 * e2e: the quickstart (repo-root Pulumi.yaml, program examples/quickstart/) deployed with the real
 * Pulumi CLI, driven through the Automation API, against both emulators started in this process:
 * `up` → the campaigns exist and run, the outputs match, state reveals no key or phone number;
 * `refresh` → no changes; `destroy` → nothing left, and the running Burki campaign was stopped before
 * it was deleted; then the stack is removed.
 *
 * State lives in a temporary local file backend (PULUMI_BACKEND_URL=file://…) with the passphrase
 * secrets provider and an empty passphrase: the user's `pulumi login` and stacks are never touched.
 * The stack's config file (Pulumi.e2e-<pid>.yaml in the repo root) goes away with the stack.
 *
 * The CLI: provisioned by scripts/pulumi-cli.mjs (test/e2e/helpers/engine.ts `workbench()`), run
 * through the SDK's PulumiCommand — which also proves the Automation API accepts the Go-built CLI.
 * The program runs from the repo root against the package installed by `npm run install-self`
 * (the packed tarball, as `pretest` leaves it).
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { OpMap, OutputMap, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { BURKI_EMULATOR_API_KEY, BurkiEmulator } from "../../provider/emulators/burki";
import { WOODPECKER_EMULATOR_API_KEY, WoodpeckerEmulator } from "../../provider/emulators/woodpecker";
import { flattenChain } from "../../provider/woodpecker/mapping";
import { EmulatorControl } from "../helpers/control";
import { ROOT, exec, workbench } from "./helpers/engine";

/** The operations of a summary other than "same" (an empty object: nothing changed). */
function changes(ops: OpMap | undefined): OpMap {
  return Object.fromEntries(Object.entries(ops ?? {}).filter(([op, n]) => op !== "same" && n)) as OpMap;
}

describe("e2e: the quickstart with the real Pulumi CLI (up, refresh, destroy)", function () {
  this.timeout(10 * 60_000);

  const stackName = `e2e-${process.pid}`;
  let burki: BurkiEmulator | undefined;
  let woodpecker: WoodpeckerEmulator | undefined;
  let burkiCtl: EmulatorControl;
  let woodpeckerCtl: EmulatorControl;
  let stateDir: string | undefined;
  /** `pulumi stack export` without --show-secrets (the Automation API's exportStack shows them). */
  let exportPlain: () => Promise<string>;
  let stack: Stack | undefined;
  let destroyed = false;
  let removed = false;
  /** The CLI's output of the current test, printed when it fails. */
  let cliOutput: string[] = [];
  const onOutput = (s: string) => void cliOutput.push(s);
  // State left by `up` and checked by the tests after it.
  let outputs: OutputMap = {};
  let burkiId = 0;
  let woodpeckerId = 0;

  before(async function () {
    this.timeout(45 * 60_000); // a cold Go build of the CLI, once per run
    const bench = await workbench();
    if (!bench) return this.skip();
    const { cli } = bench;
    burki = new BurkiEmulator();
    woodpecker = new WoodpeckerEmulator();
    await burki.start();
    await woodpecker.start();
    burkiCtl = new EmulatorControl(burki.origin);
    woodpeckerCtl = new EmulatorControl(woodpecker.origin);
    stateDir = mkdtempSync(join(tmpdir(), "pulumi-campaigns-e2e-"));

    // Loaded only where the CLI exists.
    const automation = require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
    // The provisioned CLI through the SDK's own PulumiCommand (the Automation API checks its
    // version: the Go build sets it with -ldflags); the one on PATH otherwise.
    const pulumiCommand: PulumiCommand | undefined = cli.binDir
      ? await automation.PulumiCommand.get({ root: dirname(cli.binDir) })
      : undefined;
    const env = bench.scripts.pulumiEnv(cli, { backendDir: stateDir });
    exportPlain = async () => {
      const r = await exec(cli.command, ["stack", "export", "--stack", stackName], { cwd: ROOT, env });
      if (r.code !== 0) throw new Error(r.output);
      return r.stdout;
    };
    stack = await automation.LocalWorkspace.createOrSelectStack(
      { stackName, workDir: ROOT },
      {
        ...(pulumiCommand ? { pulumiCommand } : {}),
        envVars: {
          ...Object.fromEntries(
            Object.entries(env).filter(
              (e): e is [string, string] =>
                e[1] !== undefined && (e[0].startsWith("PULUMI_") || e[0] === "PATH"),
            ),
          ),
          PULUMI_CONFIG_PASSPHRASE_FILE: "", // empty = unset: a user's passphrase file must not win
        },
      },
    );
    await stack.setAllConfig({
      "burki:baseUrl": { value: burki.baseUrl },
      "burki:apiKey": { value: BURKI_EMULATOR_API_KEY, secret: true },
      "woodpecker:baseUrl": { value: woodpecker.baseUrl },
      "woodpecker:apiKey": { value: WOODPECKER_EMULATOR_API_KEY, secret: true },
    });
  });

  beforeEach(() => {
    cliOutput = [];
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed" && cliOutput.length) {
      console.log(`    --- Pulumi CLI output of "${this.currentTest.title}" ---\n${cliOutput.join("")}`);
    }
  });

  after(async function () {
    // Leave nothing behind, whatever failed: the resources, the stack (and its config file), the state.
    if (stack && !removed) {
      if (!destroyed) await stack.destroy().catch(() => undefined);
      await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
    }
    await Promise.all([burki?.stop(), woodpecker?.stop()]);
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it("up: creates a running Burki campaign with its contacts and a running two-step Woodpecker campaign", async () => {
    const up = await stack!.up({ onOutput, color: "never" });
    expect(up.summary.result).to.equal("succeeded");
    outputs = up.outputs;

    const burkiCampaigns = await burkiCtl.campaigns();
    expect(burkiCampaigns, "Burki campaigns after up").to.have.length(1);
    const [b] = burkiCampaigns;
    expect(b.status).to.equal("running");
    expect(b.contacts.length, "Burki contacts").to.be.greaterThan(0);
    burkiId = b.id;

    const woodpeckerCampaigns = await woodpeckerCtl.campaigns();
    expect(woodpeckerCampaigns, "Woodpecker campaigns after up").to.have.length(1);
    const [w] = woodpeckerCampaigns;
    expect(w.status).to.equal("RUNNING");
    expect(flattenChain(w.steps), "Woodpecker steps").to.have.length(2);
    woodpeckerId = w.id;

    expect(outputs.burkiCampaignId?.value).to.equal(b.id);
    expect(outputs.burkiStatus?.value).to.equal("running");
    expect(outputs.woodpeckerCampaignId?.value).to.equal(w.id);
    expect(outputs.woodpeckerStatus?.value).to.equal("RUNNING");
  });

  it("up: state holds no API key, no phone number, and only a small provider shim", async function () {
    if (!burkiId) this.skip();
    const text = await exportPlain();
    const { deployment } = JSON.parse(text) as { deployment: { resources: unknown[] } };
    expect(text).not.to.contain(BURKI_EMULATOR_API_KEY);
    expect(text).not.to.contain(WOODPECKER_EMULATOR_API_KEY);
    const [b] = await burkiCtl.campaigns();
    for (const k of b.contacts)
      expect(text, "a contact's phone number in state").not.to.contain(k.phone_number);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const campaigns = (deployment.resources as any[]).filter((r) =>
      /:dynamic\/(burki|woodpecker):Campaign$/.test(r.type),
    );
    expect(campaigns, "campaign resources in state").to.have.length(2);
    for (const r of campaigns) {
      const shim = String(r.outputs?.__provider ?? r.inputs?.__provider ?? "");
      expect(shim.length, `__provider of ${r.urn}`).to.be.within(1, 2048);
    }
  });

  it("refresh: no changes, and a preview after it plans none", async function () {
    if (!burkiId) this.skip();
    const refresh = await stack!.refresh({ onOutput, color: "never" });
    expect(refresh.summary.result).to.equal("succeeded");
    expect(changes(refresh.summary.resourceChanges), "refresh changes").to.deep.equal({});
    const preview = await stack!.preview({ onOutput, color: "never", expectNoChanges: true });
    expect(changes(preview.changeSummary), "preview changes").to.deep.equal({});
  });

  it("destroy: stops the running Burki campaign before deleting it; nothing is left", async function () {
    if (!burkiId) this.skip(); // up failed: after() still destroys what it may have left
    await burkiCtl.clearRequests();
    await woodpeckerCtl.clearRequests();
    const destroy = await stack!.destroy({ onOutput, color: "never" });
    destroyed = true;
    expect(destroy.summary.result).to.equal("succeeded");

    expect(await burkiCtl.campaigns(), "Burki campaigns after destroy").to.deep.equal([]);
    expect(await woodpeckerCtl.campaigns(), "Woodpecker campaigns after destroy").to.deep.equal([]);

    const lines = await burkiCtl.requestLines();
    const stop = lines.indexOf(`POST /api/v1/campaigns/${burkiId}/stop 200`);
    const del = lines.indexOf(`DELETE /api/v1/campaigns/${burkiId} 200`);
    expect(stop, `stop in the Burki log:\n${lines.join("\n")}`).to.be.at.least(0);
    expect(del, `delete in the Burki log:\n${lines.join("\n")}`).to.be.greaterThan(stop);
    expect(await woodpeckerCtl.requestLines()).to.include(`DELETE /rest/v2/campaigns/${woodpeckerId} 200`);
  });

  it("the stack is removed (with its config file)", async function () {
    if (!destroyed) this.skip();
    await stack!.workspace.removeStack(stackName);
    removed = true;
    const names = (await stack!.workspace.listStacks()).map((s) => s.name);
    expect(names.filter((n) => n === stackName || n.endsWith(`/${stackName}`))).to.deep.equal([]);
  });
});
