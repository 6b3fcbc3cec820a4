/**
 * Several stacks on one Woodpecker account: `stacks` provider hosts (one per stack, as when CI
 * deploys staging and production at once), each creating `perStack` campaigns `parallel` at a time,
 * all with the same API key — one account, one request processed at a time, six more queued, 429
 * beyond (provider/emulators/woodpecker.ts). Each host has its own limiter with
 * `woodpecker:maxInFlight` requests in flight (sent in the stack config), so the account sees up to
 * stacks × maxInFlight at once: at most 1 + 6 are admitted, the rest are answered 429 and retried
 * by the clients (provider/core/retry.ts).
 *
 * Measured: the combined wall time (first Check of any stack to the last Create answer of all),
 * against the account's one-at-a-time limit (requests it served × service time; a 429 from the
 * queue takes no service time), the 429s answered, failed operations; then the same for destroying
 * them all.
 */
import type { ProviderHost } from "../../test/helpers/provider-host";
import { WOODPECKER } from "./platforms";
import { startHost, type RunContext } from "./scenario";
import {
  machineCpuSeconds,
  ownCpuSeconds,
  procCpuSeconds,
  quantile,
  round,
  workerPool,
  type PoolOutcome,
} from "./util";

export interface StacksConfig {
  stacks: number;
  perStack: number;
  maxInFlight: number;
}

export interface SharedAccountPhase {
  wallMs: number;
  /** Every request the account got, 429s included. */
  calls: number;
  /** Requests the account processed (not answered 429 by its queue): what the limit counts. */
  served: number;
  status429: number;
  rateLimited: number;
  maxQueueDepth: number;
  maxConcurrent: number;
  /** served × service time: the fastest the account can serve them one at a time. */
  limitMs: number;
  wallOverLimit: number;
  /** Until the first request reached the account (hosts loading the implementation, first Checks). */
  firstRequestMs: number;
  /** Resource operations that failed (429s not absorbed by the retries would show here). */
  failed: number;
  errors: Array<{ stack: number; index: number; message: string }>;
  /** Latency of each resource operation as the engine sees it, all stacks. */
  opMs: { p50: number; p95: number; max: number };
  /** When each stack finished, from the common start. */
  stackWallMs: number[];
  /** CPU seconds over the phase: the provider hosts together, the emulators, the benchmark, everything else. */
  cpu: { hostsS: number; emulatorsS: number; benchS: number; othersS: number };
}

export interface StacksRun extends StacksConfig {
  total: number;
  up: SharedAccountPhase;
  destroy: SharedAccountPhase;
  /** Campaigns on the account after up, and left after destroy (should be total, then 0). */
  created: number;
  leftOver: number;
}

export async function runStacks(ctx: RunContext, cfg: StacksConfig): Promise<StacksRun> {
  const { emulators } = ctx;
  const control = emulators.woodpeckerControl;
  await control.reset();
  const hosts: ProviderHost[] = [];
  try {
    const started = await Promise.allSettled(
      Array.from({ length: cfg.stacks }, (_, s) =>
        startHost(ctx, [], { "woodpecker:maxInFlight": String(cfg.maxInFlight) }, `bench-${s}`),
      ),
    );
    for (const r of started) if (r.status === "fulfilled") hosts.push(r.value);
    const failedStart = started.find((r) => r.status === "rejected");
    if (failedStart) throw (failedStart as PromiseRejectedResult).reason;
    const provider = ctx.providerText.woodpecker;
    const urns = hosts.map((h, s) =>
      Array.from({ length: cfg.perStack }, (_, i) => h.urnOf(WOODPECKER.type, `stack${s}-bench-${i}`)),
    );
    const state = hosts.map(
      () =>
        new Array<{ id: string; outs: Record<string, unknown>; inputs: Record<string, unknown> }>(
          cfg.perStack,
        ),
    );

    const phase = async (task: (s: number, i: number) => Promise<void>): Promise<SharedAccountPhase> => {
      await control.clearRequests();
      await emulators.resetWoodpeckerStats();
      const cpuNow = () => [
        hosts.reduce((sum, h) => sum + procCpuSeconds(h.child.pid), 0),
        procCpuSeconds(emulators.child.pid),
        ownCpuSeconds(),
        machineCpuSeconds(),
      ];
      const cpu0 = cpuNow();
      const startedAt = Date.now();
      const t0 = performance.now();
      const stackWallMs: number[] = new Array(hosts.length);
      const pools: PoolOutcome[] = await Promise.all(
        hosts.map(async (_, s) => {
          const p = await workerPool(cfg.perStack, ctx.parallel, (i) => task(s, i));
          stackWallMs[s] = round(performance.now() - t0, 1);
          return p;
        }),
      );
      const wallMs = performance.now() - t0;
      const [hostsS, emulatorsS, benchS, machineS] = cpuNow().map((x, i) => x - cpu0[i]);
      const log = await control.requests();
      const stats = await emulators.woodpeckerStats();
      const queued429 = log.filter((e) => e.status === 429 && e.fault === "rate-limit").length;
      const served = log.length - queued429;
      const firstAt = log.reduce((m, e) => Math.min(m, Date.parse(e.at)), Infinity);
      const durations = pools.flatMap((p) => p.durationsMs);
      const limitMs = served * ctx.latencyMs;
      return {
        wallMs: round(wallMs, 1),
        calls: log.length,
        served,
        status429: log.filter((e) => e.status === 429).length,
        rateLimited: stats.rateLimited,
        maxQueueDepth: stats.maxQueueDepth,
        maxConcurrent: stats.maxConcurrent,
        limitMs,
        wallOverLimit: round(wallMs / limitMs, 3),
        firstRequestMs: Number.isFinite(firstAt) ? Math.max(0, firstAt - startedAt) : NaN,
        failed: pools.reduce((sum, p) => sum + p.errors.length, 0),
        errors: pools.flatMap((p, s) => p.errors.map((e) => ({ stack: s, ...e }))).slice(0, 5),
        opMs: {
          p50: round(quantile(durations, 0.5), 1),
          p95: round(quantile(durations, 0.95), 1),
          max: round(Math.max(...durations), 1),
        },
        stackWallMs,
        cpu: {
          hostsS: round(hostsS, 2),
          emulatorsS: round(emulatorsS, 2),
          benchS: round(benchS, 2),
          othersS: round(Math.max(0, machineS - hostsS - emulatorsS - benchS), 2),
        },
      };
    };

    const up = await phase(async (s, i) => {
      const inputs = { ...WOODPECKER.inputs(i), name: `stack${s}-bench-${i}`, __provider: provider };
      const chk = await hosts[s].check(urns[s][i], {}, inputs);
      if (chk.failures.length) throw new Error(`check failed: ${JSON.stringify(chk.failures)}`);
      const created = await hosts[s].create(urns[s][i], chk.inputs);
      state[s][i] = { id: created.id, outs: created.outs, inputs: chk.inputs };
    });
    const created = (await control.campaigns()).length;
    const destroy = await phase(async (s, i) => {
      const st = state[s][i];
      if (!st) throw new Error("not created");
      await hosts[s].delete(urns[s][i], st.id, st.outs, st.inputs);
    });
    const leftOver = (await control.campaigns()).length;
    return { ...cfg, total: cfg.stacks * cfg.perStack, up, destroy, created, leftOver };
  } finally {
    await Promise.all(hosts.map((h) => h.close()));
    await control.reset();
  }
}

