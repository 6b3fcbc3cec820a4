/**
 * Emulator contracts for misconfiguration (issues 8.4 and 9.4/9.5): unknown routes answer the way
 * the real frameworks do (Burki is FastAPI: 404 {"detail":"Not Found"} / 405; Woodpecker: the
 * problem dialect, an emulator guess), a missing campaign answers with the vendor's own not-found
 * body on every campaign route — and the provider's classifiers tell the two apart. The control
 * API's faults endpoint validates its body.
 */
import { expect } from "chai";
import { classifyBurkiNotFound } from "../../provider/burki/api";
import { BURKI_EMULATOR_API_KEY, BurkiEmulator } from "../../provider/emulators/burki";
import { WOODPECKER_EMULATOR_API_KEY, WoodpeckerEmulator } from "../../provider/emulators/woodpecker";
import { classifyWoodpeckerNotFound } from "../../provider/woodpecker/api";

async function call(
  url: string,
  method: string,
  headers: Record<string, string>,
  json?: unknown,
): Promise<{ status: number; body: unknown }> {
  const r = await fetch(url, {
    method,
    headers: json === undefined ? headers : { ...headers, "content-type": "application/json" },
    body: json === undefined ? undefined : JSON.stringify(json),
    redirect: "manual",
  });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

describe("emulator: Burki answers unknown routes like FastAPI and missing campaigns like Burki", () => {
  let emulator: BurkiEmulator;
  const auth = { authorization: `Bearer ${BURKI_EMULATOR_API_KEY}` };
  before(async () => {
    emulator = new BurkiEmulator();
    await emulator.start();
  });
  after(() => emulator.stop());

  it("a doubled /api/v1 (base URL ending in /api/v1) is FastAPI's route 404, which is not 'gone'", async () => {
    for (const [method, path] of [
      ["GET", "/api/v1/api/v1/campaigns/1"],
      ["DELETE", "/api/v1/api/v1/campaigns/1"],
      ["POST", "/api/v1/api/v1/campaigns/1/stop"],
      ["POST", "/api/v1/api/v1/campaigns/"],
      ["GET", "/no/such/path/api/v1/campaigns/1"],
    ]) {
      const r = await call(`${emulator.origin}${path}`, method, auth);
      expect(r, `${method} ${path}`).to.deep.equal({ status: 404, body: { detail: "Not Found" } });
      expect(classifyBurkiNotFound(r.body)).to.equal(undefined);
    }
  });

  it('every campaign route answers a missing campaign with 404 {"detail": "Campaign not found"}', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ["GET", ""],
      ["PUT", "", { name: "x" }],
      ["DELETE", ""],
      ["GET", "/contacts"],
      ["GET", "/schedule"],
      ["POST", "/schedule", { schedule_type: "immediate" }],
      ["POST", "/start"],
      ["POST", "/unschedule"],
      ["POST", "/pause"],
      ["POST", "/stop"],
      ["POST", "/re-execute", {}],
      ["GET", "/progress"],
      ["GET", "/executions"],
      ["GET", "/imports/1"],
    ];
    for (const [method, rest, json] of routes) {
      const r = await call(`${emulator.baseUrl}/api/v1/campaigns/424242${rest}`, method, auth, json);
      expect(r, `${method} …/424242${rest}`).to.deep.equal({
        status: 404,
        body: { detail: "Campaign not found" },
      });
      expect(classifyBurkiNotFound(r.body)).to.equal("campaign");
    }
  });
});

