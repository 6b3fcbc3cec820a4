/**
 * The results file, the targets and their verdicts, and the tables (console text and markdown).
 */
import type { ProspectsResult } from "../prospects";
import type { OverheadResult } from "./overhead";
import { PLATFORMS } from "./platforms";
import type { RunResult } from "./scenario";
import type { StacksRun } from "./stacks";
import { mb, round } from "./util";

export interface Settings {
  sizes: number[];
  latencyMs: number;
  parallel: number;
  overheadIterations: number;
  /** Was there a heap pass (hosts with the inspector: live heap measured)? Absent in older files. */
  heapPass?: boolean;
  burki: { startDelayMs: number; importDelayMs: number };
  woodpecker: { maxQueued: number; maxWaitMs: number };
}

export interface Target {
  id: string;
  what: string;
  target: string;
  measured: string;
  /** null: not measurable in this run (e.g. "flat in N" with a single N). */
  met: boolean | null;
  why?: string;
}

export interface BenchResults {
  schema: 1;
  mode: "full" | "smoke" | "stress" | "custom";
  startedAt: string;
  durationSeconds: number;
  environment: Record<string, string | number>;
  settings: Settings;
  minimums: Record<string, { up: number; destroy: number; upWhy: string; destroyWhy: string }>;
  runs: RunResult[];
  /** Several stacks on one Woodpecker account (stacks.ts); absent in older files. */
  stacks?: StacksRun[];
  overhead?: OverheadResult;
  /** One Woodpecker campaign with N prospects (../prospects.ts); absent in older files. */
  prospects?: ProspectsResult[];
  targets: Target[];
  /** Failed operations, campaigns left behind: the run itself is wrong, not just slow. */
  problems: string[];
}

const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : "n/a");
const worst = (xs: number[]) => (xs.length ? Math.max(...xs) : NaN);

export const MEMORY_FLAT_FACTOR = 1.25;
export const WALL_OVER_LIMIT_TARGET = 1.15;
export const OVERHEAD_TARGET = 1.25;
export const PROVIDER_BYTES_TARGET = 2048;
/** Burki create: up wall ≤ this × ceil(N / parallel) × the call path's floor; at most so many calls. */
export const BURKI_PACE_TARGET = 1.2;
export const BURKI_CREATE_CALLS_TARGET = 5;
/** Preview of unchanged resources: wall time per resource, ms. */
export const PREVIEW_MS_TARGET = 2;
/** Refresh: Woodpecker wall ≤ this × its one-at-a-time limit; Burki ≤ this × ceil(N / parallel) × one GET. */
export const WOODPECKER_REFRESH_TARGET = 1.1;
export const BURKI_REFRESH_TARGET = 1.2;
/** Several stacks on one Woodpecker account: combined wall ≤ this × the account's limit. */
export const STACKS_TARGET = 1.3;
/** Below this many campaigns in all, a throughput ratio is start-up cost, not throughput: shown, not judged. */
export const STACKS_JUDGED_FROM = 100;

/**
 * The floor of the call path Burki's create takes with contacts and `state: "running"`, as the
 * emulator is set: the service time of its five calls (POST create, POST import-data, GET of the
 * import once it can have completed, POST start, GET of the campaign once the start hop can have
 * happened) plus Burki's two asynchronous hops in between (the import, `importDelayMs`, and
 * `scheduled → running`, `startDelayMs`), one after the other. No client can be faster than this
 * while waiting for `running`; each wait that polls late or twice adds to it.
 */
export function burkiCreateFloor(s: Settings): { calls: number; ms: number; text: string } {
  const calls = BURKI_CREATE_CALLS_TARGET;
  const ms = calls * s.latencyMs + s.burki.importDelayMs + s.burki.startDelayMs;
  return {
    calls,
    ms,
    text:
      `${calls} calls × ${s.latencyMs} ms + import ${s.burki.importDelayMs} ms + start hop ` +
      `${s.burki.startDelayMs} ms = ${ms} ms`,
  };
}

/** Ideal wall time of N operations `parallel` at a time, each taking `opMs`. */
export const batchesMs = (n: number, parallel: number, opMs: number) => Math.ceil(n / parallel) * opMs;

