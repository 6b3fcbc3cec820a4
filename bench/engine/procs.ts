/**
 * The process tree of one `pulumi` command, watched through /proc while it runs: which processes
 * it starts (the CLI itself, the Node.js language host, the dynamic-provider host), the peak
 * resident set of each (VmHWM) and the CPU time each used.
 *
 * The tree is walked every `everyMs` (100 ms): a process's last reading is kept after it exits, so
 * a process's CPU time is short by at most one interval. The whole tree's CPU time is exact when
 * the command runs under GNU time (`/usr/bin/time`: the rusage of the CLI with every descendant it
 * reaped); the CLI's own share is then that total minus what the other roles used.
 */
import { readdirSync, readFileSync } from "node:fs";

export type Role = "cli" | "languageHost" | "providerHost" | "other";
export const ROLES: readonly Role[] = ["cli", "languageHost", "providerHost", "other"];

export const ROLE_TITLE: Record<Role, string> = {
  cli: "CLI (engine)",
  languageHost: "language host",
  providerHost: "provider host",
  other: "other",
};

interface Seen {
  role: Role;
  cpuS: number;
  hwmKb: number;
}

export interface RoleUse {
  /** CPU seconds (user + system) of the role's processes. */
  cpuS: number;
  /** The largest VmHWM among the role's processes, KiB. */
  peakKb: number;
  processes: number;
}

const CLOCK_TICKS = 100;

function readStat(pid: number): { ppid: number; cpuS: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(f[1]), cpuS: (Number(f[11]) + Number(f[12])) / CLOCK_TICKS };
  } catch {
    return undefined;
  }
}

function readHwm(pid: number): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
}

/** What a process of the tree is, from its command line (and its parent's role). */
export function classify(cmdline: string, parentRole: Role | undefined, isRoot: boolean): Role {
  // The root is the CLI, or GNU time around it (a few milliseconds of CPU).
  if (isRoot || /(^|\/)pulumi$/.test(cmdline.split(" ")[0])) return "cli";
  if (/pulumi-language-nodejs|@pulumi[/\\]pulumi[/\\]cmd[/\\]run|--monitor/.test(cmdline))
    return "languageHost";
  if (/pulumi-resource-pulumi-nodejs|cmd[/\\]dynamic-provider/.test(cmdline)) return "providerHost";
  // The plugin script's `node -e require.resolve(...)` and anything else a host starts belongs to it.
  if (parentRole === "languageHost" || parentRole === "providerHost") return parentRole;
  return "other";
}

export class TreeWatch {
  private readonly seen = new Map<number, Seen>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly rootPid: number,
    private readonly everyMs = 100,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
    return this;
  }

  sample(): void {
    const parents = new Map<number, number>();
    const cpu = new Map<number, number>();
    let entries: string[];
    try {
      entries = readdirSync("/proc");
    } catch {
      return;
    }
    for (const e of entries) {
      if (!/^\d+$/.test(e)) continue;
      const pid = Number(e);
      const s = readStat(pid);
      if (!s) continue;
      parents.set(pid, s.ppid);
      cpu.set(pid, s.cpuS);
    }
    // Descendants of the root, parents before children.
    const inTree = (pid: number): boolean => {
      for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 32; hops++) {
        if (p === this.rootPid) return true;
        p = parents.get(p);
      }
      return false;
    };
    const pids = [...cpu.keys()].filter(inTree).sort((a, b) => a - b);
    for (const pid of pids) {
      let s = this.seen.get(pid);
      if (!s) {
        const parentRole = this.seen.get(parents.get(pid) ?? -1)?.role;
        s = { role: classify(readCmdline(pid), parentRole, pid === this.rootPid), cpuS: 0, hwmKb: 0 };
        this.seen.set(pid, s);
      } else if (s.role === "other") {
        // A process seen between fork and exec: read its command line again.
        s.role = classify(
          readCmdline(pid),
          this.seen.get(parents.get(pid) ?? -1)?.role,
          pid === this.rootPid,
        );
      }
      s.cpuS = cpu.get(pid) ?? s.cpuS;
      s.hwmKb = Math.max(s.hwmKb, readHwm(pid));
    }
  }

  stop(): Record<Role, RoleUse> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const out = Object.fromEntries(ROLES.map((r) => [r, { cpuS: 0, peakKb: 0, processes: 0 }])) as Record<
      Role,
      RoleUse
    >;
    for (const s of this.seen.values()) {
      const u = out[s.role];
      u.cpuS += s.cpuS;
      u.peakKb = Math.max(u.peakKb, s.hwmKb);
      u.processes++;
    }
    return out;
  }
}

/** GNU time's `-f "%e %U %S %M"` output: wall, user, system seconds and the largest RSS (KiB). */
export function parseGnuTime(text: string): { wallS: number; cpuS: number; maxRssKb: number } | undefined {
  const line = text
    .trim()
    .split("\n")
    .reverse()
    .find((l) => /^[\d.]+ [\d.]+ [\d.]+ \d+$/.test(l.trim()));
  if (!line) return undefined;
  const [e, u, s, m] = line.trim().split(" ").map(Number);
  return { wallS: e, cpuS: u + s, maxRssKb: m };
}
