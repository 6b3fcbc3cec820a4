/**
 * The undocumented parts of Woodpecker's v1 prospect API (reference/woodpecker-prospects-api.md §9,
 * README "What is guessed"), against a scripted client: every plausible answer is read, the rest
 * fails clearly. Rows in another order, by `id` only, wrapped, or without emails; duplicates in each
 * documented layout; a campaign whose status refuses prospects (in a 200 or as a 4xx); a DELETE URL
 * refused as too long (halved, bounded); fields cut to an unknown limit; emails matched whatever
 * their case.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- scripted answers are loose JSON. */
import { expect } from "chai";
import { CampaignsError } from "../../provider/core/errors";
import type { HttpClient, HttpRequest } from "../../provider/core/http";
import type { WoodpeckerClient } from "../../provider/woodpecker/api";
import { ProspectsRejectedError, inlineProspects, syncProspects } from "../../provider/woodpecker/prospects";
import {
  type DeleteLimit,
  MAX_DELETE_HALVINGS,
  ProspectsRequestError,
  addProspectsToCampaign,
  removeProspectsFromCampaign,
} from "../../provider/woodpecker/prospects-api";
import type { WoodpeckerCampaignInputs, WoodpeckerProspect } from "../../provider/woodpecker/types";
import { type Step, apiError, runCases } from "./scripted-client";

const ID = 7;
const LABEL = `Woodpecker campaign ${ID} ("q4-outreach")`;
const EMAILS = ["ann@example.com", "bob@example.com", "cid@example.com"];
const sent = EMAILS.map((email) => ({ email }));

/** The scripted proxy as the HttpClient (`request`) and WoodpeckerClient (`getCampaign`) the code uses. */
function http(c: any): HttpClient {
  return {
    baseUrl: "https://api.woodpecker.co/rest",
    requestBudgetMs: 120_000,
    request: (r: HttpRequest) => c.request(r),
  } as unknown as HttpClient;
}
const woodpecker = (c: any) =>
  ({ http: http(c), getCampaign: (id: number) => c.getCampaign(id) }) as unknown as WoodpeckerClient;

const ok = (body: unknown): Step => ({ call: "request", returns: { status: 200, headers: {}, body } });
const fails = (e: unknown): Step => ({ call: "request", throws: e });
const campaign = (status: string): Step => ({ call: "getCampaign", args: [ID], returns: { id: ID, status } });
const OK = { status: "OK", code: "OK", msg: "OK" };
const add = (c: any, opts: { update?: boolean; ids?: Map<string, number> } = {}) =>
  addProspectsToCampaign(http(c), ID, sent, { update: opts.update ?? false, force: false, ids: opts.ids });

/** A listed prospect (GET /rest/v1/prospects row). */
const row = (id: number, email: string, extra: Record<string, unknown> = {}) => ({
  id,
  email,
  status: "ACTIVE",
  ...extra,
});
const list = (...rows: unknown[]): Step => ok(rows.length ? rows : { message: "There are no prospects" });
const del = (ids: number[], answer: Partial<Step> = {}): Step => ({
  call: "request",
  args: [{ method: "DELETE", path: "/v1/prospects", query: { id: ids.join(","), campaigns_id: ID } }],
  returns: { status: 200, headers: {}, body: undefined },
  ...answer,
});

const inputs = (prospects: WoodpeckerProspect[]) => ({ prospects }) as unknown as WoodpeckerCampaignInputs;
/** Sync the declared prospects; `previous` is what state declared before (for removals). */
const sync = (c: any, declared: WoodpeckerProspect[], previous?: WoodpeckerProspect[]) =>
  syncProspects(
    woodpecker(c),
    ID,
    inputs(declared),
    inlineProspects(inputs(declared)),
    previous ? { prospects: previous } : {},
    LABEL,
  ).then((r) => ({ rejections: r.rejections, drifted: r.state.prospectsDrifted }));

