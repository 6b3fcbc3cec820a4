/**
 * Client ↔ emulator layer, issue 9 item 4: misconfiguration is named. Every connection failure,
 * timeout and unexpected 404/405 names the base URL in use, the request and the config key, and
 * the usual wrong base URLs get their corrected value; only the vendor's own not-found answer
 * means "gone".
 */
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BURKI_DIALECT, BurkiClient, classifyBurkiNotFound } from "../../provider/burki/api";
import { baseUrlAdvice, baseUrlMistake } from "../../provider/core/credentials";
import {
  CampaignsError,
  EndpointError,
  NotFoundError,
  OutcomeUnknownError,
  TransportError,
  isApiError,
  isNotFound,
} from "../../provider/core/errors";
import { HttpClient, closeAllPools, type HttpClientOptions } from "../../provider/core/http";
import { BURKI_EMULATOR_API_KEY, BurkiEmulator } from "../../provider/emulators/burki";
import { WOODPECKER_EMULATOR_API_KEY, WoodpeckerEmulator } from "../../provider/emulators/woodpecker";
import {
  WOODPECKER_DIALECT,
  WoodpeckerClient,
  classifyWoodpeckerNotFound,
} from "../../provider/woodpecker/api";
import { EmulatorControl } from "../helpers/control";

const fast = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

function http(platform: "burki" | "woodpecker", baseUrl: string, over: Partial<HttpClientOptions> = {}) {
  return new HttpClient({
    platform,
    baseUrl,
    authHeaders:
      platform === "burki"
        ? { authorization: `Bearer ${BURKI_EMULATOR_API_KEY}` }
        : { "x-api-key": WOODPECKER_EMULATOR_API_KEY },
    ...(platform === "burki" ? BURKI_DIALECT : WOODPECKER_DIALECT),
    retry: fast,
    timeouts: { requestMs: 5_000, headersMs: 2_000 },
    ...over,
  });
}
const burki = (baseUrl: string, over?: Partial<HttpClientOptions>) =>
  new BurkiClient(http("burki", baseUrl, over));
const woodpecker = (baseUrl: string, over?: Partial<HttpClientOptions>) =>
  new WoodpeckerClient(http("woodpecker", baseUrl, over));

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e as Error,
  );

