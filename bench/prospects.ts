/**
 * Woodpecker `prospects` (issue 10 §4): the `up` of ONE Woodpecker campaign that declares N
 * prospects, through the SDK's real dynamic-provider host against the emulators (fixed service
 * time): how long its check and its create take, how much of it is the prospects import (from the first
 * prospects request to the end), the API calls it makes, and its wall time over Woodpecker's
 * one-request-at-a-time limit (calls × service time), prospect calls included. Then the destroy.
 * Full run: N = 1,000 and 20,000 (Woodpecker's per-request maximum); `--smoke`: N = 100.
 *
 * The first operation of a fresh host also loads the provider's implementation (and zod builds its
 * schemas): that warm-up is measured apart, with a one-prospect campaign's check, so that `checkMs`
 * is the check of N prospects alone.
 *
 * Then lists of 100,000 (issue 13 target 4, as contacts.ts does for Burki): one campaign with N
 * prospects declared both ways, inline `prospects` and `prospectsFile` — check, create, a re-import
 * after one prospect changed (check + update: one add, one removal), the host's live heap after a
 * forced GC against its empty baseline, and the state per resource. `--smoke`: N = 1,000.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { RequestLogEntry } from "../provider/emulators/common";
import type { Props } from "../test/helpers/provider-host";
import { HeapInspector, INSPECT_FLAG } from "./lib/heap";
import { WOODPECKER } from "./lib/platforms";
import { startHost, type RunContext } from "./lib/scenario";
import { round } from "./lib/util";

export const PROSPECT_SIZES = { full: [1_000, 20_000], smoke: [100] } as const;

export interface ProspectsResult {
  prospects: number;
  /** The host's first check (one prospect): loading the provider's implementation, ms. */
  warmUpCheckMs: number;
  /** Check of the inputs, after the warm-up, ms. */
  checkMs: number;
  /** Create of the campaign, ms. */
  upWallMs: number;
  /** From the first prospects request (`/rest/v1/…`) to the end of the create, ms. */
  importMs: number;
  calls: number;
  /** Calls to the prospects API (`/rest/v1/…`): adds, and the pages read back. */
  prospectCalls: number;
  /** calls × service time: the fastest Woodpecker's one-at-a-time processing allows. */
  limitMs: number;
  wallOverLimit: number;
  /**
   * The time the emulator spent answering (its service time plus its own work on large bodies,
   * queueing excluded), ms: the rest of the wall time is the provider's, the host's and gRPC's.
   */
  apiBusyMs: number;
  /** What the provider read back from Woodpecker. */
  prospectCount: number;
  prospectsDrifted: number;
  destroyWallMs: number;
  leftOver: number;
}

const isProspectCall = (e: RequestLogEntry) => e.path.includes("/v1/");

