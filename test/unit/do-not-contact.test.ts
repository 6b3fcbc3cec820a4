/**
 * The do-not-contact list (provider/core/do-not-contact*.ts and each platform's check): what an
 * entry is and how it matches, the CSV form, the counts and failures check gives, and that no
 * number or address ever reaches a message.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { check as burkiCheck, diff as burkiDiff } from "../../provider/burki/lifecycle";
import { contactsDigest } from "../../provider/burki/mapping";
import { digestOf } from "../../provider/core/digest";
import { DoNotContactList, normalizePhone, parseEntry } from "../../provider/core/do-not-contact";
import { parseDoNotContactCsv } from "../../provider/core/do-not-contact-file";
import { UNKNOWN } from "../../provider/core/validation";
import { check as woodpeckerCheck } from "../../provider/woodpecker/lifecycle";

const listOf = (...entries: string[]): DoNotContactList => {
  const list = new DoNotContactList();
  for (const e of entries) {
    const p = parseEntry(e);
    if ("problem" in p) throw new Error("bad test entry");
    list.add(p);
  }
  return list;
};

const burki = (extra: Record<string, unknown>) => ({
  name: "renewals",
  campaignType: "call",
  assistantId: 7,
  contacts: [
    { phoneNumber: "+15551230001" },
    { phoneNumber: "+15551230002", variables: { email: "Ann@Example.com" } },
    { phoneNumber: "+15551230003" },
  ],
  ...extra,
});

const woodpecker = (extra: Record<string, unknown>) => ({
  name: "outreach",
  emailAccountIds: [1],
  settings: { timezone: "UTC" },
  steps: [{ versions: [{ subject: "Hello", message: "<p>Hi</p>" }] }],
  prospects: [
    { email: "a@keep.example" },
    { email: "b@Sub.Acme.example" },
    { email: "c@keep.example", phone: "+44 20 7946 0000" },
  ],
  ...extra,
});

/** Every text a result carries (failure reasons, properties): what a user or a log would see. */
const texts = (r: unknown): string => JSON.stringify(r);
const PERSONAL = ["5551230001", "555 123", "ann@example.com", "b@sub.acme.example", "7946"];

describe("do-not-contact: entries and matching", () => {
  it("normalises numbers written with any punctuation, and refuses those without a country code", () => {
    expect(normalizePhone("+1 (555) 123-0001")).to.equal("+15551230001");
    expect(normalizePhone("+44 20.7946/0000")).to.equal("+442079460000");
    expect(normalizePhone("555-123-0001")).to.equal(undefined);
    expect(parseEntry("(555) 123-0001")).to.have.property("problem");
  });

  it("tells numbers, addresses and domains apart, ignoring case", () => {
    expect(parseEntry(" Ann@Example.COM ")).to.deep.equal({ kind: "email", value: "ann@example.com" });
    expect(parseEntry("@Acme.example")).to.deep.equal({ kind: "domain", value: "acme.example" });
    expect(parseEntry("+1 555 123 0001")).to.deep.equal({ kind: "phone", value: "+15551230001" });
    expect(parseEntry("not an entry")).to.have.property("problem");
  });

  it("matches an address by itself or by its domain or a parent domain, never a sibling", () => {
    const list = listOf("ann@example.com", "@acme.example");
    expect(list.matchEmail("ANN@example.com")).to.equal("email");
    expect(list.matchEmail("bob@acme.example")).to.equal("domain");
    expect(list.matchEmail("bob@eu.acme.example")).to.equal("domain");
    expect(list.domainOf("bob@eu.acme.example")).to.equal("acme.example");
    expect(list.matchEmail("bob@notacme.example")).to.equal(undefined);
    expect(list.matchEmail("bob@example.com")).to.equal(undefined);
  });

  it("has one digest per list, however written or ordered", () => {
    const a = listOf("+1 (555) 123-0001", "Ann@example.com", "@acme.example");
    const b = listOf("@ACME.example", "ann@EXAMPLE.com", "+15551230001", "+15551230001");
    expect(a.size).to.equal(3);
    expect(b.digest).to.equal(a.digest);
    expect(listOf("+15551230002").digest).not.to.equal(listOf("+15551230001").digest);
  });
});

describe("do-not-contact: the CSV file", () => {
  it("reads the columns its header names, in any case, and ignores the others", () => {
    const r = parseDoNotContactCsv(
      "Phone,EMAIL,Domain,reason\n+1 (555) 123-0001,,,asked\n,ann@example.com,@acme.example,\n\n,,,nothing\n",
    );
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect([...r.list.phones]).to.deep.equal(["+15551230001"]);
    expect([...r.list.emails]).to.deep.equal(["ann@example.com"]);
    expect([...r.list.domains]).to.deep.equal(["acme.example"]);
  });

  it("names the row and the column of a bad cell, never the value", () => {
    const r = parseDoNotContactCsv("entry,phone\n5551230001,\n,ann@example.com\n");
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.problems).to.deep.equal([
      "row 2: entry is not an E.164 phone number with its country code (+15551234567, any punctuation), an email address or an @domain",
      "row 3: phone is not an E.164 phone number with its country code (+15551234567, any punctuation)",
    ]);
  });

  it("says a header row is missing without repeating the entry it holds", () => {
    const r = parseDoNotContactCsv("ann@example.com\nbob@example.com\n");
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.problems[0]).to.match(/^row 1 \(the header\): holds an entry rather than column names/);
    expect(texts(r)).not.to.include("ann@");
  });
});

