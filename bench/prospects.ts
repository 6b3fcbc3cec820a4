/**
 * Woodpecker `prospects` (issue 10 §4): the `up` of ONE Woodpecker campaign that declares N
 * prospects, through the SDK's real dynamic-provider host against the emulators (fixed service
 * time): how long its check and its create take, how much of it is the prospects import (from the first
 * prospects request to the end), the API calls it makes, and its wall time over Woodpecker's
 * one-request-at-a-time limit (calls × service time), prospect calls included. Then the destroy.
 * Full run: N = 1,000 and 20,000 (Woodpecker's per-request maximum); `--smoke`: N = 100.
 */
import { performance } from "node:perf_hooks";
import type { RequestLogEntry } from "../provider/emulators/common";
import { WOODPECKER } from "./lib/platforms";
import { startHost, type RunContext } from "./lib/scenario";
import { round } from "./lib/util";

export const PROSPECT_SIZES = { full: [1_000, 20_000], smoke: [100] } as const;

export interface ProspectsResult {
  prospects: number;
  /** Check of the inputs (the first operation of the host: it also loads the provider), ms. */
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
    `one Woodpecker campaign with ${r.prospects.toLocaleString("en-US")} prospects: check ${(r.checkMs / 1000).toFixed(3)} s, ` +
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