export function evaluateTargets(
  runs: RunResult[],
  overhead: OverheadResult | undefined,
  settings?: Settings,
  stacks?: StacksRun[],
): Target[] {
  const out: Target[] = [];
  const of = (p: string) => runs.filter((r) => r.platform === p).sort((a, b) => a.n - b.n);
  const burki = of("burki");
  const wp = of("woodpecker");
  const perN = (rs: RunResult[], f: (r: RunResult) => number, d = 2) =>
    rs.map((r) => `${fmt(f(r), d)} @${r.n}`).join(", ");

  if (burki.length) {
    const up = burki.map((r) => r.up.callsPerCampaign);
    out.push({
      id: "burki-create-calls",
      what: "Burki create (contacts + start): API calls per campaign",
      target: `≤ ${BURKI_CREATE_CALLS_TARGET} (minimum ${burki[0].up.minimumPerCampaign})`,
      measured: perN(burki, (r) => r.up.callsPerCampaign),
      met: worst(up) <= BURKI_CREATE_CALLS_TARGET,
      why: `${fmt(worst(up) / burki[0].up.minimumPerCampaign)}× the minimum`,
    });
    if (settings) {
      const floor = burkiCreateFloor(settings);
      const pace = (r: RunResult) => r.up.wallMs / batchesMs(r.n, r.parallel, floor.ms);
      const largest = burki[burki.length - 1];
      out.push({
        id: "burki-create-pace",
        what: "Burki up: wall time / (ceil(N / parallel) × the create path's floor)",
        target: `≤ ${BURKI_PACE_TARGET} (judged at the largest N)`,
        measured: perN(burki, pace),
        met: pace(largest) <= BURKI_PACE_TARGET,
        why:
          `floor ${floor.text}; @${largest.n}: ${fmt(largest.up.wallMs / 1000, 1)} s vs ` +
          `${fmt(batchesMs(largest.n, largest.parallel, floor.ms) / 1000, 1)} s, one create p50 ` +
          `${fmt(largest.up.opMs.p50, 0)} ms` +
          (largest.createWaits
            ? `; waits (p50): import ${fmt(largest.createWaits.importWaitMs, 0)} ms for a ` +
              `${settings.burki.importDelayMs} ms hop (${fmt(largest.createWaits.importPolls, 0)} GET), ` +
              `start ${fmt(largest.createWaits.startWaitMs, 0)} ms for a ${settings.burki.startDelayMs} ms ` +
              `hop + 1 GET (${fmt(largest.createWaits.startPolls, 0)} GETs)`
            : ""),
      });
    }
    const del = burki.map((r) => r.destroy.callsPerCampaign);
    out.push({
      id: "burki-delete-calls",
      what: "Burki delete of a running campaign: API calls per campaign",
      target: `≤ 4 (minimum ${burki[0].destroy.minimumPerCampaign})`,
      measured: perN(burki, (r) => r.destroy.callsPerCampaign),
      met: worst(del) <= 4,
    });
  }
  if (wp.length) {
    out.push({
      id: "woodpecker-create-calls",
      what: "Woodpecker create: API calls per campaign",
      target: "= 1 (the minimum)",
      measured: perN(wp, (r) => r.up.callsPerCampaign),
      met: worst(wp.map((r) => r.up.callsPerCampaign)) <= 1,
    });
    out.push({
      id: "woodpecker-delete-calls",
      what: "Woodpecker delete: API calls per campaign",
      target: "= 1 (the minimum)",
      measured: perN(wp, (r) => r.destroy.callsPerCampaign),
      met: worst(wp.map((r) => r.destroy.callsPerCampaign)) <= 1,
    });
    // Throughput is judged where it is throughput: at the largest N. Smaller N are shown; there the
    // fixed start-up cost (the first request's arrival, see the breakdown) dominates.
    const largest = wp[wp.length - 1];
    for (const phase of ["up", "destroy"] as const) {
      out.push({
        id: `woodpecker-throughput-${phase}`,
        what: `Woodpecker ${phase}: wall time / (calls × service time)`,
        target: `≤ ${WALL_OVER_LIMIT_TARGET} (judged at the largest N)`,
        measured: perN(wp, (r) => r[phase].wallOverLimit ?? NaN),
        met: (largest[phase].wallOverLimit ?? Infinity) <= WALL_OVER_LIMIT_TARGET,
        why: `wall / the API's measured busy time ${fmt(largest[phase].wallOverBusy ?? NaN)} @${largest.n}`,
      });
    }
    const tooMany = wp.map(
      (r) =>
        Math.max(r.up.status429, r.up.rateLimited ?? 0) +
        Math.max(r.destroy.status429, r.destroy.rateLimited ?? 0),
    );
    out.push({
      id: "woodpecker-429",
      what: "Woodpecker 429 answers (log and queue stats), up + destroy",
      target: "0",
      measured: perN(
        wp,
        (r) =>
          Math.max(r.up.status429, r.up.rateLimited ?? 0) +
          Math.max(r.destroy.status429, r.destroy.rateLimited ?? 0),
        0,
      ),
      met: tooMany.every((x) => x === 0),
    });
  }
  for (const spec of PLATFORMS) {
    const rs = of(spec.key);
    if (!rs.length) continue;
    const bytes = worst(rs.map((r) => r.providerBytes));
    out.push({
      id: `${spec.key}-provider-bytes`,
      what: `${spec.title}: \`__provider\` bytes per resource`,
      target: `< ${PROVIDER_BYTES_TARGET}`,
      measured: `${bytes} B (whole state of a resource: ${worst(rs.map((r) => r.stateBytesPerResource))} B)`,
      met: bytes < PROVIDER_BYTES_TARGET,
    });
  }
  // Memory flat in N is judged on what the host retains: its live heap after a full GC at the
  // phase ends. VmHWM (peak resident set) is reported beside it, not judged: it also counts garbage
  // V8 has not collected yet, and V8 sizes its heap to the allocation rate (README).
  for (const spec of PLATFORMS) {
    const rs = of(spec.key);
    if (!rs.length) continue;
    const first = rs[0];
    const last = rs[rs.length - 1];
    const measuredHeap = rs.every((r) => r.memory.heap !== undefined);
    const heapGrowth = measuredHeap ? last.memory.heap!.liveBytes / first.memory.heap!.liveBytes : NaN;
    out.push({
      id: `${spec.key}-memory-flat`,
      what: `${spec.title}: provider host live heap after a full GC flat in N`,
      target: `live heap at the largest N ≤ ${MEMORY_FLAT_FACTOR}× at the smallest`,
      measured: measuredHeap
        ? perN(rs, (r) => r.memory.heap!.liveBytes / 2 ** 20, 1).replace(/ @/g, " MB @")
        : "not measured (hosts without the inspector)",
      met: rs.length < 2 || !measuredHeap ? null : heapGrowth <= MEMORY_FLAT_FACTOR,
      why: !measuredHeap
        ? undefined
        : rs.length < 2
          ? "one N only"
          : `${fmt(heapGrowth)}× from N=${first.n} to N=${last.n}`,
    });
    const hwmGrowth = last.memory.hwmKb / first.memory.hwmKb;
    out.push({
      id: `${spec.key}-memory-hwm`,
      what: `${spec.title}: provider host peak resident set (VmHWM)`,
      target: "reported (garbage not yet collected included; not judged)",
      measured: perN(rs, (r) => mb(r.memory.hwmKb), 1).replace(/ @/g, " MB @"),
      met: null,
      why: rs.length < 2 ? undefined : `${fmt(hwmGrowth)}× from N=${first.n} to N=${last.n}`,
    });
  }
  out.push(...readOnlyTargets(runs, settings));
  out.push(...stacksTargets(stacks ?? []));
  if (overhead) {
    out.push({
      id: "overhead",
      what: "Provider operation vs the same call with undici (median, emulator latency included)",
      target: `≤ ${OVERHEAD_TARGET}`,
      measured: `${fmt(overhead.ratio, 3)} (${fmt(overhead.providerMs.median, 2)} ms vs ${fmt(overhead.directMs.median, 2)} ms)`,
      met: overhead.ratio <= OVERHEAD_TARGET,
    });
  }
  return out;
}

