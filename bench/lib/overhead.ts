/**
 * Overhead of one provider operation over the bare HTTP call it makes, measured in the same run
 * against the same emulator: Burki `read` through the SDK's dynamic-provider host over gRPC (one
 * GET /api/v1/campaigns/:id, then mapping the answer to outputs) vs the same GET made directly
 * with undici `request()` over a keep-alive pool, with the provider's headers, body read and parsed.
 *
 * To say where a difference comes from, two more figures are taken alongside (not part of the
 * ratio): the same `read` of the installed implementation called in this process (the provider's
 * own HTTP client and mapping, no gRPC), and a Diff RPC through the host (the gRPC host's round
 * trip with no API call), and GetPluginInfo (the smallest gRPC call: no properties at all).
 *
 * The four are interleaved after a warm-up, so drift in machine load hits all alike; the ratio of
 * the medians is the reported figure.
 */
import { Pool } from "undici";
import type { ProviderHost } from "../../test/helpers/provider-host";
import { BURKI } from "./platforms";
import { startHost, type RunContext } from "./scenario";
import { median, quantile, round } from "./util";

export interface OverheadResult {
  operation: string;
  iterations: number;
  warmup: number;
  latencyMs: number;
  providerMs: { median: number; p90: number };
  directMs: { median: number; p90: number };
  ratio: number;
  /** API requests one provider read made (from the emulator log): should be 1. */
  callsPerProviderRead: number;
  /** Diagnostics: the implementation's `read` in this process, and a Diff RPC (no API call). */
  inProcessReadMs: { median: number; p90: number };
  hostRoundTripMs: { median: number; p90: number };
  /** GetPluginInfo: the smallest gRPC call the host answers (no properties, no provider code). */
  grpcFloorMs: { median: number; p90: number };
}

export async function measureOverhead(ctx: RunContext, iterations: number): Promise<OverheadResult> {
  const { emulators } = ctx;
  const control = emulators.burkiControl;
  await control.reset();
  const host: ProviderHost = await startHost(ctx);
  const { baseUrl, apiKey } = emulators.burki;
  const origin = new URL(baseUrl).origin;
  const pool = new Pool(origin, { connections: 4, keepAliveTimeout: 30_000 });
  try {
    // One draft campaign without contacts: its read is a single GET.
    const urn = host.urnOf(BURKI.type, "overhead");
    const { contacts: _contacts, ...inputs } = BURKI.inputs(0);
    const chk = await host.check(urn, {}, { ...inputs, state: "draft", __provider: ctx.providerText.burki });
    const created = await host.create(urn, chk.inputs);
    const id = created.id;
    // The same request the provider makes (core/http.ts): path, accept, user-agent, bearer key.
    const headers = {
      accept: "application/json",
      "user-agent": "pulumi-campaigns",
      authorization: `Bearer ${apiKey}`,
    };
    const direct = async () => {
      const res = await pool.request({ path: `/api/v1/campaigns/${id}`, method: "GET", headers });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`direct GET → ${res.statusCode}`);
      JSON.parse(text);
    };
    const viaProvider = async () => {
      const r = await host.read(urn, id, created.outs, chk.inputs);
      if (r.id !== id) throw new Error("provider read lost the campaign");
    };
    // The installed implementation, configured like the host configures it.
    const impl = require("pulumi-campaigns/internal/burki-campaign");
    const config: Record<string, string> = { "burki:apiKey": apiKey, "burki:baseUrl": baseUrl };
    await impl.configure({ config: { get: (k: string) => config[k] } });
    const inProcess = async () => {
      const r = await impl.read(id, created.outs);
      if (r.id !== id) throw new Error("in-process read lost the campaign");
    };
    const hostOnly = async () => {
      await host.diff(urn, id, created.outs, chk.inputs);
    };
    const grpcOnly = async () => {
      await host.getPluginInfo();
    };
    const time = async (f: () => Promise<void>) => {
      const t0 = performance.now();
      await f();
      return performance.now() - t0;
    };

    const warmup = Math.min(50, Math.max(10, Math.round(iterations / 4)));
    for (let i = 0; i < warmup; i++) {
      await viaProvider();
      await direct();
      await inProcess();
      await hostOnly();
      await grpcOnly();
    }
    await control.clearRequests();
    const p: number[] = [];
    const d: number[] = [];
    for (let i = 0; i < iterations; i++) {
      p.push(await time(viaProvider));
      d.push(await time(direct));
    }
    const logged = (await control.requests()).length;
    const ip: number[] = [];
    const h: number[] = [];
    const g: number[] = [];
    for (let i = 0; i < iterations; i++) {
      ip.push(await time(inProcess));
      h.push(await time(hostOnly));
      g.push(await time(grpcOnly));
    }
    const stats = (xs: number[]) => ({ median: round(median(xs), 3), p90: round(quantile(xs, 0.9), 3) });
    const pm = median(p);
    const dm = median(d);
    return {
      operation: "Burki read (1 GET) via the gRPC host vs the same GET with undici",
      iterations,
      warmup,
      latencyMs: ctx.latencyMs,
      providerMs: stats(p),
      directMs: stats(d),
      ratio: round(pm / dm, 3),
      callsPerProviderRead: round((logged - iterations) / iterations, 3),
      inProcessReadMs: stats(ip),
      hostRoundTripMs: stats(h),
      grpcFloorMs: stats(g),
    };
  } finally {
    await pool.close();
    await host.close();
    await control.reset();
  }
}
