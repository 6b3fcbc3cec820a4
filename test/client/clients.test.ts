/**
 * Client ↔ emulator layer: the project's HTTP client (real undici) and both API clients against
 * the real local emulators — retries, Retry-After, deadlines, what is and is not repeated,
 * error mapping and the vendors' quirks.
 */
import { expect } from "chai";
import { BURKI_DIALECT, BurkiClient } from "../../provider/burki/api";
import { contactsCsv } from "../../provider/burki/mapping";
import {
  ApiError,
  AuthenticationError,
  OutcomeUnknownError,
  TransportError,
} from "../../provider/core/errors";
import { HttpClient, closeAllPools } from "../../provider/core/http";
import { ConcurrencyLimiter } from "../../provider/core/limiter";
import { BURKI_EMULATOR_API_KEY, BurkiEmulator } from "../../provider/emulators/burki";
import { seededRandom } from "../../provider/emulators/common";
import { WOODPECKER_EMULATOR_API_KEY, WoodpeckerEmulator } from "../../provider/emulators/woodpecker";
import { WOODPECKER_DIALECT, WoodpeckerClient } from "../../provider/woodpecker/api";
import { toCreateBody } from "../../provider/woodpecker/mapping";
import { woodpeckerCampaignSchema } from "../../provider/woodpecker/schema";
import type { WoodpeckerCampaignInputs } from "../../provider/woodpecker/types";
import { EmulatorControl } from "../helpers/control";

const fast = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50 };

/** A fault seed whose first dice for `rate` come out as `pattern` (true = the fault fires). */
function seedFor(rate: number, pattern: boolean[]): number {
  for (let seed = 1; ; seed++) {
    const next = seededRandom(seed);
    if (pattern.every((fires) => next() < rate === fires)) return seed;
  }
}

function burkiHttp(baseUrl: string, key = BURKI_EMULATOR_API_KEY, requestMs = 5_000): HttpClient {
  return new HttpClient({
    platform: "burki",
    baseUrl,
    authHeaders: { authorization: `Bearer ${key}` },
    ...BURKI_DIALECT,
    retry: fast,
    timeouts: { requestMs, headersMs: Math.ceil(requestMs / 3) },
  });
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e as Error,
  );

