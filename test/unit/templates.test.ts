/**
 * Templates checked at `check` (issue 10 §3): Burki's `{{variable}}` templates against every
 * contact, Woodpecker's `{{TOKEN}}`s against the documented tokens, and the pure helpers behind them.
 */
import { expect } from "chai";
import fc from "fast-check";
import {
  MISSING_VARIABLE_REPORT_LIMIT,
  burkiTemplateRules,
  parseBurkiTemplate,
} from "../../provider/burki/templates";
import { burkiCampaignSchema, checkBurkiCampaignRules } from "../../provider/burki/schema";
import { closestName, editDistance } from "../../provider/core/suggest";
import { UNKNOWN, formatPath, validate } from "../../provider/core/validation";
import { checkWoodpeckerCampaignRules, woodpeckerCampaignSchema } from "../../provider/woodpecker/schema";
import {
  collectWoodpeckerTokens,
  scanWoodpeckerText,
  tokensLackingValues,
} from "../../provider/woodpecker/templates";

type Violation = { path: (string | number)[]; message: string };
const byPath = (vs: Violation[]) => vs.map((v) => ({ property: formatPath(v.path), reason: v.message }));
const phone = (i: number) => `+1555${String(i).padStart(7, "0")}`;

describe("did-you-mean", () => {
  it("counts a swap of two neighbouring letters as one edit, and ignores case", () => {
    expect(editDistance("frist_name", "first_name")).to.equal(1);
    expect(editDistance("abc", "abc")).to.equal(0);
    expect(editDistance("kitten", "sitting")).to.equal(3);
    expect(closestName("FRIST_NAME", ["LAST_NAME", "FIRST_NAME"])).to.equal("FIRST_NAME");
    expect(closestName("first_name", ["FIRST_NAME"])).to.equal("FIRST_NAME");
    expect(closestName("nmae", ["company", "name"])).to.equal("name");
  });
  it("suggests nothing that is far off, or for very short names", () => {
    expect(closestName("appointment", ["name", "company"])).to.equal(undefined);
    expect(closestName("ab", ["cd", "ax"])).to.equal(undefined);
  });
});

describe("burki templates: parsing", () => {
  it("reads variables, filters and default() — spaces optional, quotes may hold braces", () => {
    const p = parseBurkiTemplate(
      "Hi {{ name }}, {{day|upper}} at {{ time | default('}} soon') }} {{x|d(\"y\")|title_case}} {{ a.b }}",
    );
    expect(p.problems).to.deep.equal([]);
    expect(p.expressions.map((e) => [e.variable, e.filters, e.hasDefault])).to.deep.equal([
      ["name", [], false],
      ["day", ["upper"], false],
      ["time", ["default"], true],
      ["x", ["d", "title_case"], true],
      ["a", [], false],
    ]);
    expect(p.hasStatements).to.equal(false);
  });

  it("an unclosed {{, a stray }}, an empty or malformed expression are problems", () => {
    expect(parseBurkiTemplate("Hi {{name").problems).to.deep.equal([
      'has a "{{" that is never closed, at character 4 ("{{name"): close it with "}}"',
    ]);
    expect(parseBurkiTemplate("Hi {name}}").problems[0]).to.match(/"}}" that closes nothing, at character 9/);
    expect(parseBurkiTemplate("Hi {{name {{company}}").problems).to.have.length(1);
    expect(parseBurkiTemplate("Hi {{ }}").problems[0]).to.match(/empty/);
    expect(parseBurkiTemplate("Hi {{ 1st }}").problems[0]).to.match(/variable name/);
    expect(parseBurkiTemplate("Hi {{ first name }}").problems[0]).to.match(/filter/);
    expect(parseBurkiTemplate("Hi {{ x | }}").problems[0]).to.match(/"\|" not followed by a filter name/);
    expect(parseBurkiTemplate("Hi {{ x | default('a }}").problems).to.have.length(1);
    expect(parseBurkiTemplate("Hi {# note").problems[0]).to.match(/never closed/);
  });

  it("an unknown filter is a problem with a did-you-mean; Jinja2's own filters are accepted", () => {
    expect(parseBurkiTemplate("{{ name | uper }}").problems).to.deep.equal([
      '{{name | uper}} uses the filter "uper", which Burki does not have (did you mean "upper"?); its filters are phone_format, title_case, upper, lower, default',
    ]);
    expect(
      parseBurkiTemplate("{{ n | capitalize }} {{ n | trim | title }} {{ p | phone_format }}").problems,
    ).to.deep.equal([]);
  });

  it("{% … %} statements are noted (a variable may be guarded by an if)", () => {
    const p = parseBurkiTemplate("{% if plan %}Your {{plan}} plan{% endif %}");
    expect(p.problems).to.deep.equal([]);
    expect(p.hasStatements).to.equal(true);
  });
});