/** Preview and refresh of the campaigns of each run (timing pass), judged at the largest N. */
function readOnlyTargets(runs: RunResult[], settings: Settings | undefined): Target[] {
  const out: Target[] = [];
  for (const spec of PLATFORMS) {
    const rs = runs
      .filter((r) => r.platform === spec.key && r.preview && r.refresh)
      .sort((a, b) => a.n - b.n);
    if (!rs.length) continue;
    const largest = rs[rs.length - 1];
    const perN = (f: (r: RunResult) => number, d = 2) => rs.map((r) => `${fmt(f(r), d)} @${r.n}`).join(", ");
    out.push({
      id: `${spec.key}-preview-calls`,
      what: `${spec.title} preview of unchanged campaigns (Check + Diff): API calls`,
      target: "0 (and Diff answers DIFF_NONE)",
      measured: perN((r) => r.preview!.calls, 0),
      met: rs.every((r) => r.preview!.calls === 0 && r.preview!.changed === 0),
      why: `Diffs not DIFF_NONE: ${rs.map((r) => r.preview!.changed).join(", ")}`,
    });
    out.push({
      id: `${spec.key}-preview-time`,
      what: `${spec.title} preview: wall time per resource (ms, ${largest.parallel} at a time)`,
      target: `≤ ${PREVIEW_MS_TARGET} ms (judged at the largest N)`,
      measured: perN((r) => r.preview!.msPerResource),
      met: largest.preview!.msPerResource <= PREVIEW_MS_TARGET,
      why:
        `provider host CPU per resource ${fmt(largest.preview!.hostCpuMsPerResource)} ms, one Check + Diff ` +
        `p50 ${fmt(largest.preview!.opMs.p50, 1)} ms @${largest.n}`,
    });
    const gets = largest.refresh!.byRoute;
    const routes = Object.entries(gets)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(" + ");
    out.push({
      id: `${spec.key}-refresh-calls`,
      what: `${spec.title} refresh (Read + Diff): API calls per campaign`,
      target: "= 1 (one GET; Diff answers DIFF_NONE)",
      measured: perN((r) => r.refresh!.callsPerCampaign),
      met: rs.every((r) => r.refresh!.callsPerCampaign <= 1 && r.refresh!.changed === 0),
      why:
        routes +
        (spec.key === "woodpecker"
          ? "; a declared bounceShieldThreshold adds one GET (Woodpecker's campaign answer does not carry it)"
          : ""),
    });
    if (spec.oneAtATime) {
      out.push({
        id: `${spec.key}-refresh-throughput`,
        what: `${spec.title} refresh: wall time / (calls × service time)`,
        target: `≤ ${WOODPECKER_REFRESH_TARGET} (judged at the largest N)`,
        measured: perN((r) => r.refresh!.wallOverLimit ?? NaN),
        met: (largest.refresh!.wallOverLimit ?? Infinity) <= WOODPECKER_REFRESH_TARGET,
        why:
          `${fmt(largest.refresh!.wallMs / 1000, 2)} s for ${largest.refresh!.calls} calls @${largest.n}; ` +
          `wall / the API's measured busy time ${fmt(largest.refresh!.wallOverBusy ?? NaN)}`,
      });
    } else if (settings) {
      const ratio = (r: RunResult) => r.refresh!.wallMs / batchesMs(r.n, r.parallel, settings.latencyMs);
      out.push({
        id: `${spec.key}-refresh-pace`,
        what: `${spec.title} refresh: wall time / (ceil(N / parallel) × one GET's service time)`,
        target: `≤ ${BURKI_REFRESH_TARGET} (judged at the largest N)`,
        measured: perN(ratio),
        met: ratio(largest) <= BURKI_REFRESH_TARGET,
        why:
          `${fmt(largest.refresh!.wallMs / 1000, 2)} s vs ${fmt(batchesMs(largest.n, largest.parallel, settings.latencyMs) / 1000, 2)} s ` +
          `@${largest.n}; one Read + Diff p50 ${fmt(largest.refresh!.opMs.p50, 1)} ms`,
      });
    }
  }
  return out;
}

