/**
 * `prospectsFile` (provider/woodpecker/prospects-file.ts): the CSV parse with both spellings of the
 * columns, check failures that name the row (header = row 1) without revealing anyone's email or
 * name, the template rule by row, and the digest: the same as the same people declared inline.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UNKNOWN } from "../../provider/core/validation";
import type { ListedProspect } from "../../provider/woodpecker/prospects-api";
import { digestOf } from "../../provider/core/digest";
import {
  ProspectsRejectedError,
  planProspects,
  prospectsChanged,
  prospectsDigest,
  toApiProspect,
} from "../../provider/woodpecker/prospects";
import { emailKey } from "../../provider/woodpecker/prospects-schema";
import {
  PROSPECTS_FILE_REPORT_LIMIT,
  checkProspectsFile,
  parseProspectsCsv,
  prospectsFileDigest,
  readProspectsFile,
} from "../../provider/woodpecker/prospects-file";
import { checkWoodpeckerCampaignInputs, normalizeInputs } from "../../provider/woodpecker/schema";
import type { WoodpeckerCampaignInputs, WoodpeckerProspect } from "../../provider/woodpecker/types";

const base = {
  name: "outreach",
  emailAccountIds: [1],
  settings: { timezone: "Europe/Warsaw" },
  steps: [{ versions: [{ subject: "Hi {{FIRST_NAME}}", message: '<p>About {{SNIPPET_2 | "us"}}</p>' }] }],
};

const inline: WoodpeckerProspect[] = [
  { email: "ann.private@example.com", firstName: "Ann, Jr.", company: 'Acme "EU"', tags: ["VC", "big"] },
  {
    email: "bob.private@example.com",
    firstName: "Bob",
    linkedinUrl: "https://l.example/bob",
    snippet2: "a\nb",
  },
];
const CSV = [
  "Email,first_name,COMPANY,linkedinUrl,tags,Snippet2",
  'ann.private@example.com,"Ann, Jr.","Acme ""EU""",,"#VC, big",',
  'bob.private@example.com,Bob,,https://l.example/bob,,"a\nb"',
].join("\r\n");

const problemsOf = (text: string): string[] => {
  const r = parseProspectsCsv(text);
  expect(r.ok, "expected problems").to.equal(false);
  return r.ok ? [] : r.problems;
};
const PRIVATE = ["ann.private", "bob.private", "Ann", "Bob", "Acme", "example.com"];

describe("woodpecker prospectsFile: CSV parse", () => {
  it("reads both spellings of the columns in any case, quotes, tags and empty cells; the digest equals inline", () => {
    const r = parseProspectsCsv(CSV);
    expect(r.ok, JSON.stringify(r)).to.equal(true);
    if (!r.ok) return;
    expect(r.prospects).to.deep.equal(inline);
    expect(r.rows).to.deep.equal([2, 3]);
    const normalized = normalizeInputs({ ...base, prospects: inline } as unknown as WoodpeckerCampaignInputs);
    expect(prospectsDigest(r.prospects)).to.equal(prospectsDigest(normalized.prospects));
    // Order and email case do not matter to the digest (Woodpecker matches emails ignoring case).
    const reordered = [{ ...inline[1], email: "BOB.private@example.com" }, inline[0]];
    expect(prospectsDigest(reordered)).to.equal(prospectsDigest(r.prospects));
  });

  it("the digest is digestOf the canonical rows (the value existing state holds), however the text is escaped", () => {
    const tricky: WoodpeckerProspect[] = [
      ...inline,
      {
        email: " Zoë@Example.com ",
        lastName: 'Ünïcode "quoted" \\ back\tslash\u2028',
        snippet15: "<p>é</p>",
      },
      { email: "a@b.co" },
    ];
    const rows = tricky.map((p) => ({ ...toApiProspect(p), email: emailKey(p.email) }));
    rows.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
    expect(prospectsDigest(tricky)).to.equal(digestOf(rows));
    expect(prospectsDigest([])).to.equal(digestOf([]));
    const many = Array.from({ length: 3000 }, (_, k) => ({
      email: `p${k}@example.com`,
      company: "x".repeat(40),
    }));
    const manyRows = many.map((p) => ({ ...toApiProspect(p), email: emailKey(p.email) }));
    manyRows.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
    expect(prospectsDigest(many)).to.equal(digestOf(manyRows));
  });

  it("names the row of a bad email, a duplicate (ignoring case), a short row and an over-long field, never the values", () => {
    const text = [
      "email,firstName,title",
      "ann.private@example.com,Ann,CEO",
      "not an email,Bob,CTO",
      "ANN.private@example.com,Ann again,CFO",
      "bob.private@example.com,Bob",
      ",Nobody,COO",
      `cid.private@example.com,Cid,${"x".repeat(256)}`,
      "",
      "dee.private@example.com,Dee,#1",
    ].join("\n");
    const problems = problemsOf(text);
    expect(problems).to.deep.equal([
      "row 3: email must be an email address (name@domain.tld, no spaces)",
      "row 4: email duplicates row 2 (Woodpecker keeps one prospect per email, ignoring case); keep one of them",
      "row 5: has 2 field(s) where the header has 3",
      "row 6: email is empty (every prospect needs an email)",
      "row 7: title must be at most 255 characters",
    ]);
    const all = problems.join(" ");
    for (const v of PRIVATE) expect(all).to.not.include(v);
  });

  it("refuses an unknown column (with a did-you-mean), a field given twice and a header without email", () => {
    expect(problemsOf("email,frist_name,first_name,firstName\na@b.co,x,y,z\n")).to.deep.equal([
      'row 1 (the header): column "frist_name" is not a prospect field (did you mean "first_name"?); the columns are ' +
        "email, firstName, lastName, company, website, linkedinUrl, tags, title, phone, address, city, state, country, " +
        "industry and snippet1…snippet15 (or Woodpecker's first_name, last_name, linkedin_url), in any case",
      'row 1 (the header): column "firstName" fills firstName, as column "first_name" does',
    ]);
    // A file without its header row: nothing of the first prospect is repeated.
    const headerless = problemsOf("ann.private@example.com,Ann,Acme\nbob.private@example.com,Bob,Bobco\n");
    expect(headerless).to.deep.equal([
      "row 1 (the header): holds an email address, so it looks like a prospect rather than column names; " +
        "put a header row first, such as email,firstName,company",
    ]);
    expect(problemsOf("email,+1 555 0100 (Ann's)\na@b.co,x\n")).to.deep.equal([
      "row 1 (the header): column 2 is not a prospect field; the columns are email, firstName, lastName, company, " +
        "website, linkedinUrl, tags, title, phone, address, city, state, country, industry and snippet1…snippet15 " +
        "(or Woodpecker's first_name, last_name, linkedin_url), in any case",
    ]);
    expect(problemsOf("first_name,company\nAnn,Acme\n")).to.deep.equal([
      "row 1 (the header): has no email column; the first row names the columns, such as email,firstName,company",
    ]);
    expect(problemsOf('email\n"a@b.co')).to.deep.equal([
      'row 2: a quoted field is never closed (a " is missing)',
    ]);
    expect(problemsOf("email,tags\na@b.co,a#b\n")).to.deep.equal([
      'row 2: tags: tags are words without "#" or spaces (sent as "#TAG"); separate them with spaces or commas',
    ]);
    expect(problemsOf("email\n\n")[0]).to.match(/^has no prospect rows/);
  });

  it("lists the first problems one by one, then one summary", () => {
    const rows = Array.from({ length: PROSPECTS_FILE_REPORT_LIMIT + 7 }, () => "bad");
    const problems = problemsOf(["email", ...rows].join("\n"));
    expect(problems).to.have.length(PROSPECTS_FILE_REPORT_LIMIT + 1);
    expect(problems[0]).to.match(/^row 2: /);
    expect(problems.at(-1)).to.equal("… and 7 more row problem(s), not listed one by one");
  });
});

describe("woodpecker prospectsFile: check and diff", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), "prospects-file-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const checked = (inputs: Record<string, unknown>) => {
    const schema = checkWoodpeckerCampaignInputs(inputs);
    expect(schema.ok, JSON.stringify(!schema.ok && schema.failures)).to.equal(true);
    return checkProspectsFile(schema.ok ? (schema.inputs as unknown as Record<string, unknown>) : {});
  };

  it("counts the file's prospects; the inputs hold the path and the count, not the people", () => {
    const p = file("ok.csv", CSV);
    const r = checked({ ...base, prospectsFile: p });
    expect(r).to.have.property("inputs");
    if (!("inputs" in r)) return;
    expect(r.inputs.prospectCount).to.equal(2);
    expect(r.inputs.prospectsFile).to.equal(p);
    const text = JSON.stringify(r.inputs);
    for (const v of PRIVATE) expect(text).to.not.include(v);
    const read = readProspectsFile(p);
    expect(read.ok && read.digest).to.equal(prospectsDigest(inline));
    expect(prospectsFileDigest(p)).to.equal(prospectsDigest(inline));
  });

  it("applies the template rule by row: a prospect lacking a field a step uses without a fallback", () => {
    const p = file("tpl.csv", "email,first_name\nann.private@example.com,Ann\nbob.private@example.com,\n");
    expect(checked({ ...base, prospectsFile: p })).to.deep.equal({
      failures: [
        {
          property: "prospectsFile",
          reason:
            "row 3: lacks a value for {{FIRST_NAME}} (steps[0].versions[0].subject, field firstName), used without a " +
            'fallback: Woodpecker would park this prospect as "missing snippet" and never email it. Fill its firstName ' +
            'column (add the column if the file has none), or add a fallback such as {{FIRST_NAME | "…"}} in the step.',
        },
      ],
    });
    const fallback = {
      ...base,
      steps: [{ versions: [{ subject: 'Hi {{FIRST_NAME | "there"}}', message: "<p>Hello</p>" }] }],
    };
    expect(checked({ ...fallback, prospectsFile: p })).to.have.property("inputs");
  });

  it("a bad row and a missing file are failures at prospectsFile; both forms at once is refused", () => {
    const bad = file("bad.csv", "email\nann.private@example.com\nann.private@EXAMPLE.com\n");
    expect(checked({ ...base, prospectsFile: bad })).to.deep.equal({
      failures: [
        {
          property: "prospectsFile",
          reason:
            "row 3: email duplicates row 2 (Woodpecker keeps one prospect per email, ignoring case); keep one of them",
        },
      ],
    });
    const missing = path.join(dir, "nope.csv");
    expect(checked({ ...base, prospectsFile: missing })).to.deep.equal({
      failures: [
        {
          property: "prospectsFile",
          reason: `cannot read ${missing} (no such file); give the path of a CSV file (a relative path is read from the program directory, where Pulumi.yaml is)`,
        },
      ],
    });
    expect(prospectsFileDigest(missing)).to.equal(undefined);
    const both = checkWoodpeckerCampaignInputs({ ...base, prospectsFile: bad, prospects: inline });
    expect(both.ok).to.equal(false);
    expect(!both.ok && both.failures).to.deep.include({
      property: "prospectsFile",
      reason: "cannot be used together with prospects: declare the people in one of them, not both",
    });
    expect(checkProspectsFile({ ...base, prospectsFile: UNKNOWN })).to.deep.equal({
      inputs: { ...base, prospectsFile: UNKNOWN, prospectCount: UNKNOWN },
    });
  });

  it("diff: unchanged file → no change; edited file, new path, unknown or unreadable → change", () => {
    const p = file("diff.csv", CSV);
    const digest = prospectsFileDigest(p)!;
    const o = { prospectsFile: p, prospectsDigest: digest, prospectCount: 2 };
    expect(prospectsChanged({ prospectsFile: p }, o, digest)).to.equal(false);
    expect(prospectsChanged({ prospectsFile: UNKNOWN }, o, undefined)).to.equal(true);
    expect(prospectsChanged({ prospectsFile: `${p}.other` }, o, digest)).to.equal(true);
    expect(prospectsChanged({ prospectsFile: p }, o, undefined)).to.equal(true);
    // The cache follows the file: same size, new mtime and content → a new digest.
    writeFileSync(p, CSV.replace("Bob", "Rob"));
    utimesSync(p, new Date(), new Date(Date.now() + 5000));
    const edited = prospectsFileDigest(p);
    expect(edited).to.be.a("string").and.not.equal(digest);
    expect(prospectsChanged({ prospectsFile: p }, o, edited)).to.equal(true);
    // Moving between the forms with the same people is an update (it records the new form).
    expect(prospectsChanged({ prospects: inline }, o)).to.equal(true);
    expect(
      prospectsChanged({ prospectsFile: p }, { prospects: inline, prospectsDigest: digest }, digest),
    ).to.equal(true);
  });

  it("plan: once from a file, every prospect of the campaign not in the file is removed; on create nobody", () => {
    const live: ListedProspect[] = [
      { id: 1, email: "ann.private@example.com", status: "ACTIVE", fields: { first_name: "Ann, Jr." } },
      { id: 2, email: "hand.added@example.com", status: "ACTIVE", fields: {} },
    ];
    const declared = [{ email: "ANN.private@example.com", firstName: "Ann, Jr." }];
    expect(planProspects(declared, "campaign", live)).to.deep.equal({ add: [], update: [], remove: [2] });
    expect(planProspects(declared, undefined, live)).to.deep.equal({ add: [], update: [], remove: [] });
  });

  it("a refusal by Woodpecker names the file's row, never the email", () => {
    const e = new ProspectsRejectedError(
      'Woodpecker campaign 7 ("outreach")',
      [{ index: 1, code: "E_INV_STATUS", reason: "prospect status is REPLIED" }],
      3,
      [2, 5, 6],
    );
    expect(e.message).to.include("prospectsFile row 5 (E_INV_STATUS: prospect status is REPLIED)");
    expect(e.message).to.include("remove it from the file, or set force deliberately");
    expect(e.message).to.not.include("prospects[1]");
  });
});
