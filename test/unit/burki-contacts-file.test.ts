/**
 * `contactsFile` (provider/burki/contacts-file.ts): the CSV parse, and check failures that name the
 * row (header = row 1) without revealing anyone's phone number or name.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  CONTACTS_FILE_REPORT_LIMIT,
  checkContactsFile,
  contactsFileDigest,
  parseContactsCsv,
  readContactsFile,
} from "../../provider/burki/contacts-file";
import { contactsCsv, contactsDigest } from "../../provider/burki/mapping";
import { checkBurkiCampaignInputs } from "../../provider/burki/schema";
import type { BurkiContact } from "../../provider/burki/types";
import { UNKNOWN } from "../../provider/core/validation";

const people: BurkiContact[] = [
  { phoneNumber: "+15551230001", name: "Ann, Jr.", variables: { city: "Paris", note: 'says "hi"' } },
  { phoneNumber: "+15551230002", variables: { city: "Oslo" } },
  { phoneNumber: "+15551230003", name: "Cho\nLi" },
];

const problemsOf = (text: string): string[] => {
  const r = parseContactsCsv(text);
  expect(r.ok, "expected problems").to.equal(false);
  return r.ok ? [] : r.problems;
};

describe("burki contactsFile: CSV parse", () => {
  it("reads back exactly what contactsCsv writes (quotes, commas, newlines, empty cells)", () => {
    const r = parseContactsCsv(contactsCsv(people));
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.contacts).to.deep.equal(people);
    expect(r.rows).to.deep.equal([2, 3, 4]);
    expect(contactsDigest(r.contacts)).to.equal(contactsDigest(people));
  });

  it("accepts LF endings, a BOM, no name column and a missing final newline", () => {
    const r = parseContactsCsv("\ufeffphone_number,city\n+15551230001,Paris\n\n+15551230002,");
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.contacts).to.deep.equal([
      { phoneNumber: "+15551230001", variables: { city: "Paris" } },
      { phoneNumber: "+15551230002" },
    ]);
    expect(r.rows).to.deep.equal([2, 4]);
  });

  it("names the row of a bad phone number, a duplicate and a short row, never the values", () => {
    const text = [
      "phone_number,name,city",
      "+15551230001,Ann,Paris",
      "5551230002,Bob,Oslo",
      "+15551230001,Ann again,Rome",
      "+15551230004,Dee",
    ].join("\n");
    const problems = problemsOf(text);
    expect(problems).to.deep.equal([
      "row 3: phone_number must be E.164, such as +15551234567 (a +, the country code, 8–15 digits, no spaces)",
      "row 4: phone_number duplicates row 2 (Burki would skip it); keep one of them",
      "row 5: has 2 field(s) where the header has 3",
    ]);
    const all = problems.join(" ");
    for (const v of ["5551230002", "+15551230001", "Ann", "Bob", "Paris"]) expect(all).to.not.include(v);
  });

  it("refuses reserved, invalid and repeated variable columns, and a header without phone_number", () => {
    expect(problemsOf("phone_number,name,mobile,2x,city,city\n+15551230001,A,b,c,d,e\n")).to.deep.equal([
      'row 1 (the header): column "mobile" is reserved for the phone number or name; put phone_number first and name second, and give variables other names',
      "row 1 (the header): column 4 is not a valid variable name (letters, digits and _, not starting with a digit, at most 64 characters)",
      'row 1 (the header): column "city" appears twice',
    ]);
    // A header cell that is not a name (a person's name typed into the header) is not repeated.
    const personal = problemsOf("phone_number,name,Ann Smith\n+15551230001,A,b\n").join(" ");
    expect(personal).to.include("column 3 is not a valid variable name");
    expect(personal).to.not.include("Ann Smith");
    expect(problemsOf("name,phone_number\nA,+15551230001\n")[0]).to.match(
      /^row 1 \(the header\): must start with/,
    );
    expect(problemsOf('phone_number\n"+1555')[0]).to.equal(
      'row 2: a quoted field is never closed (a " is missing)',
    );
    expect(problemsOf("phone_number,name\n")[0]).to.match(/^has no contact rows/);
  });

  it("lists the first problems one by one, then one summary", () => {
    const rows = Array.from({ length: CONTACTS_FILE_REPORT_LIMIT + 5 }, () => "bad");
    const problems = problemsOf(["phone_number", ...rows].join("\n"));
    expect(problems).to.have.length(CONTACTS_FILE_REPORT_LIMIT + 1);
    expect(problems[0]).to.match(/^row 2: /);
    expect(problems.at(-1)).to.equal("… and 5 more row problem(s), not listed one by one");
  });
});

describe("burki contactsFile: check", () => {
  let dir: string;
  const base = { name: "renewals", campaignType: "call", assistantId: 7 };
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), "contacts-file-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it("counts the file's contacts; the inputs hold the path and the count, not the people", () => {
    const p = file("ok.csv", contactsCsv(people));
    const schema = checkBurkiCampaignInputs({ ...base, contactsFile: p });
    expect(schema.ok).to.equal(true);
    if (!schema.ok) return;
    const r = checkContactsFile(schema.inputs as unknown as Record<string, unknown>);
    expect(r).to.have.property("inputs");
    if (!("inputs" in r)) return;
    expect(r.inputs.contactCount).to.equal(3);
    expect(r.inputs.contactsFile).to.equal(p);
    expect(JSON.stringify(r.inputs)).to.not.include("+1555").and.not.include("Oslo");
    const read = readContactsFile(p);
    expect(read.ok && read.digest).to.equal(contactsDigest(people));
    expect(contactsFileDigest(p)).to.equal(contactsDigest(people));
  });

  it("failures are at contactsFile with the row; a missing file names the path tried", () => {
    const bad = file("bad.csv", "phone_number,name\n+15551230001,A\n+1 555 123,B\n");
    expect(checkContactsFile({ ...base, contactsFile: bad })).to.deep.equal({
      failures: [
        {
          property: "contactsFile",
          reason:
            "row 3: phone_number must be E.164, such as +15551234567 (a +, the country code, 8–15 digits, no spaces)",
        },
      ],
    });
    const missing = path.join(dir, "nope.csv");
    const r = checkContactsFile({ ...base, contactsFile: missing });
    expect(r).to.deep.equal({
      failures: [
        {
          property: "contactsFile",
          reason: `cannot read ${missing} (no such file); give the path of a CSV file (a relative path is read from the program directory, where Pulumi.yaml is)`,
        },
      ],
    });
    expect(contactsFileDigest(missing)).to.equal(undefined);
  });

  it("applies the template rules to the file's contacts, naming the row", () => {
    const p = file("tpl.csv", "phone_number,name,renewal_date\n+15551230001,Ann,Dec 1\n+15551230002,Bob,\n");
    const r = checkContactsFile({
      ...base,
      welcomeMessageTemplate: "Hi {{name}}, {{renewal_date}}",
      contactsFile: p,
    });
    expect(r).to.deep.equal({
      failures: [
        {
          property: "contactsFile",
          reason:
            "row 3: has no value for {{renewal_date}}, which welcomeMessageTemplate uses: fill its renewal_date column (add the column if the file has none), add renewal_date to fallbackValues, or write {{renewal_date|default('…')}}",
        },
      ],
    });
    expect(
      checkContactsFile({
        ...base,
        welcomeMessageTemplate: "{{renewal_date}}",
        fallbackValues: { renewal_date: "soon" },
        contactsFile: p,
      }),
    ).to.have.property("inputs");
  });

  it("is exclusive with contacts; an unknown path leaves the count unknown", () => {
    const p = file("x.csv", contactsCsv(people));
    const r = checkBurkiCampaignInputs({ ...base, contactsFile: p, contacts: people });
    expect(r.ok).to.equal(false);
    expect(!r.ok && r.failures.map((f) => f.property)).to.include("contactsFile");
    expect(checkContactsFile({ ...base, contactsFile: UNKNOWN })).to.deep.equal({
      inputs: { ...base, contactsFile: UNKNOWN, contactCount: UNKNOWN },
    });
    // state "running" is satisfied by a file.
    expect(checkBurkiCampaignInputs({ ...base, state: "running", contactsFile: p }).ok).to.equal(true);
  });
});
