/**
 * The results file, the targets and their verdicts, and the tables (console text and markdown).
 */
import type { OverheadResult } from "./overhead";
import { PLATFORMS } from "./platforms";
import type { RunResult } from "./scenario";
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
  overhead?: OverheadResult;
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

export function evaluateTargets(runs: RunResult[], overhead: OverheadResult | undefined): Target[] {
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
      target: `report vs minimum ${burki[0].up.minimumPerCampaign} (no target set)`,
      measured: perN(burki, (r) => r.up.callsPerCampaign),
      met: null,
      why: `${fmt(worst(up) / burki[0].up.minimumPerCampaign)}× the minimum`,
    });
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
