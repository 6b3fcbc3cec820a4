/**
 * Protocol layer: `doNotContact` on both campaign classes through the SDK's real dynamic-provider
 * host against the emulators. A listed number or address is never sent (create, update); a person
 * who joins the list leaves every live campaign on the next update (Burki: a re-import replaces the
 * pending contacts; Woodpecker: removed from the campaign and put on the account's blacklist); one
 * taken off the list is contacted again where a campaign still declares them; no number or address
 * appears in outputs, errors or the host's logs.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BurkiEmulator } from "../../provider/emulators/burki";
import { WoodpeckerEmulator } from "../../provider/emulators/woodpecker";
import { checkAndCreate, installedProviderText, startCampaignHost } from "../helpers/campaign-host";
import { EmulatorControl } from "../helpers/control";
import { type ProviderHost, type Props } from "../helpers/provider-host";

const ROOT = path.resolve(__dirname, "../..");
const BURKI = "pulumi-nodejs:dynamic/burki:Campaign";
const WOODPECKER = "pulumi-nodejs:dynamic/woodpecker:Campaign";
const ACCOUNT = "acct-1";

const PHONES = ["+15551230001", "+15551230002", "+15551230003"];
const EMAILS = ["ann.dnc@example.com", "bob.dnc@example.com", "cid.dnc@optout.example"];

/** Nothing personal in a value that reaches plain state, errors or logs. */
function noPersonalData(v: unknown): void {
  const text = typeof v === "string" ? v : JSON.stringify(v);
  for (const p of PHONES) expect(text).to.not.include(p).and.not.include(p.slice(2));
  for (const e of EMAILS) expect(text.toLowerCase()).to.not.include(e);
}

/** The plain part of outputs (doNotContact and the people are secrets in state). */
const plainPart = (outs: Props): Props => {
  const {
    doNotContact: _d,
    contacts: _c,
    prospects: _p,
    contactsDigest: _cd,
    prospectsDigest: _pd,
    ...rest
  } = outs;
  return rest;
};