export async function measureProspects(
  ctx: RunContext,
  sizes: readonly number[],
): Promise<ProspectsResult[]> {
  const control = ctx.emulators.control("woodpecker");
  const out: ProspectsResult[] = [];
  for (const n of sizes) {
    await control.reset();
    const host = await startHost(ctx);
    try {
      const urn = host.urnOf(WOODPECKER.type, `bench-prospects-${n}`);
      const inputs = {
        ...WOODPECKER.inputs(0),
        name: `bench-prospects-${n}`,
        // The steps use {{FIRST_NAME}} without a fallback: every prospect has one.
        prospects: Array.from({ length: n }, (_, k) => ({
          email: `prospect-${k}@example.com`,
          firstName: `P${k}`,
          company: `Company ${k % 97}`,
        })),
        __provider: ctx.providerText.woodpecker,
      };
      const tw = performance.now();
      const warm = await host.check(
        host.urnOf(WOODPECKER.type, "bench-prospects-warm-up"),
        {},
        {
          ...inputs,
          name: "bench-prospects-warm-up",
          prospects: inputs.prospects.slice(0, 1),
        },
      );
      const warmUpCheckMs = performance.now() - tw;
      if (warm.failures.length) throw new Error(`check failed: ${JSON.stringify(warm.failures[0])}`);
      const tc = performance.now();
      const chk = await host.check(urn, {}, inputs);
      const checkMs = performance.now() - tc;
      if (chk.failures.length) throw new Error(`check failed: ${JSON.stringify(chk.failures[0])}`);
      await control.clearRequests();
      const startedAt = Date.now();
      const t0 = performance.now();
      const created = await host.create(urn, chk.inputs);
      const upWallMs = performance.now() - t0;
      const endedAt = startedAt + upWallMs;
      const log = await control.requests();
      const firstImport = log
        .filter(isProspectCall)
        .reduce((m, e) => Math.min(m, Date.parse(e.at)), Infinity);

      await control.clearRequests();
      const t1 = performance.now();
      await host.delete(urn, created.id, created.outs, chk.inputs);
      const destroyWallMs = performance.now() - t1;
      const leftOver = (await control.campaigns()).length;

      const limitMs = log.length * ctx.latencyMs;
      out.push({
        prospects: n,
        warmUpCheckMs: round(warmUpCheckMs, 1),
        checkMs: round(checkMs, 1),
        upWallMs: round(upWallMs, 1),
        importMs: Number.isFinite(firstImport) ? round(endedAt - firstImport, 1) : NaN,
        calls: log.length,
        prospectCalls: log.filter(isProspectCall).length,
        limitMs,
        wallOverLimit: round(upWallMs / limitMs, 3),
        apiBusyMs: round(
          log.reduce((sum, e) => sum + e.durationMs - (e.queuedMs ?? 0), 0),
          1,
        ),
        prospectCount: Number(created.outs.prospectCount),
        prospectsDrifted: Number(created.outs.prospectsDrifted),
        destroyWallMs: round(destroyWallMs, 1),
        leftOver,
      });
    } finally {
      await host.close();
    }
  }
  return out;
}

export function prospectsLine(r: ProspectsResult): string {
  return (
    `one Woodpecker campaign with ${r.prospects.toLocaleString("en-US")} prospects: check ${(r.checkMs / 1000).toFixed(3)} s ` +
    `(after the host's first check, ${(r.warmUpCheckMs / 1000).toFixed(3)} s, which loads the provider), ` +
    `create ${(r.upWallMs / 1000).toFixed(3)} s ` +
    `(prospects import ${(r.importMs / 1000).toFixed(3)} s), ${r.calls} calls (${r.prospectCalls} to the prospects API), ` +
    `wall / (calls × service time) ${r.wallOverLimit} (API busy ${(r.apiBusyMs / 1000).toFixed(3)} s); destroy ${(r.destroyWallMs / 1000).toFixed(3)} s`
  );
}

/** What the provider read back must be what was declared, and nothing may be left behind. */
export function prospectsProblems(rs: readonly ProspectsResult[]): string[] {
  const out: string[] = [];
  for (const r of rs) {
    if (r.prospectCount !== r.prospects || r.prospectsDrifted !== 0) {
      out.push(
        `prospects N=${r.prospects}: read back ${r.prospectCount} prospects, ${r.prospectsDrifted} drifted`,
      );
    }
    if (r.leftOver) out.push(`prospects N=${r.prospects}: ${r.leftOver} campaign(s) left after destroy`);
  }
  return out;
}

export const PROSPECTS_CHECK_BUDGET_MS = 1000;
export const PROSPECTS_HEAP_RATIO = 2;
export const PROSPECTS_FILE_STATE_BYTES = 2048;