/** Several stacks on one Woodpecker account. */
function stacksTargets(stacks: StacksRun[]): Target[] {
  const out: Target[] = [];
  for (const r of stacks) {
    const label = `${r.stacks} stacks × ${r.perStack} Woodpecker creates, one account, maxInFlight ${r.maxInFlight}`;
    const inFlight = r.stacks * r.maxInFlight;
    out.push({
      id: `stacks-${r.stacks}x${r.maxInFlight}-failures`,
      what: `${label}: failed operations (every 429 absorbed by the retries)`,
      target: "0 failed, none left behind",
      measured:
        `${r.up.failed} failed (up), ${r.destroy.failed} (destroy); 429s answered and retried: ` +
        `${r.up.status429} (up), ${r.destroy.status429} (destroy)`,
      met: r.up.failed === 0 && r.destroy.failed === 0 && r.created === r.total && r.leftOver === 0,
    });
    const judged = r.total >= STACKS_JUDGED_FROM;
    out.push({
      id: `stacks-${r.stacks}x${r.maxInFlight}-throughput`,
      what: `${label}: combined up wall / (requests served × service time)`,
      target: `≤ ${STACKS_TARGET}${judged ? "" : ` (judged from ${STACKS_JUDGED_FROM} campaigns in all)`}`,
      measured: `${fmt(r.up.wallOverLimit)} (${fmt(r.up.wallMs / 1000, 2)} s vs ${fmt(r.up.limitMs / 1000, 2)} s); destroy ${fmt(r.destroy.wallOverLimit)}`,
      met: judged ? r.up.wallOverLimit <= STACKS_TARGET : null,
    });
    const fits = inFlight <= 7;
    out.push({
      id: `stacks-${r.stacks}x${r.maxInFlight}-429`,
      what: `${label}: 429s (stacks × maxInFlight = ${inFlight} ${fits ? "≤" : ">"} 1 processed + 6 queued)`,
      target: fits ? "0" : "reported (more in flight than the account admits)",
      measured: `${r.up.status429 + r.destroy.status429} (max queued ${Math.max(r.up.maxQueueDepth, r.destroy.maxQueueDepth)})`,
      met: fits ? r.up.status429 + r.destroy.status429 === 0 : null,
    });
  }
  return out;
}