describe("protocol: doNotContact through the SDK's dynamic-provider host", function () {
  this.timeout(90_000);
  let burki: BurkiEmulator;
  let woodpecker: WoodpeckerEmulator;
  let burkiControl: EmulatorControl;
  let host: ProviderHost;
  let burkiProvider: string;
  let woodpeckerProvider: string;
  let dir: string;
  let listFile: string;

  const writeList = (...lines: string[]) =>
    writeFileSync(listFile, ["Entry,reason", ...lines].join("\n") + "\n");

  /** Check, diff and (when it changes) update, as `pulumi up` does for a registered resource. */
  async function up(urn: string, id: string, olds: Props, oldInputs: Props, news: Props) {
    const chk = await host.check(urn, oldInputs, news);
    expect(chk.failures, JSON.stringify(chk.failures)).to.deep.equal([]);
    const d = await host.diff(urn, id, olds, chk.inputs, oldInputs);
    const u = d.changes === "DIFF_SOME" ? await host.update(urn, id, olds, chk.inputs, oldInputs) : undefined;
    return { chk, d, outs: u?.outs ?? olds };
  }

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "dnc-protocol-"));
    listFile = path.join(dir, "do-not-contact.csv");
    burki = new BurkiEmulator({ startDelayMs: 20, importDelayMs: 5 });
    woodpecker = new WoodpeckerEmulator({ latencyMs: 2 });
    await burki.start();
    await woodpecker.start();
    burkiControl = new EmulatorControl(burki.origin);
    burkiProvider = await installedProviderText("burki");
    woodpeckerProvider = await installedProviderText("woodpecker");
    host = await startCampaignHost({
      cwd: ROOT,
      burki: { baseUrl: burki.baseUrl },
      woodpecker: { baseUrl: woodpecker.baseUrl },
    });
  });
  after(async () => {
    if (host) noPersonalData(host.stderr() + host.stdout());
    await host?.close();
    await burki?.stop();
    await woodpecker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("burki: a listed number is never imported; joining the list removes a pending contact; leaving re-adds it", async () => {
    writeList("+1 (555) 123-0002,asked on 2026-01-02");
    const inputs = (): Props => ({
      name: "dnc-calls",
      campaignType: "call",
      assistantId: 7,
      contacts: PHONES.map((phoneNumber) => ({ phoneNumber })),
      state: "draft",
      doNotContact: { file: path.relative(ROOT, listFile) },
      __provider: burkiProvider,
    });
    const phonesIn = async (id: string) =>
      ((await burkiControl.campaign(id)).contacts as { phone_number: string }[])
        .map((c) => c.phone_number)
        .sort();

    const c = await checkAndCreate(host, BURKI, "dnc-calls", inputs());
    expect(c.inputs).to.include({ contactCount: 3, doNotContactCount: 1, excludedByDoNotContact: 1 });
    expect(await phonesIn(c.id)).to.deep.equal([PHONES[0], PHONES[2]]);
    expect(c.outs).to.include({ contactCount: 3, excludedByDoNotContact: 1, doNotContactCount: 1 });
    noPersonalData(plainPart(c.outs));

    // Unchanged list: no diff.
    const same = await up(c.urn, c.id, c.outs, c.inputs, inputs());
    expect(same.d.changes).to.equal("DIFF_NONE");

    // The third number joins the list (the file changes; the program does not).
    writeList("+1 (555) 123-0002,asked", "+1 555 123 0003,asked later");
    const joined = await up(c.urn, c.id, c.outs, c.inputs, inputs());
    expect(joined.d.changes).to.equal("DIFF_SOME");
    expect(joined.chk.inputs.excludedByDoNotContact).to.equal(2);
    expect(await phonesIn(c.id), "the re-import dropped the pending contact").to.deep.equal([PHONES[0]]);

    // Off the list again: declared here, so imported again.
    writeList("+1 (555) 123-0002,asked");
    const left = await up(c.urn, c.id, joined.outs, joined.chk.inputs, inputs());
    expect(left.d.changes).to.equal("DIFF_SOME");
    expect(await phonesIn(c.id)).to.deep.equal([PHONES[0], PHONES[2]]);
    noPersonalData(plainPart(left.outs));
  });

  it("woodpecker: a listed address is never enrolled; joining the list removes and blacklists; a domain covers its addresses", async () => {
    const prospects = EMAILS.map((email) => ({ email, firstName: "P" }));
    const inputs = (entries: string[]): Props => ({
      name: "dnc-emails",
      emailAccountIds: [112233],
      settings: { timezone: "Europe/Warsaw", dailyEnroll: 50 },
      steps: [{ versions: [{ subject: "Hi {{FIRST_NAME}}", message: "<p>Hello</p>" }] }],
      state: "running",
      prospects,
      doNotContact: { entries },
      __provider: woodpeckerProvider,
    });
    const emailsIn = (id: string) =>
      woodpecker.prospects
        .list(ACCOUNT, Number(id))
        .map((p) => p.email)
        .sort();

    const c = await checkAndCreate(host, WOODPECKER, "dnc-emails", inputs(["BOB.dnc@example.com"]));
    expect(c.inputs).to.include({ prospectCount: 3, excludedByDoNotContact: 1 });
    expect(emailsIn(c.id)).to.deep.equal([EMAILS[0], EMAILS[2]]);
    expect(woodpecker.prospects.find(ACCOUNT, EMAILS[1]), "never sent to Woodpecker").to.equal(undefined);
    expect(c.outs).to.include({ prospectCount: 3, excludedByDoNotContact: 1 });
    noPersonalData(plainPart(c.outs));

    // A prospect added in the app, then the whole domain of another joins the list.
    const same = await up(c.urn, c.id, c.outs, c.inputs, inputs(["BOB.dnc@example.com"]));
    expect(same.d.changes).to.equal("DIFF_NONE");
    const joined = await up(
      c.urn,
      c.id,
      c.outs,
      c.inputs,
      inputs(["BOB.dnc@example.com", "@optout.example"]),
    );
    expect(joined.d.changes).to.equal("DIFF_SOME");
    expect(emailsIn(c.id)).to.deep.equal([EMAILS[0]]);
    expect(woodpecker.blacklist()).to.deep.equal({ emails: [], domains: ["optout.example"] });
    expect(woodpecker.prospects.find(ACCOUNT, EMAILS[2])!.status).to.equal("BLACKLIST");
    expect(joined.outs).to.include({ excludedByDoNotContact: 2, prospectCount: 3 });

    // Bob leaves the list: declared here, so enrolled now (he was never blacklisted).
    const left = await up(c.urn, c.id, joined.outs, joined.chk.inputs, inputs(["@optout.example"]));
    expect(left.d.changes).to.equal("DIFF_SOME");
    expect(emailsIn(c.id)).to.deep.equal([EMAILS[0], EMAILS[1]]);
    noPersonalData(plainPart(left.outs));
  });
});
