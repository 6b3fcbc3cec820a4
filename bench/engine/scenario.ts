/**
 * One stack's life on the real engine: `pulumi up` (create), an unchanged `pulumi preview`,
 * `pulumi refresh`, an `up` that edits every campaign, and `pulumi destroy` — of N campaigns of one
 * platform (`kind: real`) or of N no-op resources with the same inputs (`kind: noop`, the engine's
 * floor). Each command: wall time, CPU of the tree and of each role, peak memory of each role, the
 * API calls it caused (the emulators' request log), and after the create the checkpoint's size.
 */
import type { RequestLogEntry } from "../../provider/emulators/common";
import type { Emulators } from "../lib/emulators";
import type { PlatformKey } from "../lib/platforms";
import { callsByRoute, round } from "../lib/util";
import type { Kind } from "./programs";
import { ROLES, type Role } from "./procs";
import { profilePreview, type PreviewProfile } from "./profile";
import type { CheckpointSize, CommandResult, Workspace } from "./workspace";

export const PHASES = ["up", "preview", "refresh", "edit", "destroy"] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_TITLE: Record<Phase, string> = {
  up: "up (create)",
  preview: "preview (unchanged)",
  refresh: "refresh",
  edit: "up (edit every campaign)",
  destroy: "destroy",
};

export interface PhaseResult {
  wallMs: number;
  cpuS: number;
  cpuExact: boolean;
  /** CPU seconds and peak resident set (MB) per role. */
  roles: Record<Role, { cpuS: number; peakMb: number }>;
  calls: number;
  mutatingCalls: number;
  byRoute: Record<string, number>;
  /** What the CLI's summary line says (e.g. "10 created"), for the record. */
  summary: string;
}

export interface EngineRun {
  platform: PlatformKey;
  kind: Kind;
  n: number;
  /** Set when one Burki campaign declares contactsFile of this many rows. */
  contactsFileRows?: number;
  phases: Partial<Record<Phase, PhaseResult>>;
  checkpoint?: CheckpointSize;
  /** The 1-minute load average when this stack's first command began, and after its last. */
  load: [number, number];
  errors: string[];
  profile?: PreviewProfile;
}

export interface ScenarioOptions {
  parallel: number;
  /** Extra environment of every pulumi command (e.g. PULUMI_SKIP_CHECKPOINTS). */
  env?: Record<string, string>;
  contactsFile?: { path: string; rows: number };
  /** Profile one more (untimed) preview after the timed one (profile.ts). */
  profile?: boolean;
}

const TYPE: Record<Kind, (p: PlatformKey) => string> = {
  real: (p) => `pulumi-nodejs:dynamic/${p}:Campaign`,
  noop: () => "pulumi-nodejs:dynamic/bench-noop:Campaign",
};

/** The last line of the CLI's "Resources:" block(s), e.g. "+ 10 created" / "10 unchanged". */
function summaryOf(output: string): string {
  const i = output.lastIndexOf("Resources:");
  if (i < 0) return "";
  return output
    .slice(i + "Resources:".length)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^[-+~]?\s*\d+ /.test(l))
    .join(", ");
}

function phaseResult(r: CommandResult, log: RequestLogEntry[]): PhaseResult {
  const roles = Object.fromEntries(
    ROLES.map((k) => [k, { cpuS: round(r.roles[k].cpuS, 2), peakMb: round(r.roles[k].peakKb / 1024, 1) }]),
  ) as PhaseResult["roles"];
  return {
    wallMs: Math.round(r.wallMs),
    cpuS: round(r.cpuS, 2),
    cpuExact: r.cpuExact,
    roles,
    calls: log.length,
    mutatingCalls: log.filter((e) => e.method !== "GET").length,
    byRoute: callsByRoute(log, 1),
    summary: summaryOf(r.output),
  };
}

export async function runStack(
  ws: Workspace,
  emulators: Emulators,
  platform: PlatformKey,
  kind: Kind,
  n: number,
  o: ScenarioOptions,
): Promise<EngineRun> {
  const os = await import("node:os");
  const stack = `${platform}-${kind}-${n}${o.contactsFile ? "-file" : ""}`;
  const run: EngineRun = {
    platform,
    kind,
    n,
    contactsFileRows: o.contactsFile?.rows,
    phases: {},
    load: [round(os.loadavg()[0], 2), 0],
    errors: [],
  };
  const config = {
    "burki:baseUrl": emulators.burki.baseUrl,
    "burki:apiKey": emulators.burki.apiKey,
    "woodpecker:baseUrl": emulators.woodpecker.baseUrl,
    "woodpecker:apiKey": emulators.woodpecker.apiKey,
    "bench:platform": platform,
    "bench:kind": kind,
    "bench:n": n,
    ...(o.contactsFile ? { "bench:contactsFile": o.contactsFile.path } : {}),
  };
  const p = ["--parallel", String(o.parallel), "--non-interactive"];
  const commands: Record<Phase, string[]> = {
    up: ["up", "--yes", "--skip-preview", ...p],
    preview: ["preview", "--expect-no-changes", ...p],
    refresh: ["refresh", "--yes", "--skip-preview", "--expect-no-changes", ...p],
    edit: ["up", "--yes", "--skip-preview", ...p],
    destroy: ["destroy", "--yes", "--skip-preview", ...p],
  };
  const control = emulators.control(platform);
  await ws.removeStack(stack);
  await ws.initStack(stack, config);
  try {
    for (const phase of PHASES) {
      if (phase === "edit") ws.setConfig(stack, { ...config, "bench:edit": true });
      await control.clearRequests();
      const r = await ws.run(["--stack", stack, ...commands[phase]], { env: o.env });
      const log = await control.requests();
      run.phases[phase] = phaseResult(r, log);
      console.log(`    ${stack}: ${phase} ${(r.wallMs / 1000).toFixed(2)} s (exit ${r.code})`);
      if (r.code !== 0) {
        run.errors.push(`${phase}: exit ${r.code}: ${r.output.slice(-1500)}`);
        if (phase !== "preview" && phase !== "refresh") break;
      }
      if (phase === "up") run.checkpoint = ws.checkpoint(stack, TYPE[kind](platform));
      if (phase === "preview" && o.profile)
        run.profile = await profilePreview(ws, stack, platform, n, o.parallel);
    }
  } finally {
    // Whatever happened, leave no campaign behind.
    if (run.errors.length) await ws.run(["--stack", stack, "destroy", "--yes", "--skip-preview", ...p]);
    await ws.removeStack(stack);
    run.load[1] = round(os.loadavg()[0], 2);
  }
  return run;
}
