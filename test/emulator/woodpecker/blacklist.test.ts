/**
 * Contract tests of the Woodpecker emulator's account blacklist, through HTTP only
 * (woodpecker-prospects-api.md §3.5, §4.1): POST /rest/v2/blacklist/emails and /domains, the
 * BLACKLIST status they give the account's prospects, add_prospects_campaign refusing blacklisted
 * addresses (even forced), per account, and bad bodies refused.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are inspected loosely, as a client would. */
import { expect } from "chai";
import { OTHER_KEY, accountClient } from "./account-client";

describe("emulator: Woodpecker blacklist", function () {
  this.timeout(30_000);
  const { emu, api, campaign, add } = accountClient();

  it("blacklists addresses and domains; the account's prospects become BLACKLIST and are refused, even forced", async () => {
    const id = await campaign();
    await add(id, [
      { email: "kept@example.com" },
      { email: "Gone@Example.com" },
      { email: "x@eu.optout.example" },
    ]);
    const emails = await api("POST", "/v2/blacklist/emails", { emails: ["gone@example.com"] });
    expect(emails.status, emails.text).to.equal(200);
    const domains = await api("POST", "/v2/blacklist/domains", { domains: ["optout.example"] });
    expect(domains.status, domains.text).to.equal(200);
    expect(emu().blacklist()).to.deep.equal({ emails: ["gone@example.com"], domains: ["optout.example"] });
    const listed = await api("GET", `/v1/prospects?campaigns_id=${id}`);
    const status = Object.fromEntries(listed.json.map((p: any) => [p.email.toLowerCase(), p.status]));
    expect(status).to.deep.equal({
      "kept@example.com": "ACTIVE",
      "gone@example.com": "BLACKLIST",
      "x@eu.optout.example": "BLACKLIST",
    });

    const other = await campaign();
    const r = await add(
      other,
      [{ email: "GONE@example.com" }, { email: "new@optout.example" }, { email: "ok@example.com" }],
      {
        force: true,
      },
    );
    expect(r.json.prospects.map((p: any) => p.code ?? "added")).to.deep.equal([
      "E_INV_STATUS",
      "E_INV_STATUS",
      "added",
    ]);
    const control = await fetch(`${emu().origin}/_emulator/blacklist`);
    expect(await control.json()).to.deep.equal({ emails: ["gone@example.com"], domains: ["optout.example"] });
  });

  it("keeps each account's blacklist apart, and refuses bodies that are not a list of addresses or domains", async () => {
    await api("POST", "/v2/blacklist/emails", { emails: ["gone@example.com"] });
    const id = await campaign(OTHER_KEY);
    const r = await add(id, [{ email: "gone@example.com" }], {}, OTHER_KEY);
    expect(r.json.prospects[0]).to.not.have.property("code");
    for (const [path, body] of [
      ["/v2/blacklist/emails", { emails: ["not an address"] }],
      ["/v2/blacklist/emails", { emails: [] }],
      ["/v2/blacklist/domains", { domains: ["@@"] }],
      ["/v2/blacklist/domains", {}],
    ] as const) {
      const bad = await api("POST", path, body);
      expect(bad.status, `${path} ${JSON.stringify(body)}`).to.equal(400);
      expect(bad.json.code).to.equal("INPUT_DATA_VALIDATION_FAILURE");
    }
    const unauth = await api("POST", "/v2/blacklist/emails", { emails: ["a@example.com"] }, "wrong-key");
    expect(unauth.status).to.equal(401);
  });
});
