/**
 * `woodpecker.Campaign` `prospects`: check (paths, never an email), prospectCount, planning,
 * batching, the digest, and the v1 client's reading of every documented response variant.
 */
import { expect } from "chai";
import type { HttpClient, HttpRequest, HttpResponse } from "../../provider/core/http";
import { UNKNOWN, validate } from "../../provider/core/validation";
import { diff } from "../../provider/woodpecker/lifecycle";
import {
  ProspectsRejectedError,
  batches,
  countProspects,
  observeProspects,
  planProspects,
  prospectsChanged,
  prospectsDigest,
  toApiProspect,
} from "../../provider/woodpecker/prospects";
import {
  MAX_DELETE_URL,
  ProspectsRequestError,
  addProspectsToCampaign,
  deleteBatches,
  listCampaignProspects,
  type ListedProspect,
} from "../../provider/woodpecker/prospects-api";
import { woodpeckerCampaignSchema } from "../../provider/woodpecker/schema";
import type { WoodpeckerProspect } from "../../provider/woodpecker/types";

const base = (over: Record<string, unknown> = {}) => ({
  name: "q4",
  emailAccountIds: [1],
  settings: { timezone: "Europe/Warsaw" },
  steps: [{ versions: [{ subject: "Hi", message: "<p>1</p>" }] }],
  ...over,
});

/** A fake HttpClient answering from a list of responses, recording the requests. */
function fakeHttp(answers: Array<Partial<HttpResponse>>): { http: HttpClient; sent: HttpRequest[] } {
  const sent: HttpRequest[] = [];
  const http = {
    baseUrl: "https://api.woodpecker.co/rest",
    requestBudgetMs: 120_000,
    async request(req: HttpRequest) {
      sent.push(req);
      const a = answers.shift();
      if (!a) throw new Error("no more answers");
      return { status: 200, headers: {}, body: undefined, ...a };
    },
  } as unknown as HttpClient;
  return { http, sent };
}

const listed = (
  id: number,
  email: string,
  fields: Record<string, string> = {},
  status = "ACTIVE",
): ListedProspect => ({
  id,
  email,
  status,
  fields,
});

describe("woodpecker prospects: check", () => {
  const check = (over: Record<string, unknown>) => validate(woodpeckerCampaignSchema(), base(over));

  it("computes a plain prospectCount, drops empty fields, and leaves both out when prospects are absent", () => {
    const r = check({
      prospects: [{ email: "a@example.com", firstName: "", tags: [] }, { email: "b@example.com" }],
    });
    expect(r.ok && r.value).to.deep.include({
      prospectCount: 2,
      prospects: [{ email: "a@example.com" }, { email: "b@example.com" }],
    });
    const none = check({});
    expect(none.ok && Object.keys(none.value)).to.not.include.members(["prospects", "prospectCount"]);
  });

  it("reports bad emails, duplicates (case-insensitive), unknown snippet keys and lengths by path, never the email", () => {
    const r = check({
      prospects: [
        { email: "ann@example.com" },
        { email: "not an email" },
        { email: "ANN@example.com" },
        { email: "c@example.com", snippet16: "x" },
        { email: "d@example.com", firstName: "x".repeat(256) },
        { firstName: "no email" },
      ],
    });
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.failures.map((f) => [f.property, f.reason]));
    expect(byPath["prospects[1].email"]).to.match(/must be an email address/);
    expect(byPath["prospects[3]"]).to.match(/unknown field\(s\) "snippet16"/);
    expect(byPath["prospects[4].firstName"]).to.equal("must be at most 255 characters");
    expect(byPath["prospects[5].email"]).to.match(/is required/);
    expect(JSON.stringify(r.failures)).to.not.match(/ann@|ANN@|not an email/);
    // Duplicates are a cross-field rule: reported once the fields are valid.
    const dup = check({ prospects: [{ email: "ann@example.com" }, { email: "ANN@example.com" }] });
    expect(dup.ok ? [] : dup.failures).to.deep.equal([
      {
        property: "prospects[1].email",
        reason: "duplicates prospects[0].email (Woodpecker keeps one prospect per email)",
      },
    ]);
  });

  it("refuses a prospectCount that is not the computed one, and keeps an unknown list's count unknown", () => {
    const r = check({ prospects: [{ email: "a@example.com" }], prospectCount: 5 });
    expect(r.ok ? [] : r.failures.map((f) => f.property)).to.deep.equal(["prospectCount"]);
    const u = check({ prospects: UNKNOWN });
    expect(u.ok && u.value).to.deep.include({ prospects: UNKNOWN, prospectCount: UNKNOWN });
  });

  it("refuses a prospect lacking a field a step uses without a fallback, at prospects[i], naming the token", () => {
    const steps = [
      {
        versions: [
          { subject: "Hi {{FIRST_NAME}}", message: '<p>{{SNIPPET_2}} {{COMPANY | "your team"}}</p>' },
        ],
      },
    ];
    const r = check({
      steps,
      prospects: [
        { email: "ok@example.com", firstName: "Ann", snippet2: "x" },
        { email: "nofirst@example.com", snippet2: "x" },
        { email: "blank@example.com", firstName: "  " },
      ],
    });
    expect(r.ok ? [] : r.failures.map((f) => f.property)).to.deep.equal(["prospects[1]", "prospects[2]"]);
    if (r.ok) return;
    expect(r.failures[0].reason).to.match(
      /^lacks a value for \{\{FIRST_NAME\}\} \(steps\[0\]\.versions\[0\]\.subject, field firstName\)/,
    );
    expect(r.failures[1].reason).to.include("{{SNIPPET_2}}");
    expect(r.failures[1].reason).to.not.include("COMPANY"); // it has a fallback
    expect(JSON.stringify(r.failures)).to.not.include("@example.com");
  });

  it("accepts force only as a boolean", () => {
    const r = check({ force: "yes" });
    expect(r.ok ? [] : r.failures.map((f) => f.property)).to.deep.equal(["force"]);
  });
});

