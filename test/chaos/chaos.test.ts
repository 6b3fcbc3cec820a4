/**
 * Chaos: 100 Burki and 100 Woodpecker campaigns through create → update → destroy at the protocol
 * layer (a quarter of the Woodpecker ones with three prospects, some running Burki ones with a
 * future one-shot schedule, both changed by the update) (the SDK's real dynamic-provider host, one for both platforms), ten operations at a time
 * like the engine's default parallelism, against both emulators with about 15% of the API requests
 * failing: 429 with and without Retry-After, 500, 502, connection resets, answers slower than the
 * client's attempt timeout, and POSTs that were applied but whose answer was lost.
 *
 * The test plays the engine's part, partial failures included (an error with `initFailed` keeps
 * the resource in state with its properties), and re-runs failed operations like a user re-running
 * `pulumi up` / `pulumi destroy` (at most PASSES passes per phase, see PASSES). It asserts:
 * - every operation ends done or with a clear error (names the platform, no stack, no "undefined");
 * - after the create phase each platform holds exactly 100 campaigns with unique names (no retried
 *   create left a duplicate) and they are the ones in state;
 * - after every phase the outputs in state match what the emulators hold (statuses, schedules at
 *   the declared instant, each campaign's prospects: exactly the declared emails, each once);
 * - after destroy nothing is left.
 * A compact table of what happened is printed for the record.
 */
import { expect } from "chai";
import * as path from "node:path";
import { BurkiEmulator } from "../../provider/emulators/burki";
import type { FaultProfile, RequestLogEntry } from "../../provider/emulators/common";
import { WoodpeckerEmulator } from "../../provider/emulators/woodpecker";
import { installedProviderTexts, startCampaignHost, type Platform } from "../helpers/campaign-host";
import { EmulatorControl } from "../helpers/control";
import { ProviderHost, ProviderRpcError, type Props } from "../helpers/provider-host";

const ROOT = path.resolve(__dirname, "../..");
const PER_PLATFORM = 100;
const POOL = 10;
/**
 * Passes per phase (a user re-running the command).
 */
const PASSES: Record<Phase, number> = { create: 3, update: 3, destroy: 3 };
/** Per-request budget (retries included); one attempt gets a third of it (2 s). */
const REQUEST_TIMEOUT_S = 6;
/** Longer than one attempt's 2 s, shorter than the whole budget. */
const SLOW_MS = 2_300;

/** About 15% of API requests fail (the dice are drawn in this order, independently). */
const FAULTS: FaultProfile = {
  rate429: 0.03,
  rate429RetryAfter: 0.015,
  retryAfterSeconds: 1,
  rate500: 0.025,
  rate502: 0.025,
  rateReset: 0.025,
  rateSlow: 0.008,
  slowMs: SLOW_MS,
  rateAppliedLost: 0.06,
  seed: 20251,
};
const FAULT_KINDS = ["429", "429-retry-after", "500", "502", "reset", "slow", "applied-lost", "rate-limit"];

const TITLE: Record<Platform, string> = { burki: "Burki", woodpecker: "Woodpecker" };
const TYPE: Record<Platform, string> = {
  burki: "pulumi-nodejs:dynamic/burki:Campaign",
  woodpecker: "pulumi-nodejs:dynamic/woodpecker:Campaign",
};
type Phase = "create" | "update" | "destroy";

/** Some running Burki campaigns wait for a future time (Burki holds them as `scheduled`). */
const isScheduled = (i: number) => i % 4 === 2 && i % 3 !== 0;
/** The schedule of a scheduled one: the update moves it (a POST /schedule under faults). */
const scheduleOf = (update: boolean): Props =>
  update
    ? { type: "scheduled", at: "2031-07-01T09:00", timezone: "Europe/Paris" }
    : { type: "scheduled", at: "2031-06-01T09:00:00Z" };