describe("client ↔ emulator: Burki", function () {
  this.timeout(30_000);
  let emulator: BurkiEmulator;
  let control: EmulatorControl;
  let http: HttpClient;
  let client: BurkiClient;

  before(async () => {
    emulator = new BurkiEmulator({ startDelayMs: 20, importDelayMs: 5 });
    await emulator.start();
    control = new EmulatorControl(emulator.origin);
  });
  after(async () => {
    await closeAllPools();
    await emulator.stop();
  });
  beforeEach(async () => {
    await control.clearFaults();
    await control.clearRequests();
    http = burkiHttp(emulator.baseUrl);
    client = new BurkiClient(http);
  });

  it("creates at the trailing-slash path (no 307), reads, lists and deletes", async () => {
    const c = await client.createCampaign({ name: "client test", campaign_type: "call", assistant_id: 3 });
    expect(c).to.include({ name: "client test", status: "draft", max_attempts: 3 });
    expect((await client.getCampaign(c.id))?.assistant_name).to.be.a("string");
    const page = await client.listCampaigns({ search: "client test" });
    expect(page.campaigns.map((x) => x.id)).to.include(c.id);
    expect(await client.deleteCampaign(c.id)).to.equal("deleted");
    expect(await client.getCampaign(c.id)).to.equal(undefined);
    expect(await client.deleteCampaign(c.id)).to.equal("gone");
    const lines = await control.requestLines();
    expect(lines[0]).to.equal("POST /api/v1/campaigns/ 200");
    expect(lines.some((l) => l.endsWith(" 307"))).to.equal(false);
  });

  it("imports contacts as multipart CSV and polls the import", async () => {
    const c = await client.createCampaign({ name: "import test", campaign_type: "call", assistant_id: 3 });
    const csv = contactsCsv([
      { phoneNumber: "+15551230001", name: "Ann", variables: { plan: "gold" } },
      { phoneNumber: "+15551230002" },
    ]);
    const importId = await client.importContacts(c.id, csv, "contacts.csv");
    expect(importId).to.be.a("number");
    for (let i = 0; i < 50 && (await client.getImport(c.id, importId!))?.status !== "completed"; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await client.getImport(c.id, importId!))?.imported_count).to.equal(2);
    expect((await client.getCampaign(c.id))?.total_contacts).to.equal(2);
  });

  it("retries 429 and honours Retry-After", async () => {
    const seed = seedFor(0.5, [true, false]);
    await control.setFaults({
      rate429RetryAfter: 0.5,
      retryAfterSeconds: 1,
      match: "^GET /api/v1/campaigns/$",
      seed,
    });
    const t0 = Date.now();
    await client.listCampaigns({});
    expect(Date.now() - t0).to.be.at.least(1_000);
    const log = await control.requests();
    expect(log[0]).to.include({ status: 429, fault: "429-retry-after" });
    expect(log[log.length - 1].status).to.equal(200);
    expect(http.stats.status429).to.be.at.least(1);
  });

  it("retries a 5xx and a reset for a GET, but never repeats a create that may have been applied", async () => {
    await control.setFaults({ rate500: 0.5, match: "^GET ", seed: seedFor(0.5, [true, true, false]) });
    await client.listCampaigns({});
    expect(await control.requestLines()).to.deep.equal([
      "GET /api/v1/campaigns/ 500",
      "GET /api/v1/campaigns/ 500",
      "GET /api/v1/campaigns/ 200",
    ]);
    expect(http.stats.retries).to.equal(2);
    await control.setFaults({ rateReset: 0.5, match: "^GET ", seed: seedFor(0.5, [true, false]) });
    await control.clearRequests();
    await client.listCampaigns({});
    expect(await control.requestLines()).to.deep.equal([
      "GET /api/v1/campaigns/ 0",
      "GET /api/v1/campaigns/ 200",
    ]);

    await control.clearRequests();
    await control.setFaults({ rateAppliedLost: 1, match: "^POST /api/v1/campaigns/$", seed: 3 });
    const e = await failure(
      client.createCampaign({ name: "lost answer", campaign_type: "call", assistant_id: 3 }),
    );
    expect(e).to.be.instanceOf(OutcomeUnknownError);
    expect(e.message).to.match(/may or may not have been applied/);
    const posts = (await control.requestLines()).filter((l) => l.startsWith("POST"));
    expect(posts).to.have.length(1); // sent once, not repeated
  });

  it("gives up at the request deadline on a server slower than the attempt timeout", async () => {
    await control.setFaults({ rateSlow: 1, slowMs: 3_000, match: "^GET ", seed: 4 });
    const slow = new BurkiClient(burkiHttp(emulator.baseUrl, BURKI_EMULATOR_API_KEY, 1_200));
    const t0 = Date.now();
    const e = await failure(slow.getCampaign(1));
    expect(e).to.be.instanceOf(TransportError);
    expect(Date.now() - t0).to.be.below(2_500);
  });

  it("maps 401 to an authentication error without the key, and 400s to the API's words", async () => {
    const wrong = "burki_thisisnottherightkey000000000000";
    const e = await failure(new BurkiClient(burkiHttp(emulator.baseUrl, wrong)).listCampaigns({}));
    expect(e).to.be.instanceOf(AuthenticationError);
    expect(e.message).to.match(/^Burki authentication failed \(HTTP 401/);
    expect(e.message).to.not.include(wrong);

    const c = await client.createCampaign({ name: "refusals", campaign_type: "call", assistant_id: 3 });
    const refused = await failure(client.action(c.id, "pause"));
    expect(refused).to.be.instanceOf(ApiError);
    expect((refused as ApiError).status).to.equal(400);
    expect((refused as ApiError).vendorMessage).to.equal("Campaign is not running");
    const invalid = await failure(
      client.createCampaign({ name: "", campaign_type: "call", assistant_id: 3, max_attempts: 11 }),
    );
    expect((invalid as ApiError).status).to.equal(422);
    expect((invalid as ApiError).vendorMessage).to.match(/name: String should have at least 1 character/);
    expect((invalid as ApiError).vendorMessage).to.match(
      /max_attempts: Input should be less than or equal to 10/,
    );
  });

  it("a refused connection is a transport error naming the platform", async () => {
    const closed = new BurkiClient(burkiHttp("http://127.0.0.1:9", BURKI_EMULATOR_API_KEY, 1_000));
    const e = await failure(closed.getCampaign(1));
    expect(e).to.be.instanceOf(TransportError);
    expect(e.message).to.match(
      /^Could not reach Burki at http:\/\/127\.0\.0\.1:9 for GET \/api\/v1\/campaigns\/1: /,
    );
    expect(e.message).to.include("burki:baseUrl");
  });
});

