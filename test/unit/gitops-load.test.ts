/**
 * The GitOps loader (examples/gitops/load.ts) explains a broken campaign file in one round: every
 * problem of every file (field checks and cross-field rules together), each at the line and column
 * of its field, with a did-you-mean for a misspelt key, then the count.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { burki, woodpecker } from "pulumi-campaigns";
import {
  BURKI_SHAPE,
  type Shape,
  WOODPECKER_SHAPE,
  editDistance,
  suggestKey,
} from "../../examples/gitops/explain";
import { type CampaignFileProblem, CampaignFilesError, loadCampaigns } from "../../examples/gitops/load";
import { burkiCampaignSchema } from "../../provider/burki/schema";
import { woodpeckerCampaignSchema } from "../../provider/woodpecker/schema";

// Line numbers matter below: each file is written exactly as shown.
const CALLS = `# Calls for the renewals team.
campaignType: cal
assistantID: 123
contacts:
  - phoneNumber: "+15555550101"
    nmae: John
  - phoneNumber: "+15555550101"
  - phoneNumber: +15555550102
  - name: Sam
maxAttempts: 11
state: running
`;

const MAILS = `emailAccountIds: [112233]
settings: { timezone: Europe/Warsaw, dailyEnrol: 20 }
steps:
  - type: linkedin
    versions: [{ message: Hi }]
  - delay: { value: 0, unit: day }
    versions:
      - message: <p>Hello</p>
        signature: SENDR
state: runing
`;

const BROKEN = `campaignType: call
assistantId: 123
contacts: [{ phoneNumber: "+15555550101" }
state: running
`;

const TWICE = `campaignType: call
assistantId: 123
state: running
state: paused
`;

const SUBJECT_FIRST_EMAIL =
  "is required on the first email step (Woodpecker will not run the campaign without it)";

const roots: string[] = [];
/** `<tmp>/campaigns` holding these files; the loader shows it as `campaigns/`. */
function campaignsDir(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-load-"));
  roots.push(root);
  const dir = path.join(root, "campaigns");
  fs.mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function loadError(dir: string): CampaignFilesError {
  try {
    loadCampaigns(dir);
  } catch (e) {
    if (e instanceof CampaignFilesError) return e;
    throw e;
  }
  throw new Error("expected the campaign files to be refused");
}

/** `[line, column, property, reason, suggestion?]`, for compact expectations. */
const rows = (ps: CampaignFileProblem[]) =>
  ps.map((p) => [p.line, p.column, p.property, p.reason, ...(p.suggestion ? [p.suggestion] : [])]);

/** The file's arguments as the loader gives them to the provider's check. */
const argsOf = (stem: string, text: string) => ({ name: stem, ...(parseDocument(text).toJS() as object) });

describe("gitops loader: every problem of a file at once, where it is, and what was meant", () => {
  after(() => {
    for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  });

  it("a Burki file: field errors, a cross-field rule, misspelt keys (top-level and nested), a missing field", () => {
    const { problems } = loadError(campaignsDir({ "calls.burki.yaml": CALLS }));
    expect(problems.every((p) => p.file === "campaigns/calls.burki.yaml")).to.equal(true);
    expect(rows(problems)).to.deep.equal([
      [2, 1, "campaignType", 'must be "call", "sms" or "mixed"'],
      // The misspelling explains the missing assistantId: no second line for it.
      [3, 1, "assistantID", "unknown key", "assistantId"],
      [6, 5, "contacts[0].nmae", "unknown key", "name"],
      // A cross-field rule, reported although other fields are invalid.
      [7, 5, "contacts[1].phoneNumber", "duplicates contacts[0].phoneNumber (Burki would skip it)"],
      [
        8,
        5,
        "contacts[2].phoneNumber",
        'must be quoted in YAML ("+15551234567"): unquoted, it reads as a number',
      ],
      // A missing field: the mapping that should hold it (the list item).
      [9, 5, "contacts[3].phoneNumber", "is required (E.164, e.g. +15551234567)"],
      [10, 1, "maxAttempts", "must be between 1 and 10 (Burki's limit)"],
    ]);
  });

  it("the provider's check alone skips the cross-field rule while a field is invalid; the loader does not", () => {
    const alone = burki.checkCampaignInputs(argsOf("calls", CALLS));
    expect(alone.ok).to.equal(false);
    const properties = alone.ok ? [] : alone.failures.map((f) => f.property);
    expect(properties).to.include("campaignType");
    expect(properties).to.not.include("contacts[1].phoneNumber");
    // …and the rules on their own find it, on the same raw (invalid) inputs.
    expect(burki.checkCampaignRules(argsOf("calls", CALLS))).to.deep.equal([
      {
        path: ["contacts", 1, "phoneNumber"],
        message: "duplicates contacts[0].phoneNumber (Burki would skip it)",
      },
    ]);
  });

  it("a Woodpecker file: flow mappings, step rules, the first-email-step rule despite other errors", () => {
    const { problems } = loadError(campaignsDir({ "mails.woodpecker.yaml": MAILS }));
    expect(rows(problems)).to.deep.equal([
      [2, 38, "settings.dailyEnrol", "unknown key", "dailyEnroll"],
      [4, 5, "steps[0].actionType", "is required on a linkedin step"],
      [4, 5, "steps[0].linkedinAccountId", "is required on a linkedin step"],
      [6, 14, "steps[1].delay.value", "must be greater than 0"],
      // steps[0] is a linkedin step: steps[1] is the first email step, and zod skipped this rule.
      [8, 9, "steps[1].versions[0].subject", SUBJECT_FIRST_EMAIL],
      [9, 9, "steps[1].versions[0].signature", 'must be "SENDER" or "NO_SIGNATURE"'],
      [10, 1, "state", 'must be "draft", "running", "paused" or "stopped"'],
    ]);
    const alone = woodpecker.checkCampaignInputs(argsOf("mails", MAILS));
    expect(alone.ok || alone.failures.map((f) => f.property)).to.not.include("steps[1].versions[0].subject");
  });

  it("YAML syntax errors: each at its line and column, and nothing else guessed from that file", () => {
    const { problems } = loadError(campaignsDir({ "broken.burki.yaml": BROKEN, "twice.burki.yaml": TWICE }));
    expect(problems.map((p) => [p.file, p.line, p.column, p.property, p.reason])).to.deep.equal([
      [
        "campaigns/broken.burki.yaml",
        4,
        1,
        "(yaml)",
        "Flow sequence in block collection must be sufficiently indented and end with a ]",
      ],
      ["campaigns/twice.burki.yaml", 4, 1, "(yaml)", "Map keys must be unique"],
    ]);
  });

  it("all files in ONE error: file:line:col: path: reason (did you mean …), file by file, then the count", () => {
    const dir = campaignsDir({
      "calls.burki.yaml": CALLS,
      "mails.woodpecker.yaml": MAILS,
      "broken.burki.yaml": BROKEN,
      "good.burki.yaml": "campaignType: call\nassistantId: 7\n",
    });
    const error = loadError(dir);
    const lines = error.message.split("\n");
    expect(lines).to.have.length(7 + 7 + 1 + 1);
    expect(lines[0]).to.equal(
      "campaigns/broken.burki.yaml:4:1: (yaml): Flow sequence in block collection must be sufficiently indented and end with a ]",
    );
    expect(lines[1]).to.equal(
      'campaigns/calls.burki.yaml:2:1: campaignType: must be "call", "sms" or "mixed"',
    );
    expect(lines[2]).to.equal(
      'campaigns/calls.burki.yaml:3:1: assistantID: unknown key (did you mean "assistantId"?)',
    );
    expect(lines[8]).to.equal(
      'campaigns/mails.woodpecker.yaml:2:38: settings.dailyEnrol: unknown key (did you mean "dailyEnroll"?)',
    );
    expect(lines.slice(1, 8).every((l) => l.startsWith("campaigns/calls.burki.yaml:"))).to.equal(true);
    expect(lines.slice(8, 15).every((l) => l.startsWith("campaigns/mails.woodpecker.yaml:"))).to.equal(true);
    expect(lines[15]).to.equal("15 problems in the campaign files; nothing was changed");
    // Fields are named, values are not (phone numbers are personal data).
    expect(error.message).to.not.match(/555555010\d/);
  });

  it("an unknown key with no close match lists the keys of its object; a key that is not a field name is not repeated", () => {
    const { problems } = loadError(
      campaignsDir({
        "odd.burki.yaml": `campaignType: call
assistantId: 7
colour: blue
contacts:
  - "+15555550103": Sam
`,
      }),
    );
    expect(rows(problems)).to.deep.equal([
      [
        3,
        1,
        "colour",
        "unknown key; the keys here are name, description, campaignType, assistantId, welcomeMessageTemplate, " +
          "agendaTemplate, endCallMessageTemplate, smsMessageTemplate, maxAttempts, retryDelayMinutes, " +
          "fallbackValues, variableMappings, contacts, contactsFile, state, schedule, existingCampaignId, contactCount, doNotContact, doNotContactCount, excludedByDoNotContact",
      ],
      [
        5,
        5,
        "contacts[0]",
        "has a key that is not a field name (not repeated here: it may be personal data); the keys here are phoneNumber, name, variables",
      ],
      [5, 5, "contacts[0].phoneNumber", "is required (E.164, e.g. +15551234567)"],
    ]);
    expect(JSON.stringify(problems)).to.not.include("15555550103");
  });

  it("a missing top-level field points at the document's mapping (its first key, after comments)", () => {
    const { problems } = loadError(
      campaignsDir({
        "nosettings.woodpecker.yaml": `# no settings
emailAccountIds: [1]
steps:
  - versions: [{ subject: Hi, message: <p>Hi</p> }]
`,
      }),
    );
    expect(problems.map((p) => [p.line, p.column, p.property])).to.deep.equal([[2, 1, "settings"]]);
  });

  it("schedule and prospect mistakes: each at its line, misspellings suggested, no email repeated", () => {
    const later = `campaignType: call
assistantId: 123
contacts:
  - phoneNumber: "+15555550101"
schedule:
  type: scheduled
  at: "2031-01-01T09:00"
  timezone: Europe/Pariss
  recuring: { frequency: daily }
state: paused
`;
    const list = `emailAccountIds: [112233]
settings: { timezone: Europe/Warsaw }
steps:
  - versions: [{ subject: "Hi {{FIRST_NAME}}", message: <p>Hello</p> }]
prospects:
  - email: anna@example.com
    firstName: Anna
  - email: Anna@Example.com
    firstName: Anna
  - email: not an email
    frstName: Ben
force: yes
`;
    const lacks =
      'lacks a value for {{FIRST_NAME}} (steps[0].versions[0].subject, field firstName), used without a fallback: Woodpecker would park this prospect as "missing snippet" and never email it. Give it the field, or add a fallback such as {{FIRST_NAME | "…"}} in the step.';
    const error = loadError(campaignsDir({ "later.burki.yaml": later, "list.woodpecker.yaml": list }));
    expect(error.problems.map((p) => [p.file.replace("campaigns/", ""), ...rows([p])[0]])).to.deep.equal([
      [
        "later.burki.yaml",
        8,
        3,
        "schedule.timezone",
        'must be an IANA time zone such as "Europe/Paris" or "UTC" (the zone of at)',
      ],
      ["later.burki.yaml", 9, 3, "schedule.recuring", "unknown key", "recurring"],
      [
        "later.burki.yaml",
        10,
        1,
        "state",
        '"paused" contradicts the scheduled schedule (Burki starts a scheduled campaign at its time): declare state "running" or leave it out, or set schedule.type "immediate"',
      ],
      [
        "list.woodpecker.yaml",
        8,
        5,
        "prospects[1].email",
        "duplicates prospects[0].email (Woodpecker keeps one prospect per email)",
      ],
      ["list.woodpecker.yaml", 10, 5, "prospects[2]", lacks],
      [
        "list.woodpecker.yaml",
        10,
        5,
        "prospects[2].email",
        "must be an email address (name@domain.tld, no spaces)",
      ],
      ["list.woodpecker.yaml", 11, 5, "prospects[2].frstName", "unknown key", "firstName"],
      ["list.woodpecker.yaml", 12, 1, "force", "must be true or false"],
    ]);
    // Prospects are personal data: positions, never the emails.
    expect(error.message).to.not.match(/anna@|not an email/i);
  });

  it("the same files, fixed, load: no problem is invented", () => {
    const fixedCalls = CALLS.replace("cal\n", "call\n")
      .replace("assistantID", "assistantId")
      .replace("nmae", "name")
      .replace(
        '"+15555550101"\n  - phoneNumber: +15555550102',
        '"+15555550104"\n  - phoneNumber: "+15555550102"',
      )
      .replace("  - name: Sam", '  - { phoneNumber: "+15555550105", name: Sam }')
      .replace("maxAttempts: 11", "maxAttempts: 5");
    const fixedMails = MAILS.replace("dailyEnrol", "dailyEnroll")
      .replace("type: linkedin", "type: linkedin\n    actionType: VISIT_PROFILE\n    linkedinAccountId: 5")
      .replace("value: 0", "value: 2")
      .replace("- message: <p>Hello</p>", "- subject: Hello\n        message: <p>Hello</p>")
      .replace("SENDR", "SENDER")
      .replace("runing", "running");
    const loaded = loadCampaigns(
      campaignsDir({ "calls.burki.yaml": fixedCalls, "mails.woodpecker.yaml": fixedMails }),
    );
    expect(loaded.map((c) => [c.file, c.platform])).to.deep.equal([
      ["campaigns/calls.burki.yaml", "burki"],
      ["campaigns/mails.woodpecker.yaml", "woodpecker"],
    ]);
    expect(loaded[0].inputs).to.include({
      name: "calls",
      assistantId: 123,
      maxAttempts: 5,
      state: "running",
    });
  });

  it("a Woodpecker file may name its people in a prospectsFile, not together with prospects", () => {
    const filed = `emailAccountIds: [112233]
settings: { timezone: Europe/Warsaw }
steps:
  - versions: [{ subject: "Hi {{FIRST_NAME}}", message: <p>Hello</p> }]
prospectsFile: prospects/q4.csv
`;
    const loaded = loadCampaigns(campaignsDir({ "q4.woodpecker.yaml": filed }));
    expect(loaded[0].inputs).to.include({ prospectsFile: "prospects/q4.csv" });
    const both = `${filed}prospects:\n  - { email: anna@example.com, firstName: Anna }\n`;
    const error = loadError(campaignsDir({ "q4.woodpecker.yaml": both }));
    expect(rows(error.problems)).to.deep.equal([
      [
        5,
        1,
        "prospectsFile",
        "cannot be used together with prospects: declare the people in one of them, not both",
      ],
    ]);
  });
});

describe("gitops loader: the schemas' cross-field rules, shared with the loader", () => {
  const burkiBase = { name: "c", campaignType: "call", assistantId: 7 };
  const email = { versions: [{ subject: "Hi", message: "<p>Hi</p>" }] };
  const wpBase = { name: "w", emailAccountIds: [1], settings: { timezone: "Europe/Warsaw" } };
  const failures = (r: { ok: boolean; failures?: { property: string; reason: string }[] }) =>
    r.failures ?? [];

  it("the provider's check still applies each rule when the fields are valid (unchanged behaviour)", () => {
    expect(failures(burki.checkCampaignInputs({ ...burkiBase, state: "running" }))).to.deep.equal([
      {
        property: "contacts",
        reason:
          'state "running" needs at least one contact: Burki refuses to start a campaign without contacts',
      },
    ]);
    expect(burki.checkCampaignInputs({ ...burkiBase, state: "running", existingCampaignId: 4 }).ok).to.equal(
      true,
    );
    expect(
      failures(
        woodpecker.checkCampaignInputs({
          ...wpBase,
          steps: [{ type: "linkedin", versions: [{ message: "x" }] }, { versions: [{ message: "m" }] }],
        }),
      ),
    ).to.deep.equal([
      { property: "steps[0].actionType", reason: "is required on a linkedin step" },
      { property: "steps[0].linkedinAccountId", reason: "is required on a linkedin step" },
      { property: "steps[1].versions[0].subject", reason: SUBJECT_FIRST_EMAIL },
    ]);
    expect(
      failures(woodpecker.checkCampaignInputs({ ...wpBase, steps: [{ ...email, actionType: "VISIT" }] })),
    ).to.deep.equal([{ property: "steps[0].actionType", reason: "only applies to linkedin steps" }]);
  });

  it("the rules on their own tolerate any input, and read only fields of the right type", () => {
    for (const junk of [
      null,
      3,
      "x",
      [],
      { contacts: "x", steps: 5 },
      { steps: [null, "s", { versions: 3 }] },
    ]) {
      expect(burki.checkCampaignRules(junk)).to.deep.equal([]);
      expect(woodpecker.checkCampaignRules(junk)).to.deep.equal([]);
    }
    // A subject of the wrong type is the schema's to report, not also "missing".
    expect(
      woodpecker.checkCampaignRules({ steps: [{ versions: [{ subject: 5 }, { subject: " " }] }] }),
    ).to.deep.equal([{ path: ["steps", 0, "versions", 1, "subject"], message: SUBJECT_FIRST_EMAIL }]);
    expect(
      burki.checkCampaignRules({ contacts: [{ phoneNumber: 1 }, { phoneNumber: 1 }], state: "running" }),
    ).to.deep.equal([]);
  });
});

describe("gitops loader: keys and suggestions", () => {
  it("suggests the allowed key a misspelling meant, and nothing when nothing is close", () => {
    const keys = Object.keys((BURKI_SHAPE as { fields: Record<string, unknown> }).fields);
    expect(suggestKey("assistantID", keys)).to.equal("assistantId");
    expect(suggestKey("assistant_id", keys)).to.equal("assistantId");
    expect(suggestKey("contcts", keys)).to.equal("contacts");
    expect(suggestKey("stat", keys)).to.equal("state");
    expect(suggestKey("maxAtempts", keys)).to.equal("maxAttempts");
    expect(suggestKey("welcomeMessage", keys)).to.equal("welcomeMessageTemplate"); // the only key it starts
    expect(suggestKey("colour", keys)).to.equal(undefined);
    expect(suggestKey("phone", ["phoneNumber", "name", "variables"])).to.equal("phoneNumber");
    expect(suggestKey("form", ["from", "to"])).to.equal("from"); // a swap is one edit
    expect(editDistance("form", "from")).to.equal(1);
    expect(editDistance("kitten", "sitting")).to.equal(3);
  });

  it("the loader's key tables are exactly the keys the provider's schemas accept", () => {
    expect(shapeOfSchema(burkiCampaignSchema())).to.deep.equal(BURKI_SHAPE);
    expect(shapeOfSchema(woodpeckerCampaignSchema())).to.deep.equal(WOODPECKER_SHAPE);
  });
});

/** The objects (and lists of objects) of a zod schema, as the loader's Shape. */
function shapeOfSchema(schema: z.ZodType): Shape {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case "pipe":
      return shapeOfSchema(def.in as z.ZodType);
    case "optional":
    case "default":
      return shapeOfSchema(def.innerType as z.ZodType);
    case "object":
      return {
        fields: Object.fromEntries(
          Object.entries(def.shape as Record<string, z.ZodType>).map(([k, v]) => [k, shapeOfSchema(v)]),
        ),
      };
    case "array": {
      const items = shapeOfSchema(def.element as z.ZodType);
      return items ? { items } : null;
    }
    default:
      return null;
  }
}
