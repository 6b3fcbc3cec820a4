/**
 * Protocol layer: `woodpecker.Campaign` `prospects` through the SDK's real dynamic-provider host
 * against the Woodpecker emulator — a running campaign whose prospects change (the request log of
 * the adds and removes), drift repaired on the next update, refusals reported by position, and no
 * email in any output, error, stdout or stderr.
 */
import { expect } from "chai";
import * as path from "node:path";
import { WoodpeckerEmulator } from "../../provider/emulators/woodpecker";
import { checkAndCreate, installedProviderText, startCampaignHost } from "../helpers/campaign-host";
import { EmulatorControl } from "../helpers/control";
import { type ProviderHost, type Props, rpcFailure } from "../helpers/provider-host";

const ROOT = path.resolve(__dirname, "../..");
const TYPE = "pulumi-nodejs:dynamic/woodpecker:Campaign";
const ACCOUNT = "acct-1";

const ann = {
  email: "ann.private@example.com",
  firstName: "Ann",
  company: "Acme",
  snippet1: "We met at the fair",
};
const bob = { email: "bob.private@example.com", firstName: "Bob", tags: ["VC"] };
const cid = { email: "cid.private@example.com", firstName: "Cid" };
const dee = { email: "dee.private@example.com", firstName: "Dee", lastName: "Dee" };
const replied = { email: "replied.private@example.com", firstName: "Rita" };
const EMAILS = [ann, bob, cid, dee, replied].map((p) => p.email);

