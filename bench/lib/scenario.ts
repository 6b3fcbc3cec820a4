/**
 * One measured run: N campaigns of one platform, "up" (Check + Create of each, `parallel` at a
 * time) then "destroy" (Delete of each), through the SDK's dynamic-provider host over gRPC, against
 * the emulators. A fresh host per run, so its memory high-water mark belongs to this N alone.
 *
 * Memory is taken two ways: VmHWM / VmRSS from /proc (what the OS sees: live objects, garbage V8
 * has not collected yet, code, buffers) and — in a heap pass, with the inspector — the live heap
 * after a forced full GC at each phase end (heap.ts), when no operation is in flight and the phase's
 * clock has stopped.
 */
import type { RequestLogEntry } from "../../provider/emulators/common";
import { ProviderHost, secret, type Props } from "../../test/helpers/provider-host";
import type { Emulators, WoodpeckerStats } from "./emulators";
import { HeapInspector, INSPECT_FLAG, type HeapPoint } from "./heap";
import type { PlatformSpec } from "./platforms";
import { burkiCreateWaits, type BurkiCreateWaits } from "./burki-path";
import { runPreview, runRefresh, type ReadOnlyPhase } from "./preview-refresh";
import {
  CpuMeter,
  RssSampler,
  callsByRoute,
  children,
  procMemory,
  quantile,
  round,
  workerPool,
  type CpuUse,
} from "./util";

export interface PhaseResult {
  wallMs: number;
  /** API requests the emulator logged during the phase. */
  calls: number;
  callsPerCampaign: number;
  /** The fewest the API allows per campaign (platforms.ts). */
  minimumPerCampaign: number;
  byRoute: Record<string, number>;
  /** Requests answered 429 (from the log), and the Woodpecker queue's own count of them. */
  status429: number;
  rateLimited?: number;
  maxConcurrent?: number;
  maxQueueDepth?: number;
  /** One-at-a-time platforms: calls × service time, the fastest the API can go. */
  limitMs?: number;
  wallOverLimit?: number;
  /**
   * Where the wall time went, from the emulator's log: until the first request reached the API
   * (host start-up work: loading the implementation, the first Checks), the time the API spent on
   * requests (service time as measured, timer slack and handler work included), and — on a
   * one-at-a-time API — the rest, per call: time the account's slot sat idle between one answer
   * and the next request's arrival.
   */
  breakdown: { firstRequestMs: number; apiBusyMs: number; idleMsPerCall?: number };
  /**
   * One-at-a-time platforms: wall time / the API's measured busy time. Unlike wallOverLimit it does
   * not count the API's own overshoot of the nominal service time; it is what the client's idle
   * gaps and start-up cost add.
   */
  wallOverBusy?: number;
  /** Latency of each resource operation (Check + Create, or Delete) as the engine sees it. */
  opMs: { p50: number; p95: number; max: number };
  /**
   * CPU time of the provider host, the emulators and the benchmark process over the phase, and
   * how many of the machine's cores that kept busy on average (all three share them).
   */
  cpu: CpuUse;
  errors: Array<{ index: number; message: string }>;
}

export interface RunResult {
  platform: string;
  n: number;
  parallel: number;
  up: PhaseResult;
  destroy: PhaseResult;
  /**
   * Timing pass only, between up and destroy of the same campaigns (preview-refresh.ts): a preview
   * of the unchanged campaigns (Check + Diff) and a refresh (Read + Diff).
   */
  preview?: ReadOnlyPhase;
  refresh?: ReadOnlyPhase;
  /** Burki: the two waits of each create's call path, from up's request log (burki-path.ts). */
  createWaits?: BurkiCreateWaits;
  /** Length of `__provider` in each resource's state, and of its whole outputs, in bytes (JSON). */
  providerBytes: number;
  stateBytesPerResource: number;
  memory: {
    /** After Configure, before the first operation. */
    baselineRssKb: number;
    /** Highest VmRSS sampled every 50 ms during up and destroy. */
    sampledPeakRssKb: number;
    /** VmHWM at the end: the process's peak resident set over its life (a fresh host per run). */
    hwmKb: number;
    afterUpRssKb: number;
    afterDestroyRssKb: number;
    /**
     * From a host with the inspector (the heap pass): V8's heap at the start (after Configure),
     * after up and after destroy (the end of this N) — before and after a forced full GC. `liveBytes`: the
     * larger live heap (used after the GC) of the two phase ends; what "flat in N" is judged on.
     */
    heap?: { baseline: HeapPoint; afterUp: HeapPoint; afterDestroy: HeapPoint; liveBytes: number };
  };
  /**
   * The heap pass (a second host, with the inspector, the same up and destroy, a forced GC at each
   * phase end) that `memory.heap` comes from, when the run has one: its own wall times and VmHWM,
   * kept to show what the forced GCs do to them; the reported times and VmHWM are this run's.
   */
  heapPass?: { upWallMs: number; destroyWallMs: number; hwmKb: number };
  /** Campaigns the emulator still held after destroy (should be 0). */
  leftOver: number;
  /** Campaigns the emulator held after up, and how many were in the declared state. */
  created: number;
  inDeclaredState: number;
}