describe("woodpecker prospects: planning, digest and diff", () => {
  const declared: WoodpeckerProspect[] = [
    { email: "a@example.com", firstName: "Ann", tags: ["VC", "NYC"] },
    { email: "b@example.com", snippet3: "hello" },
    { email: "c@example.com" },
  ];

  it("maps fields to Woodpecker's names and tags to one #-string", () => {
    expect(toApiProspect(declared[0])).to.deep.equal({
      email: "a@example.com",
      first_name: "Ann",
      tags: "#VC #NYC",
    });
  });

  it("adds the missing, updates the changed, removes the previously declared, and leaves the undeclared alone", () => {
    const live = [
      listed(1, "A@example.com", { first_name: "Ann", tags: "#NYC #VC", city: "Paris" }), // same (tag order, extra field)
      listed(2, "b@example.com", { snippet3: "old" }), // changed
      listed(3, "gone@example.com"), // declared before, not now → remove
      listed(4, "manual@example.com"), // added in the app, never declared → kept
    ];
    const previous = [...declared, { email: "gone@example.com" }];
    expect(planProspects(declared, previous, live)).to.deep.equal({ add: [2], update: [1], remove: [3] });
    expect(planProspects(declared, undefined, live).remove).to.deep.equal([]);
  });

  it("batches adds by 20,000 and removals to Woodpecker's 4100-character URL", () => {
    const sizes = batches(Array.from({ length: 45_001 }, (_, i) => i)).map((b) => b.length);
    expect(sizes).to.deep.equal([20_000, 20_000, 5_001]);
    const ids = Array.from({ length: 1000 }, (_, i) => 1091123001 + i);
    const groups = deleteBatches(ids, 12345001, "https://api.woodpecker.co/rest");
    expect(groups.flat()).to.deep.equal(ids);
    expect(groups.length).to.be.greaterThan(2);
    for (const g of groups) {
      const url = `https://api.woodpecker.co/rest/v1/prospects?${new URLSearchParams({ id: g.join(","), campaigns_id: "12345001" })}`;
      expect(url.length).to.be.at.most(MAX_DELETE_URL);
    }
    // Tight: one more id would not fit.
    const g0 = groups[0];
    const next = ids[g0.length];
    const longer = `https://api.woodpecker.co/rest/v1/prospects?${new URLSearchParams({ id: [...g0, next].join(","), campaigns_id: "12345001" })}`;
    expect(longer.length).to.be.greaterThan(MAX_DELETE_URL);
  });

  it("has an order- and case-insensitive digest that changes with the data", () => {
    const d = prospectsDigest(declared)!;
    expect(prospectsDigest([...declared].reverse())).to.equal(d);
    expect(prospectsDigest([{ ...declared[0], email: "A@EXAMPLE.com" }, declared[1], declared[2]])).to.equal(
      d,
    );
    expect(prospectsDigest([{ ...declared[0], firstName: "Anna" }, declared[1], declared[2]])).to.not.equal(
      d,
    );
    expect(d).to.match(/^[0-9a-f]{64}$/);
    expect(d).to.not.include("example");
  });

  it("observes drift: a declared prospect missing or changed in the campaign changes the digest", () => {
    const live = [
      listed(1, "a@example.com", { first_name: "Ann", tags: "#VC #NYC" }),
      listed(2, "b@example.com", { snippet3: "hello" }, "REPLIED"),
      listed(3, "c@example.com", {}, "BOUNCED"),
    ];
    expect(observeProspects(declared, live)).to.deep.equal({ digest: prospectsDigest(declared), drifted: 0 });
    const missing = observeProspects(declared, live.slice(0, 2));
    expect(missing.drifted).to.equal(1);
    expect(missing.digest).to.not.equal(prospectsDigest(declared));
    expect(countProspects(live)).to.deep.equal({ total: 3, active: 1, replied: 1, bounced: 1, other: 0 });
  });

  it("diff: a prospects change is an update, never a replacement; unknowns may change; dropping them is a change", async () => {
    const olds = { prospects: declared, prospectsDigest: prospectsDigest(declared) };
    expect(prospectsChanged({ prospects: declared }, olds)).to.equal(false);
    expect(prospectsChanged({ prospects: [declared[0]] }, olds)).to.equal(true);
    expect(prospectsChanged({ prospects: UNKNOWN as never }, olds)).to.equal(true);
    expect(prospectsChanged({ prospects: [{ email: UNKNOWN }] }, olds)).to.equal(true);
    expect(prospectsChanged({}, olds)).to.equal(true);
    expect(prospectsChanged({}, { name: "q4" })).to.equal(false);
    const checked = validate(woodpeckerCampaignSchema(), base({ prospects: [declared[0]] }));
    if (!checked.ok) throw new Error("check failed");
    const outs = {
      ...(checked.value as Record<string, unknown>),
      campaignId: 7,
      status: "RUNNING",
      stepIds: ["s1"],
      versionIds: [["v1"]],
      prospectsDigest: prospectsDigest(declared),
    };
    const d = await diff("7", outs, checked.value as Record<string, unknown>);
    expect(d).to.deep.equal({ changes: true, deleteBeforeReplace: true });
    // Never throws on partial input.
    const partial = await diff("7", outs, {
      ...(checked.value as Record<string, unknown>),
      prospects: [null, 3, { email: 5 }],
    });
    expect(partial.changes).to.equal(true);
  });

  it("names refused prospects by position and reason only", () => {
    const e = new ProspectsRejectedError(
      'Woodpecker campaign 7 ("q4")',
      [{ index: 7, code: "E_INV_STATUS", reason: "status is REPLIED" }],
      10,
    );
    expect(e.message).to.include("prospects[7] (E_INV_STATUS: status is REPLIED)");
    expect(e.message).to.include("force: true");
  });
});

