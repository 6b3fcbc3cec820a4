/**
 * Protocol layer: `burki.Campaign`'s provider, serialized by the SDK's own serializer from the
 * installed package, driven through the SDK's real dynamic-provider host over gRPC, against the
 * Burki emulator — as the engine does it.
 */
import { expect } from "chai";
import * as path from "node:path";
import { BURKI_EMULATOR_API_KEY, BurkiEmulator } from "../../provider/emulators/burki";
import {
  CREDENTIAL_ENV,
  campaignConfig,
  checkAndCreate,
  installedProviderText,
  startCampaignHost,
} from "../helpers/campaign-host";
import { EmulatorControl } from "../helpers/control";
import { ProviderHost, UNKNOWN, rpcFailure, serializeProvider, type Props } from "../helpers/provider-host";

const ROOT = path.resolve(__dirname, "../..");
const TYPE = "pulumi-nodejs:dynamic/burki:Campaign";

const contacts = [
  { phoneNumber: "+15551230001", name: "Ann", variables: { plan: "gold" } },
  { phoneNumber: "+15551230002", name: "Bob" },
];

describe("protocol: burki.Campaign through the SDK's dynamic-provider host", function () {
  this.timeout(60_000);
  let emulator: BurkiEmulator;
  let control: EmulatorControl;
  let host: ProviderHost;
  let providerText: string;

  const inputs = (over: Props = {}): Props => ({
    name: "renewals",
    campaignType: "call",
    assistantId: 7,
    welcomeMessageTemplate: "Hi {{name}}, this is Ava from Acme",
    contacts,
    state: "running",
    ...over,
    __provider: providerText,
  });

  /** Check + Create, as `pulumi up` does for a new resource. */
  const up = (name: string, props: Props) => checkAndCreate(host, TYPE, name, props);

  before(async () => {
    emulator = new BurkiEmulator({ startDelayMs: 50, importDelayMs: 10 });
    await emulator.start();
    control = new EmulatorControl(emulator.origin);
    providerText = await installedProviderText("burki");
    host = await ProviderHost.start({ cwd: ROOT, env: CREDENTIAL_ENV });
    const configured = await host.configure(
      campaignConfig({ burki: { baseUrl: emulator.baseUrl }, settings: { "burki:stopTimeoutSeconds": "3" } }),
    );
    expect(configured).to.deep.equal({ acceptSecrets: false, supportsPreview: false });
  });

  after(async () => {
    await host?.close();
    await emulator?.stop();
  });

  beforeEach(async () => {
    await control.clearFaults();
    await control.clearRequests();
  });

  it("serializes to a plain require of the installed package: under 2 KB, no key, no config", async () => {
    const { text, containsSecrets } = await serializeProvider(
      require("pulumi-campaigns/dynamic/burki-campaign"),
    );
    expect(text.length).to.be.lessThan(2048);
    expect(text).to.include('require("pulumi-campaigns/dynamic/burki-campaign")');
    expect(text).to.not.include(BURKI_EMULATOR_API_KEY);
    expect(text).to.not.include("__config");
    expect(containsSecrets).to.equal(false);
    // the resource class passes this very object to pulumi.dynamic.Resource
    expect(require("pulumi-campaigns").burki.Campaign).to.be.a("function");
  });

  it("check: invalid inputs fail with property paths and nothing reaches Burki", async () => {
    const urn = host.urnOf(TYPE, "bad");
    const chk = await host.check(
      urn,
      {},
      inputs({
        name: "",
        maxAttempts: 11,
        contacts: [...contacts, { phoneNumber: "555 0100" }],
      }),
    );
    const byProperty = Object.fromEntries(chk.failures.map((f) => [f.property, f.reason]));
    expect(Object.keys(byProperty).sort()).to.deep.equal(["contacts[2].phoneNumber", "maxAttempts", "name"]);
    expect(byProperty.maxAttempts).to.match(/between 1 and 10/);
    expect(byProperty.name).to.match(/empty/);
    expect(await control.requests()).to.deep.equal([]);
  });

  it("check and diff in preview: unknown values are not failures, and show a change", async () => {
    const urn = host.urnOf(TYPE, "preview");
    const chk = await host.check(urn, {}, inputs({ assistantId: UNKNOWN, name: UNKNOWN }));
    expect(chk.failures).to.deep.equal([]);
    const d = await host.diff(
      urn,
      "1",
      { ...inputs(), campaignId: 1, status: "draft" },
      inputs({ name: UNKNOWN }),
    );
    expect(d.changes).to.equal("DIFF_SOME");
    expect(await control.requests()).to.deep.equal([]);
  });

  it("create → diff → update (pause → PUT → start) → read → replace diff → delete of a running campaign", async () => {
    const c = await up("renewals", inputs());
    const id = Number(c.id);
    expect(c.outs).to.include({
      campaignId: id,
      status: "running",
      totalContacts: 2,
      schemaVersion: 1,
      name: "renewals",
    });
    expect(c.outs.__provider).to.equal(providerText);
    expect(c.outs.contactsDigest).to.match(/^[0-9a-f]{64}$/);
    expect((await control.campaign(id)).status).to.equal("running");

    // No change: no diff.
    const same = await host.diff(c.urn, c.id, c.outs, (await host.check(c.urn, c.inputs, inputs())).inputs);
    expect(same.changes).to.equal("DIFF_NONE");

    // Edit a running campaign: Burki only accepts PUT in draft/paused.
    await control.clearRequests();
    const news = (await host.check(c.urn, c.inputs, inputs({ maxAttempts: 5 }))).inputs;
    const d = await host.diff(c.urn, c.id, c.outs, news);
    expect(d).to.include({ changes: "DIFF_SOME" });
    expect(d.replaces).to.deep.equal([]);
    const u = await host.update(c.urn, c.id, c.outs, news, c.inputs);
    expect(u.outs).to.include({ maxAttempts: 5, status: "running" });
    const lines = await control.writeLines();
    expect(lines).to.deep.equal([
      `POST /api/v1/campaigns/${id}/pause 200`,
      `PUT /api/v1/campaigns/${id} 200`,
      `POST /api/v1/campaigns/${id}/start 200`,
    ]);

    // Refresh with no drift: inputs come back equal, so no spurious diff.
    const r = await host.read(c.urn, c.id, u.outs, news);
    expect(r.id).to.equal(c.id);
    const { __provider: _p, ...readInputs } = r.inputs!;
    const { __provider: _q, ...expected } = news;
    expect(readInputs).to.deep.equal(expected);
    expect((await host.diff(c.urn, c.id, r.outs, news)).changes).to.equal("DIFF_NONE");

    // Immutable fields force a delete-before-replace.
    const replace = await host.diff(c.urn, c.id, u.outs, inputs({ maxAttempts: 5, campaignType: "mixed" }));
    expect(replace).to.deep.equal({
      changes: "DIFF_SOME",
      replaces: ["campaignType"],
      deleteBeforeReplace: true,
    });

    // Delete of a running campaign: stop first, then delete.
    await control.clearRequests();
    await host.delete(c.urn, c.id, u.outs, news);
    expect(await control.requestLines()).to.deep.equal([
      `GET /api/v1/campaigns/${id} 200`,
      `POST /api/v1/campaigns/${id}/stop 200`,
      `GET /api/v1/campaigns/${id} 200`,
      `DELETE /api/v1/campaigns/${id} 200`,
    ]);
    expect(await control.campaign(id)).to.equal(undefined);
  });

  it("refresh after an edit outside Pulumi shows the drift; destroy after an outside delete succeeds", async () => {
    const c = await up("drift", inputs({ state: "draft" }));
    await control.editOutside(c.id, { name: "renamed in the Burki app", max_attempts: 7 });
    await control.transition(c.id, "running");
    const r = await host.read(c.urn, c.id, c.outs, c.inputs);
    expect(r.inputs).to.include({ name: "renamed in the Burki app", maxAttempts: 7, state: "running" });
    expect(r.outs).to.include({ status: "running" });
    const d = await host.diff(c.urn, c.id, r.outs, c.inputs);
    expect(d.changes).to.equal("DIFF_SOME");

    await control.deleteOutside(c.id);
    const gone = await host.read(c.urn, c.id, r.outs, r.inputs);
    expect(gone.id).to.equal("");
    await host.delete(c.urn, c.id, r.outs, r.inputs); // 404 = done
    expect(await control.requestLines()).to.include(`GET /api/v1/campaigns/${c.id} 404`);
  });

  it("a campaign that turns running between the read and the delete is stopped and deleted", async () => {
    const c = await up("race", inputs({ state: "draft" }));
    await control.call("POST", `/campaigns/${c.id}/hooks`, { startBeforeNextDelete: true });
    await control.clearRequests();
    await host.delete(c.urn, c.id, c.outs, c.inputs);
    const lines = await control.requestLines();
    expect(lines).to.deep.equal([
      `GET /api/v1/campaigns/${c.id} 200`,
      `DELETE /api/v1/campaigns/${c.id} 400`,
      `GET /api/v1/campaigns/${c.id} 200`,
      `POST /api/v1/campaigns/${c.id}/stop 200`,
      `GET /api/v1/campaigns/${c.id} 200`,
      `DELETE /api/v1/campaigns/${c.id} 200`,
    ]);
    expect(await control.campaign(c.id)).to.equal(undefined);
  });

  it("a stop that never takes effect ends in a timeout that names the campaign; nothing is deleted", async () => {
    const c = await up("stuck", inputs({ name: "stuck" }));
    await control.call("POST", `/campaigns/${c.id}/hooks`, { ignoreStop: true });
    const e = await rpcFailure(host.delete(c.urn, c.id, c.outs, c.inputs));
    expect(e.details).to.include(`Burki campaign ${c.id} ("stuck") is still running`);
    expect(e.details).to.include("NOT deleted");
    expect(e.details).to.include("burki:stopTimeoutSeconds");
    expect((await control.campaign(c.id)).status).to.equal("running");
    expect((await control.requestLines()).filter((l) => l.startsWith("DELETE"))).to.deep.equal([]);
    await control.call("POST", `/campaigns/${c.id}/hooks`, { ignoreStop: false });
    await host.delete(c.urn, c.id, c.outs, c.inputs);
    expect(await control.campaign(c.id)).to.equal(undefined);
  });

  it("a create whose answer is lost is found again, not duplicated", async () => {
    await control.setFaults({ rateAppliedLost: 1, match: "^POST /api/v1/campaigns/$", seed: 3 });
    const c = await up("lost-answer", inputs({ name: "lost answer", state: "draft" }));
    await control.clearFaults();
    const same = (await control.campaigns()).filter((x) => x.name === "lost answer");
    expect(same.map((x) => x.id)).to.deep.equal([Number(c.id)]);
    expect(await control.requestLines()).to.include("GET /api/v1/campaigns/ 200");
    await host.delete(c.urn, c.id, c.outs, c.inputs);
  });

  it("a failure after the campaign exists is a partial failure that keeps it in state", async () => {
    await control.setFaults({ rate500: 1, match: "import-data$" });
    const urn = host.urnOf(TYPE, "partial");
    const chk = await host.check(urn, {}, inputs({ name: "partial" }));
    const e = await rpcFailure(host.create(urn, chk.inputs));
    await control.clearFaults();
    expect(e.initFailed, e.message).to.not.equal(undefined);
    const id = Number(e.initFailed!.id);
    expect(e.details).to.include(`Burki campaign ${id} ("partial") exists but was not fully configured`);
    expect(e.initFailed!.properties).to.include({
      campaignId: id,
      status: "draft",
      __provider: providerText,
    });
    expect(e.initFailed!.properties.contactsDigest).to.equal(undefined);
    // The next `up` sees the difference and finishes the job.
    const d = await host.diff(urn, String(id), e.initFailed!.properties, chk.inputs);
    expect(d.changes).to.equal("DIFF_SOME");
    const u = await host.update(urn, String(id), e.initFailed!.properties, chk.inputs);
    expect(u.outs).to.include({ status: "running", totalContacts: 2 });
    await host.delete(urn, String(id), u.outs, chk.inputs);
  });

  it("adopts an existing campaign with existingCampaignId, and removing the input later changes nothing", async () => {
    const pre = await fetch(`${emulator.baseUrl}/api/v1/campaigns/`, {
      method: "POST",
      headers: { authorization: `Bearer ${BURKI_EMULATOR_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "made in the app", campaign_type: "call", assistant_id: 7 }),
    }).then((r) => r.json() as Promise<{ id: number }>);
    const c = await up(
      "adopted",
      inputs({ name: "made in the app", existingCampaignId: pre.id, state: "draft" }),
    );
    expect(c.id).to.equal(String(pre.id));
    expect(c.outs).to.include({
      totalContacts: 2,
      welcomeMessageTemplate: "Hi {{name}}, this is Ava from Acme",
    });
    const dropped = await host.diff(c.urn, c.id, c.outs, inputs({ name: "made in the app", state: "draft" }));
    expect(dropped.replaces).to.deep.equal([]);
    await host.delete(c.urn, c.id, c.outs, c.inputs);
  });

  it("a wrong key: authentication failed, and the key is not in the error", async () => {
    const wrongKey = "burki_wrongwrongwrongwrongwrongwrong00";
    const other = await startCampaignHost({
      cwd: ROOT,
      burki: { baseUrl: emulator.baseUrl, apiKey: wrongKey },
    });
    try {
      const urn = other.urnOf(TYPE, "wrong-key");
      const chk = await other.check(urn, {}, inputs({ state: "draft" }));
      const e = await rpcFailure(other.create(urn, chk.inputs));
      expect(e.details).to.match(/Burki authentication failed \(HTTP 401/);
      expect(e.details).to.include("pulumi config set --secret burki:apiKey");
      expect(e.details).to.not.include(wrongKey);
      expect(other.stderr() + other.stdout()).to.not.include(wrongKey);
    } finally {
      await other.close();
    }
  });

  it("a missing key: a clear error naming the config command", async () => {
    const other = await ProviderHost.start({ cwd: ROOT, env: { BURKI_API_KEY: undefined } });
    try {
      await other.configure({ "burki:baseUrl": emulator.baseUrl });
      const urn = other.urnOf(TYPE, "no-key");
      const chk = await other.check(urn, {}, inputs({ state: "draft" }));
      const e = await rpcFailure(other.create(urn, chk.inputs));
      expect(e.details).to.include("No Burki API key is configured");
      expect(e.details).to.include("pulumi config set --secret burki:apiKey");
    } finally {
      await other.close();
    }
  });
});
