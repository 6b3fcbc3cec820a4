/** Woodpecker emulator contract: the per-account rate limit (its own emulator, with latency). */
import { expect } from "chai";
import { WoodpeckerEmulator } from "../../../provider/emulators/woodpecker";
import { type Res, expectBusiness, expectProblem, http } from "./helpers";

describe("Woodpecker emulator rate limit (contract)", function () {
  const KEY_A1 = "wpk_account_a_key_1";
  const KEY_A2 = "wpk_account_a_key_2";
  const KEY_B = "wpk_account_b_key";
  let emu: WoodpeckerEmulator;
  let origin: string;
  const control = (method: string, path: string, body?: unknown) =>
    http(origin, method, `/_emulator${path}`, { key: null, body });
  const burst = (keys: string[]) =>
    Promise.all(keys.map((key) => http(origin, "GET", "/rest/v2/campaigns/1", { key })));
  const count = (rs: Res[], status: number) => rs.filter((r) => r.status === status).length;

  before(async function () {
    emu = new WoodpeckerEmulator({
      accounts: { [KEY_A1]: "acct-a", [KEY_A2]: "acct-a", [KEY_B]: "acct-b" },
      latencyMs: 100,
    });
    await emu.start();
    origin = emu.origin;
  });

  after(async function () {
    await emu.stop();
  });

  beforeEach(async function () {
    await control("POST", "/reset");
    await control("PUT", "/config", { queue: { maxQueued: 6, maxWaitMs: 15_000 } });
  });

  it("processes one request at a time per account, queues 6, answers the rest 429", async function () {
    const rs = await burst(Array.from({ length: 12 }, () => KEY_A1));
    // processed requests reach the API (campaign 1 does not exist)
    expect(count(rs, 404)).to.equal(7);
    expect(count(rs, 429)).to.equal(5);
    const limited = rs.find((r) => r.status === 429)!;
    expectProblem(limited, 429, "Too Many Requests", "Too many requests");
    const stats = (await control("GET", "/stats")).json;
    expect(stats.maxConcurrent).to.equal(1);
    expect(stats.maxQueueDepth).to.equal(6);
    expect(stats.rateLimited).to.equal(5);
    expect(stats.accounts["acct-a"]).to.deep.equal({ maxConcurrent: 1, maxQueueDepth: 6, rateLimited: 5 });
    const log = (await control("GET", "/requests")).json.requests;
    expect(log.filter((e: { fault?: string }) => e.fault === "rate-limit")).to.have.length(5);

    expect((await control("DELETE", "/stats")).status).to.equal(200);
    expect((await control("GET", "/stats")).json).to.include({
      maxConcurrent: 0,
      maxQueueDepth: 0,
      rateLimited: 0,
    });
  });

  it("limits per account, not per key: two keys of one account share the queue", async function () {
    const rs = await burst(Array.from({ length: 12 }, (_, i) => (i % 2 ? KEY_A1 : KEY_A2)));
    expect(count(rs, 404)).to.equal(7);
    expect(count(rs, 429)).to.equal(5);
  });

  it("gives two accounts separate queues", async function () {
    const rs = await burst([
      ...Array.from({ length: 7 }, () => KEY_A1),
      ...Array.from({ length: 7 }, () => KEY_B),
    ]);
    expect(count(rs, 404)).to.equal(14);
    const stats = (await control("GET", "/stats")).json;
    expect(stats.rateLimited).to.equal(0);
    expect(stats.maxConcurrent).to.equal(1);
    expect(stats.accounts["acct-a"].maxQueueDepth).to.equal(6);
    expect(stats.accounts["acct-b"].maxQueueDepth).to.equal(6);
  });

  it("answers 429 to a queued request that waited longer than maxWaitMs", async function () {
    await control("PUT", "/config", { queue: { maxQueued: 6, maxWaitMs: 30 } });
    const rs = await burst([KEY_A1, KEY_A1, KEY_A1]);
    expect(count(rs, 404)).to.equal(1);
    expect(count(rs, 429)).to.equal(2);
    expect((await control("GET", "/stats")).json.rateLimited).to.equal(2);
  });

  it("measures real overlap: without the queue, maxConcurrent goes above 1", async function () {
    // A subclass switches the base class's queue off, as a broken queue would.
    class Unqueued extends WoodpeckerEmulator {
      constructor() {
        super({ accounts: { [KEY_A1]: "acct-a" }, latencyMs: 100 });
        this.accountQueue = undefined;
      }
    }
    const unqueued = new Unqueued();
    await unqueued.start();
    try {
      const rs = await Promise.all(
        Array.from({ length: 8 }, () =>
          http(unqueued.origin, "GET", "/rest/v2/campaigns/1", { key: KEY_A1 }),
        ),
      );
      expect(count(rs, 404)).to.equal(8);
      const stats = unqueued.stats;
      expect(stats.maxConcurrent).to.be.greaterThan(1);
      expect(stats.maxQueueDepth).to.equal(0);
      expect(stats.rateLimited).to.equal(0);
    } finally {
      await unqueued.stop();
    }
  });

  it("does not queue unauthenticated requests (they get 401)", async function () {
    const rs = await Promise.all(
      Array.from({ length: 10 }, () => http(origin, "GET", "/rest/v2/campaigns/1", { key: "unknown" })),
    );
    expect(count(rs, 401)).to.equal(10);
  });

  it("applies and clears an injected 429 fault profile (not counted as rate limiting)", async function () {
    await control("PUT", "/latency", { latencyMs: 0 });
    try {
      expect((await control("PUT", "/faults", { rate429: 1 })).status).to.equal(200);
      const r = await http(origin, "GET", "/rest/v2/campaigns/1", { key: KEY_A1 });
      expectProblem(r, 429, "Too Many Requests");
      expect((await control("GET", "/stats")).json.rateLimited).to.equal(0);
      const log = (await control("GET", "/requests")).json.requests;
      expect(log[log.length - 1].fault).to.equal("429");

      await control("PUT", "/faults", { rate500: 1 });
      const e = await http(origin, "GET", "/rest/v2/campaigns/1", { key: KEY_A1 });
      expect(e.status).to.equal(500);
      expect(e.json).to.deep.equal({
        type: "UNKNOWN",
        message: "Unknown error during request",
        details: null,
      });

      expect((await control("DELETE", "/faults")).status).to.equal(200);
      const ok = await http(origin, "GET", "/rest/v2/campaigns/1", { key: KEY_A1 });
      expectBusiness(ok, 404, "CAMPAIGN_NOT_EXIST");
    } finally {
      await control("PUT", "/latency", { latencyMs: 100 });
    }
  });
});