export interface RunContext {
  emulators: Emulators;
  /** Program directory for the host: the serialized `require("pulumi-campaigns/…")` resolves here. */
  cwd: string;
  latencyMs: number;
  parallel: number;
  providerText: Record<string, string>;
  /** Extra environment of the provider host (diagnostics, e.g. NODE_OPTIONS). */
  hostEnv?: Record<string, string>;
}

/** The stack config the engine would send (secrets wrapped), for both platforms. */
export function stackConfig(emulators: Emulators): Props {
  return {
    "burki:apiKey": secret(emulators.burki.apiKey),
    "burki:baseUrl": emulators.burki.baseUrl,
    "woodpecker:apiKey": secret(emulators.woodpecker.apiKey),
    "woodpecker:baseUrl": emulators.woodpecker.baseUrl,
  };
}

/** `config`: more stack config sent with Configure (e.g. `woodpecker:maxInFlight`). */
export async function startHost(
  ctx: RunContext,
  nodeArgs: string[] = [],
  config: Props = {},
  stack = "bench",
): Promise<ProviderHost> {
  const host = await ProviderHost.start({
    nodeArgs,
    cwd: ctx.cwd,
    project: "campaigns-bench",
    stack,
    // Credentials come from the stack config only, as in a real stack.
    env: {
      BURKI_API_KEY: undefined,
      BURKI_BASE_URL: undefined,
      WOODPECKER_API_KEY: undefined,
      WOODPECKER_BASE_URL: undefined,
      WOODPECKER_MAX_IN_FLIGHT: undefined, // the provider's default (2)
      ...ctx.hostEnv,
    },
  });
  children.add(host.child);
  host.child.once("exit", () => children.delete(host.child));
  await host.configure({ ...stackConfig(ctx.emulators), ...config });
  return host;
}

export function phaseResult(
  spec: PlatformSpec,
  n: number,
  startedAt: number,
  wallMs: number,
  log: RequestLogEntry[],
  pool: { durationsMs: number[]; errors: Array<{ index: number; message: string }> },
  minimum: number,
  latencyMs: number,
  stats: WoodpeckerStats | undefined,
  cpu: CpuUse,
): PhaseResult {
  const calls = log.length;
  const firstAt = log.reduce((m, e) => Math.min(m, Date.parse(e.at)), Infinity);
  const apiBusyMs = log.reduce((sum, e) => sum + e.durationMs - (e.queuedMs ?? 0), 0);
  const r: PhaseResult = {
    wallMs: round(wallMs, 1),
    calls,
    callsPerCampaign: round(calls / n, 3),
    minimumPerCampaign: minimum,
    byRoute: callsByRoute(log, n),
    status429: log.filter((e) => e.status === 429).length,
    opMs: {
      p50: round(quantile(pool.durationsMs, 0.5), 1),
      p95: round(quantile(pool.durationsMs, 0.95), 1),
      max: round(Math.max(...pool.durationsMs), 1),
    },
    cpu,
    errors: pool.errors.slice(0, 5),
    breakdown: {
      firstRequestMs: Number.isFinite(firstAt) ? Math.max(0, firstAt - startedAt) : NaN,
      apiBusyMs,
    },
  };
  if (stats) {
    r.rateLimited = stats.rateLimited;
    r.maxConcurrent = stats.maxConcurrent;
    r.maxQueueDepth = stats.maxQueueDepth;
  }
  if (spec.oneAtATime) {
    r.limitMs = calls * latencyMs;
    r.wallOverLimit = round(wallMs / r.limitMs, 3);
    r.breakdown.idleMsPerCall = round(
      (wallMs - r.breakdown.firstRequestMs - apiBusyMs) / Math.max(1, calls),
      2,
    );
    r.wallOverBusy = round(wallMs / apiBusyMs, 3);
  }
  return r;
}

/**
 * `measureHeap`: start the host with the inspector and take its heap at the start and at both
 * phase ends (a forced, memory-reducing full GC each time). Those GCs shrink V8's heap and so lower
 * the host's VmHWM (by 20–30 MB at N = 10 and 1000), and they could change the timing of the phase
 * after them; so the benchmark runs each (platform, N) twice: a timing pass without the inspector
 * (the reported times and VmHWM) and a heap pass with it (the live heap). The heap pass's own times
 * are kept (RunResult.heapPass) to show the difference.
 */
