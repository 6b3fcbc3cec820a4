/**
 * Protocol layer: `woodpecker.Campaign` `prospectsFile` through the SDK's real dynamic-provider host
 * over gRPC, with the installed package's provider, against the Woodpecker emulator: the file's
 * people reach the campaign, an edited file sends only the adds and removes, moving the same people
 * between `prospects` and `prospectsFile` sends no prospect request, refresh measures drift against
 * the file, a bad file is a check failure naming the row before any request, and no email is in
 * state, outputs, errors or the host's logs.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { WOODPECKER_EMULATOR_API_KEY, WoodpeckerEmulator } from "../../provider/emulators/woodpecker";
import { checkAndCreate, installedProviderText, startCampaignHost } from "../helpers/campaign-host";
import { EmulatorControl } from "../helpers/control";
import { type ProviderHost, type Props, UNKNOWN, rpcFailure } from "../helpers/provider-host";

const ROOT = path.resolve(__dirname, "../..");
const TYPE = "pulumi-nodejs:dynamic/woodpecker:Campaign";
const ACCOUNT = "acct-1";

type Row = [email: string, firstName: string, company: string];
const ann: Row = ["ann.filed@example.com", "Ann", "Acme"];
const bob: Row = ["bob.filed@example.com", "Bob", "Bobco"];
const cid: Row = ["cid.filed@example.com", "Cid", "Cidco"];
const dee: Row = ["dee.filed@example.com", "Dee", "Deeco"];
const ALL = [ann, bob, cid, dee];

/** Woodpecker's spelling of the columns, as an export from its app would have them. */
const csv = (rows: Row[]) => ["email,first_name,company", ...rows.map((r) => r.join(","))].join("\n") + "\n";
const asInline = (rows: Row[]) => rows.map(([email, firstName, company]) => ({ email, firstName, company }));

