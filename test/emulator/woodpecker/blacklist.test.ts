/**
 * Contract tests of the Woodpecker emulator's account blacklist, through HTTP only
 * (woodpecker-prospects-api.md §3.5, §4.1): POST /rest/v2/blacklist/emails and /domains, the
 * BLACKLIST status they give the account's prospects, add_prospects_campaign refusing blacklisted
 * addresses (even forced), per account, and bad bodies refused.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are inspected loosely, as a client would. */
import { expect } from "chai";
import { WOODPECKER_EMULATOR_API_KEY, WoodpeckerEmulator } from "../../../provider/emulators/woodpecker";

const KEY = WOODPECKER_EMULATOR_API_KEY;
const OTHER_KEY = "wpk_other_account_key";

describe("emulator: Woodpecker blacklist", function () {
  this.timeout(30_000);
  let emu: WoodpeckerEmulator;
  let origin: string;

  async function api(method: string, path: string, body?: unknown, key = KEY) {
    const r = await fetch(`${origin}/rest${path}`, {
      method,
      headers: { "x-api-key": key, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, text, json: text ? (JSON.parse(text) as any) : undefined, headers: r.headers };
  }

  async function campaign(key = KEY): Promise<number> {
    const r = await api(
      "POST",
      "/v2/campaigns",
      {
        name: "prospects",
        email_account_ids: [1],
        settings: { timezone: "Europe/Warsaw", daily_enroll: 50 },
        steps: {
          type: "START",
          followup: {
            type: "EMAIL",
            delivery_time: { MONDAY: [{ from: "08:00", to: "17:00" }] },
            body: { versions: [{ subject: "Hi", message: "<p>Hi</p>" }] },
            followup: null,
          },
        },
      },
      key,
    );
    expect(r.status, r.text).to.equal(200);
    return r.json.id as number;
  }

  const add = (campaignId: number, prospects: unknown[], extra: Record<string, unknown> = {}, key = KEY) =>
    api(
      "POST",
      "/v1/add_prospects_campaign",
      { campaign: { campaign_id: campaignId }, prospects, ...extra },
      key,
    );

  before(async () => {
    emu = new WoodpeckerEmulator({ accounts: { [KEY]: "acct-1", [OTHER_KEY]: "acct-2" } });
    await emu.start();
    origin = emu.origin;
  });
  after(() => emu.stop());
  beforeEach(() => emu.reset());

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
    expect(emu.blacklist()).to.deep.equal({ emails: ["gone@example.com"], domains: ["optout.example"] });
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
    const control = await fetch(`${origin}/_emulator/blacklist`);
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
