/**
 * Program layer: the calls the real engine makes that a simple stand-in does not, each through the
 * SDK's real dynamic-provider host against both emulators (test/helpers/mock-bridge.ts models them
 * from pulumi/pulumi `pkg/resource/deploy/step_generator.go` and `step.go`):
 * - previews with unknown values nested in the inputs, sent to Check and Diff;
 * - refresh = Read, then Diff(olds = refreshed outputs, news = inputs in state);
 * - replacements the engine decides without Diff (`pulumi up --replace`, taint), which read only the
 *   `deleteBeforeReplace` resource option;
 * - `retainOnDelete`, for which the engine never calls Delete;
 * - `replaceOnChanges`, which the engine cannot apply to a dynamic provider.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as path from "node:path";
import { burki, woodpecker } from "pulumi-campaigns";
import { flattenChain } from "../../provider/woodpecker/mapping";
import { startCampaignWorld, type CampaignWorld } from "../helpers/campaign-host";
import type { EmulatorControl } from "../helpers/control";
import { MockEngine, runFailure } from "../helpers/mock-bridge";
import type { ProviderHost } from "../helpers/provider-host";

const ROOT = path.resolve(__dirname, "../..");

/* eslint-disable @typescript-eslint/no-explicit-any */
const calls = (opts: { assistantId?: number; options?: pulumi.CustomResourceOptions } = {}) =>
  new burki.Campaign(
    "renewals",
    {
      campaignType: "call",
      assistantId: opts.assistantId ?? 7,
      welcomeMessageTemplate: "Hi {{name}}, this is Ava from Acme",
      contacts: [{ phoneNumber: "+15555550101", name: "John" }],
      state: "running",
    },
    opts.options,
  );

/** Only what a user writes: settings without defaults, steps without type or deliveryTime. */
const emails = (name: pulumi.Input<string>, opts: { workflow?: string; delayDays?: number } = {}) =>
  new woodpecker.Campaign("follow-up", {
    name,
    emailAccountIds: [112233],
    settings: { timezone: "Europe/Warsaw" },
    steps: [
      { versions: [{ subject: "After our call", message: "<p>Hi {{FIRST_NAME}}</p>" }] },
      { delay: { value: opts.delayDays ?? 3, unit: "day" }, versions: [{ message: "<p>Following up</p>" }] },
    ],
    state: "running",
    workflow: opts.workflow,
  });

