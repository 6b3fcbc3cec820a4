/**
 * Where a Burki create's time goes, from the emulator's request log of `up`: for each campaign, the
 * two waits of its call path — from the answer of `POST import-data` to the first `GET` of the
 * import, and from the answer of `POST start` to the `GET` of the campaign that ends the wait (the
 * last one) — and how many `GET`s each wait made. Against Burki's own hops (`importDelayMs`,
 * `startDelayMs`) the difference is the time the provider's waits add to the floor.
 */
import type { RequestLogEntry } from "../../provider/emulators/common";
import { quantile, round } from "./util";

export interface BurkiCreateWaits {
  /** Campaigns whose whole path was found in the log. */
  campaigns: number;
  /** p50 over campaigns, ms: import-data answered → first GET of the import arrives. */
  importWaitMs: number;
  /** p50 GETs of the import per campaign. */
  importPolls: number;
  /** p50, ms: start answered → the last GET of the campaign (the one that saw it running) answered. */
  startWaitMs: number;
  /** p50 GETs of the campaign after start, per campaign. */
  startPolls: number;
}

const CAMPAIGN = /^\/api\/v1\/campaigns\/(\d+)(\/.*)?$/;

export function burkiCreateWaits(log: readonly RequestLogEntry[]): BurkiCreateWaits | undefined {
  const byCampaign = new Map<string, RequestLogEntry[]>();
  for (const e of log) {
    const m = CAMPAIGN.exec(e.path);
    if (!m) continue;
    const list = byCampaign.get(m[1]) ?? [];
    list.push(e);
    byCampaign.set(m[1], list);
  }
  const importWait: number[] = [];
  const importPolls: number[] = [];
  const startWait: number[] = [];
  const startPolls: number[] = [];
  const end = (e: RequestLogEntry) => Date.parse(e.at) + e.durationMs;
  for (const entries of byCampaign.values()) {
    entries.sort((a, b) => a.seq - b.seq);
    const imp = entries.find((e) => e.method === "POST" && e.path.endsWith("/import-data"));
    const polls = entries.filter((e) => e.method === "GET" && e.path.includes("/imports/"));
    const start = entries.find((e) => e.method === "POST" && e.path.endsWith("/start"));
    if (!imp || !polls.length || !start) continue;
    const after = entries.filter(
      (e) => e.method === "GET" && !e.path.includes("/imports/") && e.seq > start.seq,
    );
    importWait.push(Date.parse(polls[0].at) - end(imp));
    importPolls.push(polls.length);
    startWait.push(after.length ? end(after[after.length - 1]) - end(start) : 0);
    startPolls.push(after.length);
  }
  if (!importWait.length) return undefined;
  const p50 = (xs: number[]) => round(quantile(xs, 0.5), 1);
  return {
    campaigns: importWait.length,
    importWaitMs: p50(importWait),
    importPolls: p50(importPolls),
    startWaitMs: p50(startWait),
    startPolls: p50(startPolls),
  };
}