describe("emulator: Woodpecker answers unknown routes in the problem dialect and missing campaigns with CAMPAIGN_NOT_EXIST", () => {
  let emulator: WoodpeckerEmulator;
  const auth = { "x-api-key": WOODPECKER_EMULATOR_API_KEY };
  before(async () => {
    emulator = new WoodpeckerEmulator();
    await emulator.start();
  });
  after(() => emulator.stop());

  it("no /rest, or a doubled /v2: a route 404 without CAMPAIGN_NOT_EXIST", async () => {
    for (const [method, path] of [
      ["GET", "/v2/campaigns/1"],
      ["DELETE", "/v2/campaigns/1"],
      ["GET", "/rest/v2/v2/campaigns/1"],
      ["POST", "/rest/v2/v2/campaigns/1/pause"],
    ]) {
      const r = await call(`${emulator.origin}${path}`, method, auth);
      expect(r.status, `${method} ${path}`).to.equal(404);
      expect(r.body).to.include({ title: "Not Found", status: 404 });
      expect(r.body).to.not.have.property("code");
      expect(classifyWoodpeckerNotFound(r.body)).to.equal(undefined);
    }
    const list = await call(`${emulator.baseUrl}/v2/campaigns`, "GET", auth);
    expect(list.status).to.equal(405);
    expect(list.body).to.include({ title: "Method Not Allowed", status: 405 });
  });

  it("every campaign route answers a missing campaign with 404 CAMPAIGN_NOT_EXIST", async () => {
    const routes: Array<[string, string, unknown?]> = [
      ["GET", ""],
      ["PATCH", "", { name: "x" }],
      ["DELETE", ""],
      ["POST", "/run"],
      ["POST", "/pause"],
      ["POST", "/stop"],
      ["POST", "/make_editable"],
      ["GET", "/bounce_shield/threshold"],
      ["PUT", "/bounce_shield/threshold", { bounce_rate_threshold: 10 }],
      ["DELETE", "/bounce_shield/threshold"],
    ];
    for (const [method, rest, json] of routes) {
      const r = await call(`${emulator.baseUrl}/v2/campaigns/424242${rest}`, method, auth, json);
      expect(r, `${method} …/424242${rest}`).to.deep.equal({
        status: 404,
        body: { code: "CAMPAIGN_NOT_EXIST", message: "Campaign not found", details: null },
      });
      expect(classifyWoodpeckerNotFound(r.body)).to.equal("campaign");
    }
  });
});

describe("emulator control API: the faults endpoint validates its body", () => {
  for (const [name, make] of [
    ["Burki", () => new BurkiEmulator()],
    ["Woodpecker", () => new WoodpeckerEmulator()],
  ] as const) {
    it(`${name}: invalid profiles are refused with 400 and the reason; the active one is kept`, async () => {
      const emulator = make();
      await emulator.start();
      try {
        const faults = `${emulator.origin}/_emulator/faults`;
        const good = await call(faults, "PUT", {}, { rate500: 0.25, match: "^GET ", seed: 3 });
        expect(good).to.deep.equal({ status: 200, body: { rate500: 0.25, match: "^GET ", seed: 3 } });
        const bad: Array<[unknown, RegExp]> = [
          [{ rate500: 2 }, /rate500 must be a probability from 0 to 1, got 2/],
          [{ rate500: "0.5" }, /rate500 must be a probability from 0 to 1, got "0.5"/],
          [{ rate5000: 0.5 }, /unknown fault "rate5000"; known: rate429, /],
          [{ slowMs: -1 }, /slowMs must be a number ≥ 0, got -1/],
          [{ match: "(" }, /match is not a valid regular expression/],
          [{ match: 3 }, /match must be a regular expression \(a string\)/],
          [{ seed: 1.5 }, /seed must be an integer, got 1\.5/],
          [[{ rate500: 1 }], /the fault profile must be a JSON object, got an array/],
          [null, /the fault profile must be a JSON object, got null/],
        ];
        for (const [body, reason] of bad) {
          const r = await call(faults, "PUT", {}, body);
          expect(r.status, JSON.stringify(body)).to.equal(400);
          expect((r.body as { error: string }).error).to.match(reason);
        }
        const raw = await fetch(faults, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: "{rate",
        });
        expect(raw.status).to.equal(400);
        expect(((await raw.json()) as { error: string }).error).to.match(/^the body is not valid JSON/);
        expect(await call(faults, "GET", {})).to.deep.equal(good); // unchanged
        const latency = await call(`${emulator.origin}/_emulator/latency`, "PUT", {}, { latencyMs: "slow" });
        expect(latency.status).to.equal(400);
        expect(() => make().setFaults({ rate429: -0.1 })).to.throw(/rate429 must be a probability/);
      } finally {
        await emulator.stop();
      }
    });
  }
});