export interface ProspectListFormResult {
  form: "prospects" | "prospectsFile";
  checkMs: number;
  createMs: number;
  /** Check + update after one prospect changed (one add, one removal). */
  reimportCheckMs: number;
  reimportMs: number;
  /** Live heap after a forced GC, once the campaign exists (after the re-import), MB. */
  liveHeapMb: number;
  heapRatio: number;
  /** JSON of the inputs and outputs the engine would store, without the serialized `__provider`. */
  stateBytes: number;
  /** The serialized `__provider` text, stored in inputs and outputs alike. */
  providerBytes: number;
  /** Prospects of the campaign as the provider read them back after the re-import. */
  campaignProspects: number;
  drifted: number;
}

export interface ProspectListsResult {
  prospects: number;
  baselineHeapMb: number;
  /**
   * The state of the same campaign without prospects: a Woodpecker campaign's steps, delivery
   * windows and settings, in inputs and outputs alike, already take more than 2 KB, so the file
   * form's target is judged on what the prospects add to it.
   */
  campaignStateBytes: number;
  forms: ProspectListFormResult[];
}

const person = (k: number, changed: boolean, n: number) => ({
  email: changed && k === n - 1 ? `prospect-changed-${k}@example.com` : `prospect-${k}@example.com`,
  firstName: `P${k}`,
  company: `Company ${k % 97}`,
});
const listOf = (n: number, changed = false) => Array.from({ length: n }, (_, k) => person(k, changed, n));
/** Woodpecker's spelling of the columns, as an export from its app has them. */
const csvOf = (n: number, changed = false) =>
  [
    "email,first_name,company",
    ...listOf(n, changed).map((p) => `${p.email},${p.firstName},${p.company}`),
  ].join("\n") + "\n";

const withoutProvider = (p: Props) =>
  Object.fromEntries(Object.entries(p).filter(([k]) => k !== "__provider"));

