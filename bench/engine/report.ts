/**
 * Floors, targets and tables of the real-engine bench (`npm run bench -- --engine real`).
 *
 * API floor of each command, as the in-process bench computes it (bench/README.md): Burki runs
 * `parallel` campaigns at a time, each on its own path, so its floor is ceil(N / parallel) × one
 * campaign's path; Woodpecker serves one request at a time per account, so its floor is the calls
 * × the service time. Paths: Burki create 5 calls + the import and start hops; Burki delete of a
 * running campaign 2 calls (stop + DELETE, the minimum); Burki edit the writes the provider made
 * (pause, PUT, start); refresh one GET. Engine floor: the same command on the same N of the no-op
 * resource (kind noop), measured in the same run.
 */
import { type Table } from "../lib/report";
import { round } from "../lib/util";
import { PHASES, type EngineRun, type Phase } from "./scenario";

export interface EngineSettings {
  sizes: number[];
  latencyMs: number;
  parallel: number;
  burki: { startDelayMs: number; importDelayMs: number };
  contactsFileRows?: number;
}

export interface EngineTarget {
  target: string;
  goal: string;
  measured: string;
  met: boolean | undefined;
}

const s = (ms: number) => (ms / 1000).toFixed(2);
const kb = (b: number) => `${(b / 1024).toFixed(2)} KB`;

/** The API floor of a phase, ms. */
export function apiFloorMs(run: EngineRun, phase: Phase, st: EngineSettings): number {
  const p = run.phases[phase];
  if (!p || phase === "preview") return 0;
  const batches = Math.ceil(run.n / st.parallel);
  if (run.platform === "woodpecker") {
    // One request at a time: the calls the phase needs (an edit needs only its writes).
    return (phase === "edit" ? p.mutatingCalls : p.calls) * st.latencyMs;
  }
  switch (phase) {
    case "up":
      return batches * (5 * st.latencyMs + st.burki.importDelayMs + st.burki.startDelayMs);
    case "refresh":
      return batches * st.latencyMs;
    case "edit":
      return batches * Math.round(p.mutatingCalls / run.n) * st.latencyMs;
    case "destroy":
      return batches * 2 * st.latencyMs;
  }
}

export function find(
  runs: EngineRun[],
  platform: string,
  kind: string,
  n: number,
  file = false,
): EngineRun | undefined {
  return runs.find(
    (r) => r.platform === platform && r.kind === kind && r.n === n && !!r.contactsFileRows === file,
  );
}

/** real wall / (API floor + engine floor), with the figures. */
export function ratio(real: EngineRun, noop: EngineRun | undefined, phase: Phase, st: EngineSettings) {
  const wall = real.phases[phase]?.wallMs ?? NaN;
  const engine = noop?.phases[phase]?.wallMs ?? NaN;
  const api = apiFloorMs(real, phase, st);
  return { wall, engine, api, ratio: round(wall / (api + engine), 2) };
}

/** CPU share of the provider host in a phase, and the part above the no-op provider host's. */
export function providerShare(real: EngineRun, noop: EngineRun | undefined, phase: Phase) {
  const p = real.phases[phase];
  if (!p) return { share: NaN, excess: NaN };
  const q = noop?.phases[phase];
  const share = p.roles.providerHost.cpuS / p.cpuS;
  const excess = q ? (p.roles.providerHost.cpuS - q.roles.providerHost.cpuS) / p.cpuS : NaN;
  return { share: round(share, 3), excess: round(excess, 3) };
}

export function wallTable(runs: EngineRun[], st: EngineSettings): Table {
  const head = [
    "platform",
    "N",
    "command",
    "wall s",
    "engine floor s",
    "API floor s",
    "wall / (API + engine)",
    "calls",
    "writes",
    "CPU s: CLI / language host / provider host",
    "provider CPU share",
  ];
  const rows: string[][] = [];
  for (const real of runs.filter((r) => r.kind === "real")) {
    const noop = find(runs, real.platform, "noop", real.n);
    for (const phase of PHASES) {
      const p = real.phases[phase];
      if (!p) continue;
      const r = ratio(real, noop, phase, st);
      const sh = providerShare(real, noop, phase);
      rows.push([
        real.platform + (real.contactsFileRows ? ` (+${real.contactsFileRows} contacts file)` : ""),
        String(real.n),
        phase,
        s(p.wallMs),
        Number.isFinite(r.engine) ? s(r.engine) : "–",
        s(r.api),
        Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : "–",
        String(p.calls),
        String(p.mutatingCalls),
        `${p.roles.cli.cpuS.toFixed(2)} / ${p.roles.languageHost.cpuS.toFixed(2)} / ${p.roles.providerHost.cpuS.toFixed(2)}`,
        `${(sh.share * 100).toFixed(1)} %`,
      ]);
    }
  }
  return { head, rows };
}

