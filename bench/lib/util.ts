/**
 * Small helpers of the benchmark: statistics, a bounded worker pool (the engine's parallelism),
 * request-log grouping, and the memory of a process read from /proc.
 */
import { readFileSync } from "node:fs";
import type { RequestLogEntry } from "../../provider/emulators/common";

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export const median = (values: readonly number[]) => quantile(values, 0.5);

export const round = (x: number, digits = 2) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export interface PoolOutcome {
  /** Duration of every task, in ms, in completion order. */
  durationsMs: number[];
  errors: Array<{ index: number; message: string }>;
}

/**
 * Run `task(i)` for i in [0, n) with at most `parallel` in flight — how the engine runs resource
 * operations (`pulumi up --parallel`). A failing task is recorded, not thrown, so the rest still run.
 */
export async function workerPool(
  n: number,
  parallel: number,
  task: (i: number) => Promise<void>,
): Promise<PoolOutcome> {
  const out: PoolOutcome = { durationsMs: [], errors: [] };
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const t0 = performance.now();
      try {
        await task(i);
      } catch (e) {
        out.errors.push({ index: i, message: e instanceof Error ? e.message : String(e) });
      }
      out.durationsMs.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, n) }, worker));
  return out;
}

/** "GET /api/v1/campaigns/42" → "GET /api/v1/campaigns/:id" (numeric and long hex segments). */
export function routeOf(r: Pick<RequestLogEntry, "method" | "path">): string {
  const path = r.path
    .split("/")
    .map((s) => (/^\d+$/.test(s) || /^[0-9a-f]{16,}$/i.test(s) ? ":id" : s))
    .join("/");
  return `${r.method} ${path}`;
}

/** Requests per route, divided by `per` (calls per campaign), sorted by route. */
export function callsByRoute(log: readonly RequestLogEntry[], per: number): Record<string, number> {
  const counts = new Map<string, number>();
  for (const r of log) counts.set(routeOf(r), (counts.get(routeOf(r)) ?? 0) + 1);
  return Object.fromEntries(
    [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, round(v / per, 3)]),
  );
}

export interface ProcMemory {
  /** Resident set size now, KiB. */
  rssKb: number;
  /** Peak resident set size over the process's life (high-water mark), KiB. */
  hwmKb: number;
}

/** VmRSS / VmHWM of a live process (Linux /proc); undefined when unavailable. */
export function procMemory(pid: number | undefined): ProcMemory | undefined {
  if (pid === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const field = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, "m").exec(text);
    return m ? Number(m[1]) : NaN;
  };
  return { rssKb: field("VmRSS"), hwmKb: field("VmHWM") };
}

/** Samples VmRSS of a process every `everyMs` and keeps the highest value seen. */
export class RssSampler {
  maxRssKb = 0;
  samples = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly pid: number | undefined,
    private readonly everyMs = 50,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
    return this;
  }

  sample(): void {
    const m = procMemory(this.pid);
    if (m && Number.isFinite(m.rssKb)) {
      this.samples++;
      this.maxRssKb = Math.max(this.maxRssKb, m.rssKb);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
  }
}

export const mb = (kb: number) => round(kb / 1024, 1);

/** Child processes this benchmark started (emulators, provider hosts): ended on exit, by pid. */
export const children = new Set<import("node:child_process").ChildProcess>();

export function killChildren(): void {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      try {
        c.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  children.clear();
}

/** USER_HZ: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS = 100;

/** CPU time (user + system) a live process has used so far, in seconds (Linux /proc); NaN if gone. */
export function procCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start at field 3; utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** CPU time all processes of the machine have used so far, in seconds (Linux /proc/stat); NaN if unknown. */
export function machineCpuSeconds(): number {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0];
    // cpu  user nice system idle iowait irq softirq steal …: busy = all but idle and iowait.
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    return (f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] || 0)) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** This process's CPU time so far, in seconds. */
export function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * CPU time the benchmark's three processes (provider host, emulators, the benchmark itself with
 * its gRPC client) used over an interval, against the machine's cores.
 */
export interface CpuUse {
  hostS: number;
  emulatorsS: number;
  benchS: number;
  /** (host + emulators + bench) CPU seconds / wall seconds: how many cores were busy on average. */
  coresBusy: number;
  /**
   * CPU time of every other process on the machine over the phase (all busy CPU time minus the
   * three above): work that competed with the benchmark for the same cores. Absent in older files.
   */
  othersS?: number;
}

export class CpuMeter {
  private readonly start: number[];
  private readonly t0 = performance.now();

  constructor(private readonly pids: { host: number | undefined; emulators: number | undefined }) {
    this.start = this.read();
  }

  private read(): number[] {
    return [
      procCpuSeconds(this.pids.host),
      procCpuSeconds(this.pids.emulators),
      ownCpuSeconds(),
      machineCpuSeconds(),
    ];
  }

  stop(): CpuUse {
    const wallS = (performance.now() - this.t0) / 1000;
    const [h, e, b, m] = this.read().map((x, i) => x - this.start[i]);
    return {
      hostS: round(h, 2),
      emulatorsS: round(e, 2),
      benchS: round(b, 2),
      coresBusy: round((h + e + b) / wallS, 2),
      othersS: round(Math.max(0, m - h - e - b), 2),
    };
  }
}
