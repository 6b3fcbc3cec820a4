/**
 * `pulumi-campaigns orphans`: the campaigns each vendor holds that no resource of a stack manages,
 * the usual leftover of a crash between a create and the engine saving its answer (the next `up`
 * creates the campaign again, and both call or email the same people).
 *
 * Read only: the vendors' list endpoints, GETs and nothing else.
 */
import type { BurkiClient } from "../burki/api";
import { PLATFORM_TITLE, errorMessage } from "../core/errors";
import { redact } from "../core/redact";
import type { WoodpeckerClient } from "../woodpecker/api";
import type { CampaignPlatform, PendingCreate, StackCampaigns } from "./stack-export";

export { parseStackExport, StackExportParseError } from "./stack-export";
export type { StackCampaigns, CampaignPlatform } from "./stack-export";

/** One campaign as a vendor lists it. */
export interface ListedCampaign {
  id: number;
  name: string;
  status: string;
  /** The vendor's creation time, as it gives it (undefined when it gives none). */
  created?: string;
}

export interface Orphan extends ListedCampaign {
  /** Pending creates of this stack with the same platform and campaign name: the likely cause. */
  pendingCreates: PendingCreate[];
  /** Pending creates that adopt exactly this campaign (`existingCampaignId`). */
  pendingAdoptions: PendingCreate[];
}

export type PlatformCheck =
  | { platform: CampaignPlatform; outcome: "skipped"; reason: string }
  | { platform: CampaignPlatform; outcome: "failed"; baseUrl: string; reason: string }
  | {
      platform: CampaignPlatform;
      outcome: "checked";
      baseUrl: string;
      listed: number;
      managedListed: number;
      orphans: Orphan[];
      /** Campaign ids the stack names that the vendor did not list. */
      missing: number[];
    };

export interface OrphansReport {
  checks: PlatformCheck[];
  /** How many campaign resources the stack holds (pending operations with an id included). */
  managed: number;
  /** Pending creates of the stack (all platforms). */
  pendingCreates: PendingCreate[];
  /** URNs of campaign resources whose state names no campaign id. */
  withoutId: string[];
}

/** Every campaign of the Burki organisation, page after page. */
export async function listAllBurki(client: BurkiClient, perPage = 100): Promise<ListedCampaign[]> {
  const seen = new Map<number, ListedCampaign>();
  // Bounded: a server that always says has_next cannot keep us here.
  for (let page = 1; page <= 10_000; page++) {
    const r = await client.listCampaigns({ page, perPage });
    for (const c of r.campaigns) {
      seen.set(c.id, { id: c.id, name: c.name, status: c.status, created: c.created_at });
    }
    const more = r.pagination ? r.pagination.has_next : r.campaigns.length >= perPage;
    if (!more || r.campaigns.length === 0) break;
  }
  return [...seen.values()];
}

/** Every campaign of the Woodpecker account (v1 `campaign_list`, which is not paginated). */
export async function listAllWoodpecker(client: WoodpeckerClient): Promise<ListedCampaign[]> {
  const list = await client.listCampaigns();
  return list.map((c) => ({ id: c.id, name: c.name, status: c.status, created: c.created }));
}

export interface PlatformSource {
  baseUrl: string;
  list: () => Promise<ListedCampaign[]>;
}

/** Compare each available platform's campaigns with the stack's. */
export async function findOrphans(
  stack: StackCampaigns,
  sources: Partial<Record<CampaignPlatform, PlatformSource | { skipped: string }>>,
): Promise<OrphansReport> {
  const platforms: CampaignPlatform[] = ["burki", "woodpecker"];
  const checks = await Promise.all(
    platforms.map(async (platform): Promise<PlatformCheck> => {
      const source = sources[platform];
      if (source === undefined) return { platform, outcome: "skipped", reason: "not configured" };
      if ("skipped" in source) return { platform, outcome: "skipped", reason: source.skipped };
      let listed: ListedCampaign[];
      try {
        listed = await source.list();
      } catch (e) {
        return { platform, outcome: "failed", baseUrl: source.baseUrl, reason: redact(errorMessage(e)) };
      }
      const managedIds = new Set(
        stack.managed.filter((m) => m.platform === platform).flatMap((m) => m.campaignIds),
      );
      const pending = stack.pendingCreates.filter((p) => p.platform === platform);
      const orphans = listed
        .filter((c) => !managedIds.has(c.id))
        .sort((a, b) => a.id - b.id)
        .map((c) => ({
          ...c,
          // An adoption creates nothing: only real creates are matched by name.
          pendingCreates: pending.filter(
            (p) =>
              p.existingCampaignId === undefined &&
              (p.campaignId === undefined
                ? p.name !== undefined && p.name === c.name
                : p.campaignId === c.id),
          ),
          pendingAdoptions: pending.filter((p) => p.existingCampaignId === c.id),
        }));
      const listedIds = new Set(listed.map((c) => c.id));
      return {
        platform,
        outcome: "checked",
        baseUrl: source.baseUrl,
        listed: listed.length,
        managedListed: listed.length - orphans.length,
        orphans,
        missing: [...managedIds].filter((id) => !listedIds.has(id)).sort((a, b) => a - b),
      };
    }),
  );
  return {
    checks,
    managed: new Set(stack.managed.map((m) => m.urn)).size,
    pendingCreates: stack.pendingCreates,
    withoutId: stack.withoutId.map((m) => m.urn),
  };
}