/** Failed operations, campaigns not created or left behind. */
export function stacksProblems(r: StacksRun): string[] {
  const label = `${r.stacks} stacks × ${r.perStack} Woodpecker campaigns, maxInFlight ${r.maxInFlight}`;
  const out: string[] = [];
  for (const [phase, p] of [
    ["up", r.up],
    ["destroy", r.destroy],
  ] as const) {
    if (p.failed)
      out.push(`${label} ${phase}: ${p.failed} failed operation(s), e.g. ${p.errors[0]?.message}`);
  }
  if (r.created !== r.total) out.push(`${label}: ${r.created} of ${r.total} campaigns after up`);
  if (r.leftOver) out.push(`${label}: ${r.leftOver} campaign(s) left after destroy`);
  return out;
}

/**
 * What the benchmark runs: four stacks with `woodpecker:maxInFlight` 1 (4 in flight ≤ 7) and 2
 * (8 > 7: 429s expected, to be absorbed), and — unless `boundary` is false (the smoke run) — three
 * stacks with 2 (6 ≤ 7), which checks the rule `stacks × maxInFlight ≤ 1 + 6` for the default.
 */
export function stacksPlan(perStack: number, boundary = true): StacksConfig[] {
  if (perStack < 1) return [];
  return [
    { stacks: 4, perStack, maxInFlight: 1 },
    { stacks: 4, perStack, maxInFlight: 2 },
    ...(boundary ? [{ stacks: 3, perStack, maxInFlight: 2 }] : []),
  ];
}

/** Run the plan, one configuration after the other, logging a line each. */
export async function runStacksPlan(
  ctx: RunContext,
  perStack: number,
  boundary = true,
): Promise<{ runs: StacksRun[]; problems: string[] }> {
  const runs: StacksRun[] = [];
  const problems: string[] = [];
  for (const cfg of stacksPlan(perStack, boundary)) {
    const t0 = Date.now();
    const r = await runStacks(ctx, cfg);
    runs.push(r);
    problems.push(...stacksProblems(r));
    console.log(
      `  ${cfg.stacks} stacks × ${cfg.perStack} Woodpecker, maxInFlight ${cfg.maxInFlight}: up ` +
        `${(r.up.wallMs / 1000).toFixed(3)} s (wall/limit ${r.up.wallOverLimit}, ${r.up.status429} × 429, ` +
        `${r.up.failed} failed), destroy ${(r.destroy.wallMs / 1000).toFixed(3)} s (wall/limit ` +
        `${r.destroy.wallOverLimit}, ${r.destroy.status429} × 429, ${r.destroy.failed} failed) ` +
        `(${((Date.now() - t0) / 1000).toFixed(1)} s with host start)`,
    );
  }
  return { runs, problems };
}
