/**
 * Woodpecker's account blacklist is reported by third parties only (woodpecker-prospects-api.md
 * §3.5): every plausible success is accepted (200, 201, 202, 204; empty, an object or an array that
 * does not say ERROR), batches stay under BLACKLIST_BATCH, and everything else fails clearly — naming
 * the campaign, the endpoint and what was already done, never an address.
 */
import { expect } from "chai";
import { CampaignsError, EndpointError } from "../../provider/core/errors";
import type { HttpClient, HttpRequest } from "../../provider/core/http";
import { BLACKLIST_BATCH, addToBlacklist } from "../../provider/woodpecker/blacklist-api";
import { apiError } from "./scripted-client";

const LABEL = 'Woodpecker campaign 7 ("q4-outreach")';
const BASE = "https://api.woodpecker.co/rest";
const EMAILS = ["ann@example.com", "bob@example.org"];

type Answer = { status: number; body?: unknown } | Error;

/** An HttpClient that records each request and answers from the list in order. */
function client(...answers: Answer[]): { http: HttpClient; sent: HttpRequest[] } {
  const sent: HttpRequest[] = [];
  const http = {
    baseUrl: BASE,
    request: async (r: HttpRequest) => {
      sent.push(r);
      const a = answers.shift();
      if (a === undefined) throw new Error(`unexpected request ${r.method} ${r.path}`);
      if (a instanceof Error) throw a;
      return { status: a.status, headers: {}, body: a.body };
    },
  } as unknown as HttpClient;
  return { http, sent };
}

async function failure(answer: Answer): Promise<Error> {
  const { http } = client(answer);
  try {
    await addToBlacklist(http, "emails", EMAILS, LABEL);
  } catch (e) {
    return e as Error;
  }
  throw new Error("addToBlacklist did not fail");
}

function expectClear(e: Error, ...parts: string[]): void {
  expect(e).to.be.instanceOf(CampaignsError);
  expect(e.message)
    .to.include(LABEL)
    .and.include("POST /v2/blacklist/emails")
    .and.include("removed from the campaign");
  for (const p of parts) expect(e.message).to.include(p);
  for (const email of EMAILS) expect(e.message).to.not.include(email);
}

describe("woodpecker blacklist: every plausible answer", () => {
  for (const [what, answer] of [
    ["200, empty body", { status: 200 }],
    ["201, an object", { status: 201, body: { blacklisted: 2 } }],
    ["202, an array", { status: 202, body: ["ann@example.com"] }],
    ["204, no content", { status: 204 }],
    ["200, v1 status OK", { status: 200, body: { status: { status: "OK", code: "OK", msg: "OK" } } }],
  ] as const) {
    it(`accepts ${what}`, async () => {
      const { http, sent } = client(answer);
      await addToBlacklist(http, "emails", EMAILS, LABEL);
      expect(sent).to.have.length(1);
      expect(sent[0]).to.deep.include({
        method: "POST",
        path: "/v2/blacklist/emails",
        json: { emails: EMAILS },
      });
    });
  }

  it("sends domains to their own endpoint, and batches a long list", async () => {
    const domains = Array.from({ length: BLACKLIST_BATCH * 2 + 3 }, (_, i) => `d${i}.example`);
    const { http, sent } = client({ status: 200 }, { status: 200 }, { status: 200 });
    await addToBlacklist(http, "domains", domains, LABEL);
    expect(sent.map((r) => r.path)).to.deep.equal(Array(3).fill("/v2/blacklist/domains"));
    expect(sent.map((r) => (r.json as { domains: string[] }).domains.length)).to.deep.equal([
      BLACKLIST_BATCH,
      BLACKLIST_BATCH,
      3,
    ]);
  });

  it("fails clearly on an ERROR inside a 200 (v1's status), without the address it quotes", async () => {
    const e = await failure({
      status: 200,
      body: { status: { status: "ERROR", code: "E_INVALID", msg: "ann@example.com is not valid" } },
    });
    expectClear(e, "answered HTTP 200", "E_INVALID", "not a success");
  });

  it("fails clearly on a v2 error code inside a 2xx", async () => {
    expectClear(
      await failure({ status: 201, body: { code: "E_LIMIT", message: "too many" } }),
      "E_LIMIT: too many",
    );
  });

  it("fails clearly on a status that is not a success", async () => {
    expectClear(await failure({ status: 302, body: {} }), "answered HTTP 302");
  });

  for (const status of [404, 405]) {
    it(`names a missing endpoint (${status}) and the base URL`, async () => {
      expectClear(
        await failure(apiError("woodpecker", status, "Not Found")),
        `is not there at ${BASE} (HTTP ${status})`,
        "add them to the blacklist in Woodpecker's app",
      );
    });
  }

  it("names a route that is not Woodpecker's (EndpointError) the same way", async () => {
    const e = new EndpointError("no API here", "woodpecker", 404, "POST", "/v2/blacklist/emails", BASE);
    expectClear(await failure(e), `is not there at ${BASE} (HTTP 404)`);
  });

  it("quotes a refusal's vendor message with addresses scrubbed", async () => {
    const e = await failure(apiError("woodpecker", 403, "ann@example.com: plan has no blacklist", "E_PLAN"));
    expectClear(e, "refused it (HTTP 403 E_PLAN", "plan has no blacklist");
  });
});