export function orphanCount(report: OrphansReport): number {
  return report.checks.reduce((n, c) => n + (c.outcome === "checked" ? c.orphans.length : 0), 0);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The report as the command prints it. */
export function formatReport(report: OrphansReport): string {
  const found = orphanCount(report);
  const lines: string[] = [
    `Stack export: ${plural(report.managed, "campaign resource")}, ${plural(report.pendingCreates.length, "pending create")}.`,
  ];
  for (const check of report.checks) {
    const title = PLATFORM_TITLE[check.platform];
    if (check.outcome === "skipped") {
      lines.push(`${title}: skipped (${check.reason})`);
      continue;
    }
    if (check.outcome === "failed") {
      lines.push(`${title} (${check.baseUrl}): could not list campaigns: ${check.reason}`);
      continue;
    }
    lines.push(
      `${title} (${check.baseUrl}): ${plural(check.orphans.length, "orphan")} among ` +
        `${plural(check.listed, "campaign")} (${check.managedListed} managed by this stack)`,
    );
    for (const o of check.orphans) {
      lines.push(
        `  id ${o.id}  name ${JSON.stringify(o.name)}  status ${o.status}  created ${o.created ?? "unknown"}`,
      );
      for (const p of o.pendingCreates) {
        lines.push(
          p.campaignId === undefined
            ? `    likely left by an interrupted create: this stack has a pending create of ${JSON.stringify(o.name)}`
            : `    left by an interrupted create: this stack has a pending create that names this id (Create had answered)`,
          `    (${p.urn}); to keep it, adopt it with existingCampaignId: ${o.id}`,
        );
      }
      for (const p of o.pendingAdoptions) {
        lines.push(
          `    a pending create of this stack adopts it (existingCampaignId ${o.id}, ${p.urn}):`,
          "    the next `pulumi up` completes the adoption",
        );
      }
    }
    if (check.missing.length > 0) {
      lines.push(
        `  not listed by ${title}, though this stack names them: ${plural(check.missing.length, "id")} ` +
          `${check.missing.join(", ")} (deleted outside Pulumi, or the API key is another account's: check ` +
          `the key, then run \`pulumi refresh\`)`,
      );
    }
  }

  const unmatched = report.pendingCreates.filter(
    (p) =>
      !report.checks.some(
        (c) =>
          c.outcome === "checked" &&
          c.orphans.some((o) => o.pendingCreates.includes(p) || o.pendingAdoptions.includes(p)),
      ),
  );
  for (const p of unmatched) {
    const check = report.checks.find((c) => c.platform === p.platform);
    const title = PLATFORM_TITLE[p.platform];
    let why: string;
    if (check?.outcome !== "checked") why = `${title} was not checked`;
    else if (p.existingCampaignId !== undefined)
      why = `it adopts campaign ${p.existingCampaignId}, which is not among the unmanaged ${title} campaigns above`;
    else if (p.name === undefined)
      why = "its name is secret or unset, so no campaign above can be matched to it";
    else
      why = `no unmanaged ${title} campaign is named ${JSON.stringify(p.name)}: the create probably never reached ${title}`;
    lines.push(`Pending create ${p.urn}: ${why}.`);
  }
  for (const urn of report.withoutId) {
    lines.push(
      `Resource ${urn} names no campaign id in its state: its campaign may be listed above as an orphan.`,
    );
  }

  lines.push("");
  const checked = report.checks.filter((c) => c.outcome === "checked");
  if (checked.length > 0) {
    lines.push(
      found === 0
        ? "No orphans found."
        : `Found ${plural(found, "orphan")}. The lists hold every campaign the API key can see: campaigns of\n` +
            "other stacks sharing the account (or made in the vendor's app) appear too. Check each before acting.",
    );
    if (report.pendingCreates.length > 0 || found > 0) {
      lines.push(
        "To keep one: run `pulumi refresh --clear-pending-creates`, set `existingCampaignId: <id>` on its\n" +
          "resource and run `pulumi up`. To drop one: delete it in the vendor's app. README: \"After a crash:\n" +
          'pending creates and orphans".',
      );
    }
  }
  lines.push("Read only: nothing was changed.");
  return `${lines.join("\n")}\n`;
}