describe("burki templates: every variable resolvable for every contact", () => {
  const base = { name: "renewals", campaignType: "call", assistantId: 7 };
  const contacts = [
    { phoneNumber: phone(1), name: "Ann", variables: { renewal_date: "Dec 1" } },
    { phoneNumber: phone(2), name: "Bob", variables: { plan: "gold" } },
    { phoneNumber: phone(3) },
  ];

  it("system variables (name, company, assistant_name) and the phone number need nothing from a contact", () => {
    const v = checkBurkiCampaignRules({
      ...base,
      welcomeMessageTemplate:
        "Hi {{name}}, {{assistant_name}} from {{ company }} ({{phone_number|phone_format}})",
      contacts,
    });
    expect(v).to.deep.equal([]);
  });

  it("a contact without the variable is a failure at contacts[i].variables naming the template and the variable, never a value", () => {
    const v = byPath(
      checkBurkiCampaignRules({
        ...base,
        welcomeMessageTemplate: "Hi {{name}}, your plan renews on {{renewal_date}}",
        agendaTemplate: "Confirm {{ renewal_date | lower }}",
        contacts,
      }),
    );
    expect(v.map((f) => f.property)).to.deep.equal(["contacts[1].variables", "contacts[2].variables"]);
    expect(v[0].reason).to.equal(
      "has no value for {{renewal_date}}, which welcomeMessageTemplate and agendaTemplate use: add variables.renewal_date to this contact, add renewal_date to fallbackValues, or write {{renewal_date|default('…')}}",
    );
    for (const f of v) {
      for (const secret of [phone(1), phone(2), phone(3), "Ann", "Bob", "gold", "Dec 1"]) {
        expect(f.reason).to.not.include(secret);
      }
    }
  });

  it("fallbackValues and default() are fallbacks; an empty value is no value", () => {
    const t = { welcomeMessageTemplate: "On {{renewal_date}}, plan {{ plan | default('basic') }}" };
    expect(
      checkBurkiCampaignRules({ ...base, ...t, contacts, fallbackValues: { renewal_date: "soon" } }),
    ).to.deep.equal([]);
    const empty = [
      { phoneNumber: phone(1), variables: { renewal_date: "Dec 1" } },
      { phoneNumber: phone(2), variables: { renewal_date: "  " } },
    ];
    expect(
      byPath(checkBurkiCampaignRules({ ...base, ...t, contacts: empty })).map((f) => f.property),
    ).to.deep.equal(["contacts[1].variables"]);
  });

  it("a variable no contact has is one failure at the template, with a did-you-mean", () => {
    const v = byPath(checkBurkiCampaignRules({ ...base, welcomeMessageTemplate: "Hi {{nmae}}", contacts }));
    expect(v).to.deep.equal([
      {
        property: "welcomeMessageTemplate",
        reason:
          "uses {{nmae}}, which no contact has a value for, and which is neither in fallbackValues nor a Burki system variable (name, company, assistant_name): did you mean {{name}}? Otherwise give the contacts variables.nmae, add nmae to fallbackValues, or write {{nmae|default('…')}}",
      },
    ]);
  });

  it("a contact with a similar variable name gets a typo hint", () => {
    const v = checkBurkiCampaignRules({
      ...base,
      smsMessageTemplate: "Due {{renewal_date}}",
      contacts: [contacts[0], { phoneNumber: phone(9), variables: { renewal_dat: "x" } }],
    });
    expect(byPath(v)).to.have.length(1);
    expect(v[0].message).to.include("(this contact has variables.renewal_dat: a typo?)");
  });

  it("variableMappings (column → variable) make the mapped column's value count", () => {
    const v = checkBurkiCampaignRules({
      ...base,
      welcomeMessageTemplate: "On {{renewal_date}}",
      variableMappings: { due: "renewal_date" },
      contacts: [contacts[0], { phoneNumber: phone(9), variables: { due: "Dec 2" } }],
    });
    expect(v).to.deep.equal([]);
  });

  it("without contacts (not managed) only the syntax is checked", () => {
    const v = byPath(
      checkBurkiCampaignRules({
        ...base,
        welcomeMessageTemplate: "Hi {{nmae}}",
        endCallMessageTemplate: "Bye {{name",
      }),
    );
    expect(v.map((f) => f.property)).to.deep.equal(["endCallMessageTemplate"]);
  });

  it("a variable inside a template with {% … %} statements is not required per contact", () => {
    const v = checkBurkiCampaignRules({
      ...base,
      agendaTemplate: "{% if plan %}Talk about {{plan}}{% endif %}",
      contacts,
    });
    expect(v).to.deep.equal([]);
  });

  it(`caps the failures: the first ${MISSING_VARIABLE_REPORT_LIMIT} contacts per variable, then one summary`, () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      phoneNumber: phone(i),
      variables: i % 2 ? { city: "Oslo" } : { city: "Oslo", day: "Mon" },
    }));
    const v = byPath(
      checkBurkiCampaignRules({ ...base, welcomeMessageTemplate: "{{day}} in {{city}}", contacts: many }),
    );
    expect(v).to.have.length(MISSING_VARIABLE_REPORT_LIMIT + 1);
    expect(v.slice(0, MISSING_VARIABLE_REPORT_LIMIT).map((f) => f.property)).to.deep.equal(
      Array.from({ length: MISSING_VARIABLE_REPORT_LIMIT }, (_, k) => `contacts[${2 * k + 1}].variables`),
    );
    const last = v[MISSING_VARIABLE_REPORT_LIMIT];
    expect(last.property).to.equal(`contacts[${2 * MISSING_VARIABLE_REPORT_LIMIT + 1}].variables`);
    expect(last.reason).to.match(
      /^… and 4980 more contacts, this one and ones after it, have no value for \{\{day\}\}/,
    );
  });

  it("10,000 contacts are checked in well under a second", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      phoneNumber: phone(i),
      name: "N",
      variables: { renewal_date: "Dec 1", plan: "gold", city: "Oslo" },
    }));
    const inputs = {
      ...base,
      welcomeMessageTemplate: "Hi {{name}}, {{plan|upper}} renews {{renewal_date}} in {{city}}",
      agendaTemplate: "{{plan}} {{renewal_date}}",
      smsMessageTemplate: "{{ city | title }}",
      contacts: many,
    };
    burkiTemplateRules(inputs); // warm up
    const t0 = performance.now();
    expect(burkiTemplateRules(inputs)).to.deep.equal([]);
    expect(performance.now() - t0).to.be.lessThan(500);
  });

  it("unknown values (preview) are skipped, never failures, and nothing throws", () => {
    const t = { welcomeMessageTemplate: "Hi {{renewal_date}}" };
    expect(checkBurkiCampaignRules({ ...base, welcomeMessageTemplate: UNKNOWN, contacts })).to.deep.equal([]);
    expect(checkBurkiCampaignRules({ ...base, ...t, contacts: UNKNOWN })).to.deep.equal([]);
    expect(checkBurkiCampaignRules({ ...base, ...t, contacts, fallbackValues: UNKNOWN })).to.deep.equal([]);
    expect(
      checkBurkiCampaignRules({
        ...base,
        ...t,
        contacts: [contacts[0], UNKNOWN, { phoneNumber: phone(7), variables: UNKNOWN }],
      }),
    ).to.deep.equal([]);
    expect(
      checkBurkiCampaignRules({
        ...base,
        ...t,
        contacts: [contacts[0], { phoneNumber: UNKNOWN, variables: { renewal_date: UNKNOWN } }],
      }),
    ).to.deep.equal([]);
    // an unknown contact may have the variable: the others that lack it are listed one by one
    const v = checkBurkiCampaignRules({ ...base, ...t, contacts: [UNKNOWN, { phoneNumber: phone(8) }] });
    expect(byPath(v).map((f) => f.property)).to.deep.equal(["contacts[1].variables"]);
    // through the schema, as check does at preview
    const r = validate(burkiCampaignSchema(), { ...base, ...t, contacts: [contacts[0], UNKNOWN] });
    expect(r.ok).to.equal(true);
    for (const junk of [
      null,
      1,
      "x",
      [],
      { contacts: [null, 1, []] },
      { welcomeMessageTemplate: 5, contacts: {} },
    ]) {
      expect(() => checkBurkiCampaignRules(junk)).to.not.throw();
    }
  });

  it("the schema reports the failures as check does", () => {
    const r = validate(burkiCampaignSchema(), { ...base, welcomeMessageTemplate: "Hi {{name", contacts });
    expect(r.ok).to.equal(false);
    expect(!r.ok && r.failures.map((f) => f.property)).to.deep.equal(["welcomeMessageTemplate"]);
  });
});