/** The same instants, in UTC (Paris is UTC+2 in July). */
const SCHEDULED_AT = {
  create: Date.parse("2031-06-01T09:00:00Z"),
  update: Date.parse("2031-07-01T07:00:00Z"),
};
/** Some Woodpecker campaigns (draft and running) manage a few prospects. */
const hasProspects = (i: number) => i % 4 === 1;
/**
 * Their prospects: three at create; the update changes one's company, removes one and adds one.
 * Each has the first name the steps use without a fallback.
 */
const prospectsOf = (i: number, update: boolean): Props[] => {
  const p = (k: number, company = "Acme") => ({
    email: `chaos-${i}-${k}@example.com`,
    firstName: `P${k}`,
    company,
  });
  return update ? [p(0, "Acme Europe"), p(1), p(3)] : [p(0), p(1), p(2)];
};

/** One resource as the engine tracks it. */
interface Res {
  platform: Platform;
  index: number;
  name: string;
  urn: string;
  running: boolean;
  /** Program inputs of the current phase. */
  props: Props;
  /** State: id, outputs and the inputs they were produced from (absent: not in state). */
  id?: string;
  outs?: Props;
  inputs?: Props;
}

interface OpError {
  phase: Phase;
  pass: number;
  platform: Platform;
  name: string;
  id?: string;
  message: string;
  partial: boolean;
}

/**
 * Reads the HTTP clients' counters inside the provider host: a provider text (what `__provider`
 * carries) whose `check` loads the same client modules the installed provider uses.
 */
const STATS_PROBE = `exports.handler = __f0;
function __f0() {
  return {
    check: async () => {
      const path = require("path");
      const dist = path.dirname(path.dirname(require.resolve("pulumi-campaigns/internal/burki-campaign")));
      const b = require(path.join(dist, "burki", "api.js")).burkiClient().http.stats;
      const w = require(path.join(dist, "woodpecker", "api.js")).woodpeckerClient().http.stats;
      return { inputs: { stats: JSON.stringify({ burki: b, woodpecker: w }) } };
    },
  };
}
`;

interface ClientStats {
  requests: number;
  attempts: number;
  retries: number;
  status429: number;
}

async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

/** Burki first, then Woodpecker, alternating: how the engine would walk a mixed stack. */
function interleave<T>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]);
    if (i < b.length) out.push(b[i]);
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function flattenChain(start: Json): Json[] {
  const out: Json[] = [];
  let s = start?.type === "START" ? start.followup : start;
  while (s) {
    out.push(s);
    s = s.followup;
  }
  return out;
}

