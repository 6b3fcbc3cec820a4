/**
 * Contract tests of the Woodpecker emulator's v1 prospect endpoints, through HTTP only
 * (reference/woodpecker-prospects-api.md §3, §8): the duplicate marker, E_INV_STATUS without
 * `force`, COMPLETED → RUNNING on add, paging with X-Total-Count, removal from one campaign only,
 * errors inside a 200, and the one-at-a-time queue.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are inspected loosely, as a client would. */
import { expect } from "chai";
import { WoodpeckerEmulator } from "../../../provider/emulators/woodpecker";
import { KEY, OTHER_KEY, accountClient } from "./account-client";

describe("emulator: Woodpecker v1 prospects", function () {
  this.timeout(30_000);
  const { emu, useOrigin, api, campaign, add } = accountClient();

  it("adds prospects ({email,id} rows, status OK) and marks a re-add DUPLICATE without changing the data", async () => {
    const id = await campaign();
    const a = await add(id, [
      { email: "a@example.com", first_name: "Ann", snippet1: "one" },
      { email: "b@example.com" },
    ]);
    expect(a.status).to.equal(200);
    expect(a.json.status).to.deep.equal({ status: "OK", code: "OK", msg: "OK" });
    expect(a.json.prospects.map((r: any) => Object.keys(r).sort())).to.deep.equal([
      ["email", "id"],
      ["email", "id"],
    ]);
    const again = await add(id, [{ email: "A@example.com", first_name: "Changed" }]);
    expect(again.json.prospects[0]).to.include({ status: "DUPLICATE", id: a.json.prospects[0].id });
    const list = await api("GET", `/v1/prospects?campaigns_id=${id}`);
    expect(list.json.map((p: any) => p.first_name)).to.deep.equal(["Ann", ""]);
    // update: true changes the data (only the fields sent).
    const upd = await add(id, [{ email: "a@example.com", first_name: "Anna" }], { update: true });
    expect(upd.json.prospects[0]).to.include({ status: "OK" });
    const after = await api("GET", `/v1/prospects?campaigns_id=${id}`);
    expect(after.json[0]).to.include({ first_name: "Anna", snippet1: "one" });
  });

  it("rejects a bad email (E_EMAIL) and a non-ACTIVE prospect without force (E_INV_STATUS), the others go in", async () => {
    const id = await campaign();
    const other = await campaign();
    await add(other, [{ email: "replied@example.com" }]);
    emu().prospects.setStatus("acct-1", "replied@example.com", "REPLIED");
    const r = await add(id, [
      { email: "not-an-email" },
      { email: "replied@example.com" },
      { email: "ok@example.com" },
    ]);
    expect(r.status).to.equal(200);
    expect(r.json.status.status).to.equal("OK");
    expect(r.json.prospects[0]).to.include({ status: "ERROR", code: "E_EMAIL" });
    expect(r.json.prospects[1]).to.include({ status: "ERROR", code: "E_INV_STATUS" });
    expect(r.json.prospects[2]).to.have.keys(["email", "id"]);
    // Nothing added: the whole request is an ERROR inside a 200 (and the rows still say why).
    const none = await add(id, [{ email: "replied@example.com" }]);
    expect(none.status).to.equal(200);
    expect(none.json.status).to.include({ status: "ERROR", code: "E_INV_STATUS" });
    expect(none.json.prospects[0]).to.include({ code: "E_INV_STATUS" });
    // force: true enrolls them.
    const forced = await add(id, [{ email: "replied@example.com" }], { force: true });
    expect(forced.json.prospects[0]).to.have.keys(["email", "id"]);
  });

  it("answers a missing prospects object or unknown campaign with a v1 error inside a 200", async () => {
    const id = await campaign();
    const missing = await api("POST", "/v1/add_prospects_campaign", { campaign: { campaign_id: id } });
    expect(missing.status).to.equal(200);
    expect(missing.json.status).to.include({ status: "ERROR", code: "E_REQUIRED_ELEMENT" });
    const unknown = await add(99999999, [{ email: "a@example.com" }]);
    expect(unknown.json.status).to.include({ status: "ERROR", code: "E_RECORD_NOT_FOUND" });
    // Another account's campaign is not found either.
    const foreign = await add(id, [{ email: "a@example.com" }], {}, OTHER_KEY);
    expect(foreign.json.status).to.include({ status: "ERROR", code: "E_RECORD_NOT_FOUND" });
  });

  it("turns a COMPLETED campaign back to RUNNING when prospects are added (not on a duplicate)", async () => {
    const id = await campaign();
    await add(id, [{ email: "a@example.com" }]);
    emu().transition(id, "COMPLETED");
    await add(id, [{ email: "a@example.com" }]);
    expect(emu().inspectCampaign(id)!.status).to.equal("COMPLETED");
    await add(id, [{ email: "b@example.com" }]);
    expect(emu().inspectCampaign(id)!.status).to.equal("RUNNING");
  });

  it("lists a campaign's prospects by page (per_page ≤ 1000, X-Total-Count) and answers no match with {message}", async () => {
    const id = await campaign();
    const rows = Array.from({ length: 1500 }, (_, i) => ({ email: `p${i}@example.com` }));
    await add(id, rows);
    const p1 = await api("GET", `/v1/prospects?campaigns_id=${id}&page=1&per_page=1000`);
    const p2 = await api("GET", `/v1/prospects?campaigns_id=${id}&page=2&per_page=1000`);
    expect(p1.headers.get("x-total-count")).to.equal("1500");
    expect(p1.json).to.have.length(1000);
    expect(p2.json).to.have.length(500);
    expect(p2.json[0].campaigns_details[0]).to.include({
      campaign_id: id,
      campaign_prospect_status: "ACTIVE",
    });
    const p3 = await api("GET", `/v1/prospects?campaigns_id=${id}&page=3&per_page=1000`);
    expect(p3.json).to.deep.equal({ message: "There are no prospects matching the given criteria." });
    const tooBig = await api("GET", `/v1/prospects?campaigns_id=${id}&per_page=1001`);
    expect(tooBig.json.status).to.include({ status: "ERROR", code: "E_WRONG_PARAM" });
  });

  it("removes prospects from one campaign only (200, no body); without campaigns_id deletes them globally", async () => {
    const a = await campaign();
    const b = await campaign();
    const added = await add(a, [{ email: "x@example.com" }, { email: "y@example.com" }]);
    await add(b, [{ email: "x@example.com" }]);
    const [x, y] = added.json.prospects.map((r: any) => r.id as number);
    const del = await api("DELETE", `/v1/prospects?id=${x}&campaigns_id=${a}`);
    expect(del.status).to.equal(200);
    expect(del.text).to.equal("");
    expect((await api("GET", `/v1/prospects?campaigns_id=${a}`)).json.map((p: any) => p.id)).to.deep.equal([
      y,
    ]);
    expect((await api("GET", `/v1/prospects?campaigns_id=${b}`)).json.map((p: any) => p.id)).to.deep.equal([
      x,
    ]);
    // Still in the account: re-adding to campaign a reuses the same prospect.
    expect((await add(a, [{ email: "x@example.com" }])).json.prospects[0].id).to.equal(x);
    await api("DELETE", `/v1/prospects?id=${x}`);
    expect((await api("GET", `/v1/prospects?campaigns_id=${b}`)).json).to.have.property("message");
    // The documented 4100-character URL limit.
    const ids = Array.from({ length: 600 }, (_, i) => 1091123001 + i).join(",");
    expect((await api("DELETE", `/v1/prospects?id=${ids}&campaigns_id=${a}`)).status).to.equal(414);
  });

  it("processes prospect requests one at a time per account, like every other request", async () => {
    const slow = new WoodpeckerEmulator({ accounts: { [KEY]: "acct-1" }, latencyMs: 40 });
    await slow.start();
    try {
      useOrigin(slow.origin);
      const id = await campaign();
      slow.resetStats();
      const rs = await Promise.all(
        Array.from({ length: 5 }, (_, i) => add(id, [{ email: `q${i}@example.com` }])),
      );
      expect(rs.map((r) => r.json.status.status)).to.deep.equal(["OK", "OK", "OK", "OK", "OK"]);
      expect(slow.stats.accounts["acct-1"].maxConcurrent).to.equal(1);
      expect(slow.stats.accounts["acct-1"].maxQueueDepth).to.be.greaterThan(1);
    } finally {
      useOrigin(undefined);
      await slow.stop();
    }
  });
});