describe("client ↔ emulator: Woodpecker", function () {
  this.timeout(30_000);
  let emulator: WoodpeckerEmulator;
  let control: EmulatorControl;

  const client = (key = WOODPECKER_EMULATOR_API_KEY, limiter?: ConcurrencyLimiter) =>
    new WoodpeckerClient(
      new HttpClient({
        platform: "woodpecker",
        baseUrl: emulator.baseUrl,
        authHeaders: { "x-api-key": key },
        ...WOODPECKER_DIALECT,
        retry: fast,
        limiter,
      }),
    );

  const body = () => {
    const r = woodpeckerCampaignSchema().safeParse({
      name: "client test",
      emailAccountIds: [1],
      settings: { timezone: "Europe/Warsaw" },
      steps: [{ versions: [{ subject: "Hi", message: "<p>1</p>" }] }],
    });
    if (!r.success) throw r.error;
    return toCreateBody(r.data as WoodpeckerCampaignInputs);
  };

  before(async () => {
    emulator = new WoodpeckerEmulator({ latencyMs: 20 });
    await emulator.start();
    control = new EmulatorControl(emulator.origin);
  });
  after(async () => {
    await closeAllPools();
    await emulator.stop();
  });
  beforeEach(async () => {
    await control.clearFaults();
    await control.clearRequests();
    await control.call("DELETE", "/stats");
  });

  it("creates, runs (empty 200 bodies), lists through v1 and deletes", async () => {
    const w = client();
    const c = await w.createCampaign(body());
    expect(c.status).to.equal("DRAFT");
    await w.action(c.id, "run");
    expect((await w.getCampaign(c.id))?.status).to.equal("RUNNING");
    expect((await w.listCampaigns()).map((x) => x.id)).to.include(c.id);
    expect(await w.deleteCampaign(c.id)).to.equal("deleted");
    expect(await w.deleteCampaign(c.id)).to.equal("gone");
    expect(await w.listCampaigns()).to.deep.equal([]); // v1's "no campaigns" error inside a 200
  });

  it("reads both error dialects: a 409 workflow refusal keeps its code, a 401 becomes an authentication error", async () => {
    const w = client();
    const c = await w.createCampaign(body());
    await control.call("PUT", `/campaigns/${c.id}/workflow`, { active: true });
    const e = await failure(w.deleteCampaign(c.id));
    expect(e).to.be.instanceOf(ApiError);
    expect(e).to.include({ status: 409, vendorCode: "CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW" });
    const deletes = (await control.requestLines()).filter((l) => l.startsWith("DELETE"));
    expect(deletes).to.deep.equal([`DELETE /rest/v2/campaigns/${c.id} 409`]); // a 409 is not retried
    await control.call("PUT", `/campaigns/${c.id}/workflow`, { active: false });
    await w.deleteCampaign(c.id);

    const auth = await failure(client("wpk_wrong").getCampaign(1));
    expect(auth).to.be.instanceOf(AuthenticationError);
    expect(auth.message).to.match(/Invalid api key/);
    const v1 = await failure(client("wpk_wrong").listCampaigns());
    expect(v1).to.be.instanceOf(AuthenticationError); // v1 reports it inside a 200
  });

  it("with a limiter, 20 concurrent calls never overflow Woodpecker's queue; without one they do", async () => {
    const limited = client(WOODPECKER_EMULATOR_API_KEY, new ConcurrencyLimiter(2));
    await Promise.all(Array.from({ length: 20 }, () => limited.listCampaigns()));
    const stats = await control.call<{ maxConcurrent: number; rateLimited: number; maxQueueDepth: number }>(
      "GET",
      "/stats",
    );
    expect(stats).to.include({ maxConcurrent: 1, rateLimited: 0 });
    expect(stats.maxQueueDepth).to.be.at.most(1);

    await control.call("DELETE", "/stats");
    const unlimited = new WoodpeckerClient(
      new HttpClient({
        platform: "woodpecker",
        baseUrl: emulator.baseUrl,
        authHeaders: { "x-api-key": WOODPECKER_EMULATOR_API_KEY },
        ...WOODPECKER_DIALECT,
        retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRateLimitedAttempts: 1 },
      }),
    );
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => unlimited.listCampaigns()));
    const overflowed = (await control.call<{ rateLimited: number }>("GET", "/stats")).rateLimited;
    expect(overflowed).to.be.greaterThan(0);
    expect(results.filter((r) => r.status === "rejected").length).to.equal(overflowed);
  });

  it("four hosts sharing one account, each over its share: the 429s lower each limiter and every call succeeds", async () => {
    // Four stacks deploying at once, 4 in flight each = 16 against one processing + six queued.
    const limiters = [1, 2, 3, 4].map(() => new ConcurrencyLimiter(4));
    const hosts = limiters.map((l) => client(WOODPECKER_EMULATOR_API_KEY, l));
    const results = await Promise.allSettled(
      hosts.flatMap((h) => Array.from({ length: 25 }, () => h.listCampaigns())),
    );
    const stats = await control.call<{ rateLimited: number; maxQueueDepth: number }>("GET", "/stats");
    expect(stats.rateLimited, "the account was overflowed at first").to.be.greaterThan(0);
    expect(results.filter((r) => r.status === "rejected")).to.deep.equal([]);
    expect(limiters.reduce((n, l) => n + l.backoffs, 0)).to.be.greaterThan(0);
    // Together they ended within what the account admits (1 + 6), from 16 at the start.
    expect(limiters.reduce((n, l) => n + l.limit, 0)).to.be.at.most(7);
  });
});