export interface Table {
  head: string[];
  rows: string[][];
}

export function runsTable(results: BenchResults): Table {
  const head = [
    "platform",
    "N",
    "up s",
    "destroy s",
    "calls/campaign up (min)",
    "calls/campaign destroy (min)",
    "wall/limit up",
    "wall/limit destroy",
    "429s",
    "__provider B",
    "host VmHWM MB",
    "host live heap MB",
  ];
  const rows = results.runs.map((r) => {
    const wp = r.up.wallOverLimit !== undefined;
    return [
      PLATFORMS.find((p) => p.key === r.platform)?.title ?? r.platform,
      String(r.n),
      fmt(r.up.wallMs / 1000, 3),
      fmt(r.destroy.wallMs / 1000, 3),
      `${fmt(r.up.callsPerCampaign)} (${r.up.minimumPerCampaign})`,
      `${fmt(r.destroy.callsPerCampaign)} (${r.destroy.minimumPerCampaign})`,
      wp ? fmt(r.up.wallOverLimit!) : "–",
      wp ? fmt(r.destroy.wallOverLimit!) : "–",
      String(r.up.status429 + r.destroy.status429),
      String(r.providerBytes),
      fmt(mb(r.memory.hwmKb), 1),
      r.memory.heap ? fmt(r.memory.heap.liveBytes / 2 ** 20, 1) : "–",
    ];
  });
  return { head, rows };
}

const mib = (bytes: number) => fmt(bytes / 2 ** 20, 1);

/**
 * The provider host's memory per run: its peak resident set (timing pass), and from the heap pass
 * V8's heap at the end of up before a forced full GC (live + not yet collected, and what V8 had
 * reserved), the resident set before and after that GC, the live heap after a GC at the start,
 * after up and after destroy; and the heap pass's own VmHWM and wall times (its forced GCs change
 * both, which is why the reported figures come from the timing pass).
 */