describe("chaos: 100 Burki + 100 Woodpecker campaigns, create → update → destroy, ~15% faults", function () {
  this.timeout(300_000);
  let burki: BurkiEmulator;
  let woodpecker: WoodpeckerEmulator;
  const control = {} as Record<Platform, EmulatorControl>;
  let host: ProviderHost;
  let providerText: Record<Platform, string>;
  const resources: Res[] = [];
  const errors: OpError[] = [];
  const unnamed: OpError[] = [];
  const opCount: Record<Phase, Record<Platform, number>> = {
    create: { burki: 0, woodpecker: 0 },
    update: { burki: 0, woodpecker: 0 },
    destroy: { burki: 0, woodpecker: 0 },
  };
  const passesUsed: Record<Phase, number> = { create: 0, update: 0, destroy: 0 };
  const faultLog: Record<Phase, Record<Platform, RequestLogEntry[]>> = {
    create: { burki: [], woodpecker: [] },
    update: { burki: [], woodpecker: [] },
    destroy: { burki: [], woodpecker: [] },
  };
  const phaseMs: Record<Phase, number> = { create: 0, update: 0, destroy: 0 };
  let clientStats: Record<Platform, ClientStats> | undefined;

  const burkiProps = (i: number, update: boolean): Props => ({
    name: `chaos-burki-${String(i).padStart(3, "0")}`,
    campaignType: "call",
    assistantId: 7,
    welcomeMessageTemplate: update
      ? "Hello {{name}}, Ava again from Acme"
      : "Hi {{name}}, this is Ava from Acme",
    contacts: [
      { phoneNumber: `+1555${String(2000000 + i * 2).padStart(7, "0")}`, name: `Ann ${i}` },
      { phoneNumber: `+1555${String(2000001 + i * 2).padStart(7, "0")}`, name: `Bob ${i}` },
    ],
    ...(update ? { maxAttempts: 5 } : {}),
    ...(isScheduled(i) ? { schedule: scheduleOf(update) } : {}),
    state: i % 3 === 0 ? "draft" : "running",
    __provider: providerText.burki,
  });

  const woodpeckerProps = (i: number, update: boolean): Props => ({
    name: `chaos-woodpecker-${String(i).padStart(3, "0")}`,
    emailAccountIds: [112233],
    settings: { timezone: "Europe/Warsaw", dailyEnroll: update ? 80 : 50 },
    steps: [
      {
        versions: [
          {
            subject: update ? `Better question #${i}` : `Quick question #${i}`,
            message: "<p>Hi {{FIRST_NAME}}</p>",
          },
        ],
      },
      { delay: { value: 3, unit: "day" }, versions: [{ message: "<p>Following up</p>" }] },
    ],
    ...(hasProspects(i) ? { prospects: prospectsOf(i, update) } : {}),
    state: i % 3 === 0 ? "draft" : "running",
    __provider: providerText.woodpecker,
  });

  const propsFor = (r: Res, update: boolean) =>
    r.platform === "burki" ? burkiProps(r.index, update) : woodpeckerProps(r.index, update);

  function recordError(phase: Phase, pass: number, r: Res, e: unknown): void {
    if (!(e instanceof ProviderRpcError)) throw e; // a harness failure, not an operation's error
    const err: OpError = {
      phase,
      pass,
      platform: r.platform,
      name: r.name,
      id: r.id,
      message: e.details,
      partial: e.initFailed !== undefined,
    };
    errors.push(err);
    const m = e.details;
    const where = `${phase} of ${r.name}: ${m}`;
    expect(m.trim(), where).to.not.equal("");
    expect(m, where).to.include(TITLE[r.platform]);
    expect(m, where).to.not.match(/\bundefined\b/);
    expect(m, where).to.not.match(/\n\s+at /); // no raw stack
    expect(m, where).to.not.match(/\[object Object\]/);
    const id = e.initFailed?.id ?? r.id;
    if (!m.includes(r.name) && !(id && m.includes(id))) unnamed.push(err);
  }

  /** `pulumi up` for one resource: create, or check → diff → update (finishing a partial create too). */
  async function up(r: Res, phase: Phase, pass: number): Promise<boolean> {
    opCount[phase][r.platform]++;
    const chk = await host.check(r.urn, r.inputs ?? {}, r.props);
    expect(chk.failures, r.name).to.deep.equal([]);
    try {
      if (r.id === undefined) {
        const c = await host.create(r.urn, chk.inputs);
        Object.assign(r, { id: c.id, outs: c.outs, inputs: chk.inputs });
        return true;
      }
      const d = await host.diff(r.urn, r.id, r.outs!, chk.inputs);
      expect(d.replaces, `${r.name}: the chaos changes are all in place`).to.deep.equal([]);
      if (d.changes === "DIFF_SOME") {
        const u = await host.update(r.urn, r.id, r.outs!, chk.inputs, r.inputs);
        r.outs = u.outs;
      }
      r.inputs = chk.inputs;
      return true;
    } catch (e) {
      recordError(phase, pass, r, e);
      if (e instanceof ProviderRpcError && e.initFailed) {
        // The engine keeps the resource with the properties the provider reported.
        r.id = e.initFailed.id;
        r.outs = e.initFailed.properties;
        r.inputs = chk.inputs;
      }
      return false;
    }
  }

  async function destroy(r: Res, pass: number): Promise<boolean> {
    opCount.destroy[r.platform]++;
    try {
      await host.delete(r.urn, r.id!, r.outs!, r.inputs);
      r.id = r.outs = r.inputs = undefined;
      return true;
    } catch (e) {
      recordError("destroy", pass, r, e);
      return false;
    }
  }

  /** Run `op` over `todo` in passes, each pass re-running only what failed, like a user would. */
  async function runPhase(phase: Phase, todo: Res[], op: (r: Res, pass: number) => Promise<boolean>) {
    const t0 = Date.now();
    await Promise.all((["burki", "woodpecker"] as const).map((p) => control[p].setFaults(FAULTS)));
    let pending = todo;
    for (let pass = 1; pass <= PASSES[phase] && pending.length; pass++) {
      passesUsed[phase] = pass;
      const failed: Res[] = [];
      await pool(pending, POOL, async (r) => {
        if (!(await op(r, pass))) failed.push(r);
      });
      pending = failed;
    }
    await Promise.all((["burki", "woodpecker"] as const).map((p) => control[p].clearFaults()));
    phaseMs[phase] = Date.now() - t0;
    for (const p of ["burki", "woodpecker"] as const) {
      faultLog[phase][p] = await control[p].requests();
      await control[p].clearRequests();
    }
    // The per-account limiter keeps Woodpecker's queue from turning requests away, faults or not.
    expect(faultLog[phase].woodpecker.filter((q) => q.fault === "rate-limit")).to.deep.equal([]);
    const left = pending.map((r) => `${r.name}: ${errors.filter((e) => e.name === r.name).at(-1)?.message}`);
    expect(left, `${phase}: still failing after ${PASSES[phase]} passes`).to.deep.equal([]);
  }

  /** Outputs in state against what the emulators hold, after a phase. */
  async function expectStateMatchesEmulators(update: boolean): Promise<void> {
    const held = {
      burki: new Map((await control.burki.campaigns()).map((c) => [String(c.id), c])),
      woodpecker: new Map((await control.woodpecker.campaigns()).map((c) => [String(c.id), c])),
    };
    for (const p of ["burki", "woodpecker"] as const) {
      const mine = resources.filter((r) => r.platform === p);
      expect(held[p].size, `${p}: campaigns held`).to.equal(PER_PLATFORM);
      const names = [...held[p].values()].map((c) => c.name as string);
      expect(
        new Set(names).size,
        `${p}: duplicate names ${names.filter((n, i) => names.indexOf(n) !== i)}`,
      ).to.equal(PER_PLATFORM);
      expect(
        mine.map((r) => r.id).sort(),
        `${p}: the campaigns held are exactly the ones in state`,
      ).to.deep.equal([...held[p].keys()].sort());
    }
    for (const r of resources) {
      const o = r.outs!;
      const e = held[r.platform].get(r.id!);
      const what = `${r.name} (${r.id})`;
      expect(o.campaignId, what).to.equal(Number(r.id));
      expect(o.name, what).to.equal(e.name).and.to.equal(r.name);
      expect(o.state, what).to.equal(r.running ? "running" : "draft");
      if (r.platform === "burki") {
        // A start answers `scheduled`; Burki's worker moves it to running a moment later.
        const status = o.status === "scheduled" && e.status === "running" ? "running" : o.status;
        expect(status, what).to.equal(e.status);
        if (isScheduled(r.index)) {
          // Waiting for its time, at the declared instant.
          expect(e.status, what).to.equal("scheduled");
          expect(e.schedule?.schedule_type, what).to.equal("scheduled");
          expect(Date.parse(e.schedule.scheduled_at), what).to.equal(
            SCHEDULED_AT[update ? "update" : "create"],
          );
          expect(o.schedule, what).to.deep.equal(r.inputs!.schedule);
        } else {
          expect(e.status, what).to.equal(r.running ? "running" : "draft");
          expect(e.schedule?.schedule_type ?? "immediate", what).to.equal("immediate");
        }
        expect(o.maxAttempts, what)
          .to.equal(e.max_attempts)
          .and.to.equal(update ? 5 : 3);
        expect(o.welcomeMessageTemplate, what).to.equal(e.welcome_message_template);
        expect(o.welcomeMessageTemplate, what).to.equal(r.props.welcomeMessageTemplate);
        expect(o.totalContacts, what).to.equal(e.total_contacts).and.to.equal(2);
        expect(o.assistantId, what).to.equal(e.assistant_id);
        expect(o.campaignType, what).to.equal(e.campaign_type);
        expect(o.contactsDigest, what).to.match(/^[0-9a-f]{64}$/);
      } else {
        const chain = flattenChain(e.steps);
        expect(o.status, what)
          .to.equal(e.status)
          .and.to.equal(r.running ? "RUNNING" : "DRAFT");
        expect(o.stepIds, what).to.deep.equal(chain.map((s) => s.id));
        expect(o.stepIds, what).to.have.length(2);
        expect(o.versionIds, what).to.deep.equal(chain.map((s) => s.body.versions.map((v: Json) => v.id)));
        expect(o.settings.dailyEnroll, what)
          .to.equal(e.settings.daily_enroll)
          .and.to.equal(update ? 80 : 50);
        expect(o.steps[0].versions[0].subject, what)
          .to.equal(chain[0].body.versions[0].subject)
          .and.to.equal(r.props.steps[0].versions[0].subject);
        expect(o.emailAccountIds, what).to.deep.equal(e.email_account_ids);
        // The campaign holds exactly the declared prospects, each once, with their latest fields.
        const held = woodpecker.prospects.list(e.account, Number(r.id));
        const declared = (r.props.prospects as Props[] | undefined) ?? [];
        expect(held.map((p) => p.email).sort(), what).to.deep.equal(declared.map((p) => p.email).sort());
        for (const d of declared) {
          expect(
            held.find((p) => p.email === d.email)?.fields.company,
            `${what}: ${String(d.email)}`,
          ).to.equal(d.company);
        }
        if (hasProspects(r.index)) {
          expect(o, what).to.include({ prospectCount: declared.length, prospectsDrifted: 0 });
        } else {
          expect(o.prospectCount, what).to.equal(undefined);
        }
      }
    }
  }

  before(async () => {
    burki = new BurkiEmulator({ startDelayMs: 20, importDelayMs: 5, seed: FAULTS.seed });
    woodpecker = new WoodpeckerEmulator({ seed: FAULTS.seed });
    await Promise.all([burki.start(), woodpecker.start()]);
    control.burki = new EmulatorControl(burki.origin);
    control.woodpecker = new EmulatorControl(woodpecker.origin);
    providerText = await installedProviderTexts();
    host = await startCampaignHost({
      cwd: ROOT,
      burki: { baseUrl: burki.baseUrl },
      woodpecker: { baseUrl: woodpecker.baseUrl },
      settings: {
        "burki:requestTimeoutSeconds": String(REQUEST_TIMEOUT_S),
        "burki:stopTimeoutSeconds": "5",
        "woodpecker:requestTimeoutSeconds": String(REQUEST_TIMEOUT_S),
      },
    });
    for (const platform of ["burki", "woodpecker"] as const) {
      for (let i = 0; i < PER_PLATFORM; i++) {
        const r: Res = { platform, index: i, name: "", urn: "", running: i % 3 !== 0, props: {} };
        r.props = propsFor(r, false);
        r.name = r.props.name as string;
        r.urn = host.urnOf(TYPE[platform], r.name);
        resources.push(r);
      }
    }
  });

  after(async () => {
    try {
      const probe = await host.check(host.urnOf("probe", "stats"), {}, { __provider: STATS_PROBE });
      clientStats = JSON.parse(probe.inputs.stats as string);
    } catch (e) {
      console.log(`(client counters unavailable: ${(e as Error).message})`);
    }
    await host?.close();
    await Promise.all([burki?.stop(), woodpecker?.stop()]);
    printReport();
  });

  function ordered(): Res[] {
    return interleave(
      resources.filter((r) => r.platform === "burki"),
      resources.filter((r) => r.platform === "woodpecker"),
    );
  }

  it("create: every campaign exists once, with outputs that match the emulators", async () => {
    await runPhase("create", ordered(), (r, pass) => up(r, "create", pass));
    await expectStateMatchesEmulators(false);
  });

  it("update (in place: maxAttempts, a template, a schedule / a version subject, settings, prospects): outputs match", async () => {
    for (const r of resources) r.props = propsFor(r, true);
    await runPhase("update", ordered(), (r, pass) => up(r, "update", pass));
    await expectStateMatchesEmulators(true);
  });

  it("destroy: running Burki campaigns are stopped first; nothing is left on either emulator", async () => {
    await runPhase("destroy", ordered(), (r, pass) => destroy(r, pass));
    expect(resources.filter((r) => r.id !== undefined).map((r) => r.name)).to.deep.equal([]);
    expect(await control.burki.campaigns()).to.deep.equal([]);
    expect(await control.woodpecker.campaigns()).to.deep.equal([]);
    // Running Burki campaigns went through stop before delete.
    const stops = faultLog.destroy.burki.filter((q) => q.method === "POST" && q.path.endsWith("/stop"));
    const running = new Set(resources.filter((r) => r.platform === "burki" && r.running).map((r) => r.name));
    expect(stops.length).to.be.at.least(running.size);
  });

  function printReport(): void {
    const rows: string[][] = [];
    const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : "-");
    rows.push([
      "phase",
      "platform",
      "ops",
      "errors",
      "partial",
      "passes",
      "requests",
      "faults",
      ...FAULT_KINDS,
    ]);
    for (const phase of ["create", "update", "destroy"] as const) {
      for (const p of ["burki", "woodpecker"] as const) {
        const log = faultLog[phase][p];
        const faults = log.filter((q) => q.fault);
        const errs = errors.filter((e) => e.phase === phase && e.platform === p);
        rows.push([
          phase,
          p,
          String(opCount[phase][p]),
          String(errs.length),
          String(errs.filter((e) => e.partial).length),
          String(passesUsed[phase]),
          String(log.length),
          `${faults.length} (${pct(faults.length, log.length)})`,
          ...FAULT_KINDS.map((k) => String(log.filter((q) => q.fault === k).length)),
        ]);
      }
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ");
    const out = [
      `chaos report (seed ${FAULTS.seed}, pool ${POOL}, attempt timeout ${REQUEST_TIMEOUT_S / 3}s, slow ${SLOW_MS}ms)`,
    ];
    out.push(...rows.map(line));
    out.push(
      `phase time: create ${phaseMs.create} ms, update ${phaseMs.update} ms, destroy ${phaseMs.destroy} ms`,
    );
    if (clientStats) {
      for (const p of ["burki", "woodpecker"] as const) {
        const s = clientStats[p];
        const all = [...faultLog.create[p], ...faultLog.update[p], ...faultLog.destroy[p]];
        out.push(
          `client ${p}: requests ${s.requests}, attempts ${s.attempts}, retries ${s.retries}, ` +
            `429s seen ${s.status429} (emulator answered ${all.filter((q) => q.status === 429).length} 429s)`,
        );
      }
    }
    const byKind = new Map<string, number>();
    for (const e of errors) {
      const kind = e.message
        .replace(/\d+/g, "N")
        .replace(/"[^"]*"/g, '"…"')
        .slice(0, 140);
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
    if (byKind.size) out.push("errors by shape:", ...[...byKind].map(([k, n]) => `  ${n} × ${k}`));
    if (unnamed.length) {
      out.push(`errors that name neither the campaign nor its id: ${unnamed.length}`);
      for (const e of unnamed.slice(0, 5)) out.push(`  ${e.phase} ${e.name}: ${e.message}`);
    }
    console.log(out.join("\n"));
  }
});