describe("woodpecker templates: tokens", () => {
  it("accepts the documented tokens and every plausible way of writing them", () => {
    const s = scanWoodpeckerText(
      "Hi {{FIRST_NAME}} {{ LAST_NAME }} {{COMPANY | \"your team\"}} {{TITLE|''}} {{FIRST_NAME | &quot;there&quot;}}" +
        '{{&nbsp;CITY&nbsp;}} {{SNIPPET_1}} {{SNIPPET_15 | ""}} {{SPINTAX | "Hi" | "Hello"}} <a href="{{UNSUBSCRIBE}}">x</a>' +
        " {{CLICK=https://example.com/a?b=c}} {{EMAIL}} {{LINKEDIN_URL}}",
    );
    expect(s.problems).to.deep.equal([]);
    expect(s.uses.map((u) => [u.token, u.field, u.hasFallback])).to.deep.equal([
      ["FIRST_NAME", "firstName", false],
      ["LAST_NAME", "lastName", false],
      ["COMPANY", "company", true],
      ["TITLE", "title", true],
      ["FIRST_NAME", "firstName", true],
      ["CITY", "city", false],
      ["SNIPPET_1", "snippet1", false],
      ["SNIPPET_15", "snippet15", true],
      ["SPINTAX", undefined, false],
      ["UNSUBSCRIBE", undefined, false],
      ["CLICK", undefined, false],
      ["EMAIL", "email", false],
      ["LINKEDIN_URL", "linkedinUrl", false],
    ]);
  });

  it("a tracked link may carry tokens of its own", () => {
    const s = scanWoodpeckerText(
      '<a href="{{CLICK=https://x.co/?n={{FIRST_NAME}}&c={{COMPANY | ""}}}}">go</a> {{TITLE}}',
    );
    expect(s.problems).to.deep.equal([]);
    expect(s.uses.map((u) => [u.token, u.hasFallback])).to.deep.equal([
      ["CLICK", false],
      ["FIRST_NAME", false],
      ["COMPANY", true],
      ["TITLE", false],
    ]);
  });

  it("an unknown token is a problem with a did-you-mean where one is close", () => {
    const problems = (t: string) => scanWoodpeckerText(t).problems;
    expect(problems("Hi {{FRIST_NAME}}")).to.deep.equal([
      "{{FRIST_NAME}} is not a Woodpecker token: did you mean {{FIRST_NAME}}?",
    ]);
    expect(problems("Hi {{first_name}}")[0]).to.include("did you mean {{FIRST_NAME}}?");
    expect(problems("Hi {{FIRST NAME}}")[0]).to.include("did you mean {{FIRST_NAME}}?");
    expect(problems("{{SNIPPET1}}")[0]).to.include("did you mean {{SNIPPET_1}}?");
    expect(problems("{{SNIPPET12}}")[0]).to.include("did you mean {{SNIPPET_12}}?");
    expect(problems("{{SNIPPET_16}}")[0]).to.include("snippets 1 to 15 only");
    expect(problems("{{WEBSITE}}")[0]).to.include("refuse {{WEBSITE}}");
    expect(problems("{{FAVOURITE_COLOUR}}")[0]).to.match(
      /is not a Woodpecker token; they are FIRST_NAME, .*SNIPPET_1 to SNIPPET_15/,
    );
  });

  it("malformed fallbacks, spintax, links and braces are problems", () => {
    const one = (t: string) => {
      const p = scanWoodpeckerText(t).problems;
      expect(p, t).to.have.length(1);
      return p[0];
    };
    expect(one("{{FIRST_NAME | there}}")).to.include("without quotes");
    expect(one("{{FIRST_NAME | \u201cthere\u201d}}")).to.include("curly quote");
    expect(one('{{FIRST_NAME | "a" | "b"}}')).to.include("2 fallbacks");
    expect(one('{{FIRST_NAME | "there}}')).to.include("never closed");
    expect(one("{{SPINTAX}}")).to.include("no choices");
    expect(one('{{UNSUBSCRIBE | "x"}}')).to.include("no fallback");
    expect(one("{{CLICK=}}")).to.include("needs a link");
    expect(one("{{CLICK=https://x.co/?n={{FRIST_NAME}}}}")).to.include("did you mean {{FIRST_NAME}}?");
    expect(one("{{ }}")).to.include("empty");
    expect(one("Hi {{FIRST_NAME")).to.equal(
      'has a "{{" that is never closed, at character 4 ("{{FIRST_NAME"): close it with "}}"',
    );
    expect(one("Hi {FIRST_NAME}}")).to.include('"}}" that closes nothing');
    expect(one("Hi {{FIRST_NAME {{COMPANY}}")).to.include("never closed");
  });

  it("problems are reported at steps[i].versions[j].subject|message, LinkedIn messages included", () => {
    const inputs = {
      steps: [
        {
          versions: [
            { subject: "Hi {{FIRST_NAME}}", message: "ok" },
            { subject: "{{COMPNY}}", message: "{{FIRST_NAME" },
          ],
        },
        {
          type: "linkedin",
          actionType: "DIRECT_MESSAGE",
          linkedinAccountId: 5,
          versions: [{ message: "{{FRIST_NAME}}" }],
        },
      ],
    };
    expect(byPath(checkWoodpeckerCampaignRules(inputs)).map((f) => f.property)).to.deep.equal([
      "steps[0].versions[1].subject",
      "steps[0].versions[1].message",
      "steps[1].versions[0].message",
    ]);
    const r = validate(woodpeckerCampaignSchema(), {
      name: "q4",
      emailAccountIds: [1],
      settings: { timezone: "UTC" },
      steps: [{ versions: [{ subject: "Hi {{FRIST_NAME}}", message: "<p>x</p>" }] }],
    });
    expect(!r.ok && r.failures).to.deep.equal([
      {
        property: "steps[0].versions[0].subject",
        reason: "{{FRIST_NAME}} is not a Woodpecker token: did you mean {{FIRST_NAME}}?",
      },
    ]);
  });

  it("unknown values (preview) are skipped, and nothing throws", () => {
    expect(
      checkWoodpeckerCampaignRules({
        steps: [
          UNKNOWN,
          { versions: UNKNOWN },
          { versions: [UNKNOWN, { subject: UNKNOWN, message: UNKNOWN }] },
        ],
      }),
    ).to.deep.equal([]);
    const r = validate(woodpeckerCampaignSchema(), {
      name: "q4",
      emailAccountIds: [1],
      settings: { timezone: "UTC" },
      steps: [{ versions: [{ subject: "Hi {{FIRST_NAME}}", message: UNKNOWN }] }],
    });
    expect(r.ok).to.equal(true);
    for (const junk of [null, 1, { steps: {} }, { steps: [null, { versions: [null, 3, { subject: 4 }] }] }]) {
      expect(() => checkWoodpeckerCampaignRules(junk)).to.not.throw();
    }
  });
});

