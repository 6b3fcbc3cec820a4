/**
 * Where an unchanged `pulumi preview` spends its time, per process: the CLI (Go's CPU profile,
 * `pulumi --profiling`, read with `go tool pprof -top` where Go is installed), the language host
 * (Node's `--cpu-prof`, written when the program exits) and the dynamic-provider host (the V8
 * profiler started by provider-profile.cjs and written on the engine's Cancel RPC, because the
 * engine SIGKILLs the host). Node profiles are summed by self time into what the code is: this
 * package, the SDK's closure serializer, the SDK's runtime, gRPC and protobuf, Node itself, GC.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { round } from "../lib/util";
import type { Workspace } from "./workspace";

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface NodeProfileSummary {
  process: "languageHost" | "providerHost";
  /** Seconds the profile covers, and CPU seconds sampled (idle excluded). */
  spanS: number;
  busyS: number;
  /** Busy seconds by category, largest first. */
  categories: Array<{ name: string; s: number; share: number }>;
  /** The functions with the most self time. */
  top: Array<{ fn: string; s: number; share: number }>;
}

export interface PreviewProfile {
  platform: string;
  n: number;
  wallMs: number;
  node: NodeProfileSummary[];
  /** `go tool pprof -top` of the CLI's CPU profile (first lines), or why it is absent. */
  cli: string[];
}

export function category(url: string, fn: string): string {
  if (fn === "(garbage collector)") return "GC";
  if (fn === "(program)" || fn === "(root)") return "V8/native (unattributed)";
  if (/pulumi-campaigns[/\\]/.test(url)) return "pulumi-campaigns";
  if (/@pulumi[/\\]pulumi[/\\]runtime[/\\]closure/.test(url)) return "SDK closure serializer";
  if (/@grpc|google-protobuf|protobufjs|[/\\]proto[/\\]/.test(url)) return "gRPC + protobuf";
  if (/@pulumi[/\\]pulumi[/\\]/.test(url)) return "SDK runtime";
  if (/typescript[/\\]|ts-node/.test(url)) return "TypeScript";
  if (/node_modules/.test(url)) return "other dependencies";
  if (url === "" || url.startsWith("node:")) return "Node.js built-ins";
  return "program";
}

export function summarizeCpuProfile(
  p: CpuProfile,
  processName: NodeProfileSummary["process"],
): NodeProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const cats = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n || n.callFrame.functionName === "(idle)") continue;
    busy += us;
    const { url, functionName, lineNumber } = n.callFrame;
    const c = category(url, functionName);
    cats.set(c, (cats.get(c) ?? 0) + us);
    const short = url.replace(/^.*node_modules[/\\]/, "").replace(/^file:\/\//, "");
    const key = `${functionName || "(anonymous)"} ${short}${short ? `:${lineNumber + 1}` : ""}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const list = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, us]) => ({ k, s: round(us / 1e6, 3), share: round(us / busy, 3) }));
  return {
    process: processName,
    spanS: round((p.endTime - p.startTime) / 1e6, 2),
    busyS: round(busy / 1e6, 2),
    categories: list(cats).map(({ k, s, share }) => ({ name: k, s, share })),
    top: list(fns)
      .slice(0, 8)
      .map(({ k, s, share }) => ({ fn: k, s, share })),
  };
}

/** The CLI's profile as `go tool pprof -top` prints it (header and the first rows). */
function pprofTop(binary: string, profile: string): string[] {
  const r = spawnSync("go", ["tool", "pprof", "-top", "-nodecount=12", binary, profile], {
    encoding: "utf8",
    timeout: 120_000,
  });
  if (r.error || r.status !== 0)
    return [`(go tool pprof unavailable: ${r.error?.message ?? r.stderr.trim()})`];
  return r.stdout
    .split("\n")
    .filter((l) => l.trim() && !/^(File|Build ID|Type|Time):/.test(l))
    .slice(0, 16);
}

/** A profiled `pulumi preview` of the stack (which holds N campaigns); its wall time is not a result. */
export async function profilePreview(
  ws: Workspace,
  stack: string,
  platform: string,
  n: number,
  parallel: number,
): Promise<PreviewProfile> {
  const dir = join(ws.dir, "profile");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const preload = join(__dirname, "provider-profile.cjs");
  const r = await ws.run(
    [
      "--stack",
      stack,
      "--profiling",
      join(dir, "cli"),
      "preview",
      "--non-interactive",
      "--parallel",
      String(parallel),
    ],
    {
      env: {
        BENCH_PROFILE_DIR: dir,
        NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir} --require ${preload}`,
      },
    },
  );
  const files = readdirSync(dir);
  const node: NodeProfileSummary[] = [];
  for (const f of files.filter((x) => x.endsWith(".cpuprofile"))) {
    const p = JSON.parse(readFileSync(join(dir, f), "utf8")) as CpuProfile;
    const urls = p.nodes.map((x) => x.callFrame.url);
    // The provider host's profile is ours (provider-host.*); of Node's own, the language host's is
    // the one that ran the program (the others are the plugin script's `node -e require.resolve`).
    if (f.startsWith("provider-host.")) node.push(summarizeCpuProfile(p, "providerHost"));
    else if (urls.some((u) => /cmd[/\\]run[/\\]/.test(u))) node.push(summarizeCpuProfile(p, "languageHost"));
  }
  const cpu = files.find((f) => /^cli\.\d+\.cpu$/.test(f));
  const cli = cpu ? pprofTop(ws.cli.command, join(dir, cpu)) : ["(no CLI profile written)"];
  if (r.code !== 0) cli.unshift(`(the profiled preview exited ${r.code})`);
  if (!existsSync(dir)) cli.push("(profile folder missing)");
  return { platform, n, wallMs: Math.round(r.wallMs), node, cli };
}
