/**
 * Protocol layer: `woodpecker.Campaign`'s provider, serialized by the SDK's own serializer from
 * the installed package, driven through the SDK's real dynamic-provider host over gRPC against
 * the Woodpecker emulator.
 */
import { expect } from "chai";
import * as path from "node:path";
import { WOODPECKER_EMULATOR_API_KEY, WoodpeckerEmulator } from "../../provider/emulators/woodpecker";
import { completeInputs } from "../../provider/core/provider-kit";
import { woodpeckerCampaignSchema } from "../../provider/woodpecker/schema";
import { checkAndCreate, installedProviderText, startCampaignHost } from "../helpers/campaign-host";
import { EmulatorControl } from "../helpers/control";
import { ProviderHost, UNKNOWN, rpcFailure, serializeProvider, type Props } from "../helpers/provider-host";

const ROOT = path.resolve(__dirname, "../..");
const TYPE = "pulumi-nodejs:dynamic/woodpecker:Campaign";

const twoSteps = (): Props[] => [
  {
    versions: [
      { subject: "Quick question", message: "<p>Hi {{FIRST_NAME}}</p>" },
      { subject: "A quick idea", message: "<p>Hello {{FIRST_NAME}}</p>" },
    ],
  },
  { delay: { value: 3, unit: "day" }, versions: [{ message: "<p>Following up</p>" }] },
];