describe("do-not-contact: burki check and diff", () => {
  it("counts the list and the contacts it leaves out, and keeps the list's digest inside doNotContact", async () => {
    const r = await burkiCheck(
      {},
      burki({ doNotContact: { entries: ["+1 (555) 123-0001", "@example.com"] } }),
    );
    expect(r.failures).to.equal(undefined);
    expect(r.inputs).to.include({ contactCount: 3, doNotContactCount: 2, excludedByDoNotContact: 2 });
    const dnc = r.inputs!.doNotContact as Record<string, unknown>;
    expect(dnc.onMatch).to.equal("exclude");
    expect(dnc.digest).to.equal(listOf("+15551230001", "@example.com").digest);
  });

  it('with onMatch "fail", each match is a failure at its position, and nothing names the person', async () => {
    const r = await burkiCheck(
      {},
      burki({ doNotContact: { entries: ["+15551230001", "ann@example.com"], onMatch: "fail" } }),
    );
    expect(r.failures?.map((f) => f.property)).to.deep.equal(["contacts[0]", "contacts[1]"]);
    for (const p of PERSONAL) expect(texts(r)).not.to.include(p);
  });

  it("reports a contactsFile match by its row", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dnc-"));
    try {
      const contacts = path.join(dir, "contacts.csv");
      writeFileSync(contacts, "phone_number,name\n+15551230001,Ann\n+15551230002,Bob\n");
      const list = path.join(dir, "dnc.csv");
      writeFileSync(list, "phone\n+1 555 123 0002\n");
      const r = await burkiCheck(
        {},
        burki({ contacts: undefined, contactsFile: contacts, doNotContact: { file: list, onMatch: "fail" } }),
      );
      expect(r.failures).to.deep.equal([
        {
          property: "contactsFile",
          reason:
            'row 3: is on the do-not-contact list, and doNotContact.onMatch is "fail": remove this contact, or set onMatch "exclude" to leave such people out',
        },
      ]);
      const ok = await burkiCheck(
        {},
        burki({ contacts: undefined, contactsFile: contacts, doNotContact: { file: list } }),
      );
      expect(ok.inputs).to.include({ contactCount: 2, doNotContactCount: 1, excludedByDoNotContact: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a list that leaves nobody to call, and a bad entry at its path", async () => {
    const all = await burkiCheck(
      {},
      burki({ doNotContact: { entries: ["+15551230001", "+15551230002", "+15551230003"] } }),
    );
    expect(all.failures?.[0].property).to.equal("doNotContact");
    const bad = await burkiCheck({}, burki({ doNotContact: { entries: ["+15551230001", "5551230002"] } }));
    expect(bad.failures).to.have.length(1);
    expect(bad.failures![0].property).to.equal("doNotContact.entries[1]");
    expect(texts(bad)).not.to.include("5551230002");
    const none = await burkiCheck({}, burki({ doNotContact: {} }));
    expect(none.failures?.[0].property).to.equal("doNotContact");
  });

  it("makes the counts unknown while the list is (preview)", async () => {
    const r = await burkiCheck({}, burki({ doNotContact: { entries: UNKNOWN } }));
    expect(r.inputs).to.include({ doNotContactCount: UNKNOWN, excludedByDoNotContact: UNKNOWN });
  });

  it("diff: a list change that leaves someone else out is a change; one that touches nobody here is not", async () => {
    const before = (await burkiCheck({}, burki({ doNotContact: { entries: ["+15551230001"] } }))).inputs!;
    // As applied: the contacts imported were the two not on the list.
    const imported = (before.contacts as { phoneNumber: string }[]).slice(1);
    const olds = { ...before, contactsDigest: contactsDigest(imported as never) };
    const same = (
      await burkiCheck({}, burki({ doNotContact: { entries: ["+15551230001", "@elsewhere.example"] } }))
    ).inputs!;
    expect((await burkiDiff("1", olds, same)).changes).to.equal(false);
    const other = (await burkiCheck({}, burki({ doNotContact: { entries: ["+15551230003"] } }))).inputs!;
    expect((await burkiDiff("1", olds, other)).changes).to.equal(true);
    const off = (await burkiCheck({}, burki({ doNotContact: { entries: [] } }))).inputs!;
    expect((await burkiDiff("1", olds, off)).changes).to.equal(true);
  });
});

describe("do-not-contact: woodpecker check", () => {
  it("matches prospects by address, domain (subdomains too) and E.164 phone", async () => {
    const r = await woodpeckerCheck(
      {},
      woodpecker({ doNotContact: { entries: ["@acme.example", "+442079460000"] } }),
    );
    expect(r.failures).to.equal(undefined);
    expect(r.inputs).to.include({ prospectCount: 3, doNotContactCount: 2, excludedByDoNotContact: 2 });
  });

  it('with onMatch "fail", names prospects[i], never the address', async () => {
    const r = await woodpeckerCheck(
      {},
      woodpecker({ doNotContact: { entries: ["B@sub.acme.example"], onMatch: "fail" } }),
    );
    expect(r.failures?.map((f) => f.property)).to.deep.equal(["prospects[1]"]);
    for (const p of PERSONAL) expect(texts(r)).not.to.include(p);
  });
});

describe("do-not-contact: the digests the one-second check relies on", () => {
  it("contactsDigest, written out, is digestOf the contacts sorted by number (state written before keeps its value)", () => {
    const contacts = Array.from({ length: 300 }, (_, i) => ({
      phoneNumber: `+1555${String(1000 - i).padStart(7, "0")}`,
      ...(i % 2 ? { name: `N "${i}" é\n` } : {}),
      ...(i % 3 ? { variables: { zeta: "z", alpha: `a${i}`, Beta: "b" } } : {}),
    }));
    const sorted = [...contacts].sort((a, b) => (a.phoneNumber < b.phoneNumber ? -1 : 1));
    expect(contactsDigest(contacts)).to.equal(digestOf(sorted));
  });
});