describe("woodpecker templates: tokens a prospect lacks", () => {
  const { uses } = collectWoodpeckerTokens([
    {
      versions: [
        { subject: 'Hi {{FIRST_NAME | "there"}}', message: "{{COMPANY}} {{SNIPPET_3}} {{UNSUBSCRIBE}}" },
      ],
    },
    { versions: [{ message: '{{FIRST_NAME}} again, {{SPINTAX | "a" | "b"}} {{TITLE | \'\'}}' }] },
  ]);

  it("collects each use with its field, fallback and path", () => {
    expect(uses.map((u) => [u.token, u.hasFallback, formatPath(u.path)])).to.deep.equal([
      ["FIRST_NAME", true, "steps[0].versions[0].subject"],
      ["COMPANY", false, "steps[0].versions[0].message"],
      ["SNIPPET_3", false, "steps[0].versions[0].message"],
      ["UNSUBSCRIBE", false, "steps[0].versions[0].message"],
      ["FIRST_NAME", false, "steps[1].versions[0].message"],
      ["SPINTAX", false, "steps[1].versions[0].message"],
      ["TITLE", true, "steps[1].versions[0].message"],
    ]);
  });

  it("names the tokens used without a fallback somewhere whose field is absent, empty or blank", () => {
    expect(tokensLackingValues(uses, { email: "a@b.co" })).to.deep.equal([
      "COMPANY",
      "SNIPPET_3",
      "FIRST_NAME",
    ]);
    expect(tokensLackingValues(uses, { firstName: "Ann", company: " ", snippet3: "x" })).to.deep.equal([
      "COMPANY",
    ]);
    expect(tokensLackingValues(uses, { firstName: "Ann", company: "Acme", snippet3: "x" })).to.deep.equal([]);
    // TITLE has a fallback everywhere it is used
    expect(
      tokensLackingValues(uses, { firstName: "Ann", company: "Acme", snippet3: "x", title: "" }),
    ).to.deep.equal([]);
  });

  it("a value unknown at preview counts as present; an unknown prospect lacks nothing", () => {
    expect(
      tokensLackingValues(uses, { firstName: UNKNOWN, company: UNKNOWN, snippet3: UNKNOWN }),
    ).to.deep.equal([]);
    expect(tokensLackingValues(uses, UNKNOWN)).to.deep.equal([]);
    expect(tokensLackingValues(uses, null)).to.deep.equal([]);
  });
});

