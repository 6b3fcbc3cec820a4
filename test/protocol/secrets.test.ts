/**
 * Protocol layer: API keys and contacts' phone numbers do not leak.
 *
 * Distinctive keys for both platforms (the emulators accept only those), a whole lifecycle of both
 * resources through one SDK dynamic-provider host — check (passing and failing), create (one of
 * them a partial failure), diff, update of a running campaign (one of them a partial failure),
 * read (one of them failing), delete (refused, then done) — and a second host with wrong keys
 * taken from the environment. Everything the hosts produced is collected: serialized providers,
 * outputs, read inputs, check failures, error messages and the properties of partial failures,
 * both hosts' stdout and stderr, and the emulators' request logs. No key may appear in any of it, in
 * any spelling (raw, `Bearer …`, base64 as in Basic auth, URL-encoded, or a 20-character slice).
 * The keys travel only in request headers, which the emulators check and do not log.
 * Burki contacts' phone numbers may not appear in stdout, stderr, error messages or check failures.
 */
import { expect } from "chai";
import * as path from "node:path";
import { BurkiEmulator } from "../../provider/emulators/burki";
import { WoodpeckerEmulator } from "../../provider/emulators/woodpecker";
import { PROVIDER_MODULES, startCampaignHost } from "../helpers/campaign-host";
import { EmulatorControl } from "../helpers/control";
import {
  ProviderHost,
  ProviderRpcError,
  rpcFailure,
  serializeProvider,
  type Props,
} from "../helpers/provider-host";

const ROOT = path.resolve(__dirname, "../..");
const BURKI = "pulumi-nodejs:dynamic/burki:Campaign";
const WOODPECKER = "pulumi-nodejs:dynamic/woodpecker:Campaign";

const BURKI_KEY = "burki_s3kr1tq7x9k2m4v8w1p6r3t5y0u9i8o";
const WOODPECKER_KEY = "wpk_s3kr1t_Zq8Lm2Nx7Rv4Tb9Yc6Hd1Kf5Pg3Jw0Qe";
const WRONG_BURKI_KEY = "burki_wr0ngk3yabcdefghijklmnopqrstuvw";
const WRONG_WOODPECKER_KEY = "wpk_wr0ng_Xy7Wv6Ut5Sr4Qp3On2Ml1Kj0Ih9Gf8Ed";
const KEYS = { BURKI_KEY, WOODPECKER_KEY, WRONG_BURKI_KEY, WRONG_WOODPECKER_KEY };

const PHONES = ["+15557770101", "+447700900123"];

/** Every spelling of a key that would count as a leak. */
function spellings(key: string): string[] {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  return [
    key,
    `Bearer ${key}`,
    b64(key),
    b64(`:${key}`),
    b64(`${key}:`),
    encodeURIComponent(key),
    key.slice(key.length - 24, key.length - 4), // a slice from the random part
  ];
}

/** A phone number as E.164, digits only, national digits, and US display format. */
function phoneSpellings(e164: string): string[] {
  const digits = e164.slice(1);
  const out = [e164, digits, digits.slice(-10)];
  if (digits.length === 11 && digits.startsWith("1")) {
    out.push(`(${digits.slice(1, 4)}) ${digits.slice(4, 7)}-${digits.slice(7)}`);
  }
  return out;
}