export function memoryTable(runs: EngineRun[]): Table {
  const head = [
    "platform",
    "kind",
    "N",
    "peak MB: CLI",
    "language host",
    "provider host",
    "checkpoint B/resource",
    "inputs + outputs B",
    "secrets B",
    "stackTrace + sourcePosition B",
    "checkpoint file KB",
    "load avg (start → end)",
  ];
  const rows = runs.map((r) => {
    const peak = (role: "cli" | "languageHost" | "providerHost") =>
      Math.max(...PHASES.map((ph) => r.phases[ph]?.roles[role].peakMb ?? 0)).toFixed(1);
    const c = r.checkpoint;
    return [
      r.platform + (r.contactsFileRows ? " (+file)" : ""),
      r.kind,
      String(r.n),
      peak("cli"),
      peak("languageHost"),
      peak("providerHost"),
      c ? String(c.bytesPerResource) : "–",
      c ? String(c.inputsBytes + c.outputsBytes) : "–",
      c ? String(c.secretBytes) : "–",
      c ? String((c.parts.stackTrace ?? 0) + (c.parts.sourcePosition ?? 0)) : "–",
      c ? (c.fileBytes / 1024).toFixed(1) : "–",
      `${r.load[0]} → ${r.load[1]}`,
    ];
  });
  return { head, rows };
}

export function evaluateEngineTargets(runs: EngineRun[], st: EngineSettings): EngineTarget[] {
  const out: EngineTarget[] = [];
  const n = Math.max(...st.sizes);
  for (const platform of ["burki", "woodpecker"]) {
    const real = find(runs, platform, "real", n);
    const noop = find(runs, platform, "noop", n);
    if (!real) continue;
    for (const phase of ["up", "destroy"] as const) {
      const r = ratio(real, noop, phase, st);
      out.push({
        target: `${platform} ${phase} @${n}: wall / (API floor + engine floor)`,
        goal: "≤ 1.2",
        measured: `${r.ratio.toFixed(2)} (${s(r.wall)} s vs API ${s(r.api)} s + engine ${s(r.engine)} s)`,
        met: Number.isFinite(r.ratio) ? r.ratio <= 1.2 : undefined,
      });
    }
    for (const phase of ["preview", "refresh"] as const) {
      const r = ratio(real, noop, phase, st);
      const writes = real.phases[phase]?.mutatingCalls ?? NaN;
      out.push({
        target: `${platform} ${phase} @${n} (unchanged): wall / (engine floor + GETs' floor), writes`,
        goal: "≤ 1.2, 0 writes",
        measured: `${r.ratio.toFixed(2)} (${s(r.wall)} s vs engine ${s(r.engine)} s + GETs ${s(r.api)} s), ${writes} writes`,
        met: Number.isFinite(r.ratio) ? r.ratio <= 1.2 && writes === 0 : undefined,
      });
    }
    const c = real.checkpoint;
    const cn = noop?.checkpoint;
    if (c) {
      const ours = c.inputsBytes + c.outputsBytes;
      out.push({
        target: `${platform}: state per resource (inputs + outputs in the checkpoint)`,
        goal: "≤ 1 KB",
        measured:
          `${kb(ours)} (whole checkpoint entry ${kb(c.bytesPerResource)}; the no-op resource with the same inputs: ` +
          `${cn ? `${kb(cn.inputsBytes + cn.outputsBytes)}, entry ${kb(cn.bytesPerResource)}` : "–"}; secrets ${c.secretBytes} B)`,
        met: ours <= 1024,
      });
    }
    const sh = providerShare(real, noop, "up");
    out.push({
      target: `${platform}: provider host's share of a real \`pulumi up\`'s CPU @${n}`,
      goal: "≤ 10 %",
      measured: `${(sh.share * 100).toFixed(1)} % (above the no-op provider host: ${(sh.excess * 100).toFixed(1)} %)`,
      met: Number.isFinite(sh.share) ? sh.share <= 0.1 : undefined,
    });
  }
  return out;
}

export function targetsTable(t: EngineTarget[]): Table {
  return {
    head: ["target", "goal", "measured", "verdict"],
    rows: t.map((x) => [
      x.target,
      x.goal,
      x.measured,
      x.met === undefined ? "n/a" : x.met ? "met" : "MISSED",
    ]),
  };
}

/** The profile of the largest preview, as lines. */
export function profileLines(runs: EngineRun[]): string[] {
  const out: string[] = [];
  for (const r of runs.filter((x) => x.profile)) {
    const p = r.profile!;
    // A blank line first: the previous profile ends in a list, which would swallow this paragraph.
    if (out.length) out.push("");
    out.push(
      `Profile of an unchanged \`pulumi preview\` of ${p.n} ${p.platform} campaigns (${s(p.wallMs)} s with the profilers on):`,
    );
    for (const np of p.node) {
      const cats = np.categories.slice(0, 6).map((c) => `${c.name} ${(c.share * 100).toFixed(0)} %`);
      const top = np.top.slice(0, 4).map((f) => `${f.fn} ${(f.share * 100).toFixed(0)} %`);
      out.push(
        `- ${np.process}: ${np.busyS} s busy of ${np.spanS} s: ${cats.join(", ")}; top functions: ${top.join("; ")}`,
      );
    }
    out.push(`- CLI (go tool pprof -top): ${p.cli.slice(0, 1).join("")}`);
    for (const l of p.cli.slice(4, 12)) out.push(`  \`${l.trim()}\``);
  }
  return out;
}
