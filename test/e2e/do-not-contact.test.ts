/**
 * e2e: the do-not-contact list under the real CLI. One CSV file shared by a Burki and a Woodpecker
 * campaign: a listed number or address is never sent to either platform; when the compliance file
 * gains a person (the program unchanged), `preview` shows both campaigns changing and `up` takes
 * them out of the live campaigns (Burki: the re-import drops the pending contact; Woodpecker:
 * removed from the campaign and blacklisted); plain state and the CLI's output hold no number or
 * address, only counts.
 */
import { expect } from "chai";
import { projectFor } from "./helpers/engine";
import { program } from "./programs";

const PHONES = ["+15557770101", "+15557770102", "+15557770103"];
const EMAILS = ["ann.e2e@example.com", "bob.e2e@example.com", "cid.e2e@example.org"];

const PROGRAM = program(`const doNotContact = { file: "do-not-contact.csv" };
const calls = new burki.Campaign("calls", {
  campaignType: "call",
  assistantId: 1,
  welcomeMessageTemplate: "Hi, this is Ava from Acme.",
  contacts: ${JSON.stringify(PHONES.map((phoneNumber) => ({ phoneNumber })))},
  state: "running",
  doNotContact,
});
const mails = new woodpecker.Campaign("mails", {
  emailAccountIds: [1],
  settings: { timezone: "Europe/Warsaw", dailyEnroll: 50 },
  steps: [{ versions: [{ subject: "Hello {{FIRST_NAME}}", message: "<p>Hi</p>" }] }],
  prospects: ${JSON.stringify(EMAILS.map((email) => ({ email, firstName: "P" })))},
  state: "running",
  doNotContact,
});
export const callsId = calls.campaignId;
export const mailsId = mails.campaignId;
export const callsExcluded = calls.excludedByDoNotContact;
export const mailsExcluded = mails.excludedByDoNotContact;`);

const list = (...entries: string[]) =>
  ["entry,reason", ...entries.map((e) => `${e},opted out`)].join("\n") + "\n";

describe("e2e (real CLI): one do-not-contact list for the stack", function () {
  this.timeout(10 * 60_000);
  // Bob's number and Bob's address are listed from the start (with punctuation and in capitals).
  const project = projectFor("do-not-contact", PROGRAM, {
    files: { "do-not-contact.csv": list("+1 (555) 777-0102", "BOB.E2E@example.com") },
  });
  let ids: { calls: number; mails: number } | undefined;

  async function phonesIn(id: number): Promise<string[]> {
    return ((await project().burkiCtl.campaign(id)).contacts as { phone_number: string }[])
      .map((c) => c.phone_number)
      .sort();
  }
  async function emailsIn(id: number): Promise<string[]> {
    const r = await project().woodpeckerCtl.call<{ prospects: { email: string }[] }>(
      "GET",
      `/campaigns/${id}/prospects`,
    );
    return r.prospects.map((p) => p.email).sort();
  }
  function noPersonalData(text: string, what: string): void {
    for (const datum of [...PHONES, ...EMAILS])
      expect(text.toLowerCase().includes(datum), `${what}`).to.equal(false);
  }

  it("up: the listed number and address are never sent; the outputs count them", async () => {
    const p = project();
    const up = await p.up();
    expect(up.code, up.output).to.equal(0);
    const out = await p.outputs();
    ids = { calls: out.callsId as number, mails: out.mailsId as number };
    expect(out).to.include({ callsExcluded: 1, mailsExcluded: 1 });
    expect(await phonesIn(ids.calls)).to.deep.equal([PHONES[0], PHONES[2]]);
    expect(await emailsIn(ids.mails)).to.deep.equal([EMAILS[0], EMAILS[2]]);
    const account = (await p.woodpeckerCtl.campaign(ids.mails)).account as string;
    expect(p.woodpecker.prospects.find(account, EMAILS[1]), "Bob's address reached Woodpecker").to.equal(
      undefined,
    );
    noPersonalData(up.output, "the up output");
    noPersonalData((await p.exportStack()).text, "plain state");
  });

  it("the file gains a person: preview shows both campaigns changing, up removes them from both", async function () {
    if (!ids) this.skip();
    const p = project();
    p.write(
      "do-not-contact.csv",
      list("+1 (555) 777-0102", "BOB.E2E@example.com", "+1 555 777 0103", "@example.org"),
    );
    const preview = await p.preview("--json");
    expect(preview.code, preview.output).to.equal(0);
    const steps = (JSON.parse(preview.stdout) as { steps: { op: string; urn: string }[] }).steps;
    expect(
      steps
        .filter((s) => s.op === "update")
        .map((s) => s.urn.split("::").pop())
        .sort(),
      "campaigns the list changes",
    ).to.deep.equal(["calls", "mails"]);
    noPersonalData(preview.stdout, "the preview");

    const up = await p.up();
    expect(up.code, up.output).to.equal(0);
    expect(await phonesIn(ids!.calls), "Cid's pending contact dropped by the re-import").to.deep.equal([
      PHONES[0],
    ]);
    expect(await emailsIn(ids!.mails), "Cid's address removed").to.deep.equal([EMAILS[0]]);
    const blacklist = await p.woodpeckerCtl.call<{ emails: string[]; domains: string[] }>(
      "GET",
      "/blacklist",
    );
    expect(blacklist.domains).to.include("example.org");
    expect(await p.outputs()).to.include({ callsExcluded: 2, mailsExcluded: 2 });
    noPersonalData(up.output, "the up output");
    noPersonalData((await p.exportStack()).text, "plain state");
  });

  it("refresh (Diff after Read) keeps the list's effect: no drift, nothing to change", async function () {
    if (!ids) this.skip();
    const p = project();
    const refresh = await p.refresh();
    expect(refresh.code, refresh.output).to.equal(0);
    const again = await p.preview("--expect-no-changes");
    expect(again.code, again.output).to.equal(0);
    expect(await p.outputs()).to.include({ callsExcluded: 2, mailsExcluded: 2 });
  });
});