describe("protocol: woodpecker.Campaign prospects through the SDK's dynamic-provider host", function () {
  this.timeout(60_000);
  let emulator: WoodpeckerEmulator;
  let control: EmulatorControl;
  let host: ProviderHost;
  let providerText: string;

  const inputs = (prospects: Props[] | undefined, over: Props = {}): Props => ({
    name: "prospects-outreach",
    emailAccountIds: [112233],
    settings: { timezone: "Europe/Warsaw", dailyEnroll: 50 },
    steps: [{ versions: [{ subject: "Hi {{FIRST_NAME}}", message: "<p>Hello {{FIRST_NAME}}</p>" }] }],
    state: "running",
    ...(prospects ? { prospects } : {}),
    ...over,
    __provider: providerText,
  });

  /** The prospect writes of the request log: "METHOD /path?query status". */
  async function prospectWrites(): Promise<string[]> {
    return (await control.requests())
      .filter((r) => r.method !== "GET" && r.path.includes("/v1/"))
      .map((r) => `${r.method} ${r.path}${decodeURIComponent(r.query)} ${r.status}`);
  }

  const emailsIn = (campaignId: number) =>
    emulator.prospects
      .list(ACCOUNT, campaignId)
      .map((p) => p.email)
      .sort();

  /** Check then Update, as `pulumi up` does for a changed resource. */
  async function up(urn: string, id: string, olds: Props, oldInputs: Props, news: Props) {
    const chk = await host.check(urn, oldInputs, news);
    expect(chk.failures, JSON.stringify(chk.failures)).to.deep.equal([]);
    const d = await host.diff(urn, id, olds, chk.inputs, oldInputs);
    return { chk, d, update: () => host.update(urn, id, olds, chk.inputs, oldInputs) };
  }

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
    await control.clearRequests();
  });

  it("adds, updates and removes the prospects of a running campaign; drift is re-added; refusals by position", async () => {
    // 1. Create a running campaign with three prospects: one add request.
    const c = await checkAndCreate(host, TYPE, "prospects", inputs([ann, bob, cid]));
    const id = Number(c.id);
    expect(c.inputs.prospectCount).to.equal(3);
    expect(c.outs).to.deep.include({ status: "RUNNING", prospectCount: 3, prospectsDrifted: 0 });
    expect(c.outs.prospectCounts).to.deep.equal({ total: 3, active: 3, replied: 0, bounced: 0, other: 0 });
    expect(c.outs.prospectsDigest).to.match(/^[0-9a-f]{64}$/);
    expect(emailsIn(id)).to.deep.equal([ann.email, bob.email, cid.email]);
    expect(await prospectWrites()).to.deep.equal([`POST /rest/v1/add_prospects_campaign 200`]);
    const created = emulator.prospects.find(ACCOUNT, ann.email)!;
    expect(created.fields).to.deep.include({
      first_name: "Ann",
      company: "Acme",
      snippet1: "We met at the fair",
    });
    expect(emulator.prospects.find(ACCOUNT, bob.email)!.fields.tags).to.equal("#VC");

    // Unchanged: no diff, and an update for another reason reads no prospect.
    const same = await up(c.urn, c.id, c.outs, c.inputs, inputs([ann, bob, cid]));
    expect(same.d.changes).to.equal("DIFF_NONE");

    // 2. Change them: Ann's data changes, Bob is dropped, Dee is new.
    await control.clearRequests();
    const annV2 = { ...ann, company: "Acme Europe" };
    const step2 = await up(c.urn, c.id, c.outs, c.inputs, inputs([annV2, cid, dee]));
    expect(step2.d.changes).to.equal("DIFF_SOME");
    expect(step2.d.replaces).to.deep.equal([]);
    const u2 = await step2.update();
    const bobId = emulator.prospects.find(ACCOUNT, bob.email)!.id;
    const log2 = await prospectWrites();
    if (process.env.SHOW_PROSPECT_LOG) console.log(log2.join("\n"));
    expect(log2).to.deep.equal([
      `POST /rest/v1/add_prospects_campaign 200`, // Dee (update: false)
      `POST /rest/v1/add_prospects_campaign 200`, // Ann (update: true)
      `DELETE /rest/v1/prospects?id=${bobId}&campaigns_id=${id} 200`, // Bob, from this campaign only
    ]);
    expect(emailsIn(id)).to.deep.equal([ann.email, cid.email, dee.email]);
    expect(emulator.prospects.find(ACCOUNT, bob.email), "never deleted from the account").to.not.equal(
      undefined,
    );
    expect(emulator.prospects.find(ACCOUNT, ann.email)!.fields.company).to.equal("Acme Europe");
    expect(u2.outs).to.deep.include({ status: "RUNNING", prospectCount: 3, prospectsDrifted: 0 });

    // 3. Drift: Cid is removed in Woodpecker's app. Refresh shows it; the next `up` re-adds him.
    emulator.prospects.membersOf(id).delete(emulator.prospects.find(ACCOUNT, cid.email)!.id);
    const r = await host.read(c.urn, c.id, u2.outs, step2.chk.inputs);
    if (!r.inputs) throw new Error("read returned no inputs");
    expect(r.outs).to.deep.include({ prospectsDrifted: 1 });
    expect(r.outs.prospectCounts.total).to.equal(2);
    const d3 = await host.diff(c.urn, c.id, r.outs, r.inputs, r.inputs);
    expect(d3.changes).to.equal("DIFF_SOME");
    await control.clearRequests();
    const u3 = await host.update(c.urn, c.id, r.outs, r.inputs, r.inputs);
    expect(await prospectWrites()).to.deep.equal([`POST /rest/v1/add_prospects_campaign 200`]);
    expect(emailsIn(id)).to.deep.equal([ann.email, cid.email, dee.email]);
    expect(u3.outs.prospectsDrifted).to.equal(0);

    // 4. A prospect who replied elsewhere is refused without force: not a failure (refusals.ts), the
    // rest go in, and the refusal is reported by position and reason in plain outputs, never by email.
    const other = emulator.prospects.create(ACCOUNT, replied.email, {});
    emulator.prospects.setStatus(ACCOUNT, other.email, "REPLIED");
    const frank = { email: "frank.private@example.com", firstName: "Frank" };
    const step4 = await up(c.urn, c.id, u3.outs, r.inputs, inputs([annV2, cid, dee, replied, frank]));
    const u4 = await step4.update();
    expect(emailsIn(id)).to.deep.equal([ann.email, cid.email, dee.email, frank.email]);
    expect(u4.outs.prospectsRefused).to.equal(1);
    expect(u4.outs.prospectsRefusedAt).to.have.length(1);
    expect(u4.outs.prospectsRefusedAt[0]).to.match(/^prospects\[3\]: E_INV_STATUS \(/);
    expect(JSON.stringify(u4.outs.prospectsRefusedAt)).to.not.include("@");

    // With onProspectRefused: "fail", the same update fails (the campaign is kept, the others enrolled).
    const step4f = await up(
      c.urn,
      c.id,
      u3.outs,
      r.inputs,
      inputs([annV2, cid, dee, replied, frank], { onProspectRefused: "fail" }),
    );
    const e = await rpcFailure(step4f.update());
    expect(e.initFailed, e.message).to.not.equal(undefined);
    const reasons = e.initFailed!.reasons.join("\n");
    expect(reasons).to.include("prospects[3] (E_INV_STATUS");
    expect(reasons).to.include("force: true");
    expect(emailsIn(id)).to.deep.equal([ann.email, cid.email, dee.email, frank.email]);
    const partial = e.initFailed!.properties;
    expect(partial.prospectsDrifted).to.equal(1);
    // The refusal leaves the digest unmatched: the next `up` tries again (and reports again).
    const d4 = await host.diff(c.urn, c.id, partial, step4f.chk.inputs, step4f.chk.inputs);
    expect(d4.changes).to.equal("DIFF_SOME");

    // With force: true, the same update enrolls them.
    const step5 = await up(
      c.urn,
      c.id,
      partial,
      step4f.chk.inputs,
      inputs([annV2, cid, dee, replied, frank], { force: true }),
    );
    await control.clearRequests();
    const u5 = await step5.update();
    // Rita was already in the account: the add kept her stored data, so one update pass follows.
    expect(await prospectWrites()).to.deep.equal([
      `POST /rest/v1/add_prospects_campaign 200`,
      `POST /rest/v1/add_prospects_campaign 200`,
    ]);
    expect(emulator.prospects.find(ACCOUNT, replied.email)!.fields.first_name).to.equal("Rita");
    expect(u5.outs).to.deep.include({ prospectCount: 5, prospectsDrifted: 0, force: true });
    expect(emailsIn(id)).to.include(replied.email);

    // 5. No email anywhere but the secret prospects themselves.
    const { prospects: _p, ...plainOuts } = u5.outs;
    for (const text of [JSON.stringify(plainOuts), e.message, reasons, host.stdout(), host.stderr()]) {
      for (const email of EMAILS) expect(text).to.not.include(email);
      expect(text).to.not.include("frank.private");
    }
  });

  it("a COMPLETED campaign given new prospects runs again; prospects left out are not managed", async () => {
    const c = await checkAndCreate(host, TYPE, "completed", inputs([ann]));
    emulator.transition(Number(c.id), "COMPLETED");
    const r = await host.read(c.urn, c.id, c.outs, c.inputs);
    if (!r.inputs) throw new Error("read returned no inputs");
    expect(r.outs.status).to.equal("COMPLETED");
    const step = await up(c.urn, c.id, r.outs, r.inputs, inputs([ann, bob]));
    const u = await step.update();
    expect(u.outs.status).to.equal("RUNNING");
    // Dropping the input stops managing them: nothing is removed.
    await control.clearRequests();
    const drop = await up(c.urn, c.id, u.outs, step.chk.inputs, inputs(undefined));
    expect(drop.d.changes).to.equal("DIFF_SOME");
    const u2 = await drop.update();
    expect(await prospectWrites()).to.deep.equal([]);
    expect(u2.outs).to.not.have.any.keys("prospects", "prospectCount", "prospectsDigest", "prospectCounts");
    expect(emailsIn(Number(c.id))).to.deep.equal([ann.email, bob.email]);
  });

  it("drift driven through the HTTP control API only (as against the out-of-process emulator bin)", async () => {
    // Nothing in process: what the emulator holds and the outside changes go through /_emulator/….
    type ControlProspect = { id: number; email: string; status: string; campaignStatus: string };
    const held = async (id: number) =>
      (await control.call<{ prospects: ControlProspect[] }>("GET", `/campaigns/${id}/prospects`)).prospects;
    const c = await checkAndCreate(host, TYPE, "over-http", inputs([ann, bob, cid]));
    const id = Number(c.id);
    const before = await held(id);
    expect(before.map((p) => p.email)).to.deep.equal([ann.email, bob.email, cid.email]);
    expect(before.every((p) => p.status === "ACTIVE" && p.campaignStatus === "ACTIVE")).to.equal(true);

    // In Woodpecker's app: Cid is removed from the campaign, Bob replies.
    const cidRow = before.find((p) => p.email === cid.email)!;
    const bobRow = before.find((p) => p.email === bob.email)!;
    await control.call("DELETE", `/campaigns/${id}/prospects/${cidRow.id}`);
    await control.call("PATCH", `/prospects/${bobRow.id}`, { status: "REPLIED", campaignId: id });

    // Refresh shows both: one declared prospect missing, one replied.
    const r = await host.read(c.urn, c.id, c.outs, c.inputs);
    if (!r.inputs) throw new Error("read returned no inputs");
    expect(r.outs.prospectsDrifted).to.equal(1);
    expect(r.outs.prospectCounts).to.deep.equal({ total: 2, active: 1, replied: 1, bounced: 0, other: 0 });
    const d = await host.diff(c.urn, c.id, r.outs, r.inputs, r.inputs);
    expect(d.changes).to.equal("DIFF_SOME");

    // The next `up` re-adds Cid only (one add; Bob, who replied, is left alone).
    await control.clearRequests();
    const u = await host.update(c.urn, c.id, r.outs, r.inputs, r.inputs);
    expect(await prospectWrites()).to.deep.equal([`POST /rest/v1/add_prospects_campaign 200`]);
    const after = await held(id);
    expect(after.map((p) => p.email)).to.deep.equal([ann.email, bob.email, cid.email]);
    expect(after.find((p) => p.email === cid.email)!.id, "the same global prospect").to.equal(cidRow.id);
    expect(after.find((p) => p.email === bob.email)!.campaignStatus).to.equal("REPLIED");
    expect(u.outs.prospectsDrifted).to.equal(0);
    for (const text of [JSON.stringify({ ...u.outs, prospects: undefined }), host.stdout(), host.stderr()]) {
      for (const email of EMAILS) expect(text).to.not.include(email);
    }
  });
});