/** How often `needle` occurs in `text`. */
const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A stand-in for a proxy or another service in front of the vendor: one fixed answer for everything. */
async function fixedServer(
  status: number,
  body: string,
  contentType?: string,
): Promise<{ url: string; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(status, contentType ? { "content-type": contentType } : {});
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hits,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("misconfiguration: base URL mistakes are detected with the corrected value", () => {
  const cases: Array<[platform: "burki" | "woodpecker", url: string, corrected: string | undefined]> = [
    ["burki", "https://api.burki.dev", undefined],
    ["burki", "https://api.burki.dev/", undefined],
    ["burki", "https://api.burki.dev/api/v1", "https://api.burki.dev"],
    ["burki", "https://api.burki.dev/api/v1/", "https://api.burki.dev"],
    ["burki", "https://api.burki.dev/api", "https://api.burki.dev"],
    ["burki", "https://api.burki.dev/api/v1/campaigns", "https://api.burki.dev"],
    ["burki", "https://proxy.example/burki/api/v1", "https://proxy.example/burki"],
    ["woodpecker", "https://api.woodpecker.co/rest", undefined],
    ["woodpecker", "https://api.woodpecker.co/rest/", undefined],
    ["woodpecker", "https://api.woodpecker.co", "https://api.woodpecker.co/rest"],
    ["woodpecker", "https://api.woodpecker.co/rest/v2", "https://api.woodpecker.co/rest"],
    ["woodpecker", "https://api.woodpecker.co/rest/v1", "https://api.woodpecker.co/rest"],
    ["woodpecker", "https://api.woodpecker.co/v2", "https://api.woodpecker.co/rest"],
    ["woodpecker", "https://api.woodpecker.co/rest/v2/campaigns", "https://api.woodpecker.co/rest"],
  ];
  for (const [platform, url, corrected] of cases) {
    it(`${platform}: ${url} → ${corrected ?? "looks right"}`, () => {
      expect(baseUrlMistake(platform, url)?.corrected).to.equal(corrected);
      const advice = baseUrlAdvice(platform, url);
      expect(advice).to.include(`${platform}:baseUrl`);
      if (corrected) expect(advice).to.include(`pulumi config set ${platform}:baseUrl ${corrected}`);
      else expect(advice).to.include(`Check ${platform}:baseUrl (in use: ${url};`);
    });
  }
  it("the Burki advice says where the requests really went", () => {
    expect(baseUrlAdvice("burki", "https://api.burki.dev/api/v1")).to.include(
      "(requests went to /api/v1/api/v1/…)",
    );
  });
});

describe("misconfiguration: only the vendor's own not-found answer means gone", () => {
  it("Burki: the handlers' \"Campaign not found\" (and plausible variants), never FastAPI's route 404", () => {
    const campaign = [
      { detail: "Campaign not found" },
      { detail: "Campaign 42 not found" },
      { detail: "campaign with id 42 does not exist" },
      { detail: "Campaign not found or access denied" },
    ];
    for (const b of campaign) expect(classifyBurkiNotFound(b), JSON.stringify(b)).to.equal("campaign");
    expect(classifyBurkiNotFound({ detail: "Import not found" })).to.equal("import");
    expect(classifyBurkiNotFound({ detail: "Schedule not found for campaign 3" })).to.equal("schedule");
    for (const b of [
      { detail: "Not Found" }, // Starlette: no route for this path
      { detail: "Method Not Allowed" },
      { detail: "Cannot delete running campaign - stop it first" },
      { detail: [{ loc: ["path", "campaign_id"], msg: "not found", type: "x" }] },
      "<html><body>404 Not Found</body></html>",
      "",
      undefined,
      { message: "Campaign not found" }, // not FastAPI's shape
    ]) {
      expect(classifyBurkiNotFound(b), JSON.stringify(b)).to.equal(undefined);
    }
  });

  it("Woodpecker: CAMPAIGN_NOT_EXIST in either dialect; a route 404 is not", () => {
    expect(
      classifyWoodpeckerNotFound({
        code: "CAMPAIGN_NOT_EXIST",
        message: "Campaign not found",
        details: null,
      }),
    ).to.equal("campaign");
    expect(
      classifyWoodpeckerNotFound({
        title: "Not Found",
        status: 404,
        detail: "CAMPAIGN_NOT_EXIST",
        timestamp: "",
      }),
    ).to.equal("campaign");
    expect(
      classifyWoodpeckerNotFound({
        title: "Not Found",
        status: 404,
        detail: "Campaign not found",
        timestamp: "",
      }),
    ).to.equal("campaign");
    expect(classifyWoodpeckerNotFound({ code: "STEP_NOT_EXIST", message: "Step not found" })).to.equal(
      "step",
    );
    for (const b of [
      { title: "Not Found", status: 404, detail: "No endpoint GET /rest/v2/v2/campaigns/1.", timestamp: "" },
      { title: "Not Found", status: 404, detail: "No static resource rest/v2/campaigns/1.", timestamp: "" },
      { timestamp: "2026-01-01T00:00:00Z", status: 404, error: "Not Found", path: "/v2/campaigns/1" },
      { code: "CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW", message: "x", details: null },
      "<html>404</html>",
      undefined,
    ]) {
      expect(classifyWoodpeckerNotFound(b), JSON.stringify(b)).to.equal(undefined);
    }
  });
});

describe("misconfiguration: Burki client against the emulator", function () {
  this.timeout(30_000);
  let emulator: BurkiEmulator;
  let control: EmulatorControl;

  before(async () => {
    emulator = new BurkiEmulator({ startDelayMs: 10, importDelayMs: 5 });
    await emulator.start();
    control = new EmulatorControl(emulator.origin);
  });
  after(async () => {
    await closeAllPools();
    await emulator.stop();
  });

  it("a base URL ending in /api/v1: reads and deletes fail naming the URL, the key and the fix; nothing is gone", async () => {
    const good = burki(emulator.baseUrl);
    const c = await good.createCampaign({ name: "kept", campaign_type: "call", assistant_id: 3 });
    const wrongUrl = `${emulator.origin}/api/v1`;
    const bad = burki(wrongUrl);
    await control.clearRequests();
    for (const attempt of [bad.getCampaign(c.id), bad.deleteCampaign(c.id)]) {
      const e = await failure(attempt);
      expect(e).to.be.instanceOf(EndpointError);
      expect(isApiError(e)).to.equal(false); // no `status === 404` check can take it for gone
      expect(e).to.include({ status: 404, baseUrl: wrongUrl });
      expect(e.message).to.match(
        new RegExp(
          `^Burki at ${wrongUrl.replace(/\./g, "\\.")} answered (GET|DELETE) /api/v1/campaigns/${c.id} with HTTP 404 and the body \\{"detail":"Not Found"\\}`,
        ),
      );
      expect(e.message).to.include(`there is no Burki API at ${wrongUrl}/api/v1/campaigns/${c.id}`);
      expect(e.message).to.include("(requests went to /api/v1/api/v1/…)");
      expect(e.message).to.include(`pulumi config set burki:baseUrl ${emulator.origin}\``);
      expect(e.message).to.include("BURKI_BASE_URL");
    }
    expect(await control.requestLines()).to.deep.equal([
      `GET /api/v1/api/v1/campaigns/${c.id} 404`,
      `DELETE /api/v1/api/v1/campaigns/${c.id} 404`,
    ]);
    expect((await good.getCampaign(c.id))?.id).to.equal(c.id); // still there
    // The vendor's answer, by contrast, is "gone":
    expect(await good.getCampaign(987654)).to.equal(undefined);
    expect(await good.deleteCampaign(987654)).to.equal("gone");
    const stop = await failure(good.action(987654, "stop"));
    expect(isNotFound(stop, "campaign")).to.equal(true);
    expect(stop).to.be.instanceOf(NotFoundError);
  });

  it("a 405 (a known path, the wrong method) names the base URL and the key", async () => {
    const e = await failure(
      http("burki", emulator.baseUrl).request({ method: "PATCH", path: "/api/v1/campaigns/1" }),
    );
    expect(e).to.be.instanceOf(EndpointError);
    expect(e.message).to.include(
      `Burki at ${emulator.baseUrl} answered PATCH /api/v1/campaigns/1 with HTTP 405`,
    );
    expect(e.message).to.include("is not the Burki API route for PATCH");
    expect(e.message).to.include("Check burki:baseUrl");
  });

  it("a missing import or schedule is not a missing campaign, and a missing campaign is not a missing import", async () => {
    const good = burki(emulator.baseUrl);
    const c = await good.createCampaign({ name: "imports", campaign_type: "call", assistant_id: 3 });
    expect(await good.getImport(c.id, 999)).to.equal(undefined); // "Import not found"
    const e = await failure(good.getImport(987654, 1)); // "Campaign not found"
    expect(isNotFound(e, "campaign")).to.equal(true);
  });

  it("nothing listening: one sentence with the base URL, the key, the attempts once", async () => {
    const port = await closedPort();
    const base = `http://127.0.0.1:${port}`;
    const e = await failure(burki(base).getCampaign(1));
    expect(e).to.be.instanceOf(TransportError);
    expect(e.message).to.match(
      new RegExp(
        `^Could not reach Burki at http://127\\.0\\.0\\.1:${port} for GET /api/v1/campaigns/1: connection refused`,
      ),
    );
    expect(e.message).to.include("nothing is listening there");
    expect(e.message).to.include(", after 3 attempts.");
    expect(occurrences(e.message, "attempts")).to.equal(1);
    expect(e.message).to.not.include("gave up");
    expect(e.message).to.include(`Check burki:baseUrl (in use: ${base};`);
    // …and with a known mistake in the URL, the corrected value too.
    const e2 = await failure(burki(`${base}/api/v1`).getCampaign(1));
    expect(e2.message).to.include(`pulumi config set burki:baseUrl ${base}\``);
  });

  it("a create that cannot connect is a transport error (it was never sent), naming the base URL", async () => {
    const base = `http://127.0.0.1:${await closedPort()}`;
    const e = await failure(
      burki(base).createCampaign({ name: "x", campaign_type: "call", assistant_id: 3 }),
    );
    expect(e).to.be.instanceOf(TransportError);
    expect(e.message).to.include(`Could not reach Burki at ${base} for POST /api/v1/campaigns/`);
  });

  it("a timeout names the base URL, the request, the deadline, burki:baseUrl and burki:requestTimeoutSeconds", async () => {
    await control.setFaults({ rateSlow: 1, slowMs: 4_000, match: "^GET ", seed: 1 });
    try {
      const slow = burki(emulator.baseUrl, { timeouts: { requestMs: 2_000, headersMs: 700 } });
      const e = await failure(slow.getCampaign(1));
      expect(e).to.be.instanceOf(TransportError);
      expect(e.message).to.match(
        new RegExp(
          `^Burki at ${emulator.baseUrl.replace(/\./g, "\\.")} did not answer GET /api/v1/campaigns/1 within 2s`,
        ),
      );
      expect(e.message).to.include("Check burki:baseUrl");
      expect(e.message).to.include("raise burki:requestTimeoutSeconds");
      expect(occurrences(e.message, "within")).to.be.at.most(2);
      expect(occurrences(e.message, "attempts")).to.be.at.most(1);
    } finally {
      await control.clearFaults();
    }
  });

  it("a create that timed out is an unknown outcome that names the base URL", async () => {
    await control.setFaults({ rateSlow: 1, slowMs: 3_000, match: "^POST ", seed: 1 });
    try {
      const slow = burki(emulator.baseUrl, { timeouts: { requestMs: 800, headersMs: 800 } });
      const e = await failure(slow.createCampaign({ name: "slow", campaign_type: "call", assistant_id: 3 }));
      expect(e).to.be.instanceOf(OutcomeUnknownError);
      expect(e.message).to.include(`Burki at ${emulator.baseUrl} did not confirm POST /api/v1/campaigns/`);
    } finally {
      await control.clearFaults();
    }
  });
});

describe("misconfiguration: answers from something that is not the vendor's API", function () {
  this.timeout(30_000);
  after(() => closeAllPools());

  const shapes: Array<
    [what: string, status: number, body: string, type: string | undefined, described: string]
  > = [
    [
      "a proxy's HTML 404",
      404,
      "<html><body><h1>404 Not Found</h1>nginx</body></html>",
      "text/html",
      "an HTML page",
    ],
    ["an empty 404", 404, "", undefined, "an empty body"],
    ["a plain-text 404", 404, "404 page not found", "text/plain", 'the text "404 page not found"'],
    [
      "a Spring-style route 404",
      404,
      '{"status":404,"error":"Not Found","path":"/x"}',
      "application/json",
      '"error":"Not Found"',
    ],
    ["a 405", 405, '{"detail":"Method Not Allowed"}', "application/json", "HTTP 405"],
  ];
  for (const [what, status, body, type, described] of shapes) {
    it(`${what} is never "gone", for either platform`, async () => {
      const server = await fixedServer(status, body, type);
      try {
        for (const [platform, base, client] of [
          ["burki", server.url, burki(server.url)],
          ["woodpecker", `${server.url}/rest`, woodpecker(`${server.url}/rest`)],
        ] as const) {
          for (const call of [() => client.getCampaign(5), () => client.deleteCampaign(5)]) {
            const e = await failure(call());
            expect(e, `${platform} ${what}`).to.be.instanceOf(EndpointError);
            expect(e.message).to.include(`at ${base} answered `);
            expect(e.message).to.include(described);
            expect(e.message).to.include(`${platform}:baseUrl`);
            expect(e.message).to.include("the resource stays in the Pulumi state");
          }
        }
        expect(server.hits.length).to.equal(4); // a 404/405 is not retried
      } finally {
        await server.close();
      }
    });
  }

  it("a 200 that is not a campaign (a web page behind the URL) is an error, not a campaign", async () => {
    const server = await fixedServer(200, "<html>Welcome</html>", "text/html");
    try {
      const e = await failure(burki(server.url).getCampaign(5));
      expect(e).to.be.instanceOf(EndpointError);
      expect(e.message).to.include("HTTP 200 and an HTML page, which is not what Burki's API returns for it");
    } finally {
      await server.close();
    }
  });

  it("Woodpecker's CAMPAIGN_NOT_EXIST in the problem dialect still means gone", async () => {
    const body = JSON.stringify({
      title: "Not Found",
      status: 404,
      detail: "CAMPAIGN_NOT_EXIST",
      timestamp: "x",
    });
    const server = await fixedServer(404, body, "application/json");
    try {
      const w = woodpecker(`${server.url}/rest`);
      expect(await w.getCampaign(5)).to.equal(undefined);
      expect(await w.deleteCampaign(5)).to.equal("gone");
    } finally {
      await server.close();
    }
  });
});

describe("misconfiguration: Woodpecker client against the emulator", function () {
  this.timeout(30_000);
  let emulator: WoodpeckerEmulator;
  let control: EmulatorControl;

  before(async () => {
    emulator = new WoodpeckerEmulator();
    await emulator.start();
    control = new EmulatorControl(emulator.origin);
  });
  after(async () => {
    await closeAllPools();
    await emulator.stop();
  });

  const body = {
    name: "kept",
    email_account_ids: [1],
    settings: { timezone: "Europe/Warsaw", daily_enroll: 10 },
    steps: {
      type: "START",
      followup: {
        type: "EMAIL",
        delivery_time: { MONDAY: [{ from: "08:00", to: "17:00" }] },
        body: { versions: [{ subject: "Hi", message: "<p>1</p>" }] },
      },
    },
  };

  for (const [suffix, problem] of [
    ["", "it does not end in /rest"],
    ["/rest/v2", "it ends in /v2"],
    ["/rest/v1", "it ends in /v1"],
  ] as const) {
    it(`a base URL ${suffix ? `ending in ${suffix}` : "without /rest"}: the corrected value is <origin>/rest; nothing is gone`, async () => {
      const good = woodpecker(emulator.baseUrl);
      const c = await good.createCampaign(body);
      const wrongUrl = `${emulator.origin}${suffix}`;
      const bad = woodpecker(wrongUrl);
      for (const attempt of [bad.getCampaign(c.id), bad.deleteCampaign(c.id), bad.listCampaigns()]) {
        const e = await failure(attempt);
        expect(e).to.be.instanceOf(EndpointError);
        expect(e.message).to.include(`Woodpecker at ${wrongUrl} answered `);
        expect(e.message).to.include(`woodpecker:baseUrl is "${wrongUrl}": ${problem}`);
        expect(e.message).to.include(`pulumi config set woodpecker:baseUrl ${emulator.origin}/rest\``);
      }
      expect((await good.getCampaign(c.id))?.id).to.equal(c.id);
      expect((await control.campaign(c.id))?.id).to.equal(c.id);
    });
  }

  it("nothing listening names woodpecker:baseUrl; the vendor's CAMPAIGN_NOT_EXIST is gone", async () => {
    const port = await closedPort();
    const e = await failure(woodpecker(`http://127.0.0.1:${port}/rest`).getCampaign(1));
    expect(e).to.be.instanceOf(TransportError);
    expect(e.message).to.include(
      `Could not reach Woodpecker at http://127.0.0.1:${port}/rest for GET /v2/campaigns/1`,
    );
    expect(e.message).to.include("Check woodpecker:baseUrl");
    expect(occurrences(e.message, "attempts")).to.equal(1);

    const good = woodpecker(emulator.baseUrl);
    expect(await good.getCampaign(987654)).to.equal(undefined);
    expect(await good.deleteCampaign(987654)).to.equal("gone");
    const run = await failure(good.action(987654, "run"));
    expect(isNotFound(run, "campaign")).to.equal(true);
    expect(run).to.be.instanceOf(CampaignsError);
  });
});