describe("protocol: woodpecker.Campaign prospectsFile", function () {
  this.timeout(60_000);
  let emulator: WoodpeckerEmulator;
  let control: EmulatorControl;
  let host: ProviderHost;
  let providerText: string;
  let dir: string;
  const seen: string[] = [];

  const inputs = (over: Props): Props => ({
    name: "file-outreach",
    emailAccountIds: [112233],
    settings: { timezone: "Europe/Warsaw", dailyEnroll: 50 },
    steps: [{ versions: [{ subject: "Hi {{FIRST_NAME}}", message: "<p>Hello from {{COMPANY}}</p>" }] }],
    state: "running",
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
  /** Keep a value to sweep for emails at the end (everything but secret inline prospects). */
  const keep = (v: unknown) => {
    const { prospects: _p, ...rest } = (v ?? {}) as Props;
    seen.push(JSON.stringify(rest));
  };

  /** Check, diff and update, as `pulumi up` does for a changed resource. */
  async function up(urn: string, id: string, olds: Props, oldInputs: Props, news: Props) {
    const chk = await host.check(urn, oldInputs, news);
    expect(chk.failures, JSON.stringify(chk.failures)).to.deep.equal([]);
    const d = await host.diff(urn, id, olds, chk.inputs, oldInputs);
    await control.clearRequests();
    const u = d.changes === "DIFF_SOME" ? await host.update(urn, id, olds, chk.inputs, oldInputs) : undefined;
    keep(chk.inputs);
    keep(u?.outs);
    return { chk, d, u };
  }

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "wp-prospects-file-"));
    emulator = new WoodpeckerEmulator({ latencyMs: 2 });
    await emulator.start();
    control = new EmulatorControl(emulator.origin);
    providerText = await installedProviderText("woodpecker");
    host = await startCampaignHost({ cwd: ROOT, woodpecker: { baseUrl: emulator.baseUrl } });
  });
  after(async () => {
    await host?.close();
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => control.clearRequests());

  it("creates from the file; an edited file sends only the adds and removes; refresh measures drift against the file", async () => {
    const file = path.join(dir, "people.csv");
    writeFileSync(file, csv([ann, bob, cid]));
    // Relative to the program directory (the host's cwd).
    const relative = path.relative(ROOT, file);
    const c = await checkAndCreate(host, TYPE, "from-file", inputs({ prospectsFile: relative }));
    const id = Number(c.id);
    keep(c.inputs);
    keep(c.outs);
    expect(c.inputs.prospectCount).to.equal(3);
    expect(c.outs).to.deep.include({ status: "RUNNING", prospectCount: 3, prospectsDrifted: 0 });
    expect(c.outs.prospectsFile).to.equal(relative);
    expect(c.outs.prospects).to.equal(undefined);
    expect(c.outs.prospectsDigest).to.match(/^[0-9a-f]{64}$/);
    expect(emailsIn(id)).to.deep.equal([ann[0], bob[0], cid[0]]);
    expect(emulator.prospects.find(ACCOUNT, ann[0])!.fields).to.deep.include({
      first_name: "Ann",
      company: "Acme",
    });

    // Unchanged file: no diff.
    const same = await up(c.urn, c.id, c.outs, c.inputs, inputs({ prospectsFile: relative }));
    expect(same.d.changes).to.equal("DIFF_NONE");

    // Edit the file: Bob goes, Dee comes, Ann's company changes.
    await new Promise((r) => setTimeout(r, 20)); // a new mtime, whatever the file system's resolution
    writeFileSync(file, csv([[ann[0], ann[1], "Acme Europe"], cid, dee]));
    const bobId = emulator.prospects.find(ACCOUNT, bob[0])!.id;
    const edit = await up(c.urn, c.id, c.outs, c.inputs, inputs({ prospectsFile: relative }));
    expect(edit.d.changes).to.equal("DIFF_SOME");
    expect(edit.d.replaces).to.deep.equal([]);
    const log = await prospectWrites();
    if (process.env.SHOW_PROSPECT_LOG) console.log(log.join("\n"));
    expect(log).to.deep.equal([
      `POST /rest/v1/add_prospects_campaign 200`, // Dee (update: false)
      `POST /rest/v1/add_prospects_campaign 200`, // Ann (update: true)
      `DELETE /rest/v1/prospects?id=${bobId}&campaigns_id=${id} 200`, // Bob, from this campaign only
    ]);
    expect(emailsIn(id)).to.deep.equal([ann[0], cid[0], dee[0]]);
    expect(emulator.prospects.find(ACCOUNT, bob[0]), "never deleted from the account").to.not.equal(
      undefined,
    );
    expect(emulator.prospects.find(ACCOUNT, ann[0])!.fields.company).to.equal("Acme Europe");
    const u = edit.u!;
    expect(u.outs).to.deep.include({ prospectsFile: relative, prospectCount: 3, prospectsDrifted: 0 });
    expect(u.outs.prospectsDigest).to.not.equal(c.outs.prospectsDigest);

    // Drift: Cid is removed in Woodpecker's app. Refresh shows it; the next `up` re-adds him.
    emulator.prospects.membersOf(id).delete(emulator.prospects.find(ACCOUNT, cid[0])!.id);
    const r = await host.read(c.urn, c.id, u.outs, edit.chk.inputs);
    if (!r.inputs) throw new Error("read returned no inputs");
    keep(r.outs);
    keep(r.inputs);
    expect(r.outs).to.deep.include({ prospectsFile: relative, prospectCount: 3, prospectsDrifted: 1 });
    expect(r.inputs).to.deep.include({ prospectsFile: relative, prospectCount: 3 });
    expect(r.outs.prospects).to.equal(undefined);
    expect(r.outs.prospectCounts.total).to.equal(2);
    expect((await host.diff(c.urn, c.id, r.outs, r.inputs, r.inputs)).changes).to.equal("DIFF_SOME");
    await control.clearRequests();
    const u3 = await host.update(c.urn, c.id, r.outs, r.inputs, r.inputs);
    keep(u3.outs);
    expect(await prospectWrites()).to.deep.equal([`POST /rest/v1/add_prospects_campaign 200`]);
    expect(u3.outs.prospectsDrifted).to.equal(0);
    expect(emailsIn(id)).to.deep.equal([ann[0], cid[0], dee[0]]);

    // Someone adds a prospect in Woodpecker's app. The file is the campaign's list: refresh shows
    // the extra prospect as drift (so preview shows an update), and that `up` removes it from the
    // campaign — never from the account.
    const eve = "eve.inapp@example.com";
    const added = await fetch(`${emulator.baseUrl}/v1/add_prospects_campaign`, {
      method: "POST",
      headers: { "x-api-key": WOODPECKER_EMULATOR_API_KEY, "content-type": "application/json" },
      body: JSON.stringify({ campaign: { campaign_id: id }, prospects: [{ email: eve }] }),
    });
    expect(added.status).to.equal(200);
    expect(emailsIn(id)).to.include(eve);
    const r2 = await host.read(c.urn, c.id, u3.outs, r.inputs);
    if (!r2.inputs) throw new Error("read returned no inputs");
    keep(r2.outs);
    expect(r2.outs).to.deep.include({ prospectCount: 3, prospectsDrifted: 1 });
    expect((await host.diff(c.urn, c.id, r2.outs, r2.inputs, r2.inputs)).changes).to.equal("DIFF_SOME");
    const eveId = emulator.prospects.find(ACCOUNT, eve)!.id;
    await control.clearRequests();
    const u4 = await host.update(c.urn, c.id, r2.outs, r2.inputs, r2.inputs);
    keep(u4.outs);
    expect(await prospectWrites()).to.deep.equal([
      `DELETE /rest/v1/prospects?id=${eveId}&campaigns_id=${id} 200`,
    ]);
    expect(u4.outs.prospectsDrifted).to.equal(0);
    expect(emailsIn(id)).to.deep.equal([ann[0], cid[0], dee[0]]);
    expect(emulator.prospects.find(ACCOUNT, eve), "never deleted from the account").to.not.equal(undefined);
    await host.delete(c.urn, c.id, u4.outs, r2.inputs);
  });

  it("moving the same people between prospects and prospectsFile sends no prospect request", async () => {
    const file = path.join(dir, "move.csv");
    writeFileSync(file, csv([ann, bob]));
    const c = await checkAndCreate(host, TYPE, "move-file", inputs({ prospectsFile: file }));
    keep(c.outs);
    const toInline = await up(c.urn, c.id, c.outs, c.inputs, inputs({ prospects: asInline([ann, bob]) }));
    expect(toInline.d.changes).to.equal("DIFF_SOME");
    expect(await prospectWrites()).to.deep.equal([]);
    const u = toInline.u!;
    expect(u.outs.prospects).to.deep.equal(asInline([ann, bob]));
    expect(u.outs.prospectsFile).to.equal(undefined);
    expect(u.outs.prospectsDigest).to.equal(c.outs.prospectsDigest);
    expect(u.outs.prospectCount).to.equal(2);

    // Back to the file: still nothing sent, and the people leave the state.
    const back = await up(c.urn, c.id, u.outs, toInline.chk.inputs, inputs({ prospectsFile: file }));
    expect(back.d.changes).to.equal("DIFF_SOME");
    expect(await prospectWrites()).to.deep.equal([]);
    const b = back.u!;
    expect(b.outs.prospects).to.equal(undefined);
    expect(b.outs).to.deep.include({
      prospectsFile: file,
      prospectCount: 2,
      prospectsDigest: c.outs.prospectsDigest,
    });

    // Inline → file with one prospect fewer removes just that one (the inline list said whom it managed).
    const fromInline = await up(
      c.urn,
      c.id,
      b.outs,
      back.chk.inputs,
      inputs({ prospects: asInline([ann, bob]) }),
    );
    writeFileSync(file, csv([ann]));
    const fewer = await up(
      c.urn,
      c.id,
      fromInline.u!.outs,
      fromInline.chk.inputs,
      inputs({ prospectsFile: file }),
    );
    expect(fewer.d.changes).to.equal("DIFF_SOME");
    const bobId = emulator.prospects.find(ACCOUNT, bob[0])!.id;
    expect(await prospectWrites()).to.deep.equal([
      `DELETE /rest/v1/prospects?id=${bobId}&campaigns_id=${c.id} 200`,
    ]);
    expect(emailsIn(Number(c.id))).to.deep.equal([ann[0]]);
    await host.delete(c.urn, c.id, fewer.u!.outs, fewer.chk.inputs);
  });

  it("a bad row, a missing file and both forms at once are check failures; nothing is sent", async () => {
    const urn = host.urnOf(TYPE, "bad-file");
    const bad = path.join(dir, "bad.csv");
    writeFileSync(
      bad,
      csv([ann, [ann[0].toUpperCase(), "Dup", "X"], ["not-an-email", "Eve", "Y"], [bob[0], "", "Z"]]),
    );
    const failures = (await host.check(urn, {}, inputs({ prospectsFile: bad }))).failures;
    expect(failures).to.deep.equal([
      {
        property: "prospectsFile",
        reason:
          "row 3: email duplicates row 2 (Woodpecker keeps one prospect per email, ignoring case); keep one of them",
      },
      {
        property: "prospectsFile",
        reason: "row 4: email must be an email address (name@domain.tld, no spaces)",
      },
    ]);
    seen.push(JSON.stringify(failures));
    // Fixed rows, but Bob has no first name, which the subject uses without a fallback.
    writeFileSync(bad, csv([ann, [bob[0], "", "Z"]]));
    const lacking = (await host.check(urn, {}, inputs({ prospectsFile: bad }))).failures;
    expect(lacking).to.have.length(1);
    expect(lacking[0].property).to.equal("prospectsFile");
    expect(lacking[0].reason).to.match(/^row 3: lacks a value for \{\{FIRST_NAME\}\}/);
    seen.push(JSON.stringify(lacking));
    const missing = path.join(dir, "missing.csv");
    const gone = await host.check(urn, {}, inputs({ prospectsFile: missing }));
    expect(gone.failures).to.have.length(1);
    expect(gone.failures[0]).to.deep.include({ property: "prospectsFile" });
    expect(gone.failures[0].reason).to.include(`cannot read ${missing} (no such file)`);
    const both = await host.check(urn, {}, inputs({ prospectsFile: bad, prospects: asInline([ann]) }));
    expect(both.failures.map((f) => f.property)).to.include("prospectsFile");
    expect(await control.requests()).to.deep.equal([]);
  });

  it("a file that went bad between check and update is refused by name, with nothing sent", async () => {
    const file = path.join(dir, "later.csv");
    writeFileSync(file, csv([ann]));
    const c = await checkAndCreate(host, TYPE, "later-file", inputs({ prospectsFile: file }));
    writeFileSync(file, csv([ann, [ann[0], "Again", "X"]]));
    await control.clearRequests();
    const e = await rpcFailure(host.update(c.urn, c.id, c.outs, c.inputs, c.inputs));
    expect(e.message).to.include(
      'Cannot apply Woodpecker campaign "file-outreach": its prospectsFile row 3:',
    );
    seen.push(e.message);
    expect(await prospectWrites()).to.deep.equal([]);
    await host.delete(c.urn, c.id, c.outs, c.inputs);
  });

  it("at preview an unknown path passes check with an unknown count, and may change", async () => {
    const file = path.join(dir, "preview.csv");
    writeFileSync(file, csv([ann]));
    const c = await checkAndCreate(host, TYPE, "preview-file", inputs({ prospectsFile: file }));
    const chk = await host.check(c.urn, c.inputs, inputs({ prospectsFile: UNKNOWN }));
    expect(chk.failures).to.deep.equal([]);
    expect(chk.inputs.prospectCount).to.equal(UNKNOWN);
    expect((await host.diff(c.urn, c.id, c.outs, chk.inputs, c.inputs)).changes).to.equal("DIFF_SOME");
    // A file deleted since the last up: diff says "may change", refresh keeps the counts going.
    rmSync(file);
    expect((await host.diff(c.urn, c.id, c.outs, c.inputs, c.inputs)).changes).to.equal("DIFF_SOME");
    const r = await host.read(c.urn, c.id, c.outs, c.inputs);
    expect(r.outs).to.deep.include({
      prospectsFile: file,
      prospectCount: 1,
      prospectsDigest: c.outs.prospectsDigest,
    });
    await host.delete(c.urn, c.id, c.outs, c.inputs);
  });

  it("no email in any input, output, failure, error or log of the tests above", () => {
    expect(seen.length).to.be.greaterThan(10);
    for (const text of [...seen, host.stdout(), host.stderr()]) {
      for (const [email] of ALL) expect(text).to.not.include(email).and.not.include(email.toUpperCase());
      expect(text).to.not.include("filed@example.com");
    }
  });
});