export function memoryTable(results: BenchResults): Table {
  const head = [
    "platform",
    "N",
    "VmHWM MB",
    "end of up: V8 heap used / reserved MB",
    "end of up: RSS before → after GC MB",
    "live heap after GC MB: start / after up / after destroy",
    "heap pass: VmHWM MB",
    "heap pass: up s / destroy s",
  ];
  const rows = results.runs.map((r) => {
    const h = r.memory.heap;
    const hp = r.heapPass;
    return [
      PLATFORMS.find((p) => p.key === r.platform)?.title ?? r.platform,
      String(r.n),
      fmt(mb(r.memory.hwmKb), 1),
      h ? `${mib(h.afterUp.before.usedBytes)} / ${mib(h.afterUp.before.totalBytes)}` : "–",
      h ? `${fmt(mb(h.afterUp.rssBeforeKb), 1)} → ${fmt(mb(h.afterUp.rssAfterKb), 1)}` : "–",
      h
        ? `${mib(h.baseline.after.usedBytes)} / ${mib(h.afterUp.after.usedBytes)} / ${mib(h.afterDestroy.after.usedBytes)}`
        : "–",
      hp ? fmt(mb(hp.hwmKb), 1) : "–",
      hp ? `${fmt(hp.upWallMs / 1000, 3)} / ${fmt(hp.destroyWallMs / 1000, 3)}` : "–",
    ];
  });
  return { head, rows };
}

/** Woodpecker's phases against its one-request-at-a-time limit, and where the wall time went. */
export function throughputTable(results: BenchResults): Table {
  const head = [
    "N",
    "phase",
    "calls",
    "wall s",
    "limit s",
    "wall/limit",
    "API busy s",
    "wall/busy",
    "idle ms/call",
    "first call ms",
    "max queued",
    "429s",
  ];
  const rows: string[][] = [];
  for (const r of results.runs.filter((x) => x.up.limitMs !== undefined)) {
    for (const phase of ["up", "destroy"] as const) {
      const p = r[phase];
      rows.push([
        String(r.n),
        phase,
        String(p.calls),
        fmt(p.wallMs / 1000, 3),
        fmt(p.limitMs! / 1000, 3),
        fmt(p.wallOverLimit!),
        fmt(p.breakdown.apiBusyMs / 1000, 3),
        fmt(p.wallOverBusy ?? NaN),
        fmt(p.breakdown.idleMsPerCall ?? NaN),
        fmt(p.breakdown.firstRequestMs, 0),
        String(p.maxQueueDepth ?? "–"),
        String(Math.max(p.status429, p.rateLimited ?? 0)),
      ]);
    }
  }
  return { head, rows };
}

/** Preview and refresh of the campaigns of each run (between its up and its destroy). */
export function readOnlyTable(results: BenchResults): Table {
  const head = [
    "platform",
    "N",
    "phase",
    "wall s",
    "ms/resource",
    "host CPU ms/resource",
    "op p50 ms",
    "calls/campaign",
    "calls by route (per campaign)",
    "wall/limit",
    "not DIFF_NONE",
  ];
  const rows: string[][] = [];
  for (const r of results.runs) {
    for (const phase of ["preview", "refresh"] as const) {
      const p = r[phase];
      if (!p) continue;
      rows.push([
        PLATFORMS.find((x) => x.key === r.platform)?.title ?? r.platform,
        String(r.n),
        phase,
        fmt(p.wallMs / 1000, 3),
        fmt(p.msPerResource),
        fmt(p.hostCpuMsPerResource),
        fmt(p.opMs.p50, 1),
        fmt(p.callsPerCampaign),
        Object.entries(p.byRoute)
          .map(([k, v]) => `${k} ${fmt(v)}`)
          .join(", ") || "none",
        p.wallOverLimit !== undefined ? fmt(p.wallOverLimit) : "–",
        String(p.changed),
      ]);
    }
  }
  return { head, rows };
}