describe("woodpecker prospects: the v1 client reads every documented variant", () => {
  const rows = [{ email: "a@example.com" }, { email: "b@example.com" }, { email: "c@example.com" }];

  it("sends the documented envelope and classifies {email,id}, DUPLICATE and ERROR rows (matched by email)", async () => {
    const { http, sent } = fakeHttp([
      {
        body: {
          prospects: [
            {
              email: "C@example.com",
              status: "ERROR",
              code: "E_INV_STATUS",
              msg: "c@example.com is REPLIED",
            },
            { email: "a@example.com", id: 11 },
            { email: "b@example.com", status: "DUPLICATE" },
          ],
          status: { status: "OK", code: "OK", msg: "OK" },
        },
      },
    ]);
    const out = await addProspectsToCampaign(http, 7, rows, { update: false, force: false });
    expect(sent[0]).to.deep.include({ method: "POST", path: "/v1/add_prospects_campaign" });
    expect(sent[0].json).to.deep.equal({
      campaign: { campaign_id: 7 },
      force: false,
      file_name: "pulumi-campaigns",
      prospects: rows,
    });
    expect(out).to.deep.equal([
      { kind: "added", id: 11 },
      { kind: "duplicate" },
      { kind: "rejected", code: "E_INV_STATUS", reason: "[email] is REPLIED" },
    ]);
  });

  it("accepts per-row errors under a whole-request ERROR (none added), and 'update: true' rows with status OK", async () => {
    const { http, sent } = fakeHttp([
      {
        body: {
          prospects: [{ email: "a@example.com", status: "ERROR", code: "E_EMAIL", msg: "invalid email" }],
          status: {
            status: "ERROR",
            code: "E_INV_STATUS",
            msg: "None of the requested prospects were added",
          },
        },
      },
      {
        body: {
          prospects: [{ email: "a@example.com", status: "OK" }],
          status: { code: "OK", msg: "Success" },
        },
      },
    ]);
    expect(
      await addProspectsToCampaign(http, 7, rows.slice(0, 1), { update: false, force: false }),
    ).to.deep.equal([{ kind: "rejected", code: "E_EMAIL", reason: "invalid email" }]);
    expect(
      await addProspectsToCampaign(http, 7, rows.slice(0, 1), { update: true, force: true }),
    ).to.deep.equal([{ kind: "added", id: undefined }]);
    expect(sent[1].json).to.deep.include({ update: true, force: true });
  });

  it("fails clearly on a whole-request error inside a 200, an undocumented shape or row status — without emails", async () => {
    const cases: Array<Partial<HttpResponse>> = [
      { body: { status: { status: "ERROR", code: "E_SESSION", msg: "bad key for a@example.com" } } },
      { body: "<html>ok</html>" },
      { body: { prospects: [{ email: "a@example.com", status: "QUEUED" }], status: { status: "OK" } } },
    ];
    for (const c of cases) {
      const { http } = fakeHttp([c]);
      const e = await addProspectsToCampaign(http, 7, rows.slice(0, 1), { update: false, force: false }).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).to.be.instanceOf(ProspectsRequestError);
      expect((e as Error).message).to.not.include("a@example.com");
    }
  });

  it("lists page by page (per_page 1000), unwraps {prospect} rows, reads campaigns_details, and logs progress", async () => {
    const page = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: from + i,
        email: `p${from + i}@example.com`,
        status: "ACTIVE",
      }));
    const { http, sent } = fakeHttp([
      { body: page(1, 1000), headers: { "x-total-count": "1500" } },
      {
        body: [
          ...page(1001, 499).map((p) => ({ prospect: p })),
          {
            id: 1500,
            email: "z@example.com",
            status: "ACTIVE",
            snipet1: "legacy",
            campaigns_details: [{ campaign_id: 7, campaign_prospect_status: "REPLIED" }],
          },
        ],
        headers: { "x-total-count": "1500" },
      },
    ]);
    const progress: string[] = [];
    const out = await listCampaignProspects(http, 7, {
      budgetMs: 60_000,
      progress: (n, t) => progress.push(`${n}/${t}`),
    });
    expect(out).to.have.length(1500);
    expect(sent.map((r) => r.query)).to.deep.equal([
      { campaigns_id: 7, page: 1, per_page: 1000 },
      { campaigns_id: 7, page: 2, per_page: 1000 },
    ]);
    expect(out[1499]).to.deep.include({ status: "REPLIED" });
    expect(out[1499].fields.snippet1).to.equal("legacy");
    expect(progress).to.deep.equal(["1000/1500", "1500/1500"]);
    // The documented "no match" object is an empty list; anything else fails.
    expect(
      await listCampaignProspects(fakeHttp([{ body: { message: "There are no prospects" } }]).http, 7, {
        budgetMs: 1000,
      }),
    ).to.deep.equal([]);
    const bad = await listCampaignProspects(
      fakeHttp([{ body: { status: { status: "ERROR", code: "E_WRONG_PARAM", msg: "x" } } }]).http,
      7,
      {
        budgetMs: 1000,
      },
    ).catch((e: unknown) => e);
    expect(bad).to.be.instanceOf(ProspectsRequestError);
    // Bounded in time: past the budget, the listing stops with a message (before the next page).
    const slow = fakeHttp([{ body: page(1, 1000) }, { body: page(1001, 1000) }]);
    const timedOut = await listCampaignProspects(slow.http, 7, { budgetMs: -1 }).catch((e: unknown) => e);
    expect((timedOut as Error).message).to.match(/took longer than .* \(0 read so far\)/);
    expect(slow.sent).to.have.length(0);
  });
});