describe("protocol: woodpecker.Campaign through the SDK's dynamic-provider host", function () {
  this.timeout(60_000);
  let emulator: WoodpeckerEmulator;
  let control: EmulatorControl;
  let host: ProviderHost;
  let providerText: string;

  const inputs = (over: Props = {}): Props => ({
    name: "q4-outreach",
    emailAccountIds: [112233],
    settings: { timezone: "Europe/Warsaw", dailyEnroll: 50 },
    steps: twoSteps(),
    state: "running",
    ...over,
    __provider: providerText,
  });

  const up = (name: string, props: Props) => checkAndCreate(host, TYPE, name, props);

  before(async () => {
    emulator = new WoodpeckerEmulator({ latencyMs: 2 });
    await emulator.start();
    control = new EmulatorControl(emulator.origin);
    providerText = await installedProviderText("woodpecker");
    host = await startCampaignHost({ cwd: ROOT, woodpecker: { baseUrl: emulator.baseUrl } });
  });

  after(async () => {
    await host?.close();
    await emulator?.stop();
  });

  beforeEach(async () => {
    await control.clearFaults();
    await control.clearRequests();
  });

  it("serializes to a plain require of the installed package: under 2 KB, no key", async () => {
    const { text, containsSecrets } = await serializeProvider(
      require("pulumi-campaigns/dynamic/woodpecker-campaign"),
    );
    expect(text.length).to.be.lessThan(2048);
    expect(text).to.include('require("pulumi-campaigns/dynamic/woodpecker-campaign")');
    expect(text).to.not.include(WOODPECKER_EMULATOR_API_KEY);
    expect(containsSecrets).to.equal(false);
  });

  it("check: Woodpecker's limits as failures with property paths, and nothing is sent", async () => {
    const seventeen = Array.from({ length: 17 }, () => ({ versions: [{ subject: "s", message: "m" }] }));
    const urn = host.urnOf(TYPE, "bad");
    const a = await host.check(urn, {}, inputs({ steps: seventeen }));
    expect(a.failures).to.deep.equal([
      { property: "steps", reason: "at most 16 steps (Woodpecker's limit)" },
    ]);

    const b = await host.check(
      urn,
      {},
      inputs({
        settings: { timezone: "Mars/Olympus", dailyEnroll: 501 },
        steps: [
          {
            deliveryTime: {
              monday: [
                { from: "08:00", to: "09:00" },
                { from: "10:00", to: "11:00" },
                { from: "12:00", to: "13:00" },
                { from: "14:00", to: "15:00" },
              ],
              tuesday: [{ from: "8:00", to: "18:00" }],
            },
            versions: [{ subject: "", message: "<p>x</p>" }],
          },
        ],
      }),
    );
    expect(b.failures.map((f) => f.property).sort()).to.deep.equal([
      "settings.dailyEnroll",
      "settings.timezone",
      "steps[0].deliveryTime.monday",
      "steps[0].deliveryTime.tuesday[0].from",
    ]);
    const c = await host.check(
      urn,
      {},
      inputs({ steps: [{ versions: [{ message: "<p>no subject</p>" }] }] }),
    );
    expect(c.failures.map((f) => f.property)).to.deep.equal(["steps[0].versions[0].subject"]);
    expect(await control.requests()).to.deep.equal([]);
  });

  it("create → the step array round-trips through the nested START → followup chain", async () => {
    const c = await up("roundtrip", inputs({ state: "draft", name: "roundtrip" }));
    expect(c.outs).to.include({ status: "DRAFT", schemaVersion: 1 });
    expect(c.outs.stepIds).to.have.length(2);
    expect(c.outs.versionIds.map((v: string[]) => v.length)).to.deep.equal([2, 1]);
    // Outputs spell out every default; the stored inputs leave them to diff (storedWithoutDefaults).
    expect(c.outs.steps).to.deep.equal(completeInputs(woodpeckerCampaignSchema, c.inputs).steps);
    const held = await control.campaign(c.id);
    expect(held.steps.type).to.equal("START");
    expect(held.steps.followup.type).to.equal("EMAIL");
    expect(held.steps.followup.body.versions.map((v: { version: string }) => v.version)).to.deep.equal([
      "A",
      "B",
    ]);
    expect(held.steps.followup.followup.followup_after).to.deep.equal({ range: "DAY", value: 3 });
    expect(held.steps.followup.followup.followup).to.equal(null);
    expect((await host.diff(c.urn, c.id, c.outs, c.inputs)).changes).to.equal("DIFF_NONE");
    await host.delete(c.urn, c.id, c.outs, c.inputs);
  });

  it("editing a running campaign: make_editable → edits → run, in that order", async () => {
    const c = await up("running-edit", inputs({ name: "running-edit" }));
    expect(c.outs.status).to.equal("RUNNING");
    const steps = twoSteps();
    steps[0].versions[1].subject = "A better idea";
    (steps[1] as Props).deliveryTime = { monday: [{ from: "09:00", to: "12:00" }] };
    const news = (
      await host.check(
        c.urn,
        c.inputs,
        inputs({ name: "running-edit", steps, settings: { timezone: "Europe/Warsaw", dailyEnroll: 80 } }),
      )
    ).inputs;
    const d = await host.diff(c.urn, c.id, c.outs, news);
    expect(d).to.deep.equal({ changes: "DIFF_SOME", replaces: [], deleteBeforeReplace: true });
    await control.clearRequests();
    const u = await host.update(c.urn, c.id, c.outs, news, c.inputs);
    expect(u.outs).to.include({ status: "RUNNING" });
    expect(u.outs.settings.dailyEnroll).to.equal(80);
    const [step0, step1] = c.outs.stepIds;
    const versionB = c.outs.versionIds[0][1];
    expect(await control.writeLines()).to.deep.equal([
      `POST /rest/v2/campaigns/${c.id}/make_editable 200`,
      `PATCH /rest/v2/campaigns/${c.id} 200`,
      `PATCH /rest/v2/campaigns/${c.id}/steps/${step0}/versions/${versionB} 200`,
      `PATCH /rest/v2/campaigns/${c.id}/steps/${step1} 200`,
      `POST /rest/v2/campaigns/${c.id}/run 200`,
    ]);
    expect((await host.diff(c.urn, c.id, u.outs, news)).changes).to.equal("DIFF_NONE");
    await host.delete(c.urn, c.id, u.outs, news);
  });

  it("appends a step and deletes a later step in place; a delay change is a replacement", async () => {
    const c = await up("steps", inputs({ name: "steps", state: "draft" }));
    const three = [
      ...twoSteps(),
      { delay: { value: 2, unit: "hour" }, versions: [{ message: "<p>last</p>" }] },
    ];
    const grown = (await host.check(c.urn, c.inputs, inputs({ name: "steps", state: "draft", steps: three })))
      .inputs;
    expect((await host.diff(c.urn, c.id, c.outs, grown)).replaces).to.deep.equal([]);
    await control.clearRequests();
    const u1 = await host.update(c.urn, c.id, c.outs, grown);
    expect(await control.writeLines()).to.deep.equal([`POST /rest/v2/campaigns/${c.id}/steps 200`]);
    expect(u1.outs.stepIds).to.have.length(3);
    expect(u1.outs.steps).to.deep.equal(completeInputs(woodpeckerCampaignSchema, grown).steps);

    const shrunk = (await host.check(c.urn, grown, inputs({ name: "steps", state: "draft" }))).inputs;
    await control.clearRequests();
    const u2 = await host.update(c.urn, c.id, u1.outs, shrunk);
    expect(await control.writeLines()).to.deep.equal([
      `DELETE /rest/v2/campaigns/${c.id}/steps/${u1.outs.stepIds[2]} 200`,
    ]);
    expect(u2.outs.stepIds).to.deep.equal(c.outs.stepIds);

    const slower = twoSteps();
    slower[1].delay = { value: 5, unit: "day" };
    const replacing = (
      await host.check(c.urn, shrunk, inputs({ name: "steps", state: "draft", steps: slower }))
    ).inputs;
    expect(await host.diff(c.urn, c.id, u2.outs, replacing)).to.deep.equal({
      changes: "DIFF_SOME",
      replaces: ["steps"],
      deleteBeforeReplace: true,
    });
    await host.delete(c.urn, c.id, u2.outs, shrunk);
  });

  it("a replacement of a campaign that declares `workflow` fails in check, at preview, with no API call", async () => {
    const c = await up("in-workflow", inputs({ name: "in-workflow", workflow: "Q4 nurture" }));
    const slower = twoSteps();
    slower[1].delay = { value: 5, unit: "day" };
    await control.clearRequests();
    const refused = await host.check(
      c.urn,
      c.inputs,
      inputs({ name: "in-workflow", workflow: "Q4 nurture", steps: slower }),
    );
    expect(refused.failures).to.have.length(1);
    const [failure] = refused.failures;
    expect(failure.property).to.equal("workflow");
    expect(failure.reason).to.include('Woodpecker campaign "in-workflow"');
    expect(failure.reason).to.include('the active workflow "Q4 nurture"');
    expect(failure.reason).to.include("steps[1].delay");
    expect(failure.reason).to.include("drop `workflow`");
    // The engine's second Check of a replacement (news only) and a create are not refused.
    expect(
      (await host.check(c.urn, {}, inputs({ name: "in-workflow", workflow: "Q4 nurture", steps: slower })))
        .failures,
    ).to.deep.equal([]);
    // Diff never refuses (the engine calls it after every refresh): it plans the replacement.
    const news = (
      await host.check(c.urn, {}, inputs({ name: "in-workflow", workflow: "Q4 nurture", steps: slower }))
    ).inputs;
    expect((await host.diff(c.urn, c.id, c.outs, news)).replaces).to.deep.equal(["steps"]);
    expect(await control.requests()).to.deep.equal([]);
    // In place changes still go through.
    const inPlace = (
      await host.check(
        c.urn,
        c.inputs,
        inputs({ name: "in-workflow", workflow: "Q4 nurture", bounceShieldThreshold: 7 }),
      )
    ).inputs;
    expect((await host.diff(c.urn, c.id, c.outs, inPlace)).changes).to.equal("DIFF_SOME");
    // With `workflow` dropped (the user took it out of the workflow), the replacement is planned.
    const dropped = (await host.check(c.urn, c.inputs, inputs({ name: "in-workflow", steps: slower })))
      .inputs;
    expect((await host.diff(c.urn, c.id, c.outs, dropped)).replaces).to.deep.equal(["steps"]);
    await host.delete(c.urn, c.id, c.outs, c.inputs);
  });

  it("destroy of a campaign in an active workflow: a clear error, the campaign untouched, the resource kept", async () => {
    const c = await up("wf-destroy", inputs({ name: "wf-destroy", workflow: "Q4 nurture" }));
    await control.call("PUT", `/campaigns/${c.id}/workflow`, { active: true });
    const before = await control.campaign(c.id);
    await control.clearRequests();
    const e = await rpcFailure(host.delete(c.urn, c.id, c.outs, c.inputs));
    expect(e.initFailed).to.equal(undefined);
    expect(e.details).to.include(`Woodpecker refused to delete Woodpecker campaign ${c.id} ("wf-destroy")`);
    expect(e.details).to.include('part of an active workflow "Q4 nurture"');
    expect(e.details).to.include("CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW");
    expect(e.details).to.include("stays in the Pulumi state");
    const after = await control.campaign(c.id);
    expect(after.status).to.equal(before.status);
    expect(await control.writeLines()).to.deep.equal([`DELETE /rest/v2/campaigns/${c.id} 409`]); // not retried
    await control.call("PUT", `/campaigns/${c.id}/workflow`, { active: false });
    await host.delete(c.urn, c.id, c.outs, c.inputs);
    expect(await control.campaign(c.id)).to.equal(undefined);
  });

  it("refresh after an edit outside Pulumi shows the drift; an outside delete makes delete a no-op", async () => {
    const c = await up("drift", inputs({ name: "drift" }));
    await control.editOutside(c.id, { name: "renamed in the app", settings: { daily_enroll: 10 } });
    await control.transition(c.id, "PAUSED");
    const r = await host.read(c.urn, c.id, c.outs, c.inputs);
    expect(r.inputs).to.include({ name: "renamed in the app", state: "paused" });
    expect(r.inputs!.settings.dailyEnroll).to.equal(10);
    expect(r.outs.status).to.equal("PAUSED");
    expect((await host.diff(c.urn, c.id, r.outs, c.inputs)).changes).to.equal("DIFF_SOME");
    // No drift: refresh gives back the same inputs.
    const fixed = await host.update(c.urn, c.id, r.outs, c.inputs);
    const again = await host.read(c.urn, c.id, fixed.outs, c.inputs);
    const { __provider: _a, ...readBack } = again.inputs!;
    const { __provider: _b, ...declared } = c.inputs;
    expect(readBack).to.deep.equal(declared);

    await control.deleteOutside(c.id);
    expect((await host.read(c.urn, c.id, fixed.outs, c.inputs)).id).to.equal("");
    await host.delete(c.urn, c.id, fixed.outs, c.inputs);
  });

  it("bounceShieldThreshold: undeclared = not managed (one GET per refresh, an app-set threshold is never removed)", async () => {
    const setInApp = async (id: string, threshold: number) => {
      const r = await fetch(`${emulator.baseUrl}/v2/campaigns/${id}/bounce_shield/threshold`, {
        method: "PUT",
        headers: { "x-api-key": WOODPECKER_EMULATOR_API_KEY, "content-type": "application/json" },
        body: JSON.stringify({ bounce_rate_threshold: threshold }),
      });
      expect(r.status).to.equal(204);
    };
    const inApp = async (id: string) =>
      (await control.call<{ bounceRateThreshold: number | null }>("GET", `/campaigns/${id}`))
        .bounceRateThreshold;

    // Undeclared: refresh is one GET, and a threshold set in the app stays through refresh and up.
    const c = await up("shield-free", inputs({ name: "shield-free" }));
    expect(c.outs.bounceShieldThreshold).to.equal(undefined);
    await setInApp(c.id, 12);
    await control.clearRequests();
    const r = await host.read(c.urn, c.id, c.outs, c.inputs);
    expect(await control.requestLines()).to.deep.equal([`GET /rest/v2/campaigns/${c.id} 200`]);
    expect(r.outs.bounceShieldThreshold).to.equal(undefined);
    expect((await host.diff(c.urn, c.id, r.outs, c.inputs)).changes).to.equal("DIFF_NONE");
    const renamed = (await host.check(c.urn, c.inputs, inputs({ name: "shield-free 2" }))).inputs;
    await host.update(c.urn, c.id, r.outs, renamed, c.inputs);
    expect(await inApp(c.id), "an update never removes an undeclared threshold").to.equal(12);

    // Declared: read back on refresh (drift shows), set on update.
    const d = await up("shield", inputs({ name: "shield", bounceShieldThreshold: 7 }));
    expect(await inApp(d.id)).to.equal(7);
    await setInApp(d.id, 30);
    await control.clearRequests();
    const rd = await host.read(d.urn, d.id, d.outs, d.inputs);
    expect(await control.requestLines()).to.deep.equal([
      `GET /rest/v2/campaigns/${d.id} 200`,
      `GET /rest/v2/campaigns/${d.id}/bounce_shield/threshold 200`,
    ]);
    expect(rd.outs.bounceShieldThreshold).to.equal(30);
    expect((await host.diff(d.urn, d.id, rd.outs, d.inputs)).changes).to.equal("DIFF_SOME");
    const fixed = await host.update(d.urn, d.id, rd.outs, d.inputs);
    expect(await inApp(d.id)).to.equal(7);

    // Dropped from the program: an update that writes nothing to the threshold and stops showing it.
    const dropped = (await host.check(d.urn, d.inputs, inputs({ name: "shield" }))).inputs;
    expect((await host.diff(d.urn, d.id, fixed.outs, dropped)).changes).to.equal("DIFF_SOME");
    await control.clearRequests();
    const u = await host.update(d.urn, d.id, fixed.outs, dropped, d.inputs);
    expect(u.outs.bounceShieldThreshold).to.equal(undefined);
    expect((await control.requestLines()).filter((l) => l.includes("bounce_shield"))).to.deep.equal([]);
    expect(await inApp(d.id), "Woodpecker keeps it").to.equal(7);
    expect((await host.diff(d.urn, d.id, u.outs, dropped)).changes).to.equal("DIFF_NONE");
    await host.delete(c.urn, c.id, r.outs, renamed);
    await host.delete(d.urn, d.id, u.outs, dropped);
  });

  it("preview with unknown values: no failures, and a change is shown", async () => {
    const urn = host.urnOf(TYPE, "preview");
    const chk = await host.check(urn, {}, inputs({ name: UNKNOWN, emailAccountIds: UNKNOWN }));
    expect(chk.failures).to.deep.equal([]);
    expect(await control.requests()).to.deep.equal([]);
  });

  it("30 campaigns created in parallel: zero 429s, one request at a time", async () => {
    await control.call("DELETE", "/stats");
    const created = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        up(`parallel-${i}`, inputs({ name: `parallel-${i}`, state: "draft" })),
      ),
    );
    const stats = await control.call<{ maxConcurrent: number; rateLimited: number }>("GET", "/stats");
    expect(stats.rateLimited).to.equal(0);
    expect(stats.maxConcurrent).to.equal(1);
    expect((await control.requests()).filter((r) => r.status === 429)).to.deep.equal([]);
    await Promise.all(created.map((c) => host.delete(c.urn, c.id, c.outs, c.inputs)));
  });

  it("a wrong key: authentication failed, and the key is not in the error", async () => {
    const wrongKey = "wpk_wrong_wrong_wrong_wrong_wrong_wrong_000";
    const other = await startCampaignHost({
      cwd: ROOT,
      woodpecker: { baseUrl: emulator.baseUrl, apiKey: wrongKey },
    });
    try {
      const urn = other.urnOf(TYPE, "wrong-key");
      const chk = await other.check(urn, {}, inputs({ state: "draft" }));
      const e = await rpcFailure(other.create(urn, chk.inputs));
      expect(e.details).to.match(/Woodpecker authentication failed \(HTTP 401/);
      expect(e.details).to.include("pulumi config set --secret woodpecker:apiKey");
      expect(e.details).to.not.include(wrongKey);
      expect(other.stderr() + other.stdout()).to.not.include(wrongKey);
    } finally {
      await other.close();
    }
  });
});
