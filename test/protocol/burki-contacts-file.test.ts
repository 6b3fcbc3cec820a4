/**
 * Protocol layer: `burki.Campaign` `contactsFile` through the SDK's real dynamic-provider host over
 * gRPC, with the installed package's provider, against the Burki emulator: the file's people reach
 * Burki, a changed row re-imports, state holds the path, the count and the digest (never a phone
 * number), and a bad file is a check failure naming the row before any request.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BurkiEmulator } from "../../provider/emulators/burki";
import { checkAndCreate, installedProviderText, startCampaignHost } from "../helpers/campaign-host";
import { EmulatorControl } from "../helpers/control";
import { ProviderHost, UNKNOWN, type Props } from "../helpers/provider-host";

const ROOT = path.resolve(__dirname, "../..");
const BURKI = "pulumi-nodejs:dynamic/burki:Campaign";

const rows = (people: [string, string, string][]) =>
  ["phone_number,name,city", ...people.map((p) => p.join(","))].join("\n") + "\n";
const first: [string, string, string][] = [
  ["+15551230001", "Ann", "Paris"],
  ["+15551230002", "Bob", "Oslo"],
  ["+15551230003", "Cho", "Rome"],
];

describe("protocol: burki contactsFile", function () {
  this.timeout(60_000);
  let burki: BurkiEmulator;
  let control: EmulatorControl;
  let host: ProviderHost;
  let provider: string;
  let dir: string;

  const inputs = (contactsFile: string, over: Props = {}): Props => ({
    name: "from-file",
    campaignType: "call",
    assistantId: 7,
    welcomeMessageTemplate: "Hi {{name}} in {{city}}",
    contactsFile,
    state: "draft",
    ...over,
    __provider: provider,
  });
  const phonesIn = async (id: string) =>
    ((await control.campaign(id)).contacts as { phone_number: string }[]).map((c) => c.phone_number).sort();
  const noPhone = (v: unknown) => {
    const text = JSON.stringify(v);
    for (const [phone, name] of first) expect(text).to.not.include(phone).and.not.include(name);
    expect(text).to.not.include("+1555");
  };

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "burki-contacts-file-"));
    burki = new BurkiEmulator({ startDelayMs: 20, importDelayMs: 5 });
    await burki.start();
    control = new EmulatorControl(burki.origin);
    provider = await installedProviderText("burki");
    host = await startCampaignHost({ cwd: ROOT, burki: { baseUrl: burki.baseUrl } });
  });
  after(async () => {
    await host?.close();
    await burki?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => control.clearRequests());

  it("creates with the file's contacts, and re-imports when a row changes; state holds no phone number", async () => {
    const file = path.join(dir, "people.csv");
    writeFileSync(file, rows(first));
    // Relative to the program directory (the host's cwd).
    const relative = path.relative(ROOT, file);
    const c = await checkAndCreate(host, BURKI, "from-file", inputs(relative));
    expect(c.inputs.contactCount).to.equal(3);
    expect(c.outs.contactCount).to.equal(3);
    expect(c.outs.contactsFile).to.equal(relative);
    expect(c.outs.contacts).to.equal(undefined);
    expect(c.outs.contactsDigest).to.be.a("string");
    expect(await phonesIn(c.id)).to.deep.equal(first.map((p) => p[0]));
    noPhone(c.inputs);
    noPhone(c.outs);

    // Unchanged: no diff, and nothing is sent.
    const again = await host.check(c.urn, c.inputs, inputs(relative));
    expect(again.failures).to.deep.equal([]);
    expect((await host.diff(c.urn, c.id, c.outs, again.inputs, c.inputs)).changes).to.equal("DIFF_NONE");

    // One row changes (same size): a diff, then one re-import.
    writeFileSync(file, rows([first[0], first[1], ["+15551230009", "Cho", "Rome"]]));
    const chk = await host.check(c.urn, c.inputs, inputs(relative));
    expect(chk.failures).to.deep.equal([]);
    expect((await host.diff(c.urn, c.id, c.outs, chk.inputs, c.inputs)).changes).to.equal("DIFF_SOME");
    await control.clearRequests();
    const u = await host.update(c.urn, c.id, c.outs, chk.inputs, c.inputs);
    const imports = (await control.requests()).filter((r: { path: string }) => /import/.test(r.path));
    expect(imports.filter((r: { method: string }) => r.method === "POST")).to.have.length(1);
    expect(await phonesIn(c.id)).to.deep.equal(["+15551230001", "+15551230002", "+15551230009"]);
    expect(u.outs.contactsDigest).to.not.equal(c.outs.contactsDigest);
    noPhone(u.outs);
    expect(JSON.stringify(u.outs)).to.not.include("+15551230009");

    // Refresh keeps the path and the count, and still no people.
    const r = await host.read(c.urn, c.id, u.outs, chk.inputs);
    expect(r.outs.contactsFile).to.equal(relative);
    expect(r.inputs?.contactsFile).to.equal(relative);
    expect(r.outs.contactCount).to.equal(3);
    expect((await host.diff(c.urn, c.id, r.outs, chk.inputs, chk.inputs)).changes).to.equal("DIFF_NONE");
    await host.delete(c.urn, c.id, u.outs, chk.inputs);
  });

  it("a bad row, a missing file and both forms at once are check failures; nothing is sent", async () => {
    const urn = host.urnOf(BURKI, "bad-file");
    const bad = path.join(dir, "bad.csv");
    writeFileSync(bad, rows([first[0], ["+15551230001", "Dup", "Oslo"], ["555 0100", "Eve", "Rome"]]));
    expect((await host.check(urn, {}, inputs(bad))).failures).to.deep.equal([
      {
        property: "contactsFile",
        reason: "row 3: phone_number duplicates row 2 (Burki would skip it); keep one of them",
      },
      {
        property: "contactsFile",
        reason:
          "row 4: phone_number must be E.164, such as +15551234567 (a +, the country code, 8–15 digits, no spaces)",
      },
    ]);
    const missing = path.join(dir, "missing.csv");
    const gone = await host.check(urn, {}, inputs(missing));
    expect(gone.failures).to.have.length(1);
    expect(gone.failures[0].property).to.equal("contactsFile");
    expect(gone.failures[0].reason).to.include(`cannot read ${missing} (no such file)`);
    const both = await host.check(urn, {}, inputs(bad, { contacts: [{ phoneNumber: "+15551230001" }] }));
    expect(both.failures.map((f) => f.property)).to.include("contactsFile");
    expect(await control.requests()).to.deep.equal([]);
  });

  it("moving the same people between contactsFile and contacts imports nothing", async () => {
    const file = path.join(dir, "move.csv");
    writeFileSync(file, rows(first));
    const c = await checkAndCreate(host, BURKI, "move-file", inputs(file));
    const inline = first.map(([phoneNumber, name, city]) => ({ phoneNumber, name, variables: { city } }));
    const toInline = await host.check(
      c.urn,
      c.inputs,
      inputs(undefined as unknown as string, { contacts: inline }),
    );
    expect(toInline.failures).to.deep.equal([]);
    await control.clearRequests();
    const u = await host.update(c.urn, c.id, c.outs, toInline.inputs, c.inputs);
    const posts = (await control.requests()).filter((r: { method: string }) => r.method === "POST");
    expect(posts).to.deep.equal([]);
    expect(u.outs.contacts).to.deep.equal(inline);
    expect(u.outs.contactsFile).to.equal(undefined);
    expect(u.outs.contactsDigest).to.equal(c.outs.contactsDigest);
    const back = await host.check(c.urn, toInline.inputs, inputs(file));
    await control.clearRequests();
    const b = await host.update(c.urn, c.id, u.outs, back.inputs, toInline.inputs);
    expect((await control.requests()).filter((r: { method: string }) => r.method === "POST")).to.deep.equal(
      [],
    );
    expect(b.outs.contacts).to.equal(undefined);
    noPhone(b.outs);
    await host.delete(c.urn, c.id, b.outs, back.inputs);
  });

  it("at preview an unknown path passes check with an unknown count, and may change", async () => {
    const file = path.join(dir, "preview.csv");
    writeFileSync(file, rows(first));
    const c = await checkAndCreate(host, BURKI, "preview-file", inputs(file));
    const chk = await host.check(c.urn, c.inputs, inputs(UNKNOWN));
    expect(chk.failures).to.deep.equal([]);
    expect(chk.inputs.contactCount).to.equal(UNKNOWN);
    expect((await host.diff(c.urn, c.id, c.outs, chk.inputs, c.inputs)).changes).to.equal("DIFF_SOME");
    // A file deleted since the last up: diff says "may change" rather than throwing.
    rmSync(file);
    expect((await host.diff(c.urn, c.id, c.outs, c.inputs, c.inputs)).changes).to.equal("DIFF_SOME");
    await host.delete(c.urn, c.id, c.outs, c.inputs);
  });
});