describe("program: engine behaviour the provider must survive (preview, refresh, forced replacements)", function () {
  this.timeout(120_000);
  let world: CampaignWorld;
  let burkiControl: EmulatorControl;
  let woodpeckerControl: EmulatorControl;
  let host: ProviderHost;

  before(async () => {
    world = await startCampaignWorld({
      cwd: ROOT,
      burkiHops: { startDelayMs: 30, importDelayMs: 5 },
      settings: { "burki:stopTimeoutSeconds": "5" },
    });
    ({ burki: burkiControl, woodpecker: woodpeckerControl, host } = world);
  });

  after(() => world?.stop());

  beforeEach(async () => {
    await Promise.all([burkiControl.reset(), woodpeckerControl.reset()]);
  });

  it("preview with an input that depends on a campaign being replaced: Check and Diff get the sentinel, the preview plans an update", async () => {
    const engine = new MockEngine(host);
    const program = (assistantId: number) => () => {
      const c = calls({ assistantId });
      const e = emails(pulumi.interpolate`follow-up to calls ${c.campaignId}`);
      return { name: e.name };
    };
    await engine.run(program(7), { label: "up" });
    await Promise.all([burkiControl.clearRequests(), woodpeckerControl.clearRequests()]);
    // A new assistant replaces the calling campaign: its campaignId is unknown until apply, and so
    // is the email campaign's name, which the engine sends to Check and Diff as the sentinel.
    const { steps, outputs } = await engine.run(program(8), { preview: true, label: "new assistant" });
    expect(steps).to.have.members([
      "renewals: would replace (assistantId, deleteBeforeReplace)",
      "follow-up: would update",
    ]);
    expect(outputs.name).to.equal("<unknown until apply>");
    expect(await burkiControl.writeLines()).to.deep.equal([]);
    expect(await woodpeckerControl.writeLines()).to.deep.equal([]);
    await engine.destroy();
  });

  it("refresh after a structural edit in Woodpecker's app of a workflow campaign: succeeds and shows the drift; the next preview refuses the replacement in check", async () => {
    const engine = new MockEngine(host);
    const program = () => ({ id: emails("in-workflow", { workflow: "Q4 nurture" }).campaignId });
    const up = await engine.run(program, { label: "up" });
    const id = up.outputs.id;
    await woodpeckerControl.call("PUT", `/campaigns/${id}/workflow`, { active: true });
    const live = await woodpeckerControl.campaign(id);
    const step = flattenChain(live.steps)[1];
    await woodpeckerControl.editOutside(id, {
      followup_after: [{ step_id: step.id, followup_after: { range: "DAY", value: 5 } }],
    });

    // Before: diff threw WorkflowReplacementError here, and the whole refresh failed.
    const refreshed = await engine.refresh();
    expect(refreshed.steps).to.deep.equal(["follow-up: refresh: drift (steps)"]);
    const [entry] = [...engine.state.values()];
    // The refreshed outputs (and the inputs in state) hold the delay set in the app.
    expect(entry.outs.steps[1].delay).to.deep.equal({ value: 5, unit: "day" });
    expect(entry.inputs.steps[1].delay).to.deep.equal({ value: 5, unit: "day" });

    // Putting the program's 3 days back needs a replacement, which Woodpecker would refuse to delete:
    // check says so at preview, and nothing is sent.
    await woodpeckerControl.clearRequests();
    const refused = await runFailure(engine.run(program, { preview: true, label: "preview after drift" }));
    expect(refused.steps).to.deep.equal(["follow-up: check failed"]);
    expect(refused.message).to.include("workflow:").and.include('"Q4 nurture"').and.include("steps[1].delay");
    expect(await woodpeckerControl.writeLines()).to.deep.equal([]);

    await woodpeckerControl.call("PUT", `/campaigns/${id}/workflow`, { active: false });
    await engine.destroy();
  });

  it("`pulumi up --replace` of a running Burki campaign (no Diff): the resource option makes it stop → delete → create", async () => {
    const engine = new MockEngine(host);
    const program = () => ({ id: calls().campaignId });
    const up = await engine.run(program, { label: "up" });
    // The options the SDK sent in the RegisterResourceRequest: the class's defaults. The digest of
    // the contacts is as revealing as the contacts, so both are secret outputs.
    expect(engine.registeredOptions.get("renewals")).to.include({ deleteBeforeReplace: true });
    expect(engine.registeredOptions.get("renewals")?.additionalSecretOutputs).to.include.members([
      "contacts",
      "contactsDigest",
    ]);
    await burkiControl.clearRequests();

    const replaced = await engine.run(program, { replace: ["renewals"], label: "up --replace renewals" });
    expect(replaced.steps).to.deep.equal(["renewals: replace (id, deleteBeforeReplace)"]);
    const writes = await burkiControl.writeLines();
    const stop = writes.indexOf(`POST /api/v1/campaigns/${up.outputs.id}/stop 200`);
    const del = writes.indexOf(`DELETE /api/v1/campaigns/${up.outputs.id} 200`);
    const create = writes.indexOf("POST /api/v1/campaigns/ 200");
    expect([stop, del, create], writes.join("\n")).to.satisfy((ix: number[]) => ix.every((i) => i >= 0));
    expect(stop).to.be.lessThan(del);
    expect(del).to.be.lessThan(create);
    // Never two live copies: only the new campaign exists, running.
    const live = await burkiControl.campaigns();
    expect(live.map((c: any) => [c.id, c.status])).to.deep.equal([[replaced.outputs.id, "running"]]);
    await engine.destroy();
  });

  it("an explicit `deleteBeforeReplace: false` is kept (and documented as two live copies)", async () => {
    const engine = new MockEngine(host);
    const program = () => ({ id: calls({ options: { deleteBeforeReplace: false } }).campaignId });
    await engine.run(program, { label: "up" });
    expect(engine.registeredOptions.get("renewals")).to.include({ deleteBeforeReplace: false });
    const replaced = await engine.run(program, { replace: ["renewals"], label: "up --replace renewals" });
    expect(replaced.steps).to.deep.equal(["renewals: replace (id, createBeforeDelete)"]);
    await engine.destroy();
  });

  it("`retainOnDelete`: destroy leaves the campaign running; a replacement leaves the old one live beside the new one", async () => {
    const engine = new MockEngine(host);
    const program = (assistantId: number) => () => ({
      id: calls({ assistantId, options: { retainOnDelete: true } }).campaignId,
    });
    const first = await engine.run(program(7), { label: "up" });
    const replaced = await engine.run(program(8), { label: "new assistant" });
    expect(replaced.steps).to.deep.equal([
      "renewals: replace (assistantId, deleteBeforeReplace): delete skipped (retainOnDelete)",
      "renewals: replace (assistantId, deleteBeforeReplace)",
    ]);
    const statuses = async () =>
      Object.fromEntries((await burkiControl.campaigns()).map((c: any) => [c.id, c.status]));
    expect(await statuses()).to.deep.equal({
      [first.outputs.id]: "running",
      [replaced.outputs.id]: "running",
    });
    const destroyed = await engine.destroy();
    expect(destroyed.steps).to.deep.equal(["renewals: delete skipped (retainOnDelete)"]);
    expect(engine.state.size).to.equal(0);
    expect(await statuses()).to.deep.equal({
      [first.outputs.id]: "running",
      [replaced.outputs.id]: "running",
    });
  });

  it("`replaceOnChanges` is reported as having no effect (the engine gets no per-field keys from a dynamic provider)", async () => {
    const engine = new MockEngine(host);
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(" "));
    try {
      await engine.run(() => ({ id: calls({ options: { replaceOnChanges: ["assistantId"] } }).campaignId }), {
        preview: true,
      });
    } finally {
      console.warn = warn;
    }
    expect(warnings.join("\n")).to.match(/replaceOnChanges \(assistantId\) has no effect on this campaign/);
    expect(engine.registeredOptions.get("renewals")?.replaceOnChanges).to.deep.equal(["assistantId"]);
  });
});