export async function runUpDestroy(
  spec: PlatformSpec,
  n: number,
  ctx: RunContext,
  measureHeap = false,
  readOnlyPhases = !measureHeap,
): Promise<RunResult> {
  const { emulators } = ctx;
  const control = emulators.control(spec.key);
  await control.reset(); // data, log, faults (and Woodpecker's queue stats)
  const host = await startHost(ctx, measureHeap ? [INSPECT_FLAG] : []);
  const pid = host.child.pid;
  let inspector: HeapInspector | undefined;
  try {
    if (measureHeap) inspector = await HeapInspector.connect(host);
    const pids = { host: pid, emulators: emulators.child.pid };
    const provider = ctx.providerText[spec.key];
    const urns = Array.from({ length: n }, (_, i) => host.urnOf(spec.type, `bench-${i}`));
    const state: Array<{ id: string; inputs: Props; outs: Props } | undefined> = new Array(n);
    const baselineRssKb = procMemory(pid)?.rssKb ?? NaN;
    const heapBaseline = await inspector?.measure();
    const sampler = new RssSampler(pid).start();

    // up: Check + Create of each resource, `parallel` operations at a time.
    await control.clearRequests();
    if (spec.oneAtATime) await emulators.resetWoodpeckerStats();
    let startedAt = Date.now();
    let t0 = performance.now();
    let cpu = new CpuMeter(pids);
    const upPool = await workerPool(n, ctx.parallel, async (i) => {
      const chk = await host.check(urns[i], {}, { ...spec.inputs(i), __provider: provider });
      if (chk.failures.length) throw new Error(`check failed: ${JSON.stringify(chk.failures)}`);
      const created = await host.create(urns[i], chk.inputs);
      state[i] = { id: created.id, inputs: chk.inputs, outs: created.outs };
    });
    const upWall = performance.now() - t0;
    const upCpu = cpu.stop();
    const upStartedAt = startedAt;
    const upLog = await control.requests();
    const createWaits = spec.key === "burki" ? burkiCreateWaits(upLog) : undefined;
    const upStats = spec.oneAtATime ? await emulators.woodpeckerStats() : undefined;
    const afterUpRssKb = procMemory(pid)?.rssKb ?? NaN;
    const heapAfterUp = await inspector?.measure();

    const live = (await control.campaigns()) as Array<{ status: string }>;
    const declared = spec.key === "burki" ? ["running", "scheduled"] : ["DRAFT"];
    const first = state.find((s) => s !== undefined);
    const providerBytes = first ? Buffer.byteLength(String(first.outs.__provider ?? "")) : NaN;
    const stateBytes = state
      .filter((s) => s !== undefined)
      .map((s) => Buffer.byteLength(JSON.stringify(s!.outs)));

    // preview and refresh of the same campaigns, between up and destroy (no extra creates).
    let preview: ReadOnlyPhase | undefined;
    let refresh: ReadOnlyPhase | undefined;
    if (readOnlyPhases) {
      const ro = {
        host,
        emulators,
        spec,
        urns,
        state,
        provider,
        parallel: ctx.parallel,
        latencyMs: ctx.latencyMs,
        pids,
      };
      preview = await runPreview(ro);
      refresh = await runRefresh(ro);
    }

    // destroy: Delete of each resource (state = the outputs, old inputs = the checked inputs).
    await control.clearRequests();
    if (spec.oneAtATime) await emulators.resetWoodpeckerStats();
    startedAt = Date.now();
    t0 = performance.now();
    cpu = new CpuMeter(pids);
    const destroyPool = await workerPool(n, ctx.parallel, async (i) => {
      const s = state[i];
      if (!s) throw new Error("not created");
      await host.delete(urns[i], s.id, s.outs, s.inputs);
    });
    const destroyWall = performance.now() - t0;
    const destroyCpu = cpu.stop();
    const destroyLog = await control.requests();
    const destroyStats = spec.oneAtATime ? await emulators.woodpeckerStats() : undefined;
    sampler.stop();
    const end = procMemory(pid); // VmHWM before the last forced GC
    const heapAfterDestroy = await inspector?.measure();
    const leftOver = (await control.campaigns()).length;

    return {
      platform: spec.key,
      n,
      parallel: ctx.parallel,
      up: phaseResult(
        spec,
        n,
        upStartedAt,
        upWall,
        upLog,
        upPool,
        spec.minimum.up,
        ctx.latencyMs,
        upStats,
        upCpu,
      ),
      destroy: phaseResult(
        spec,
        n,
        startedAt,
        destroyWall,
        destroyLog,
        destroyPool,
        spec.minimum.destroy,
        ctx.latencyMs,
        destroyStats,
        destroyCpu,
      ),
      ...(preview && refresh ? { preview, refresh } : {}),
      ...(createWaits ? { createWaits } : {}),
      providerBytes,
      stateBytesPerResource: stateBytes.length ? Math.max(...stateBytes) : NaN,
      memory: {
        baselineRssKb,
        sampledPeakRssKb: sampler.maxRssKb,
        hwmKb: end?.hwmKb ?? NaN,
        afterUpRssKb,
        afterDestroyRssKb: end?.rssKb ?? NaN,
        heap:
          heapBaseline && heapAfterUp && heapAfterDestroy
            ? {
                baseline: heapBaseline,
                afterUp: heapAfterUp,
                afterDestroy: heapAfterDestroy,
                liveBytes: Math.max(heapAfterUp.after.usedBytes, heapAfterDestroy.after.usedBytes),
              }
            : undefined,
      },
      leftOver,
      created: live.length,
      inDeclaredState: live.filter((c) => declared.includes(c.status)).length,
    };
  } finally {
    await inspector?.close();
    await host.close();
  }
}
