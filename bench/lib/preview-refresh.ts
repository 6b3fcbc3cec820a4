/**
 * `preview` and `refresh` of the campaigns an up just created, as the engine drives them, run
 * between the up and the destroy of the same campaigns (no extra creates), `parallel` at a time:
 *
 * - preview of an unchanged resource (step_generator.go): Check(olds = the inputs in state, news =
 *   the same program inputs), then Diff(olds = the outputs in state, news = the checked inputs,
 *   old inputs = the inputs in state). Expected: DIFF_NONE and no API call at all.
 * - refresh (pulumi/pulumi RefreshStep.Apply): Read(id, state = the outputs, inputs = the inputs in
 *   state), then Diff(olds = the refreshed outputs, news = the inputs in state). Expected: DIFF_NONE
 *   (nothing changed outside) and one GET per campaign. The refreshed outputs (and inputs, when Read
 *   returns them) replace the state, as the engine writes them, so destroy starts from them.
 */
import type { ProviderHost, Props } from "../../test/helpers/provider-host";
import type { Emulators } from "./emulators";
import type { PlatformSpec } from "./platforms";
import { phaseResult, type PhaseResult } from "./scenario";
import { CpuMeter, workerPool } from "./util";

export interface ReadOnlyPhase extends PhaseResult {
  /** Diffs that did not answer DIFF_NONE (each also recorded as an error). */
  changed: number;
  /** Wall time / N, ms: what each resource adds to the phase at `parallel` at a time. */
  msPerResource: number;
  /** CPU time of the provider host / N, ms. */
  hostCpuMsPerResource: number;
}

export interface StateEntry {
  id: string;
  inputs: Props;
  outs: Props;
}

export interface ReadOnlyContext {
  host: ProviderHost;
  emulators: Emulators;
  spec: PlatformSpec;
  urns: string[];
  state: Array<StateEntry | undefined>;
  provider: string;
  parallel: number;
  latencyMs: number;
  pids: { host: number | undefined; emulators: number | undefined };
}

/** Fewest API calls per campaign: preview needs none; refresh one GET of the campaign. */
export const READ_ONLY_MINIMUM = { preview: 0, refresh: 1 } as const;

async function measure(
  c: ReadOnlyContext,
  kind: "preview" | "refresh",
  task: (i: number, s: StateEntry) => Promise<"DIFF_NONE" | string>,
): Promise<ReadOnlyPhase> {
  const control = c.emulators.control(c.spec.key);
  const n = c.urns.length;
  await control.clearRequests();
  if (c.spec.oneAtATime) await c.emulators.resetWoodpeckerStats();
  let changed = 0;
  const startedAt = Date.now();
  const t0 = performance.now();
  const cpu = new CpuMeter(c.pids);
  const pool = await workerPool(n, c.parallel, async (i) => {
    const s = c.state[i];
    if (!s) throw new Error("not created");
    const changes = await task(i, s);
    if (changes !== "DIFF_NONE") {
      changed++;
      throw new Error(`${kind} of unchanged bench-${i}: Diff answered ${changes}, not DIFF_NONE`);
    }
  });
  const wallMs = performance.now() - t0;
  const use = cpu.stop();
  const log = await control.requests();
  const stats = c.spec.oneAtATime ? await c.emulators.woodpeckerStats() : undefined;
  const base = phaseResult(
    c.spec,
    n,
    startedAt,
    wallMs,
    log,
    pool,
    READ_ONLY_MINIMUM[kind],
    c.latencyMs,
    stats,
    use,
  );
  if (base.calls === 0) {
    // No call, no limit: nothing to compare the wall time with.
    delete base.limitMs;
    delete base.wallOverLimit;
    delete base.wallOverBusy;
    delete base.breakdown.idleMsPerCall;
  }
  return {
    ...base,
    changed,
    msPerResource: Math.round((wallMs / n) * 1000) / 1000,
    hostCpuMsPerResource: Math.round(((use.hostS * 1000) / n) * 1000) / 1000,
  };
}

export function runPreview(c: ReadOnlyContext): Promise<ReadOnlyPhase> {
  return measure(c, "preview", async (i, s) => {
    const chk = await c.host.check(c.urns[i], s.inputs, { ...c.spec.inputs(i), __provider: c.provider });
    if (chk.failures.length) throw new Error(`check failed: ${JSON.stringify(chk.failures)}`);
    const d = await c.host.diff(c.urns[i], s.id, s.outs, chk.inputs, s.inputs);
    return d.changes;
  });
}

export function runRefresh(c: ReadOnlyContext): Promise<ReadOnlyPhase> {
  return measure(c, "refresh", async (i, s) => {
    const r = await c.host.read(c.urns[i], s.id, s.outs, s.inputs);
    if (!r.id) throw new Error(`refresh of bench-${i}: Read said the campaign is gone`);
    const d = await c.host.diff(c.urns[i], s.id, r.outs, s.inputs, s.inputs);
    // The engine writes the refreshed state (the read inputs replace the old ones when returned).
    c.state[i] = { id: r.id, outs: r.outs, inputs: r.inputs ?? s.inputs };
    return d.changes;
  });
}