describe("templates: any text, any contacts (property)", () => {
  // Text made of template pieces, so braces, quotes and filters come up often.
  const piece = fc.constantFrom(
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "{",
    "}",
    "|",
    " ",
    "'",
    '"',
    "(",
    ")",
    ".",
    "=",
    "name",
    "day",
    "FIRST_NAME",
    "SNIPPET_2",
    "SPINTAX",
    "CLICK",
    "upper",
    "default('x')",
    "&quot;",
    "Hi ",
  );
  const templateText = fc.array(piece, { maxLength: 24 }).map((p) => p.join(""));
  const contact = fc.record({
    phoneNumber: fc.constantFrom("+15550000001", "+15550000002", UNKNOWN),
    variables: fc.option(
      fc.dictionary(fc.constantFrom("day", "name", "x"), fc.constantFrom("", "v", UNKNOWN)),
      {
        nil: undefined,
      },
    ),
  });

  it("burki rules never throw, report only templates or contacts[i].variables, and never a phone number", () => {
    fc.assert(
      fc.property(
        templateText,
        templateText,
        fc.option(fc.array(fc.oneof(contact, fc.constant(UNKNOWN)), { maxLength: 30 }), { nil: undefined }),
        (welcome, sms, contacts) => {
          const v = byPath(
            burkiTemplateRules({ welcomeMessageTemplate: welcome, smsMessageTemplate: sms, contacts }),
          );
          for (const f of v) {
            expect(f.property).to.match(
              /^(welcomeMessageTemplate|smsMessageTemplate|contacts\[\d+\]\.variables)$/,
            );
            expect(f.reason).to.not.match(/\+1555/);
          }
          // capped: at most limit + 1 failures per variable at contacts
          const atContacts = v.filter((f) => f.property.startsWith("contacts")).length;
          expect(atContacts).to.be.at.most((MISSING_VARIABLE_REPORT_LIMIT + 1) * 3);
        },
      ),
      { numRuns: 300, seed: 4242 },
    );
  });

  it("woodpecker scanning never throws, and a text without braces has no problem", () => {
    fc.assert(
      fc.property(templateText, (t) => {
        const s = scanWoodpeckerText(t);
        if (!t.includes("{{") && !t.includes("}}")) expect(s.problems).to.deep.equal([]);
        for (const u of s.uses) expect(u.token).to.match(/^[A-Z_0-9]+$/);
      }),
      { numRuns: 300, seed: 4242 },
    );
  });
});