describe("woodpecker prospects: what is guessed (scripted client)", () => {
  describe("add answers: rows map back in every plausible layout", () => {
    runCases<any>([
      {
        name: "rows in another order, emails in another case: matched by email",
        script: [
          ok({
            prospects: [
              { email: "CID@example.com", status: "ERROR", code: "E_EMAIL", msg: "bad" },
              { email: " Ann@Example.com", id: 1 },
              { email: "bob@EXAMPLE.com", id: 2 },
            ],
            status: OK,
          }),
        ],
        run: (c) => add(c),
        returns: [
          { kind: "added", id: 1 },
          { kind: "added", id: 2 },
          { kind: "rejected", code: "E_EMAIL", reason: "bad" },
        ],
      },
      {
        name: "rows wrapped as {prospect: {...}} (as one client unwraps them)",
        script: [
          ok({
            prospects: [
              { prospect: { email: "bob@example.com", id: 2 } },
              { prospect: { email: "ann@example.com", id: 1 } },
              { prospect: { email: "cid@example.com", status: "DUPLICATE" } },
            ],
            status: OK,
          }),
        ],
        run: (c) => add(c),
        returns: [{ kind: "added", id: 1 }, { kind: "added", id: 2 }, { kind: "duplicate" }],
      },
      {
        name: "rows carrying only `id` (an update of known prospects), in another order: matched by id",
        script: [
          ok({
            prospects: [
              { id: "13", status: "OK" },
              { id: 11, status: "OK" },
              { id: 12, status: "ERROR", code: "E_INV_STATUS" },
            ],
            status: OK,
          }),
        ],
        run: (c) =>
          add(c, {
            update: true,
            ids: new Map([
              ["ann@example.com", 11],
              ["bob@example.com", 12],
              ["cid@example.com", 13],
            ]),
          }),
        returns: [
          { kind: "added", id: 11 },
          {
            kind: "rejected",
            code: "E_INV_STATUS",
            reason: "the prospect's global status is not ACTIVE (replied, bounced, blacklisted or invalid)",
          },
          { kind: "added", id: 13 },
        ],
      },
      {
        name: "rows without any email, one per prospect sent: by position (the order sent)",
        script: [ok({ prospects: [{ id: 1 }, { status: "DUPLICATE" }, { id: 3 }], status: OK })],
        run: (c) => add(c),
        returns: [{ kind: "added", id: 1 }, { kind: "duplicate" }, { kind: "added", id: 3 }],
      },
      {
        name: "rows without emails but not one per prospect: no guess, each reported as unanswered",
        script: [ok({ prospects: [{ id: 1 }, { id: 3 }], status: OK })],
        run: async (c) => (await add(c)).map((o) => o.kind === "rejected" && o.code),
        returns: ["NO_ANSWER", "NO_ANSWER", "NO_ANSWER"],
      },
    ]);
  });

  describe("add answers: the duplicate marker in each documented layout", () => {
    const dup = (rows: unknown[], status: unknown = OK): Step => ok({ prospects: rows, status });
    runCases<any>([
      {
        name: 'status: "DUPLICATE" (official MCP README), "duplicate" in lower case too',
        script: [
          dup([
            { email: "ann@example.com", status: "DUPLICATE" },
            { email: "bob@example.com", status: "duplicate", id: 2 },
            { email: "cid@example.com", id: 3 },
          ]),
        ],
        run: (c) => add(c),
        returns: [{ kind: "duplicate" }, { kind: "duplicate" }, { kind: "added", id: 3 }],
      },
      {
        name: 'code: "E_DUPLICATE" (v1 code table), with status ERROR, with none, with a msg',
        script: [
          dup(
            [
              { email: "ann@example.com", status: "ERROR", code: "E_DUPLICATE", msg: "already added" },
              { email: "bob@example.com", code: "E_DUPLICATE" },
              { email: "cid@example.com", code: "e_duplicate", id: 3, msg: "Prospect already exists" },
            ],
            { status: "ERROR", code: "E_DUPLICATE", msg: "None of the requested prospects were added" },
          ),
        ],
        run: (c) => add(c),
        returns: [{ kind: "duplicate" }, { kind: "duplicate" }, { kind: "duplicate" }],
      },
      {
        name: "only the request's status says E_DUPLICATE (no rows, or rows for some): the rest are duplicates",
        script: [
          ok({ status: { status: "ERROR", code: "E_DUPLICATE", msg: "Duplicate records" } }),
          dup([{ email: "cid@example.com", id: 3 }], { status: "ERROR", code: "E_DUPLICATE", msg: "dup" }),
        ],
        run: async (c) => [...(await add(c)), ...(await add(c))],
        returns: [
          { kind: "duplicate" },
          { kind: "duplicate" },
          { kind: "duplicate" },
          { kind: "duplicate" },
          { kind: "duplicate" },
          { kind: "added", id: 3 },
        ],
      },
      {
        name: "every row refused with the request's own non-prospect code: the request failed, not each prospect",
        script: [
          dup(
            EMAILS.map((email) => ({
              email,
              status: "ERROR",
              code: "E_WRONG_PARAM",
              msg: "Campaign is paused",
            })),
            { status: "ERROR", code: "E_WRONG_PARAM", msg: "Campaign is paused" },
          ),
        ],
        run: (c) => add(c),
        throws: { type: ProspectsRequestError, message: /E_WRONG_PARAM: Campaign is paused$/ },
      },
    ]);
  });

  describe("adding to a campaign whose status refuses prospects (undocumented for PAUSED, STOPPED, EDITED)", () => {
    const ann = { email: "ann@example.com" } as WoodpeckerProspect;
    const fix = /state: running.*then run `pulumi up` again\.$/;
    runCases<any>([
      {
        name: "PAUSED, refused inside a 200: names the campaign, its status and the fix",
        script: [
          list(),
          ok({
            status: { status: "ERROR", code: "E_WRONG_PARAM", msg: "Campaign ann@example.com is paused" },
          }),
          campaign("PAUSED"),
        ],
        run: (c) => sync(c, [ann]),
        throws: {
          type: CampaignsError,
          message: new RegExp(
            `^Woodpecker campaign 7 \\("q4-outreach"\\): Woodpecker refused to add 1 prospect\\(s\\) while the ` +
              `campaign is PAUSED \\(E_WRONG_PARAM: Campaign \\[email\\] is paused\\)\\. Whether a PAUSED campaign ` +
              `takes prospects is undocumented, and this answer says it does not\\. Fix: .*` +
              fix.source,
          ),
        },
      },
      {
        name: "STOPPED, refused as an HTTP 409",
        script: [
          list(),
          fails(apiError("woodpecker", 409, "Campaign is stopped", "E_WRONG_PARAM")),
          campaign("STOPPED"),
        ],
        run: (c) => sync(c, [ann]),
        throws: {
          type: CampaignsError,
          message: /while the campaign is STOPPED \(HTTP 409 E_WRONG_PARAM: Campaign is stopped\)/,
        },
      },
      {
        name: "EDITED, every row refused with the request's code: one refusal, not one per prospect",
        script: [
          list(),
          ok({
            prospects: [
              { email: "ann@example.com", status: "ERROR", code: "E_CAMPAIGN_STATUS", msg: "edited" },
            ],
            status: { status: "ERROR", code: "E_CAMPAIGN_STATUS", msg: "Campaign is being edited" },
          }),
          campaign("EDITED"),
        ],
        run: (c) => sync(c, [ann]),
        throws: {
          type: CampaignsError,
          message: /while the campaign is EDITED \(E_CAMPAIGN_STATUS: Campaign is being edited\)/,
        },
      },
      {
        name: "a RUNNING campaign refusing the request: the status is named, no guess about it",
        script: [list(), fails(apiError("woodpecker", 400, "Bad request")), campaign("RUNNING")],
        run: (c) => sync(c, [ann]),
        throws: {
          type: CampaignsError,
          message:
            /refused to add 1 prospect\(s\) \(the campaign is RUNNING\): HTTP 400: Bad request\. Nothing more/,
        },
      },
      {
        name: "the campaign is gone (E_RECORD_NOT_FOUND): says so, and how to recover",
        script: [
          list(),
          ok({ status: { status: "ERROR", code: "E_RECORD_NOT_FOUND", msg: "Campaign not found" } }),
          { call: "getCampaign", args: [ID], returns: undefined },
        ],
        run: (c) => sync(c, [ann]),
        throws: { type: CampaignsError, message: /no longer exists there .*Run `pulumi refresh`/ },
      },
      {
        name: "a rate limit or an auth failure is not a refusal: passed on as it is (no extra read)",
        script: [list(), fails(apiError("woodpecker", 429, "Too many requests"))],
        run: (c) => sync(c, [ann]),
        throws: { type: CampaignsError, message: /HTTP 429/ },
      },
    ]);
  });

  describe("a DELETE URL refused as too long: halved and sent again, bounded", () => {
    const gone = [
      row(11, "a@example.com"),
      row(12, "b@example.com"),
      row(13, "c@example.com"),
      row(14, "d@example.com"),
    ];
    const previous = gone.map((p) => ({ email: p.email }) as WoodpeckerProspect);
    runCases<any>([
      {
        name: "414: 4 ids → 2 + 2, then the smaller size is kept",
        script: [
          list(...gone),
          del([11, 12, 13, 14], { throws: apiError("woodpecker", 414, "URI Too Long") }),
          del([11, 12]),
          del([13, 14]),
          list(),
        ],
        run: (c) => sync(c, [], previous),
        returns: { rejections: [], drifted: 0 },
      },
      {
        name: "400, then E_WRONG_PARAM inside a 200: halved again (4 → 2 → 1)",
        script: [
          list(...gone),
          del([11, 12, 13, 14], { throws: apiError("woodpecker", 400, "Bad Request") }),
          del([11, 12], {
            returns: {
              status: 200,
              headers: {},
              body: { status: { status: "ERROR", code: "E_WRONG_PARAM", msg: "URL too long" } },
            },
          }),
          del([11]),
          del([12]),
          del([13]),
          del([14]),
          list(),
        ],
        run: (c) => sync(c, [], previous),
        returns: { rejections: [], drifted: 0 },
      },
      {
        name: "refused at every size, down to one id: it is not the length; fails naming the campaign",
        script: [
          list(...gone.slice(0, 2)),
          del([11, 12], { throws: apiError("woodpecker", 400, "Bad Request") }),
          del([11], { throws: apiError("woodpecker", 400, "Bad Request") }),
          campaign("RUNNING"),
        ],
        run: (c) => sync(c, [], previous.slice(0, 2)),
        throws: {
          type: CampaignsError,
          message:
            /^Woodpecker campaign 7 \("q4-outreach"\): Woodpecker refused to remove 2 prospect\(s\) from it \(the campaign is RUNNING\): a DELETE of a single id was refused too, so it is not the URL's length: .*HTTP 400/,
        },
      },
      {
        name: "another error is not halved",
        script: [list(...gone.slice(0, 2)), del([11, 12], { throws: apiError("woodpecker", 500, "boom") })],
        run: (c) => sync(c, [], previous.slice(0, 2)),
        throws: { type: CampaignsError, message: /HTTP 500/ },
      },
    ]);

    it(`stops after ${MAX_DELETE_HALVINGS} halvings, and later batches start at the size that went through`, async () => {
      const ids = Array.from({ length: 300 }, (_, i) => 1000 + i);
      const sizes: number[] = [];
      const refuseOver = (n: number) =>
        ({
          request: async (r: HttpRequest) => {
            const count = String((r.query as Record<string, unknown>).id).split(",").length;
            sizes.push(count);
            if (count > n) throw apiError("woodpecker", 414, "URI Too Long");
            return { status: 200, headers: {}, body: undefined };
          },
        }) as unknown as HttpClient;
      const limit: DeleteLimit = {};
      await removeProspectsFromCampaign(refuseOver(75), ID, ids, limit);
      expect(sizes.slice(0, 3)).to.deep.equal([300, 150, 75]);
      expect(sizes.filter((n) => n <= 75).reduce((a, b) => a + b, 0)).to.equal(300);
      expect(limit.maxIds).to.equal(75);
      sizes.length = 0;
      await removeProspectsFromCampaign(refuseOver(75), ID, ids, limit);
      expect(sizes, "no refused request the second time").to.deep.equal([75, 75, 75, 75]);
      // Never accepted at any size: 1 + 7 requests, then a clear failure.
      sizes.length = 0;
      const e = await removeProspectsFromCampaign(refuseOver(0), ID, ids, {}).catch((x: unknown) => x);
      expect(e).to.be.instanceOf(ProspectsRequestError);
      expect((e as Error).message).to.match(/a DELETE of 3 ids, after 7 halvings, was refused too/);
      expect(sizes).to.deep.equal([300, 150, 75, 38, 19, 10, 5, 3]);
    });
  });

  describe("emails in another case, fields cut to an unknown limit", () => {
    runCases<any>([
      {
        name: "a prospect listed as ANN@EXAMPLE.COM is the declared ann@example.com: nothing is added",
        script: [list(row(11, "ANN@EXAMPLE.COM", { first_name: "Ann" }))],
        run: (c) => sync(c, [{ email: "ann@example.com", firstName: "Ann" } as WoodpeckerProspect]),
        returns: { rejections: [], drifted: 0 },
      },
      {
        name: "a snippet stored cut short is reported by position, field and lengths (never the value)",
        script: [
          list(),
          ok({ prospects: [{ email: "ann@example.com", id: 11 }], status: OK }),
          list(row(11, "ann@example.com", { snippet1: "x".repeat(255), first_name: "Ann" })),
          // The stored data differs: one update pass, as after any add; Woodpecker cuts it again.
          ok({ prospects: [{ id: 11, status: "OK" }], status: OK }),
          list(row(11, "ann@example.com", { snippet1: "x".repeat(255), first_name: "Ann" })),
        ],
        run: (c) =>
          sync(c, [
            { email: "ann@example.com", firstName: "Ann", snippet1: "x".repeat(300) } as WoodpeckerProspect,
          ]),
        returns: {
          rejections: [
            { index: 0, code: "TRUNCATED", reason: "Woodpecker stored snippet1 (255 of 300 characters)" },
          ],
          drifted: 1,
        },
      },
    ]);

    it("says what to do about a field cut short", () => {
      const e = new ProspectsRejectedError(
        LABEL,
        [{ index: 4, code: "TRUNCATED", reason: "Woodpecker stored snippet1 (255 of 300 characters)" }],
        9,
      );
      expect(e.message).to.include(
        "prospects[4] (TRUNCATED: Woodpecker stored snippet1 (255 of 300 characters))",
      );
      expect(e.message).to.include("over its length limit: shorten it in `prospects`");
    });
  });
});