export async function measureProspectLists(ctx: RunContext, n: number): Promise<ProspectListsResult> {
  const control = ctx.emulators.control("woodpecker");
  await control.reset();
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-prospects-"));
  const file = path.join(dir, "prospects.csv");
  const host = await startHost(ctx, [INSPECT_FLAG]);
  const inspector = await HeapInspector.connect(host);
  try {
    const baseline = (await inspector.measure()).after.usedBytes;
    // The implementation's load is not a list's cost (see measureProspects).
    const warm = {
      ...WOODPECKER.inputs(0),
      name: "bench-list-warm-up",
      state: "draft",
      __provider: ctx.providerText.woodpecker,
    };
    const warmUrn = host.urnOf(WOODPECKER.type, "bench-list-warm-up");
    const warmChk = await host.check(warmUrn, {}, warm);
    const bare = await host.create(warmUrn, warmChk.inputs);
    const campaignStateBytes = Buffer.byteLength(
      JSON.stringify({ inputs: withoutProvider(warmChk.inputs), outputs: withoutProvider(bare.outs) }),
    );
    await host.delete(warmUrn, bare.id, bare.outs, warmChk.inputs);
    const forms: ProspectListFormResult[] = [];
    for (const form of ["prospects", "prospectsFile"] as const) {
      const urn = host.urnOf(WOODPECKER.type, `bench-list-${form}`);
      const inputs = (changed: boolean): Props => {
        const base: Props = {
          ...WOODPECKER.inputs(0),
          name: `bench-list-${form}`,
          state: "draft",
          __provider: ctx.providerText.woodpecker,
        };
        if (form === "prospects") return { ...base, prospects: listOf(n, changed) };
        writeFileSync(file, csvOf(n, changed));
        return { ...base, prospectsFile: file };
      };
      const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
        const t0 = performance.now();
        const v = await fn();
        return [v, round(performance.now() - t0, 1)];
      };
      const [chk, checkMs] = await timed(() => host.check(urn, {}, inputs(false)));
      if (chk.failures.length)
        throw new Error(`prospects bench: check failed: ${JSON.stringify(chk.failures[0])}`);
      const [created, createMs] = await timed(() => host.create(urn, chk.inputs));
      const [chk2, reimportCheckMs] = await timed(() => host.check(urn, chk.inputs, inputs(true)));
      if (chk2.failures.length)
        throw new Error(`prospects bench: check failed: ${JSON.stringify(chk2.failures[0])}`);
      const [updated, reimportMs] = await timed(() =>
        host.update(urn, created.id, created.outs, chk2.inputs, chk.inputs),
      );
      const live = (await inspector.measure()).after.usedBytes;
      const stateBytes = Buffer.byteLength(
        JSON.stringify({ inputs: withoutProvider(chk2.inputs), outputs: withoutProvider(updated.outs) }),
      );
      const counts = updated.outs.prospectCounts as { total: number } | undefined;
      forms.push({
        form,
        checkMs,
        createMs,
        reimportCheckMs,
        reimportMs,
        liveHeapMb: round(live / 2 ** 20, 1),
        heapRatio: round(live / baseline, 2),
        stateBytes,
        providerBytes: Buffer.byteLength(String(chk2.inputs.__provider ?? "")),
        campaignProspects: counts?.total ?? -1,
        drifted: Number(updated.outs.prospectsDrifted),
      });
      await host.delete(urn, created.id, updated.outs, chk2.inputs);
    }
    return { prospects: n, baselineHeapMb: round(baseline / 2 ** 20, 1), campaignStateBytes, forms };
  } finally {
    await inspector.close();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;

export function prospectListsLines(r: ProspectListsResult): string[] {
  return r.forms.map(
    (f) =>
      `Woodpecker, ${r.prospects.toLocaleString("en-US")} prospects as ${f.form.padEnd(13)}: check ${f.checkMs} ms ` +
      `(budget ${PROSPECTS_CHECK_BUDGET_MS}), create ${f.createMs} ms, re-import: check ${f.reimportCheckMs} ms + ` +
      `update ${f.reimportMs} ms; live heap ${f.liveHeapMb} MB = ${f.heapRatio}× the empty ${r.baselineHeapMb} MB ` +
      `(target ≤ ${PROSPECTS_HEAP_RATIO}×); state ${kb(f.stateBytes)} per resource, of which the prospects ` +
      `${kb(f.stateBytes - r.campaignStateBytes)} (the campaign alone: ${kb(r.campaignStateBytes)}; + ` +
      `${kb(f.providerBytes)} __provider in inputs and outputs)`,
  );
}

/** Failures of the measurement itself (not missed targets): the campaign must hold every prospect. */
export function prospectListsProblems(r: ProspectListsResult): string[] {
  return r.forms
    .filter((f) => f.campaignProspects !== r.prospects || f.drifted !== 0)
    .map(
      (f) =>
        `prospects (${f.form}): the campaign holds ${f.campaignProspects} prospects (${f.drifted} drifted), not ${r.prospects}`,
    );
}

/** Missed targets, for the report (not problems: the run still counts). */
export function prospectListsMissed(r: ProspectListsResult): string[] {
  const out: string[] = [];
  const file = r.forms.find((f) => f.form === "prospectsFile");
  for (const f of r.forms) {
    if (f.heapRatio > PROSPECTS_HEAP_RATIO)
      out.push(`${f.form}: live heap ${f.heapRatio}× > ${PROSPECTS_HEAP_RATIO}×`);
  }
  // The check budget is judged for the file form: inline, the engine's protocol itself carries the list
  // (bench/README.md "Lists of 100,000").
  if (file && file.checkMs > PROSPECTS_CHECK_BUDGET_MS) {
    out.push(`prospectsFile: check ${file.checkMs} ms > ${PROSPECTS_CHECK_BUDGET_MS} ms`);
  }
  // Judged on what the prospects add: the campaign's own configuration is over 2 KB already.
  if (file && file.stateBytes - r.campaignStateBytes > PROSPECTS_FILE_STATE_BYTES) {
    out.push(
      `prospectsFile: the prospects add ${file.stateBytes - r.campaignStateBytes} B of state > ${PROSPECTS_FILE_STATE_BYTES} B`,
    );
  }
  return out;
}