/** Several stacks on one Woodpecker account, per maxInFlight. */
export function stacksTable(results: BenchResults): Table {
  const head = [
    "stacks × campaigns",
    "maxInFlight",
    "phase",
    "wall s",
    "limit s",
    "wall/limit",
    "requests",
    "429s",
    "max queued",
    "failed",
    "first call ms",
    "op p95 ms",
    "stacks done at s",
    "hosts / other processes CPU s",
  ];
  const rows: string[][] = [];
  for (const r of results.stacks ?? []) {
    for (const phase of ["up", "destroy"] as const) {
      const p = r[phase];
      rows.push([
        `${r.stacks} × ${r.perStack}`,
        String(r.maxInFlight),
        phase,
        fmt(p.wallMs / 1000, 3),
        fmt(p.limitMs / 1000, 3),
        fmt(p.wallOverLimit),
        String(p.calls),
        String(p.status429),
        String(p.maxQueueDepth),
        String(p.failed),
        fmt(p.firstRequestMs, 0),
        fmt(p.opMs.p95, 0),
        p.stackWallMs.map((x) => fmt(x / 1000, 1)).join(" / "),
        p.cpu ? `${fmt(p.cpu.hostsS)} / ${fmt(p.cpu.othersS)}` : "–",
      ]);
    }
  }
  return { head, rows };
}

/** CPU time of the three processes per phase, against the wall time: how busy the cores were. */
export function cpuTable(results: BenchResults): Table {
  const cores = Number(results.environment.cpus) || NaN;
  const head = [
    "platform",
    "N",
    "phase",
    "wall s",
    "host CPU s",
    "emulators CPU s",
    "bench CPU s",
    `cores busy (of ${Number.isFinite(cores) ? cores : "?"})`,
    "other processes CPU s",
  ];
  const rows: string[][] = [];
  for (const r of results.runs) {
    for (const phase of ["up", "destroy"] as const) {
      const p = r[phase];
      if (!p.cpu) continue;
      rows.push([
        PLATFORMS.find((x) => x.key === r.platform)?.title ?? r.platform,
        String(r.n),
        phase,
        fmt(p.wallMs / 1000, 3),
        fmt(p.cpu.hostS),
        fmt(p.cpu.emulatorsS),
        fmt(p.cpu.benchS),
        fmt(p.cpu.coresBusy),
        p.cpu.othersS !== undefined ? fmt(p.cpu.othersS) : "–",
      ]);
    }
  }
  return { head, rows };
}

export function targetsTable(targets: Target[]): Table {
  return {
    head: ["target", "goal", "measured", "verdict"],
    rows: targets.map((t) => [
      t.what,
      t.target,
      t.why ? `${t.measured}; ${t.why}` : t.measured,
      t.met === null ? "info" : t.met ? "met" : "MISSED",
    ]),
  };
}

export function overheadLine(o: OverheadResult): string {
  return (
    `${o.operation}, ${o.iterations} each after ${o.warmup} warm-up, ${o.latencyMs} ms service time: ` +
    `provider median ${fmt(o.providerMs.median, 3)} ms (p90 ${fmt(o.providerMs.p90, 3)}), ` +
    `undici median ${fmt(o.directMs.median, 3)} ms (p90 ${fmt(o.directMs.p90, 3)}), ` +
    `ratio ${fmt(o.ratio, 3)}; API calls per provider read: ${o.callsPerProviderRead}. Where the ` +
    `difference goes: the same read of the implementation in-process (no gRPC) ${fmt(o.inProcessReadMs.median, 3)} ms, ` +
    `a host round trip without an API call (Diff RPC) ${fmt(o.hostRoundTripMs.median, 3)} ms, ` +
    `the smallest gRPC call (GetPluginInfo) ${fmt(o.grpcFloorMs.median, 3)} ms`
  );
}

const NUMERIC = /^[\d.,()\s–-]+$/;

/** Aligned plain text; numeric-looking cells are right-aligned unless `leftOnly`. */
export function textTable(t: Table, leftOnly = false): string {
  const widths = t.head.map((h, i) => Math.max(h.length, ...t.rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (!leftOnly && NUMERIC.test(c) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(t.head), widths.map((w) => "-".repeat(w)).join("  "), ...t.rows.map(line)].join("\n");
}

export function markdownTable(t: Table): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  return [
    `| ${t.head.map(esc).join(" | ")} |`,
    `| ${t.head.map(() => "---").join(" | ")} |`,
    ...t.rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
  ].join("\n");
}

export function summaryLine(results: BenchResults): string {
  const missed = results.targets.filter((t) => t.met === false).length;
  const met = results.targets.filter((t) => t.met === true).length;
  return `${met} target(s) met, ${missed} missed; ${results.problems.length} problem(s); ${round(results.durationSeconds, 1)} s`;
}