describe("protocol: no API key and no phone number leaks, through a whole lifecycle of both resources", function () {
  this.timeout(60_000);
  let burki: BurkiEmulator;
  let woodpecker: WoodpeckerEmulator;
  const control = {} as { burki: EmulatorControl; woodpecker: EmulatorControl };
  let host: ProviderHost;
  let wrongHost: ProviderHost | undefined;
  const provider = { burki: "", woodpecker: "" };

  /** Everything the hosts produced, labelled. */
  const produced: Array<{ where: string; text: string }> = [];
  /** The subset where phone numbers may not appear either. */
  const messages: Array<{ where: string; text: string }> = [];
  const keep = (where: string, v: unknown) =>
    produced.push({ where, text: typeof v === "string" ? v : JSON.stringify(v) });
  const keepMessage = (where: string, v: unknown) => {
    keep(where, v);
    messages.push({ where, text: typeof v === "string" ? v : JSON.stringify(v) });
  };
  const keepError = (where: string, e: ProviderRpcError) => {
    keepMessage(`${where}: details`, e.details);
    keepMessage(`${where}: message`, e.message);
    if (e.initFailed) {
      keep(`${where}: initFailed.properties`, e.initFailed.properties);
      keepMessage(`${where}: initFailed.reasons`, e.initFailed.reasons);
    }
  };

  const burkiInputs = (over: Props = {}): Props => ({
    name: "secret renewals",
    campaignType: "call",
    assistantId: 7,
    welcomeMessageTemplate: "Hi {{name}}",
    contacts: [
      { phoneNumber: PHONES[0], name: "Ann", variables: { plan: "gold" } },
      { phoneNumber: PHONES[1], name: "Bob" },
    ],
    state: "running",
    ...over,
    __provider: provider.burki,
  });

  const woodpeckerInputs = (over: Props = {}): Props => ({
    name: "secret outreach",
    emailAccountIds: [112233],
    settings: { timezone: "Europe/Warsaw", dailyEnroll: 50 },
    steps: [
      { versions: [{ subject: "Quick question", message: "<p>Hi {{FIRST_NAME}}</p>" }] },
      { delay: { value: 3, unit: "day" }, versions: [{ message: "<p>Following up</p>" }] },
    ],
    state: "running",
    ...over,
    __provider: provider.woodpecker,
  });

  async function checked(h: ProviderHost, urn: string, olds: Props, news: Props): Promise<Props> {
    const chk = await h.check(urn, olds, news);
    keep(`check ${urn}: inputs`, chk.inputs);
    keepMessage(`check ${urn}: failures`, chk.failures);
    expect(chk.failures).to.deep.equal([]);
    return chk.inputs;
  }

  before(async () => {
    // The emulators accept only the distinctive keys (organizations / accounts replace the defaults).
    burki = new BurkiEmulator({
      apiKeys: [BURKI_KEY],
      organizations: { [BURKI_KEY]: "org-secrets" },
      startDelayMs: 20,
      importDelayMs: 5,
    });
    woodpecker = new WoodpeckerEmulator({
      apiKeys: [WOODPECKER_KEY],
      accounts: { [WOODPECKER_KEY]: "acct-secrets" },
    });
    await Promise.all([burki.start(), woodpecker.start()]);
    control.burki = new EmulatorControl(burki.origin);
    control.woodpecker = new EmulatorControl(woodpecker.origin);
    for (const p of ["burki", "woodpecker"] as const) {
      const s = await serializeProvider(require(PROVIDER_MODULES[p]));
      expect(s.containsSecrets, p).to.equal(false);
      provider[p] = s.text;
      keep(`serialized provider (${p})`, s.text);
    }
    host = await startCampaignHost({
      cwd: ROOT,
      burki: { baseUrl: burki.baseUrl, apiKey: BURKI_KEY },
      woodpecker: { baseUrl: woodpecker.baseUrl, apiKey: WOODPECKER_KEY },
      settings: {
        "burki:requestTimeoutSeconds": "3",
        "burki:stopTimeoutSeconds": "1",
        "woodpecker:requestTimeoutSeconds": "3",
      },
    });
  });

  after(async () => {
    await host?.close();
    await wrongHost?.close();
    await Promise.all([burki?.stop(), woodpecker?.stop()]);
  });

  it("burki.Campaign: check, partial create, diff, update while running, read, failing read and delete, delete", async () => {
    const urn = host.urnOf(BURKI, "secret-renewals");

    // A check failure (a bad phone number among them).
    const bad = await host.check(
      urn,
      {},
      burkiInputs({ maxAttempts: 11, contacts: [{ phoneNumber: "555 777 0101" }] }),
    );
    keepMessage("burki check failure", bad.failures);
    expect(bad.failures.map((f) => f.property).sort()).to.deep.equal([
      "contacts[0].phoneNumber",
      "maxAttempts",
    ]);

    // Create: the contact import fails, so the campaign exists but is not fully configured.
    const news = await checked(host, urn, {}, burkiInputs());
    await control.burki.setFaults({ rate500: 1, match: "import-data$" });
    const partial = await rpcFailure(host.create(urn, news));
    await control.burki.clearFaults();
    keepError("burki partial create", partial);
    expect(partial.initFailed, partial.message).to.not.equal(undefined);
    const id = partial.initFailed!.id;
    let outs = partial.initFailed!.properties;

    // The next `up` finishes the job.
    const d1 = await host.diff(urn, id, outs, news);
    keep("burki diff", d1);
    expect(d1.changes).to.equal("DIFF_SOME");
    outs = (await host.update(urn, id, outs, news)).outs;
    keep("burki update outputs", outs);
    expect(outs).to.include({ status: "running", totalContacts: 2 });

    // Update of the running campaign (pause → PUT → start).
    const news2 = await checked(host, urn, news, burkiInputs({ maxAttempts: 5 }));
    const d2 = await host.diff(urn, id, outs, news2);
    keep("burki diff 2", d2);
    expect(d2.changes).to.equal("DIFF_SOME");
    outs = (await host.update(urn, id, outs, news2, news)).outs;
    keep("burki update 2 outputs", outs);
    expect(outs).to.include({ maxAttempts: 5, status: "running" });

    // Refresh, then a refresh that fails.
    const r = await host.read(urn, id, outs, news2);
    keep("burki read outputs", r.outs);
    keep("burki read inputs", r.inputs);
    await control.burki.setFaults({ rate500: 1, match: `^GET /api/v1/campaigns/${id}$` });
    const readFailure = await rpcFailure(host.read(urn, id, outs, news2));
    await control.burki.clearFaults();
    keepError("burki failing read", readFailure);
    expect(readFailure.details).to.include("Burki");

    // A delete that is refused (the stop never takes effect), then the real one.
    await control.burki.call("POST", `/campaigns/${id}/hooks`, { ignoreStop: true });
    const stuck = await rpcFailure(host.delete(urn, id, outs, news2));
    keepError("burki refused delete", stuck);
    expect(stuck.details).to.include("NOT deleted");
    await control.burki.call("POST", `/campaigns/${id}/hooks`, { ignoreStop: false });
    await host.delete(urn, id, outs, news2);
    expect(await control.burki.campaign(id)).to.equal(undefined);
  });

  it("woodpecker.Campaign: check, create, diff, partial update while running, read, refused delete, delete", async () => {
    const urn = host.urnOf(WOODPECKER, "secret-outreach");
    const seventeen = Array.from({ length: 17 }, () => ({ versions: [{ subject: "s", message: "m" }] }));
    const bad = await host.check(urn, {}, woodpeckerInputs({ steps: seventeen }));
    keepMessage("woodpecker check failure", bad.failures);
    expect(bad.failures).to.have.length(1);

    const news = await checked(host, urn, {}, woodpeckerInputs({ workflow: "Secret nurture" }));
    const created = await host.create(urn, news);
    keep("woodpecker create outputs", created.outs);
    const id = created.id;
    let outs = created.outs;
    expect(outs.status).to.equal("RUNNING");

    // Update of the running campaign, with the version PATCH failing: a partial failure.
    const steps = woodpeckerInputs().steps as Props[];
    steps[0].versions[0].subject = "A better question";
    const news2 = await checked(host, urn, news, woodpeckerInputs({ workflow: "Secret nurture", steps }));
    keep("woodpecker diff", await host.diff(urn, id, outs, news2));
    await control.woodpecker.setFaults({ rate500: 1, match: "^PATCH .*/versions/" });
    const partial = await rpcFailure(host.update(urn, id, outs, news2, news));
    await control.woodpecker.clearFaults();
    keepError("woodpecker partial update", partial);
    expect(partial.initFailed, partial.message).to.not.equal(undefined);
    outs = partial.initFailed!.properties;
    outs = (await host.update(urn, id, outs, news2, news)).outs;
    keep("woodpecker update outputs", outs);
    expect(outs.status).to.equal("RUNNING");

    const r = await host.read(urn, id, outs, news2);
    keep("woodpecker read outputs", r.outs);
    keep("woodpecker read inputs", r.inputs);

    // Delete refused: the campaign is in an active workflow.
    await control.woodpecker.call("PUT", `/campaigns/${id}/workflow`, { active: true });
    const refused = await rpcFailure(host.delete(urn, id, outs, news2));
    keepError("woodpecker refused delete", refused);
    expect(refused.details).to.include("CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW");
    await control.woodpecker.call("PUT", `/campaigns/${id}/workflow`, { active: false });
    await host.delete(urn, id, outs, news2);
    expect(await control.woodpecker.campaign(id)).to.equal(undefined);
  });

  it("a host with wrong keys (from the environment): authentication errors that carry no key", async () => {
    wrongHost = await ProviderHost.start({
      cwd: ROOT,
      env: {
        BURKI_API_KEY: WRONG_BURKI_KEY,
        BURKI_BASE_URL: burki.baseUrl,
        WOODPECKER_API_KEY: WRONG_WOODPECKER_KEY,
        WOODPECKER_BASE_URL: woodpecker.baseUrl,
      },
    });
    await wrongHost.configure({});
    const b = await rpcFailure(
      wrongHost.create(
        wrongHost.urnOf(BURKI, "wrong"),
        await checked(wrongHost, wrongHost.urnOf(BURKI, "wrong"), {}, burkiInputs({ state: "draft" })),
      ),
    );
    keepError("burki wrong key", b);
    expect(b.details).to.match(/Burki authentication failed \(HTTP 401/);
    const w = await rpcFailure(
      wrongHost.create(
        wrongHost.urnOf(WOODPECKER, "wrong"),
        await checked(
          wrongHost,
          wrongHost.urnOf(WOODPECKER, "wrong"),
          {},
          woodpeckerInputs({ state: "draft" }),
        ),
      ),
    );
    keepError("woodpecker wrong key", w);
    expect(w.details).to.match(/Woodpecker authentication failed \(HTTP 401/);
    expect(await control.burki.campaigns()).to.deep.equal([]);
    expect(await control.woodpecker.campaigns()).to.deep.equal([]);
  });

  it("none of it carries a key in any spelling, nor (in logs and messages) a phone number", async () => {
    for (const [name, h] of [
      ["host", host],
      ["wrong-key host", wrongHost!],
    ] as const) {
      keepMessage(`${name} stdout`, h.stdout());
      keepMessage(`${name} stderr`, h.stderr());
    }
    keep("burki request log", await control.burki.requests());
    keep("woodpecker request log", await control.woodpecker.requests());

    // Not vacuous: the lifecycle ran, logged, and failed where it should have.
    expect(host.stderr()).to.include("[pulumi-campaigns]");
    expect(host.stderr()).to.include("importing 2 contact(s)");
    expect(messages.filter((m) => m.where.endsWith(": details"))).to.have.length(7);
    expect((await control.burki.requests()).length).to.be.greaterThan(20);

    const leaks: string[] = [];
    for (const [keyName, key] of Object.entries(KEYS)) {
      for (const form of spellings(key)) {
        for (const p of produced)
          if (p.text.includes(form)) leaks.push(`${keyName} as "${form}" in ${p.where}`);
      }
    }
    for (const phone of PHONES) {
      for (const form of phoneSpellings(phone)) {
        for (const m of messages)
          if (m.text.includes(form)) leaks.push(`phone ${phone} as "${form}" in ${m.where}`);
      }
    }
    expect(leaks).to.deep.equal([]);
  });
});
